"""Import gaps found reviewing issue 12 with hand-built trees: each test failed before its fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import run_cli

REPO = "https://example.com/acme/platform.git"


def _app(name: str, path: str, **spec: Any) -> dict[str, Any]:
    source = {"repoURL": REPO, "targetRevision": "main", "path": path}
    destination = {"server": "https://kubernetes.default.svc", "namespace": "kubeflow"}
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": name, "namespace": "argocd"},
        "spec": {"project": "default", "source": source, "destination": destination, **spec},
    }


def _write(path: Path, *docs: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump_all(docs, sort_keys=False), encoding="utf-8")


def _import(tmp_path: Path) -> tuple[int, dict[str, Any], list[dict[str, Any]]]:
    res = run_cli("import", "in", "--format", "json", cwd=tmp_path)
    catalog = tmp_path / "waves.yaml"
    loaded = yaml.safe_load(catalog.read_text()) if catalog.exists() else {}
    return res.exit_code, loaded, json.loads(res.stdout or "{}").get("findings", [])


def test_a_root_without_destination_namespace_imports_and_says_so(tmp_path: Path) -> None:
    root = _app("root", "in/apps", destination={"server": "https://kubernetes.default.svc"})
    _write(tmp_path / "in/root.yaml", root)
    _write(tmp_path / "in/apps/a.yaml", _app("a", "a"))
    code, catalog, findings = _import(tmp_path)
    assert code == 0
    assert catalog["appOfApps"]["namespace"] == "argocd"
    assert any(
        f["message"].startswith("spec.destination.namespace is absent; the catalog's root")
        for f in findings
    ), findings


def test_a_kustomization_patching_the_applications_is_named(tmp_path: Path) -> None:
    _write(tmp_path / "in/root.yaml", _app("root", "in/apps"))
    _write(tmp_path / "in/apps/a.yaml", _app("a", "a"))
    patch = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application"}
    patch["metadata"] = {"name": "a", "namespace": "argocd"}
    _write(tmp_path / "in/apps/a-patch.yaml", {**patch, "spec": {"source": {"path": "b"}}})
    kustomization = {"resources": ["a.yaml"], "patches": [{"path": "a-patch.yaml"}]}
    _write(tmp_path / "in/apps/kustomization.yaml", kustomization)
    code, catalog, findings = _import(tmp_path)
    assert code == 0
    assert [c["paths"] for c in catalog["components"]] == [["a"]]  # the file, as written
    named = [f for f in findings if f["file"] == "in/apps/kustomization.yaml"]
    assert [(f["line"], f["rule"]) for f in named] == [(3, "import-not-carried-over")], findings
    assert named[0]["message"].startswith("patches: this kustomization changes the Applications")


def test_a_root_beside_the_kustomization_that_does_not_select_it_is_the_root(
    tmp_path: Path,
) -> None:
    # The repository's top: a kustomization for Argo CD, the root applied by hand beside it
    # (source path '.'), and an alternative the kustomization does not select.
    _write(tmp_path / "in/root.yaml", _app("bootstrap", "."))
    _write(tmp_path / "in/old.yaml", _app("old-a", "a"))
    _write(tmp_path / "in/kustomization.yaml", {"resources": ["apps"]})
    _write(tmp_path / "in/apps/kustomization.yaml", {"resources": ["a.yaml"]})
    _write(tmp_path / "in/apps/a.yaml", _app("a", "a"))
    code, catalog, findings = _import(tmp_path)
    assert code == 0, findings
    assert catalog["appOfApps"]["name"] == "bootstrap"
    assert [c["name"] for c in catalog["components"]] == ["a"]
    assert not any("no root Application" in f["message"] for f in findings), findings


def test_an_extra_resource_file_of_several_waves_is_named(tmp_path: Path) -> None:
    _write(tmp_path / "in/bootstrap/root.yaml", _app("root", "bootstrap/apps/kubeflow"))
    _write(tmp_path / "in/bootstrap/apps/kubeflow/a.yaml", _app("a", "a"))
    wave = {"argocd.argoproj.io/sync-wave": "-1"}
    namespace = {"apiVersion": "v1", "kind": "Namespace"}
    project = {"apiVersion": "argoproj.io/v1alpha1", "kind": "AppProject"}
    _write(
        tmp_path / "in/bootstrap/apps/kubeflow/extra.yaml",
        {**namespace, "metadata": {"name": "ml", "annotations": wave}},
        {**project, "metadata": {"name": "ml", "namespace": "argocd"}, "spec": {}},
    )
    code, catalog, findings = _import(tmp_path)
    assert code == 0
    assert catalog["extraResources"][0]["wave"] == -1
    assert [f["message"] for f in findings if f["rule"] == "import-extra-resource"] == [
        "the objects of this file carry several sync waves (-1 (Namespace ml), 0 (AppProject "
        "ml)); its extraResources entry extra.yaml says the lowest, -1, and check warns "
        "(extra-resource-wave) until the file is split into one file per wave"
    ]


def test_values_of_the_wrong_type_are_named_as_yaml_says_them(tmp_path: Path) -> None:
    sync = {"automated": {"prune": True}, "syncOptions": [None]}
    app = _app("a", "a", project=[None], dependsOn=[None], syncPolicy=sync)
    app["metadata"]["namespace"] = ["argocd"]
    _write(tmp_path / "in/a.yaml", app)
    code, _, findings = _import(tmp_path)
    assert code == 0
    messages = [f["message"] for f in findings]
    assert "project [null] is not a valid name; the catalog now says default" in messages
    assert "unknown sync option null; Argo CD ignores it" in messages
    for message in messages:
        assert "None" not in message, message
