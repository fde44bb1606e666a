"""``check --manifests`` over a fleet: a cluster whose override changes a wrapper is built too."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kfboot.manifests.run import check_manifests
from tests import manifests_tree as tree

pytestmark = pytest.mark.skipif(
    shutil.which("kustomize") is None and shutil.which("kubectl") is None,
    reason="neither kustomize nor kubectl is installed: builds cannot run",
)

CLUSTERS = """clusters:
  - name: a
  - name: b
    components:
      foundation:
        patches:
          - patch: |
              apiVersion: v1
              kind: ConfigMap
              metadata:
                name: not-there
"""


def test_an_override_that_breaks_one_cluster_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "manifests"
    tree.clean_tree(root)
    catalog = tmp_path / "waves.yaml"
    catalog.write_text(tree.clean_catalog())
    clean, _ = check_manifests(catalog, root, None, use_cache=False)
    assert clean == []
    catalog.write_text(tree.clean_catalog() + CLUSTERS)
    found, summary = check_manifests(catalog, root, None, use_cache=False)
    assert summary is not None
    (failed,) = [f for f in found if f.rule == "manifests-build-failed"]
    assert "component foundation" in failed.message
    assert all(f.message.endswith(" (on b)") for f in found)
