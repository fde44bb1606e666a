"""The project's promises about itself: the Quickstart, CI, dependencies, and the wheel."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, snapshot


def quickstart_commands() -> list[str]:
    readme = (REPO_ROOT / "README.md").read_text()
    section = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:bash|sh|console)?\n(.*?)```", section, flags=re.S)
    return [line for block in blocks for line in block.strip().splitlines() if line.strip()]


def test_quickstart_is_exactly_two_commands() -> None:
    commands = quickstart_commands()
    assert len(commands) == 2
    assert "kfboot render" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_quickstart_test_command_verbatim() -> None:
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    assert quickstart_commands()[1] in ci.splitlines()
    for tool in ("ruff check", "ruff format --check", "mypy", "kfboot check"):
        assert tool in ci


def test_runtime_dependencies_are_the_four() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    names = sorted(re.split(r"[<>=!~ \[]", dep)[0].lower() for dep in project["dependencies"])
    assert names == ["click", "jinja2", "pydantic", "pyyaml"]
    assert project["scripts"] == {"kfboot": "kfboot.cli:main"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("kfboot-*.whl")
    return built


def test_wheel_carries_the_templates(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    templates = sorted(n for n in names if n.startswith("kfboot/templates/"))
    on_disk = sorted(
        "kfboot/templates/" + p.relative_to(REPO_ROOT / "templates").as_posix()
        for p in (REPO_ROOT / "templates").rglob("*")
        if p.is_file()
    )
    assert templates == on_disk
    assert "kfboot/docs/waves.schema.json" in names


def test_installed_wheel_renders_from_any_directory(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    work = tmp_path / "work"
    work.mkdir()
    (work / "waves.yaml").write_text((REPO_ROOT / "waves.yaml").read_text())
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    # -I would drop PYTHONPATH; -s and -E are enough to keep the checkout off the path.
    result = subprocess.run(
        [
            sys.executable,
            "-s",
            "-c",
            "import sys; sys.path.insert(0, sys.argv[1]); "
            "import kfboot.render.templating as t; assert 'site' in str(t.templates_dir()); "
            "from kfboot.cli import main; sys.argv = ['kfboot', 'render']; main()",
            str(site),
        ],
        cwd=work,
        capture_output=True,
        text=True,
        env={**env},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rendered = snapshot(work / "bootstrap")
    golden = {k: v for k, v in snapshot(REPO_ROOT / "bootstrap").items() if k in rendered}
    assert rendered == golden


def test_no_property_test_sets_a_timing_deadline() -> None:
    # A deadline fails good runs on a loaded machine; conftest's profile sets none for all.
    offenders = [
        f"{p.relative_to(REPO_ROOT)}:{n}"
        for p in (REPO_ROOT / "tests").rglob("*.py")
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if "deadline=" in line and "deadline=None" not in line
    ]
    assert offenders == []
