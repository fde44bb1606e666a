"""``import --manifests DIR``: dependsOn filled from what the manifests need, so a fresh import
passes ``check --manifests`` without ``manifests-depends-on-missing``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from tests.cli.test_import import _app, _write
from tests.conftest import run_cli
from tests.manifests_tree import clean_tree

pytestmark = pytest.mark.skipif(
    shutil.which("kustomize") is None and shutil.which("kubectl") is None,
    reason="neither kustomize nor kubectl is installed: builds cannot run",
)


def _tree(tmp_path: Path) -> None:
    clean_tree(tmp_path / "repo")
    src = {"repoURL": "https://example.com/a/b.git", "targetRevision": "main"}
    apps = tmp_path / "in"
    _write(apps, "foundation.yaml", _app("foundation", "0", source={**src, "path": "infra/crds"}))
    _write(apps, "team.yaml", _app("team", "1", source={**src, "path": "apps/team"}))


def _components(tmp_path: Path) -> dict[str, dict[str, object]]:
    catalog = yaml.safe_load((tmp_path / "waves.yaml").read_text())
    return {c["name"]: c for c in catalog["components"]}


def test_dependencies_the_objects_show_become_depends_on(tmp_path: Path) -> None:
    _tree(tmp_path)
    assert run_cli("import", "in", cwd=tmp_path).exit_code == 0
    assert "dependsOn" not in _components(tmp_path)["team"]
    res = run_cli("import", "in", "--force", "--manifests", "repo", "--no-cache", cwd=tmp_path)
    assert res.exit_code == 0, res.stderr
    assert _components(tmp_path)["team"]["dependsOn"] == ["foundation"]
    assert run_cli("render", cwd=tmp_path).exit_code == 0
    check = run_cli("check", "--manifests", "repo", "--format", "json", cwd=tmp_path)
    rules = {f["rule"] for f in json.loads(check.stdout)["findings"]}
    assert "manifests-depends-on-missing" not in rules
