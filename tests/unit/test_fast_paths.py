"""Shortcuts taken for speed (issue 23) give exactly what the long way gives."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kfboot import yamlio
from kfboot.gitrepo import run as gitrun
from kfboot.gitrepo import tree as gittree
from kfboot.layout import header
from kfboot.plan import renames
from kfboot.render import templating


@given(st.text(alphabet=st.sampled_from(" ab-\n\t\x00é"), max_size=120), st.integers(1, 80))
def test_comment_wrapping_is_textwraps(text: str, width: int) -> None:
    flat = templating._NOT_IN_COMMENT.sub(" ", text).strip()
    expected = textwrap.wrap(flat, width=width, break_long_words=False) or [""]
    assert templating._wrapped(flat, width) == expected


def _app(name: str, namespace: str) -> str:
    return (
        f"# {header('waves.yaml', 'x')}\napiVersion: argoproj.io/v1alpha1\nkind: Application\n"
        f"metadata: {{name: {name}}}\nspec: {{destination: {{namespace: {namespace}}}}}\n"
    )


def test_a_render_that_changes_nothing_reads_no_application(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = {"apps/a.yaml": _app("a", "ns"), "apps/b.yaml": _app("b", "ns2")}

    def no_parsing(*_: object, **__: object) -> list[object]:
        raise AssertionError("parsed an unchanged file")

    monkeypatch.setattr(yamlio, "load_all", no_parsing)
    assert renames.renamed_applications(dict(files), files) == []


def test_renames_among_changed_files_are_still_found() -> None:
    on_disk = {"apps/a.yaml": _app("a", "ns"), "apps/b.yaml": _app("b", "ns2")}
    files = {"apps/a.yaml": _app("hub-a", "ns"), "apps/b.yaml": _app("b", "ns2")}
    assert renames.renamed_applications(on_disk, files) == ["a -> hub-a"]


def test_a_revision_resolves_with_two_git_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def sh(*args: str) -> None:
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)

    sh("init", "-q", "-b", "main")
    (tmp_path / "f").write_text("x")
    sh("add", "f")
    sh("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "one")
    sh("tag", "-a", "-m", "annotated", "v1")
    sh("branch", "other")
    head = subprocess.run(
        ["git", "-C", str(tmp_path), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    calls: list[tuple[str, ...]] = []
    real = gittree.git

    def counted(where: Path, *args: str, **kw: object) -> object:
        calls.append(args)
        return real(where, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(gittree, "git", counted)
    monkeypatch.setattr(gitrun, "git", counted)
    expected = {
        "v1": ("tag", head),
        "other": ("branch", head),
        head[:12]: ("commit", head),
        "main": ("worktree", head),
        "nope": ("absent", None),
    }
    for revision, (kind, commit) in expected.items():
        calls.clear()
        resolved = gittree._resolve(tmp_path, revision, "origin")
        assert (resolved.kind, resolved.commit) == (kind, commit)
        assert [c[0] for c in calls] == ["symbolic-ref", "cat-file"]
