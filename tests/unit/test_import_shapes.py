"""Shapes of real repositories import must read as Argo CD and kustomize read them (issue 20)."""

from __future__ import annotations

from pathlib import Path

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
