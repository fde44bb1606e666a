"""The user guide's shape: a short README that says what kfboot is on its first screen, links to
every page of docs/, and documents only commands, options and make targets that exist; and no
page that speaks of a bootstrap the reader never saw."""

from __future__ import annotations

import re
import shlex

import click

from kfboot.cli import cli
from tests.conftest import REPO_ROOT

README = REPO_ROOT / "README.md"
DOCS = REPO_ROOT / "docs"
FIRST_SCREEN = 30  # lines


def _readme() -> str:
    return README.read_text(encoding="utf-8")


def test_readme_is_short() -> None:
    assert len(README.read_bytes()) <= 15 * 1024


def test_first_screen_says_what_kfboot_is_and_shows_the_two_commands() -> None:
    screen = "\n".join(_readme().splitlines()[:FIRST_SCREEN])
    assert screen.startswith("# kfboot\n\nkfboot renders the GitOps bootstrap")
    section = screen.split("## Quickstart\n", 1)[1]
    assert len(re.findall(r"```bash\n.+\n```", section)) == 2


def test_readme_links_every_docs_page() -> None:
    linked = set(re.findall(r"\]\(docs/([\w.-]+\.md)[)#]", _readme()))
    assert {path.name for path in DOCS.glob("*.md")} <= linked


def test_readme_points_to_what_changed_with_the_argocd_chart_pin() -> None:
    """Issue 15: the README notes the argo-cd chart move (details in docs/fleet.md)."""
    pin = re.search(
        r"version: (\S+)", (REPO_ROOT / "bootstrap/argocd/kustomization.yaml").read_text()
    )
    assert pin is not None
    version = pin.group(1).strip('"')
    assert re.search(rf"argo-cd chart \S+ to {re.escape(version)}\]\(docs/fleet\.md#", _readme())


def test_no_mention_of_the_original() -> None:
    # Readers never saw the hand-written bootstrap kfboot was built from: say what kfboot does.
    sources = [p for p in (REPO_ROOT / "src").rglob("*") if p.suffix in {".py", ".json"}]
    paths = [README, *DOCS.rglob("*.md"), *sources, *(REPO_ROOT / "templates").rglob("*.j2")]
    mentions = [
        str(path.relative_to(REPO_ROOT))
        for path in paths
        if re.search(r"\bthe original\b|\boriginal's\b", path.read_text(encoding="utf-8"), re.I)
    ]
    assert len(paths) > 50
    assert mentions == []


def _documented_invocations() -> list[list[str]]:
    """Every ``kfboot ...`` the README shows, in code blocks or inline code, as words."""
    text = _readme()
    fenced = re.compile(r"^[ \t]*```\w*\n(.*?)^[ \t]*```", re.MULTILINE | re.DOTALL)
    snippets = fenced.findall(text)
    snippets += re.findall(r"`([^`\n]+)`", fenced.sub("", text))
    found = []
    for snippet in snippets:
        for line in snippet.splitlines():
            for part in re.split(r"&&|\|", line.split("#", 1)[0]):
                words = shlex.split(part)
                if words and words[0].endswith("kfboot") and len(words) > 1:
                    found.append(words[1:])
    return found


def test_every_documented_command_and_option_exists() -> None:
    invocations = _documented_invocations()
    assert len(invocations) >= 10
    ctx = click.Context(cli)
    for words in invocations:
        name = words[0]
        if name.startswith("-"):
            assert name in ("--version", "--help", "-h"), words
            continue
        assert name in cli.commands, words
        options = {o for p in cli.commands[name].get_params(ctx) for o in p.opts}
        for word in words[1:]:
            if word.startswith("-"):
                assert word.split("=", 1)[0] in options, words


def test_every_documented_make_target_exists() -> None:
    makefile = (REPO_ROOT / "bootstrap" / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z-]+):", makefile, re.MULTILINE))
    documented = re.findall(r"make -C bootstrap ([a-z-]+)", _readme())
    assert documented
    assert set(documented) <= targets
