"""``kfboot plan --manifests`` prints what a pull request's manifests build: object names that
the change controls. They never reach a terminal or a CI log as control sequences, never forge
an annotation or a line of their own, never inject a shell command into what plan tells the
reviewer to run, and never add markup to the pull-request comment."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import manifests_tree as tree
from tests.conftest import run_cli

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="needs git"),
    pytest.mark.skipif(
        shutil.which("kustomize") is None and shutil.which("kubectl") is None,
        reason="neither kustomize nor kubectl is installed: builds cannot run",
    ),
]

# YAML escapes: OSC (retitles the terminal), a line feed then a forged annotation, a bidi
# override, a shell substitution and markup.
HOSTILE = r"evil\e]0;PWNED\a\n::error file=x::forged\u202e$(touch pwned)`<img src=x>`"
RAW = ("\x1b", "\x07", "\u202e", "\n::error file=x")


def _obj(kind: str, name: str, namespace: str) -> str:
    return f'apiVersion: v1\nkind: {kind}\nmetadata:\n  name: "{name}"\n  namespace: {namespace}\n'


def git(where: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(where), *args], capture_output=True, check=True)


@pytest.fixture
def fork(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A hostile ConfigMap pruned and a hostile Secret moving from foundation to team."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "fork"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    tree.clean_tree(root)
    more = {
        "cm.yaml": tree.obj("v1", "ConfigMap", "more", "infra"),
        "gone.yaml": _obj("ConfigMap", HOSTILE, "infra"),
        "moving.yaml": _obj("Secret", "m" + HOSTILE, "team"),
    }
    tree.write_dir(root, "infra/more", more)
    (root / "waves.yaml").write_text(tree.clean_catalog())
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "base")
    tree.write_dir(root, "infra/more", {"cm.yaml": more["cm.yaml"]})
    team = {
        "gadget.yaml": tree.obj("example.com/v1", "Gadget", "g1", "team"),
        "deploy.yaml": tree.deployment("team-app", "team"),
        "moving.yaml": more["moving.yaml"],
    }
    tree.write_dir(root, "apps/team", team)
    return root


@pytest.mark.parametrize("fmt", ["text", "github", "markdown", "json"])
def test_hostile_object_names_are_shown_inert(fork: Path, fmt: str) -> None:
    result = run_cli("plan", "--manifests", "-v", "--format", fmt, cwd=fork)
    assert result.exit_code == 0, result.stderr  # foundation does not prune automatically
    out = result.stdout
    assert "evil" in out and "PWNED" in out, out  # shown, as escapes
    for raw in RAW:
        assert raw not in out, (raw, out)
    annotations = [line for line in out.splitlines() if line.startswith("::")]
    assert all(not line.startswith("::error file=x") for line in annotations), annotations
    if fmt == "json":
        names = [n for i in json.loads(out)["items"] for n in i["names"]]
        assert any("\\u001b]0;PWNED" in n for n in names), names
    if fmt == "markdown":  # markup only inside code spans and fences, where it is text
        prose = re.sub(r"(?ms)^(`{3,})bash$.*?^\1$", "", out)
        prose = re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", prose)
        assert "<img" not in prose and "`" not in prose.replace("`-`", "").replace("`>`", ""), out


def test_a_hostile_name_is_quoted_in_the_command_to_run(fork: Path) -> None:
    """plan tells the reviewer to annotate the moving object: its name is one shell word."""
    result = run_cli("plan", "--manifests", "--format", "json", cwd=fork)
    commands = [i["command"] for i in json.loads(result.stdout)["items"] if i["command"]]
    annotate = [c for c in commands if c.startswith("kubectl annotate")]
    assert annotate, commands
    assert "'m" in annotate[0] and " $(touch" not in annotate[0].replace("'", ""), annotate
