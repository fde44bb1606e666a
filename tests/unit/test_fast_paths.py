"""Shortcuts taken for speed (issue 23) give exactly what the long way gives."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kfboot import yamlio
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
