"""The generated Makefile: a hostile CATALOG, or a space in the path, stays a file name."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.adversarial.harness import rendered_project

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")


@pytest.fixture
def spaced(tmp_path: Path) -> Path:
    """A rendered project whose path holds a space."""
    return rendered_project(tmp_path / "my repo")


def _make(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # KFBOOT=printf: the recipe prints the arguments kfboot would get, as the shell split them.
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(project / "bootstrap"), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        cwd=project.parent,
    )


def test_a_space_in_the_repository_path(spaced: Path) -> None:
    result = _make(spaced, "validate", "KFBOOT=printf '%s|'")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split("|") == [
        "check",
        "--catalog",
        f"{spaced}/bootstrap/../waves.yaml",
        "",
    ]


@pytest.mark.parametrize(
    "catalog", ["k`touch pwned`.yaml", "k$$(touch pwned).yaml", 'k";touch pwned;".yaml']
)
def test_a_hostile_catalog_variable_is_only_a_file_name(spaced: Path, catalog: str) -> None:
    result = _make(spaced, "validate", "KFBOOT=printf '%s|'", f"CATALOG={catalog}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split("|")[-2] == catalog.replace("$$", "$")
    assert not list(spaced.parent.rglob("pwned"))
