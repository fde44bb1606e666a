"""Every class of bad catalog gets its exact ``file:line:col: dotted.path: message``, exit 1,
no traceback, and leaves an existing bootstrap/ untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kfboot.catalog.load import parse_catalog
from kfboot.errors import CatalogError
from tests.conftest import DATA, DEFAULT_CATALOG, run_cli, snapshot

INVALID = DATA / "catalogs" / "invalid"
CASES = sorted(p.stem for p in INVALID.glob("*.yaml"))


def test_every_case_has_an_expected_message() -> None:
    assert len(CASES) >= 20
    for name in CASES:
        assert (INVALID / f"{name}.err").read_text().strip(), name


@pytest.mark.parametrize("name", CASES)
def test_invalid_catalog_is_reported_exactly(name: str, tmp_path: Path) -> None:
    shutil.copy(INVALID / f"{name}.yaml", tmp_path / f"{name}.yaml")
    # An existing bootstrap/ (rendered from the default catalog) must survive untouched.
    shutil.copy(DEFAULT_CATALOG, tmp_path / "waves.yaml")
    assert run_cli("render", cwd=tmp_path).exit_code == 0
    before = snapshot(tmp_path)

    result = run_cli("render", "--catalog", f"{name}.yaml", "--out", "bootstrap", cwd=tmp_path)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (INVALID / f"{name}.err").read_text()
    assert "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before


def test_all_problems_are_reported_together_sorted_by_position() -> None:
    text = (
        (INVALID / "depends-on-nothing.yaml").read_text().replace("    wave: 0\n", "    wave: 7\n")
    )
    with pytest.raises(CatalogError) as info:
        parse_catalog(text, file="waves.yaml")
    lines = str(info.value).splitlines()
    assert lines == sorted(lines, key=lambda s: [int(x) for x in s.split(":")[1:3]])
    assert len(lines) == 2


def test_missing_catalog_file_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("render", "--catalog", "nope.yaml", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stderr.startswith("nope.yaml: catalog not found (looked for ")
    assert result.stderr.endswith(HOW_TO_START)


def test_usage_error_exits_2(tmp_path: Path) -> None:
    result = run_cli("render", "--no-such-option", cwd=tmp_path)
    assert result.exit_code == 2


def test_non_utf8_catalog(tmp_path: Path) -> None:
    (tmp_path / "waves.yaml").write_bytes(b"repoURL: \xff\xfe\n")
    result = run_cli("render", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stderr.startswith("waves.yaml:1:1: not UTF-8 text")


@pytest.mark.parametrize(
    ("yaml_value", "message"),
    [
        ("26.03", "a float (26.03)"),
        ("on", "a bool (true)"),
        ("1e3", "a string"),  # YAML 1.1 reads 1e3 as a string: accepted, no error
        ("~", "nothing (null)"),
        ("0o17", "a string"),
    ],
)
def test_yaml_11_surprises_name_the_type(yaml_value: str, message: str) -> None:
    text = (INVALID / "depends-on-nothing.yaml").read_text()
    text = text.replace("commons", "common").replace(
        "targetRevision: main", f"targetRevision: {yaml_value}"
    )
    if message == "a string":
        assert parse_catalog(text).targetRevision == yaml_value
        return
    with pytest.raises(CatalogError) as info:
        parse_catalog(text)
    assert str(info.value) == (
        "waves.yaml:2:17: targetRevision: expected a string, "
        f"but YAML reads this value as {message}; quote it"
    )


HOW_TO_START = (
    "; run kfboot in the directory that holds waves.yaml, point at it with --catalog FILE, "
    "or start one with 'kfboot init'\n"
)
