"""Shared fixtures: the CLI runner, catalogs in temporary directories, the shared reference data."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

from kfboot.cli import cli

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CATALOG = REPO_ROOT / "waves.yaml"
SHARED = REPO_ROOT.parent / "shared"
DATA = REPO_ROOT / "tests" / "data"

# Property tests never race the clock: a loaded 2-core CI machine made the default 200 ms
# deadline fail good runs. Every test module inherits this profile; none may set a deadline.
# They are also derandomized: the same examples on every run, so a red CI always means a
# change broke something, never that today's random draw found an old bug. To hunt for new
# bugs, run with HYPOTHESIS_PROFILE=explore (random examples, more of them).
settings.register_profile(
    "kfboot",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
    derandomize=True,
)
settings.register_profile(
    "explore", parent=settings.get_profile("kfboot"), derandomize=False, max_examples=1000
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "kfboot"))


def pytest_configure(config: pytest.Config) -> None:
    """A basetemp of this run's own, outside the repository.

    pytest's shared ``/tmp/pytest-of-$USER`` is pruned by every concurrent session (the race,
    "Directory not empty", failed whole runs under filterwarnings=error); a basetemp inside the
    checkout put every tmp_path inside a git repository, so tests of "no git remote" saw the
    checkout's origin on CI's fresh clone. xdist hands this basetemp to its workers.
    """
    if config.option.basetemp is None and not hasattr(config, "workerinput"):
        config.option.basetemp = tempfile.mkdtemp(prefix="kfboot-pytest-")
        config.add_cleanup(lambda: shutil.rmtree(config.option.basetemp, ignore_errors=True))


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path | None = None) -> Result:
    """Run ``kfboot ARGS`` in-process (optionally in ``cwd``); exceptions propagate."""
    runner = CliRunner()
    if cwd is None:
        res = runner.invoke(cli, list(args), catch_exceptions=False, prog_name="kfboot")
    else:
        old = Path.cwd()
        os.chdir(cwd)
        try:
            res = runner.invoke(cli, list(args), catch_exceptions=False, prog_name="kfboot")
        finally:
            os.chdir(old)
    return Result(res.exit_code, res.stdout, res.stderr)


@pytest.fixture
def kfboot() -> Callable[..., Result]:
    return run_cli


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A temporary project holding a copy of the default catalog (not yet rendered)."""
    shutil.copy(DEFAULT_CATALOG, tmp_path / "waves.yaml")
    return tmp_path


@pytest.fixture
def shared() -> Path:
    """``../shared`` beside the repository; tests that need it skip cleanly where it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared (reference data) is not present")
    return SHARED


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes, for before/after comparisons."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def render_unchecked(project: Path, catalog: str = "waves.yaml") -> None:
    """Write bootstrap/ as ``render`` would, but also for a catalog whose rules find errors
    (``render`` refuses those): the check tests need such a bootstrap on disk. An invalid catalog
    writes nothing, as with ``render``."""
    from kfboot import output
    from kfboot.catalog.load import load_catalog
    from kfboot.errors import CatalogError
    from kfboot.render.tree import render

    path = project / catalog
    try:
        loaded = load_catalog(path)
    except CatalogError:
        return
    output.apply(output.plan(project / loaded.bootstrapPath, render(loaded, source=path.name)))
