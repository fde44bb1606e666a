"""Shapes of real repositories import must read as Argo CD and kustomize read them (issue 20)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from kfboot.importing.tree import is_remote
from tests.conftest import run_cli


@pytest.mark.parametrize(
    ("item", "remote"),
    [
        ("github.com/kubeflow/manifests/common/kubeflow-namespace/base?ref=v1.2.0", True),
        ("git::https://github.com/kubeflow/manifests.git//common/istio?ref=v1.10.0", True),
        ("ssh://git@github.com/kubeflow/manifests.git/common?ref=v1", True),
        ("https://github.com/kubeflow/manifests//common?ref=v1", True),
        ("git@github.com:kubeflow/manifests.git/common", True),
        ("../base", False),
        ("istio-1.9/base", False),
        ("gitlab.example.com/local-dir", False),  # without a scheme, only github.com is remote
    ],
)
def test_every_kustomize_remote_form_is_remote(item: str, remote: bool) -> None:
    assert is_remote(item) is remote


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (tmp_path / "in" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "in" / rel).write_text(text)
    return tmp_path / "in"


APP = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {name}
  namespace: argocd
spec:
  project: default
  {source}
  destination:
    server: https://kubernetes.default.svc
    namespace: x
"""


def test_applications_only_as_chart_templates_say_render_the_chart_first(tmp_path: Path) -> None:
    app = APP.format(name="{{ .Values.name }}", source="source: {}")
    _tree(tmp_path, {"Chart.yaml": "name: c\nversion: 1.0.0\n", "templates/app.yaml": app})
    res = run_cli("import", "in", cwd=tmp_path)
    assert res.exit_code == 1
    assert "in/templates/ are Helm chart templates" in res.stderr
    assert "render the chart first (helm template NAME in/. > apps.yaml" in res.stderr


def test_no_importable_application_says_why_at_each(tmp_path: Path) -> None:
    _tree(tmp_path, {"a.yaml": APP.format(name="a", source="info: []")})
    res = run_cli("import", "in", cwd=tmp_path)
    assert res.exit_code == 1
    assert "in: no Application could be imported as a component\n" in res.stderr
    assert "in/a.yaml:7:3: [warning] import-not-carried-over: the Application a has no" in (
        res.stderr
    )


CATALOG = """\
repoURL: https://github.com/acme/platform.git
clusterHasApplicationHealthCheck: true
waves: [{wave: 0, label: a}]
components:
  - name: app
    wave: 0
    sources:
      - repoURL: https://charts.example.com
        chart: app
        targetRevision: 1.0.0
        helm:
          valueFiles: [$values/app.yaml, $other/x.yaml]
      - ref: values
"""


def test_a_value_file_without_its_ref_is_a_located_catalog_error(tmp_path: Path) -> None:
    (tmp_path / "waves.yaml").write_text(CATALOG)
    res = run_cli("render", cwd=tmp_path)
    assert res.exit_code == 1
    assert res.stderr.startswith(
        "waves.yaml:12:42: components[0].sources[0].helm.valueFiles[1]: '$other/x.yaml' reads "
        "the source with ref: other, which this component's sources do not have (their refs: "
        "values)"
    )
    assert not (tmp_path / "bootstrap").exists()


def test_a_sources_list_renders_as_spec_sources(tmp_path: Path) -> None:
    (tmp_path / "waves.yaml").write_text(CATALOG.replace(", $other/x.yaml", ""))
    assert run_cli("render", cwd=tmp_path).exit_code == 0
    app = next((tmp_path / "bootstrap").rglob("app.yaml")).read_text()
    doc = yaml.safe_load(app.split("---", 1)[1])
    assert doc["spec"]["sources"] == [
        {
            "repoURL": "https://charts.example.com",
            "targetRevision": "1.0.0",
            "chart": "app",
            "helm": {"valueFiles": ["$values/app.yaml"]},
        },
        {
            "repoURL": "https://github.com/acme/platform.git",
            "targetRevision": "main",
            "ref": "values",
        },
    ]
    assert "source" not in doc["spec"]


def test_no_importable_application_prints_its_findings_as_json(tmp_path: Path) -> None:
    import json

    _tree(tmp_path, {"a.yaml": APP.format(name="a", source="info: []")})
    res = run_cli("import", "in", "--format", "json", cwd=tmp_path)
    assert res.exit_code == 1
    found = json.loads(res.stdout)["findings"]
    assert any(
        f["file"] == "in/a.yaml" and f["rule"] == "import-not-carried-over" for f in found
    ), found
    assert "no Application could be imported as a component" in res.stderr
    assert not (tmp_path / "waves.yaml").exists()


def test_a_nested_root_its_own_kustomization_lists_is_the_root_never_a_component(
    tmp_path: Path,
) -> None:
    # The repository's root is two levels above the imported directory: the root's path is
    # repository-relative (platform/gitops/clusters/prod), imported as platform/gitops.
    root = APP.format(
        name="root",
        source="source: {repoURL: https://github.com/acme/p.git, targetRevision: "
        "main, path: platform/gitops/clusters/prod}",
    )
    child = APP.format(
        name="a",
        source="source: {repoURL: https://github.com/acme/p.git, targetRevision: "
        "main, path: manifests/a}",
    )
    kustomization = "resources: [root.yaml, ../../apps]\n"
    _tree(
        tmp_path,
        {
            "platform/gitops/clusters/prod/kustomization.yaml": kustomization,
            "platform/gitops/clusters/prod/root.yaml": root,
            "platform/gitops/apps/a.yaml": child,
        },
    )
    res = run_cli("import", "in/platform/gitops", cwd=tmp_path)
    assert res.exit_code == 0, res.stderr
    catalog = yaml.safe_load((tmp_path / "waves.yaml").read_text())
    assert catalog["appOfApps"]["name"] == "root"
    assert [c["name"] for c in catalog["components"]] == ["a"]


CORPUS = Path(__file__).parents[1] / "data" / "import-corpus"


def _import_case(tmp_path: Path, case: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    import json
    import shutil

    shutil.copytree(CORPUS / case, tmp_path / "in")
    res = run_cli("import", "in", "--format", "json", cwd=tmp_path)
    assert res.exit_code == 0, res.stderr
    catalog = yaml.safe_load((tmp_path / "waves.yaml").read_text())
    return catalog, json.loads(res.stdout)["findings"]


def test_the_users_own_argo_cd_stays_theirs_with_its_health_check(tmp_path: Path) -> None:
    catalog, found = _import_case(tmp_path, "own-argocd")
    argocd = next(c for c in catalog["components"] if c["name"] == "argocd")
    assert argocd["paths"] == ["platform/argocd"] and "argocd" not in argocd
    # Their argocd-cm patch has the Application health check: the catalog says the cluster has it.
    assert catalog["clusterHasApplicationHealthCheck"] is True
    assert not [f for f in found if f["rule"] == "no-application-health-check"]
    assert any("your own Argo CD" in f["message"] for f in found), found


def test_without_the_health_check_in_their_files_own_argo_cd_says_to_add_it(
    tmp_path: Path,
) -> None:
    import shutil

    shutil.copytree(CORPUS / "own-argocd", tmp_path / "in")
    (tmp_path / "in/platform/argocd/argocd-cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata: {}\n"
    )
    res = run_cli("import", "in", cwd=tmp_path)
    assert res.exit_code == 0, res.stderr
    catalog = yaml.safe_load((tmp_path / "waves.yaml").read_text())
    assert "clusterHasApplicationHealthCheck" not in catalog
    assert "resource.customizations.health.argoproj.io_Application" in res.stdout
    assert "no-application-health-check" in res.stdout


def test_an_empty_source_beside_a_ref_is_named_not_an_internal_error(tmp_path: Path) -> None:
    sources = "sources: [{}, {repoURL: https://e.com/a/b.git, targetRevision: main, ref: values}]"
    _tree(tmp_path, {"a.yaml": APP.format(name="a", source=sources)})
    res = run_cli("import", "in", cwd=tmp_path)
    assert "internal error" not in res.stderr
    assert "spec.sources[0] is no source the catalog can hold" in res.stdout


ROOT_NO_NS = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: root
spec:
  project: default
  source: {repoURL: https://github.com/acme/p.git, targetRevision: main, path: apps}
  destination:
    server: https://kubernetes.default.svc
    namespace: openshift-gitops
"""

CHILD_NO_NS = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: a
spec:
  project: default
  source: {repoURL: https://github.com/acme/p.git, targetRevision: main, path: manifests/a}
  destination:
    server: https://kubernetes.default.svc
    namespace: a
"""


def test_an_application_without_namespace_stays_where_the_old_root_put_it(tmp_path: Path) -> None:
    _tree(tmp_path, {"root.yaml": ROOT_NO_NS, "apps/a.yaml": CHILD_NO_NS})
    res = run_cli("import", "in", cwd=tmp_path)
    assert res.exit_code == 0, res.stderr
    catalog = yaml.safe_load((tmp_path / "waves.yaml").read_text())
    # The old root created a (no metadata.namespace) in its destination namespace.
    assert catalog["argocdNamespace"] == "openshift-gitops"


def test_an_application_the_root_put_elsewhere_names_the_move(tmp_path: Path) -> None:
    root = ROOT_NO_NS.replace("name: root\n", "name: root\n  namespace: argocd\n")
    _tree(tmp_path, {"root.yaml": root, "apps/a.yaml": CHILD_NO_NS})
    res = run_cli("import", "in", cwd=tmp_path)
    assert res.exit_code == 0, res.stderr
    assert (
        "metadata.namespace is absent: the old root created a in its destination namespace "
        "openshift-gitops; the catalog creates it in argocdNamespace, argocd"
    ) in res.stdout


def _git(tmp_path: Path, origin: str) -> None:
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path / "in")], check=True)
    subprocess.run(
        ["git", "-C", str(tmp_path / "in"), "remote", "add", "origin", origin], check=True
    )


def test_without_a_root_the_catalog_reads_the_checkouts_origin(tmp_path: Path) -> None:
    other = CHILD_NO_NS.replace("acme/p.git", "kubeflow/manifests.git")
    _tree(tmp_path, {"a.yaml": other, "b.yaml": other.replace("name: a", "name: b")})
    _git(tmp_path, "git@github.com:acme/mine.git")
    res = run_cli("import", "in", cwd=tmp_path)
    assert res.exit_code == 0, res.stderr
    catalog = yaml.safe_load((tmp_path / "waves.yaml").read_text())
    assert catalog["repoURL"] == "git@github.com:acme/mine.git"
    # The Applications reading upstream keep it, each.
    assert {c.get("repoURL") for c in catalog["components"]} == {
        "https://github.com/kubeflow/manifests.git"
    }


def test_without_a_root_or_origin_the_repository_taken_is_named(tmp_path: Path) -> None:
    other = CHILD_NO_NS.replace("acme/p.git", "kubeflow/manifests.git")
    _tree(tmp_path, {"a.yaml": other})
    res = run_cli("import", "in", cwd=tmp_path)
    assert res.exit_code == 0, res.stderr
    assert (
        "the catalog's root reads https://github.com/kubeflow/manifests.git, the commonest "
        "repository of the Applications"
    ) in res.stdout
