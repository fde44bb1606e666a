"""What we render builds with the real kustomize (``kubectl kustomize``, kustomize v5)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from kfboot.catalog.load import load_catalog
from kfboot.output import apply, plan
from kfboot.render.bootstrap import render
from tests.conftest import DEFAULT_CATALOG

pytestmark = pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")


def build(directory: Path) -> list[dict]:
    out = subprocess.run(
        ["kubectl", "kustomize", str(directory)], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    return [d for d in yaml.safe_load_all(out.stdout) if d]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small manifests repository: a kustomization with one ConfigMap at every catalog path,
    a Namespace ``kubeflow`` where upstream defines it, and the rendered bootstrap/."""
    root = tmp_path_factory.mktemp("repo")
    catalog = load_catalog(DEFAULT_CATALOG)
    for comp in catalog.components:
        for path in comp.paths:
            d = root / path
            d.mkdir(parents=True)
            cm = {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": path.replace("/", "-").replace("_", "-")[-63:].strip("-")},
            }
            resources = ["cm.yaml"]
            (d / "cm.yaml").write_text(yaml.safe_dump(cm))
            if path == "common/cert-manager/kubeflow-issuer/base":
                issuer = {
                    "apiVersion": "cert-manager.io/v1",
                    "kind": "ClusterIssuer",
                    "metadata": {"name": "kubeflow-self-signing-issuer", "annotations": {"a": "b"}},
                    "spec": {"selfSigned": {}},
                }
                (d / "issuer.yaml").write_text(yaml.safe_dump(issuer))
                resources.append("issuer.yaml")
            if path == "common/kubeflow-namespace/base":
                ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "kubeflow"}}
                (d / "ns.yaml").write_text(yaml.safe_dump(ns))
                resources.append("ns.yaml")
            (d / "kustomization.yaml").write_text(yaml.safe_dump({"resources": resources}))
    apply(plan(root / "bootstrap", render(catalog)))
    return root


def test_app_of_apps_builds_to_exactly_the_enabled_applications(repo: Path) -> None:
    docs = build(repo / "bootstrap/apps/kubeflow")
    assert all(d["kind"] == "Application" for d in docs)
    names = sorted(d["metadata"]["name"] for d in docs)
    catalog = load_catalog(DEFAULT_CATALOG)
    assert names == sorted(c.app_name for c in catalog.enabled_components())
    assert len(names) == 14


def test_each_wave_builds_alone(repo: Path) -> None:
    waves = sorted((repo / "bootstrap/apps/kubeflow").glob("wave-*"))
    assert len(waves) == 7
    seen = []
    for wave in waves:
        docs = build(wave)
        annotations = {d["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"] for d in docs}
        assert len(annotations) == 1, wave
        seen += [d["metadata"]["name"] for d in docs]
    assert len(seen) == 14


def test_wrappers_build_against_the_manifests_tree(repo: Path) -> None:
    catalog = load_catalog(DEFAULT_CATALOG)
    for comp in catalog.components:
        if not comp.needs_wrapper:
            continue
        docs = build(repo / "bootstrap/apps/base" / comp.name)
        config_maps = [d for d in docs if d["kind"] == "ConfigMap"]
        assert len(config_maps) == len(comp.paths), comp.name
        if comp.name == "model-registry":
            assert {d["metadata"].get("namespace") for d in config_maps} == {"kubeflow"}


def test_no_pod_security_downgrade_and_the_issuer_waits_for_its_webhook(repo: Path) -> None:
    docs = build(repo / "bootstrap/apps/base/common-services")
    (ns,) = [d for d in docs if d["kind"] == "Namespace"]
    assert "labels" not in ns["metadata"]  # upstream's own labels stand (restricted)
    (issuer,) = [d for d in docs if d["kind"] == "ClusterIssuer"]
    # resourceWaves: the annotation is added, the object's own annotations are kept.
    assert issuer["metadata"]["annotations"] == {"a": "b", "argocd.argoproj.io/sync-wave": "1"}
    assert all("annotations" not in d["metadata"] for d in docs if d["kind"] == "ConfigMap")


def test_common_services_wrapper_builds_where_the_namespace_is_absent(
    repo: Path, tmp_path: Path
) -> None:
    # The patch selects by target, so a tree without the Namespace still builds.
    copy = tmp_path / "repo"
    shutil.copytree(repo, copy)
    ns_dir = copy / "common/kubeflow-namespace/base"
    (ns_dir / "ns.yaml").unlink()
    (ns_dir / "kustomization.yaml").write_text(yaml.safe_dump({"resources": ["cm.yaml"]}))
    docs = build(copy / "bootstrap/apps/base/common-services")
    assert not [d for d in docs if d["kind"] == "Namespace"]


def _with_extras(tmp_path: Path, entries: str) -> Path:
    """The default catalog with ``entries`` as its extraResources, rendered into tmp_path."""
    from kfboot.catalog.load import parse_catalog

    text = DEFAULT_CATALOG.read_text().replace(
        "\nwaves:\n", f"\nextraResources:\n{entries}\nwaves:\n", 1
    )
    apply(plan(tmp_path / "bootstrap", render(parse_catalog(text))))
    return tmp_path / "bootstrap/apps/kubeflow"


def _project_dir(where: Path, name: str, kustomized: bool = True) -> None:
    where.mkdir(parents=True, exist_ok=True)
    obj = {"apiVersion": "argoproj.io/v1alpha1", "kind": "AppProject", "metadata": {"name": name}}
    (where / f"{name}.yaml").write_text(yaml.safe_dump(obj))
    if kustomized:
        (where / "kustomization.yaml").write_text(yaml.safe_dump({"resources": [f"{name}.yaml"]}))


def test_an_extra_repo_path_builds_from_elsewhere_in_the_repository(tmp_path: Path) -> None:
    _project_dir(tmp_path / "platform/projects", "team")
    _project_dir(tmp_path / "bootstrap/apps/kubeflow/extra", "local", kustomized=False)
    entries = "  - repoPath: platform/projects\n  - path: extra/local.yaml\n"
    built = build(_with_extras(tmp_path, entries))
    projects = sorted(d["metadata"]["name"] for d in built if d["kind"] == "AppProject")
    assert projects == ["local", "team"]


@pytest.mark.parametrize(
    ("kustomized", "entry", "refused"),
    [
        (False, "platform/projects", "unable to find one of"),
        (True, "platform/projects/team.yaml", "is not in or below"),
    ],
)
def test_kustomize_refuses_what_check_reports_unbuildable(
    tmp_path: Path, kustomized: bool, entry: str, refused: str
) -> None:
    """The two shapes extra-resource-unbuildable names are the ones kustomize refuses."""
    from tests.conftest import run_cli

    _project_dir(tmp_path / "platform/projects", "team", kustomized)
    shutil.copy(DEFAULT_CATALOG, tmp_path / "waves.yaml")
    text = (tmp_path / "waves.yaml").read_text()
    (tmp_path / "waves.yaml").write_text(
        text.replace("\nwaves:\n", f"\nextraResources:\n  - repoPath: {entry}\n\nwaves:\n", 1)
    )
    assert run_cli("render", cwd=tmp_path).exit_code == 0
    out = subprocess.run(
        ["kubectl", "kustomize", str(tmp_path / "bootstrap/apps/kubeflow")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode != 0 and refused in out.stderr
    assert "extra-resource-unbuildable" in run_cli("check", cwd=tmp_path).stdout
