"""Every import refusal reaches a machine format on stdout (issue 20: ``--format json`` printed
nothing when import wrote nothing), located where import knows the place."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli


def test_an_empty_tree_is_a_json_finding(tmp_path: Path) -> None:
    (tmp_path / "tree").mkdir()
    res = run_cli("import", "tree", "--format", "json", cwd=tmp_path)
    assert res.exit_code == 1
    found = json.loads(res.stdout)["findings"]
    assert [(f["rule"], f["severity"], f["file"]) for f in found] == [
        ("import-refused", "error", "tree")
    ]
    assert "no Argo CD Applications found" in found[0]["message"]
    assert not (tmp_path / "waves.yaml").exists()


def test_invalid_yaml_is_located_in_every_machine_format(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "app.yaml").write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a\n"
    )
    res = run_cli("import", "tree", "--format", "json", cwd=tmp_path)
    assert res.exit_code == 1
    (finding,) = json.loads(res.stdout)["findings"]
    assert finding["rule"] == "import-refused"
    assert finding["file"].endswith("app.yaml") and finding["line"] > 0
    github = run_cli("import", "tree", "--format", "github", cwd=tmp_path)
    assert github.stdout.startswith("::error file=")


def test_text_keeps_the_message_on_stderr_alone(tmp_path: Path) -> None:
    (tmp_path / "tree").mkdir()
    res = run_cli("import", "tree", cwd=tmp_path)
    assert res.exit_code == 1
    assert res.stdout == ""
    assert "no Argo CD Applications found" in res.stderr


def test_a_tree_of_applicationsets_says_how_to_get_their_applications(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "set.yaml").write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: s}\n"
        "spec: {generators: [], template: {metadata: {name: x}, spec: {project: default}}}\n"
    )
    res = run_cli("import", "tree", cwd=tmp_path)
    assert res.exit_code == 1
    assert "tree/set.yaml hold ApplicationSets" in res.stderr
    assert "argocd appset generate" in res.stderr
