"""The instrument itself (:mod:`tests.app_equivalence`): it must fail where import is silent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests import app_equivalence as eq

APP = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: a
spec:
  sources:
    - repoURL: https://github.com/acme/x.git
      targetRevision: main
      path: one
    - repoURL: https://charts.example.com
      chart: c
      targetRevision: 1.0.0
      helm:
        valueFiles: [$values/v.yaml]
"""


def _original(tmp_path: Path, text: str = APP) -> dict[str, Any]:
    (tmp_path / "a.yaml").write_text(text)
    return eq.applications(tmp_path)


def _rendered(**change: Any) -> dict[str, dict[str, Any]]:
    doc = yaml.safe_load(APP)
    for index, source in change.items():
        doc["spec"]["sources"][int(index[1:])] = source
    return {"a": doc}


def test_a_finding_on_sources_i_explains_that_source(tmp_path: Path) -> None:
    originals = _original(tmp_path)
    chart = {"repoURL": "https://charts.example.com", "chart": "c", "targetRevision": "1.0.0"}
    rendered = _rendered(s1=chart)
    assert eq.unexplained(originals, rendered, []) != []
    finding = {"file": "in/a.yaml", "line": 13, "col": 7}  # the key spec.sources[1].helm
    assert eq.unexplained(originals, rendered, [finding]) == []


def test_a_finding_on_one_key_explains_no_other(tmp_path: Path) -> None:
    originals = _original(tmp_path)
    moved = {"repoURL": "https://github.com/acme/y.git", "targetRevision": "dev", "path": "one"}
    on_repo = {"file": "in/a.yaml", "line": 7, "col": 16}  # the repoURL value of sources[0]
    assert eq.unexplained(originals, _rendered(s0=moved), [on_repo]) == [
        "a: spec.sources[0].targetRevision: 'main' became 'dev'"
    ]


def test_a_finding_on_the_whole_source_explains_no_key_of_it(tmp_path: Path) -> None:
    text = APP.split("  sources:")[0] + (
        "  source:\n    repoURL: https://github.com/acme/x.git\n    targetRevision: main\n"
        "    path: one\n"
    )
    originals = _original(tmp_path, text)
    rendered = yaml.safe_load(text)
    rendered["spec"]["source"]["path"] = "two"
    rendered["spec"]["source"]["repoURL"] = "https://github.com/acme/z.git"
    on_source = {"file": "in/a.yaml", "line": 7, "col": 5}  # spec.source: its first key's mark
    assert eq.unexplained(originals, {"a": rendered}, [on_source]) == [
        "a: spec.source.path: 'one' became 'two'",
        "a: spec.source.repoURL: 'https://github.com/acme/x.git' became "
        "'https://github.com/acme/z.git'",
    ]


def test_the_file_argo_cd_reads_wins_over_an_unselected_alternative(tmp_path: Path) -> None:
    (tmp_path / "kustomization.yaml").write_text("resources: [b.yaml]\n")
    (tmp_path / "a.yaml").write_text(APP.replace("path: one", "path: old"))
    (tmp_path / "b.yaml").write_text(APP)
    assert eq.applications(tmp_path)["a"][0] == "b.yaml"


def test_an_invalid_yaml_file_no_kustomization_selects_is_no_crash(tmp_path: Path) -> None:
    (tmp_path / "kustomization.yaml").write_text("resources: [b.yaml]\n")
    (tmp_path / "broken.yaml").write_text("kind: argoproj.io\n  : [\n")
    (tmp_path / "b.yaml").write_text(APP)
    assert list(eq.applications(tmp_path)) == ["a"]


def test_the_whole_tree_names_an_object_only_the_old_root_synced(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(APP + "---\nkind: AppProject\nmetadata:\n  name: p\n")
    catalog = {"appOfApps": {"name": "root"}}
    rendered = {"a": yaml.safe_load(APP)}
    assert eq.tree_unexplained(tmp_path, catalog, rendered, []) == [
        "a.yaml: AppProject p: the old root synced it, the new does not"
    ]
    on_project = {"file": "in/a.yaml", "line": 18, "col": 1}
    assert eq.tree_unexplained(tmp_path, catalog, rendered, [on_project]) == []


def test_values_object_replaces_values_and_false_is_a_value(tmp_path: Path) -> None:
    # Argo CD hands Helm valuesObject alone when it is set (values.go L40-50@v3.4.7): the
    # instrument must see values merged in as a difference, and enabled: false as a value.
    helm = {"values": "a: 1\n", "valuesObject": {"b": {"enabled": False}}}
    source = {
        "repoURL": "https://charts.example.com",
        "chart": "c",
        "targetRevision": "1",
        "helm": helm,
    }
    (old,) = [s for _, s in eq.sources({"spec": {"source": source}})]
    assert old["helm"] == {"values": {"b": {"enabled": False}}}
    merged = {**source, "helm": {"values": "a: 1\nb: {enabled: false}\n"}}
    (new,) = [s for _, s in eq.sources({"spec": {"source": merged}})]
    assert new != old


def test_a_chart_template_is_not_an_application(tmp_path: Path) -> None:
    (tmp_path / "chart/templates").mkdir(parents=True)
    (tmp_path / "chart/Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 1.0.0\n")
    (tmp_path / "chart/templates/a.yaml").write_text(APP)
    assert eq.applications(tmp_path) == {}
