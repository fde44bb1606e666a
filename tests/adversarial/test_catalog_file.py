"""The catalog file itself: a device or a FIFO behind ``--catalog`` (or a symlinked waves.yaml)
is refused, never read: /dev/zero filled memory into a MemoryError traceback, a FIFO blocked."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.adversarial.harness import assert_one_line_error, bounded
from tests.conftest import DEFAULT_CATALOG, run_cli, snapshot

COMMANDS = [
    ["check"],
    ["check", "--format", "json"],
    ["render"],
    ["waves"],
    ["set-repo", "https://github.com/org/other.git", "--dry-run"],
    ["set-repo", "https://github.com/org/other.git"],
]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_catalog_symlinked_to_dev_zero_is_refused(tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "waves.yaml").symlink_to("/dev/zero")
    before = snapshot(tmp_path)
    result = bounded(*command, cwd=tmp_path)
    assert_one_line_error(result, "waves.yaml: is not a regular file")
    assert snapshot(tmp_path) == before


def test_a_fifo_catalog_is_refused_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "waves.yaml")
    assert_one_line_error(run_cli("check", cwd=tmp_path), "waves.yaml: is not a regular file")


def test_a_huge_catalog_is_refused(tmp_path: Path) -> None:
    with (tmp_path / "waves.yaml").open("wb") as handle:
        handle.truncate(17 << 20)
    assert_one_line_error(run_cli("check", cwd=tmp_path), "waves.yaml: larger than 16 MiB")


def test_a_symlink_to_a_regular_catalog_still_works(tmp_path: Path) -> None:
    shutil.copy(DEFAULT_CATALOG, tmp_path / "real.yaml")
    (tmp_path / "waves.yaml").symlink_to("real.yaml")
    assert run_cli("render", cwd=tmp_path).exit_code == 0
