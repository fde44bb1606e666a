"""The import corpus: small hand-written bootstraps in the shapes real repositories use.

For each, import writes a catalog, render renders it, and every rendered Application means what
its original meant (after Argo CD's defaults), or import named the difference in a finding at
that field (:mod:`tests.app_equivalence`).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from kfboot.catalog.load import parse_catalog
from kfboot.check.rules.registry import BY_ID
from kfboot.render.bootstrap import render
from tests import app_equivalence
from tests.conftest import DATA, run_cli

CORPUS = DATA / "import-corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


# A case holding this file is a repository (git) whose subdirectory the file names is imported:
# the shapes where the root reaches beyond the imported directory. The comparisons read the
# whole repository (import's findings name its files relative to it).
SUBDIRECTORY = ".kfboot-import"


def _import(case: str, tmp_path: Path) -> tuple[int, dict[str, Any], str]:
    shutil.copytree(CORPUS / case, tmp_path / "in")
    marker = tmp_path / "in" / SUBDIRECTORY
    target = "in"
    if marker.is_file():
        subprocess.run(["git", "init", "-q", str(tmp_path / "in")], check=True)
        target = f"in/{marker.read_text().strip()}"
    res = run_cli("import", target, "--format", "json", cwd=tmp_path)
    return res.exit_code, json.loads(res.stdout or "{}"), res.stderr


def _rendered(catalog_text: str) -> dict[str, dict[str, Any]]:
    files = render(parse_catalog(catalog_text))
    docs = [yaml.safe_load(t) for rel, t in files.items() if rel.endswith(".yaml")]
    return {d["metadata"]["name"]: d for d in docs if d.get("kind") == "Application"}


@pytest.mark.parametrize("case", CASES)
def test_every_rendered_application_is_the_original_or_named(case: str, tmp_path: Path) -> None:
    code, report, stderr = _import(case, tmp_path)
    assert code == 0, stderr
    originals = app_equivalence.applications(tmp_path / "in")
    marker = tmp_path / "in" / SUBDIRECTORY
    if marker.is_file():  # the imported ones; what the root synced beyond is the tree's to see
        sub = f"{marker.read_text().strip()}/"
        originals = {n: o for n, o in originals.items() if o[0].startswith(sub)}
    text = (tmp_path / "waves.yaml").read_text()
    rendered = _rendered(text)
    catalog = yaml.safe_load(text)
    root = originals.get(catalog["appOfApps"]["name"])
    home = ((root[1]["spec"].get("destination") or {}).get("namespace")) if root else None
    assert app_equivalence.unexplained(originals, rendered, report["findings"], home=home) == []
    # The whole tree: every object the old root synced is the rendered root's, or named.
    found = report["findings"]
    assert app_equivalence.tree_unexplained(tmp_path / "in", catalog, rendered, found) == []
    # Messages are sentences about values, never Python's None or an empty-string quote.
    for f in report["findings"]:
        assert "None" not in f["message"] and "''" not in f["message"], f
        assert f["rule"] in BY_ID, f  # every id is in the one registry


def test_placeholders_stop_the_import_naming_file_line_and_field(tmp_path: Path) -> None:
    tree = tmp_path / "in"
    shutil.copytree(CORPUS / "manual-sync", tree)
    app = tree / "bootstrap/apps/kubeflow/a.yaml"
    text = app.read_text()
    text = text.replace("https://github.com/acme/platform.git", "<<__git_repo.url__>>")
    app.write_text(text.replace("targetRevision: main", "targetRevision: ${REVISION}"))
    root = tree / "bootstrap/root.yaml"
    text = root.read_text().replace("path: bootstrap/apps/kubeflow", 'path: "{{.Values.dir}}/a"')
    root.write_text(text)
    res = run_cli("import", "in", cwd=tmp_path)
    assert (res.exit_code, res.stdout) == (1, "")
    assert res.stderr.splitlines() == [
        "in/bootstrap/apps/kubeflow/a.yaml:11:14: spec.source.repoURL: '<<__git_repo.url__>>' "
        "holds a <<...>> template placeholder (<<__git_repo.url__>>), not a value: render the "
        "template that fills it in, or write the real value",
        "in/bootstrap/apps/kubeflow/a.yaml:12:21: spec.source.targetRevision: '${REVISION}' "
        "holds a ${...} variable placeholder (${REVISION}), not a value: render the template "
        "that fills it in, or write the real value",
        "in/bootstrap/root.yaml:13:11: spec.source.path: '{{.Values.dir}}/a' "
        "holds a {{ ... }} template placeholder ({{.Values.dir}}), not a value: render the "
        "template that fills it in, or write the real value",
    ]
    assert not (tmp_path / "waves.yaml").exists()


@pytest.mark.parametrize(
    ("value", "placeholder"),
    [
        ("<<__git_repo.url__>>", True),
        ("https://{{ .Values.host }}/x.git", True),
        ("${GIT_URL}", True),
        ("https://github.com/acme/x.git", False),
        ("v1.10.0", False),
        ("$values/x.yaml", False),
    ],
)
def test_placeholder_problem(value: str, placeholder: bool) -> None:
    from kfboot.catalog.gitrefs import placeholder_problem

    assert (placeholder_problem(value) is not None) == placeholder


@pytest.mark.parametrize("case", ["dot-root", "root-in-its-dir", "nested"])
def test_a_root_in_any_layout_has_its_defects_reported(case: str, tmp_path: Path) -> None:
    shutil.copytree(CORPUS / case, tmp_path / "in")
    root = next(p for p in (tmp_path / "in").rglob("root.yaml"))
    text = root.read_text().replace(
        "selfHeal: true", "selfHeal: true\n    syncOptions: [ServerSideApply=true]"
    )
    root.write_text(text)
    res = run_cli("import", "in", "--format", "json", cwd=tmp_path)
    assert res.exit_code == 0, res.stderr
    rules = {(Path(f["file"]).name, f["rule"]) for f in json.loads(res.stdout)["findings"]}
    assert ("root.yaml", "root-server-side-apply") in rules
    assert ("root.yaml", "no-application-health-check") in rules
    catalog = yaml.safe_load((tmp_path / "waves.yaml").read_text())
    assert catalog["appOfApps"]["name"] == yaml.safe_load(text)["metadata"]["name"]


def test_applications_the_root_never_synced_are_named(tmp_path: Path) -> None:
    # Without directory.recurse, Argo CD reads only the root directory's own files.
    shutil.copytree(CORPUS / "dot-root", tmp_path / "in")
    root = tmp_path / "in/root.yaml"
    root.write_text(root.read_text().replace("    directory:\n      recurse: true\n", ""))
    res = run_cli("import", "in", "--format", "json", cwd=tmp_path)
    assert res.exit_code == 0, res.stderr
    named = sorted(
        f["file"] for f in json.loads(res.stdout)["findings"] if "no root synced" in f["message"]
    )
    assert named == ["in/apps/a.yaml", "in/apps/b.yaml"]
