"""Messages a newcomer trips on: which file, where kfboot looked, what set-repo expected."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.adversarial.harness import assert_one_line_error
from tests.conftest import DEFAULT_CATALOG, run_cli, snapshot


def test_findings_name_the_catalog_relative_to_the_current_directory(tmp_path: Path) -> None:
    project = tmp_path / "repo"
    project.mkdir()
    text = DEFAULT_CATALOG.read_text().replace("  - wave: 1\n", "  - wave: 010\n", 1)
    (project / "waves.yaml").write_text(text)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_cli("render", "--catalog", str(project / "waves.yaml"), cwd=elsewhere)
    assert_one_line_error(result)
    assert result.stderr.startswith("../repo/waves.yaml:")


def test_outside_a_repository_say_where_and_how_to_start(tmp_path: Path) -> None:
    for command in ("render", "check"):
        result = run_cli(command, cwd=tmp_path)
        line = assert_one_line_error(result, "waves.yaml: catalog not found")
        assert str(tmp_path / "waves.yaml") in line
        assert "kfboot init" in line and "--catalog" in line


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://github.com/org/repo/tree/main", "a web page inside a repository"),
        ("https://github.com/org/repo/blob/main/waves.yaml", "a web page inside a repository"),
        ("https://gitlab.com/org/repo/-/tree/main", "a web page inside a repository"),
        ("https://github.com/org", "an organisation or user page"),
        ("https://github.com/org/", "an organisation or user page"),
    ],
)
def test_set_repo_refuses_browser_urls(tmp_path: Path, url: str, why: str) -> None:
    shutil.copy(DEFAULT_CATALOG, tmp_path / "waves.yaml")
    before = snapshot(tmp_path)
    result = run_cli("set-repo", url, cwd=tmp_path)
    assert_one_line_error(result, why, "expected the repository's clone URL", "nothing changed")
    assert snapshot(tmp_path) == before


def test_set_repo_still_takes_a_clone_url(tmp_path: Path) -> None:
    shutil.copy(DEFAULT_CATALOG, tmp_path / "waves.yaml")
    result = run_cli("set-repo", "https://github.com/org/tree.git", "--no-render", cwd=tmp_path)
    assert result.exit_code == 0, result
