"""``manifests-path-missing`` finds upstream's big renames in the real directory lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfboot.manifests.paths import check_path


@pytest.fixture
def checkout(tmp_path: Path, shared: Path) -> Path:
    """Every kustomize directory of kubeflow/manifests v1.11.0, each with a kustomization."""
    listing = shared / "reference/kubeflow-manifests/kustomize-dirs-v1.11.0.txt"
    for rel in listing.read_text().split():
        (tmp_path / rel).mkdir(parents=True, exist_ok=True)
        (tmp_path / rel / "kustomization.yaml").write_text("resources: []\n")
    return tmp_path


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "apps/jupyter/jupyter-web-app/upstream/overlays/istio",
            "applications/jupyter/jupyter-web-app/upstream/overlays/istio",
        ),
        ("contrib/kserve/kserve", "applications/kserve/kserve"),
        ("common/istio-1-24/istio-install/base", "common/istio/istio-install/base"),
        ("common/istio-cni-1-24/istio-crds/base", "common/istio/istio-crds/base"),
    ],
)
def test_a_big_rename_is_the_hint(checkout: Path, old: str, new: str) -> None:
    problem = check_path(checkout, old, [old])
    assert problem is not None
    assert problem.message == f"path {old} does not exist; did you mean {new}?"
