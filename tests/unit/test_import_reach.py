"""Issue 20, the rest: a root reaching beyond the imported directory, extraResources anywhere in
the repository, argo-helm value files read, and the bounded health-check search."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from kfboot.importing.app_files import AppDoc, read_applications
from tests.conftest import DATA, run_cli

CORPUS = DATA / "import-corpus"


def _own_argocd(tmp_path: Path) -> tuple[Path, tuple[AppDoc, str]]:

    tree = tmp_path / "in"
    shutil.copytree(CORPUS / "own-argocd", tree)
    cm = tree / "platform/argocd/argocd-cm.yaml"
    health = cm.read_text()
    cm.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata: {}\n")
    app = next(a for a in read_applications(tree, "in") if a.name == "argocd")
    return tree, (app, health)


def test_the_health_check_search_reads_no_symlink_out_of_the_tree(tmp_path: Path) -> None:
    from kfboot.importing.own_argocd import has_health_check

    tree, (app, health) = _own_argocd(tmp_path)
    (tmp_path / "outside.yaml").write_text(health)
    (tree / "platform/argocd/linked.yaml").symlink_to(tmp_path / "outside.yaml")
    assert has_health_check(tree, app) is False


def test_the_health_check_search_skips_files_over_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kfboot.importing import own_argocd

    tree, (app, health) = _own_argocd(tmp_path)
    big = tree / "platform/argocd/big.yaml"
    big.write_text(health)
    assert own_argocd.has_health_check(tree, app) is True
    monkeypatch.setattr(own_argocd, "MAX_SEARCHED", big.stat().st_size - 1)
    assert own_argocd.has_health_check(tree, app) is False


def test_the_health_check_search_never_opens_a_fifo(tmp_path: Path) -> None:
    from kfboot.importing.own_argocd import has_health_check

    tree, (app, _) = _own_argocd(tmp_path)
    os.mkfifo(tree / "platform/argocd/pipe.yaml")  # opening it would block for ever
    assert has_health_check(tree, app) is False


def _import(tmp_path: Path) -> tuple[dict[str, Any], list[str]]:
    res = run_cli("import", "in", "--format", "json", cwd=tmp_path)
    assert res.exit_code == 0, res.stderr
    catalog = yaml.safe_load((tmp_path / "waves.yaml").read_text())
    found = [f"{f['rule']}: {f['message']}" for f in json.loads(res.stdout)["findings"]]
    return catalog, found


def _argocd(catalog: dict[str, Any]) -> dict[str, Any]:
    comp = next(c for c in catalog["components"] if c["name"] == "argocd")
    install: dict[str, Any] = comp["argocd"]
    return install


def test_argo_cd_value_files_of_this_repository_are_read_into_its_values(tmp_path: Path) -> None:
    shutil.copytree(CORPUS / "argocd-values", tmp_path / "in")
    catalog, found = _import(tmp_path)
    install = _argocd(catalog)
    # The files in order, then values, then the parameters, as Helm gets them from Argo CD.
    assert install["values"] == {
        "configs": {"cm": {"admin.enabled": "false"}, "params": {"server.insecure": True}},
        "server": {
            "replicas": 3,
            "ingress": {"enabled": True, "hostname": "argocd.example.com"},
        },
    }
    # The hand-written entry of the catalog's repository is the one kfboot generates.
    assert install["repositoryName"] == "platform"
    assert not [f for f in found if "valueFiles" in f]
    assert any(
        "value files $values/platform/argocd/values.yaml, $values/platform/argocd/prod.yaml are "
        "read into the argocd component's values" in f
        for f in found
    ), found


def test_an_argo_cd_value_file_leaving_the_repository_is_named(tmp_path: Path) -> None:
    tree = tmp_path / "in"
    shutil.copytree(CORPUS / "argocd-values", tree)
    (tmp_path / "secret.yaml").write_text("server: {replicas: 9}\n")
    (tree / "platform/argocd/prod.yaml").unlink()
    (tree / "platform/argocd/prod.yaml").symlink_to(tmp_path / "secret.yaml")
    catalog, found = _import(tmp_path)
    assert _argocd(catalog)["values"]["server"]["replicas"] == 3
    assert "hostname" not in _argocd(catalog)["values"]["server"]["ingress"]
    assert any(
        "valueFiles[1] is '$values/platform/argocd/prod.yaml', a value file of the chart (it "
        "leaves the repository" in f
        for f in found
    ), found


HELM_CHARTS = """\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
helmCharts:
  - name: argo-cd
    repo: https://argoproj.github.io/argo-helm
    version: 9.1.0
    releaseName: argocd
    valuesFile: values/base.yaml
    valuesInline:
      server: {replicas: 2}
    additionalValuesFiles: [values/prod.yaml, ../outside.yaml]
"""


def test_a_helm_charts_kustomization_gives_its_files_and_inline_values(tmp_path: Path) -> None:
    tree = tmp_path / "in"
    shutil.copytree(CORPUS / "argocd-values", tree)
    (tree / "bootstrap/apps/kubeflow/argocd.yaml").write_text(
        (CORPUS / "own-argocd/bootstrap/apps/kubeflow/argocd.yaml").read_text()
    )
    (tree / "platform/argocd/kustomization.yaml").write_text(HELM_CHARTS)
    (tree / "platform/argocd/values").mkdir()
    (tree / "platform/argocd/values/base.yaml").write_text(
        "server: {replicas: 1, ingress: {enabled: true}}\n"
        "configs:\n  repositories:\n    platform: {url: 'https://github.com/acme/platform.git'}\n"
    )
    (tree / "platform/argocd/values/prod.yaml").write_text("server: {ingress: {enabled: false}}\n")
    catalog, found = _import(tmp_path)
    install = _argocd(catalog)
    assert install["values"] == {"server": {"replicas": 2, "ingress": {"enabled": False}}}
    assert install["repositoryName"] == "platform"
    assert any(
        "helmCharts value file '../outside.yaml' of argocd/ is not a file of that directory" in f
        for f in found
    ), found


APP = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {name}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://github.com/acme/platform.git
    targetRevision: main
    path: {path}
  destination:
    server: https://kubernetes.default.svc
    namespace: {namespace}
"""


@pytest.mark.parametrize("git", [False, True])
def test_the_imported_directorys_parent_is_a_root_directory_only_inside_the_repository(
    tmp_path: Path, git: bool
) -> None:
    """A root whose path names the imported directory's parent (``gitops``, importing
    ``gitops/apps``) syncs it when the parent is in the repository; without git the imported
    directory is the repository, and nothing outside it is read as the root's."""
    apps = tmp_path / "gitops/apps"
    apps.mkdir(parents=True)
    (apps / "root.yaml").write_text(APP.format(name="root", path="gitops", namespace="argocd"))
    (apps / "a.yaml").write_text(APP.format(name="a", path="manifests/a", namespace="kubeflow"))
    if git:
        subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    res = run_cli("import", "gitops/apps", "--format", "json", cwd=tmp_path)
    assert res.exit_code == 0, res.stderr
    catalog = yaml.safe_load((tmp_path / "waves.yaml").read_text())
    names = [c["name"] for c in catalog["components"]]
    if git:
        assert (catalog["appOfApps"]["name"], names) == ("root", ["a"])
    else:
        assert catalog["appOfApps"]["name"] != "root" and sorted(names) == ["a", "root"]
