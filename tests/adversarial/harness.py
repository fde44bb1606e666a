"""Bounded runs: ``kfboot`` in a subprocess with a memory limit and a generous wall-clock limit.

The limits are bounds, not timing assertions: a run that is merely slow on a loaded machine
passes; one that hangs or grows without end is killed and fails the test instead of the machine.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import DEFAULT_CATALOG, Result, run_cli, snapshot

MEMORY_LIMIT = 1 << 30  # 1 GiB of address space: the alias bombs grew ~20 MB/s to many GB
TIME_LIMIT = 120.0  # seconds; a correct run takes about one


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def bounded(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Result:
    """Run ``kfboot ARGS`` in ``cwd`` under the memory and time limits."""
    proc = subprocess.run(
        [sys.executable, "-m", "kfboot", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        preexec_fn=_limit_memory,
        env={**os.environ, **(env or {}), "GITHUB_ACTIONS": ""},
        check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def assert_one_line_error(result: Result, *needles: str, code: int = 1) -> str:
    """The run failed with ``code`` and one message line on stderr holding every needle."""
    assert result.exit_code == code, result
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def rendered_project(project: Path) -> Path:
    """``project`` (created) holding the default catalog, rendered."""
    project.mkdir(exist_ok=True)
    shutil.copy(DEFAULT_CATALOG, project / "waves.yaml")
    assert run_cli("render", cwd=project).exit_code == 0
    return project


def refused_unchanged(project: Path, watched: Path, *needles: str) -> None:
    """``render`` in ``project`` fails with one line holding ``needles``; ``watched`` unchanged."""
    before = snapshot(watched)
    assert_one_line_error(run_cli("render", cwd=project), *needles)
    assert snapshot(watched) == before


def assert_no_secret(result: Result, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in result.stdout + result.stderr, secret


__all__ = [
    "assert_no_secret",
    "assert_one_line_error",
    "bounded",
    "refused_unchanged",
    "rendered_project",
    "run_cli",
]
