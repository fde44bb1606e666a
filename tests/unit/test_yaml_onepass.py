"""The one-pass loader (:func:`kfboot.yamlguard.build_all`) against the two passes it replaces:
:func:`kfboot.yamlio.guard`, then PyYAML's composing safe loader with kfboot's resolvers.

Whatever the text: when the guard refuses it, so does the one pass; when the composing loader
builds it without a duplicate or merge key, the one pass builds the very same documents (types
included); otherwise the one pass raises, and its callers fall back to the exact loader.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kfboot import yamlio
from kfboot.yamlguard import NotOnePass
from tests.conftest import REPO_ROOT


class _Counting(yamlio.FastSafeLoader):  # type: ignore[misc]
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        result: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        if len(result) != len(node.value):
            raise ValueError("duplicate key")
        return result


def typed(value: Any) -> Any:
    """``value`` with every scalar's type spelled out (1, 1.0 and True are == in Python)."""
    if isinstance(value, dict):
        return ("map", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", [typed(v) for v in value])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def assert_same(text: str) -> None:
    try:
        yamlio.guard(text)
    except yamlio.YamlSyntaxError as refused:
        with pytest.raises((yamlio.YamlSyntaxError, NotOnePass)) as raised:
            yamlio.build_all(text)
        if isinstance(raised.value, yamlio.YamlSyntaxError):
            assert (str(raised.value), raised.value.mark) == (str(refused), refused.mark)
        return
    try:
        expected = [typed(d) for d in yaml.load_all(text, Loader=_Counting)]
    except Exception:  # any failure of the composing loader
        with pytest.raises((yamlio.YamlSyntaxError, NotOnePass)):
            yamlio.build_all(text)
        return
    assert [typed(d) for d in yamlio.load_all(text)] == expected
    if "<<" in text:  # a merge key is left to the composing loader
        return
    assert [typed(d) for d in yamlio.build_all(text)] == expected


SNIPPETS = [
    "",
    "---\n",
    "a\n---\nb\n---\n",
    "a: b\nc: [1, 2.5, yes, ~, 'x', !!str 3, ! 4, 0o17, 017, 0x1F, 1_000, 1:30, .inf, -.nan]\n",
    "a: &x {b: 1}\nc: *x\nd: &y [1]\ne: *y\n",
    "a: &x 1\nb: &x 2\n",
    "a: *y\n",
    "a: !!bool maybe\n",
    "a: !!int x\n",
    "a: !!float x\n",
    "a: !!map x\n",
    "a: !!seq {b: 1}\n",
    "a: !!str {b: 1}\n",
    "? [a]\n: 1\n",
    "? {a: 1}\n: 1\n",
    "=: 1\n",
    "a: =\n",
    "<<: {a: 1}\nb: 2\n",
    "a: &o {x: 1}\nb: {<<: *o, y: 2}\n",
    "a: 1\na: 2\n",
    "1: a\ntrue: b\n",
    "y: 1\nyes: 2\n",
    "a: !custom x\n",
    "a: !!python/name:os.system x\n",
    'a: "\\0"\n',
    'a: "\\u202e"\n',
    "a: \u202e\n",
    "a: '\\u202e'\n",
    "x: " + "[" * 150 + "]" * 150 + "\n",
    "a: &a [*a]\n",
    "%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n",
    "a: !<tag:yaml.org,2002:str> 1\n",
    "a: |\n  multi\n  line\n",
    "a: >-\n  folded\n  line\n",
    ": 1\n",
    "a: [1, 2\n",
    "\t- a\n",
    "- a\n- - b\n  - c\n- {d: e}\n",
]


@pytest.mark.parametrize("text", SNIPPETS)
def test_snippets(text: str) -> None:
    assert_same(text)


def test_every_yaml_file_of_the_repository() -> None:
    files = [
        p
        for top in ("bootstrap", "tests/data", "examples", "waves.yaml")
        for p in ([REPO_ROOT / top] if top.endswith(".yaml") else (REPO_ROOT / top).rglob("*"))
        if p.suffix in (".yaml", ".yml") and p.is_file()
    ]
    assert len(files) > 100
    for path in files:
        assert_same(path.read_text(encoding="utf-8", errors="replace"))


# Fragments that make texts near YAML: indentation, flow and block collections, anchors and
# aliases, tags, every kind of scalar, documents, comments, quotes and escapes.
FRAGMENTS = [
    "a", "b", "key", ":", ": ", " ", "  ", "\n", "- ", "[", "]", "{", "}", ", ", "&x ", "&y ",
    "*x", "*y", "!!str ", "!!int ", "!!bool ", "!!null ", "!!map ", "!!seq ", "! ", "!e ",
    "yes", "on", "0o17", "017", "1e3", "1_0", "1:30", ".inf", "~", "null", "=", "<<", "'",
    '"', "\\", "\\u202e", "\\0", "---\n", "...\n", "? ", "# c\n", "|\n", ">\n", "\t", "1", "2.5",
]  # fmt: skip


@settings(
    derandomize=True,
    deadline=None,
    max_examples=600,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_texts_near_yaml(parts: list[str]) -> None:
    assert_same("".join(parts))


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=8),
    st.sampled_from(["yes", "no", "on", "0o17", "1_000", "=", "<<", "~", "1e3", "2024-01-01"]),
)
DATA = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.one_of(st.text(max_size=5), st.integers()), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(derandomize=True, deadline=None, max_examples=300)
@given(DATA, st.sampled_from([None, True, False]), st.booleans())
def test_dumped_data(data: Any, flow: bool | None, shared: bool) -> None:
    # shared: the same object twice, which PyYAML's dumper writes as an anchor and an alias
    document = {"one": data, "two": data} if shared else data
    assert_same(yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True))
    assert_same(yaml.safe_dump_all([document, data], default_flow_style=flow))


def test_an_alias_shares_its_anchor_as_the_composing_loader_does() -> None:
    (doc,) = yamlio.build_all("a: &x {b: 1}\nc: *x\n")
    assert doc["a"] is doc["c"]


def test_the_repository_root_exists() -> None:
    assert (Path(REPO_ROOT) / "bootstrap").is_dir()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('a: "x\\u202ey"\n', "a control, bidi or zero-width character (U+202E) in a value"),
        ('a: "x\\0"\n', "a NUL character in a value"),
        ('a: "\\e[2J"\n', "a control, bidi or zero-width character (U+001B) in a value"),
        ("a: x\u200by\n", "a control, bidi or zero-width character (U+200B) in a value"),
        ("a: !custom x\n", "YAML tag '!custom' is not supported"),
        ("a: !!binary eA==\n", "YAML tag '!!binary' is not supported"),
        ("%TAG !e! tag:x,2000:\n---\na: !e!y 1\n", "YAML tag 'tag:x,2000:y' is not supported"),
        ("x: " + "[" * 101 + "]" * 101 + "\n", "nested deeper than 100 levels"),
        ("".join(f"{' ' * i}a:\n" for i in range(102)) + " " * 102 + "b\n", "nested deeper"),
        ("a: &a [*a]\n", "alias *a refers to a value that contains it"),
    ],
)
def test_the_guard_still_refuses(text: str, message: str) -> None:
    """The screens that spare most events the full test (a tag needs '!'; an unprintable value
    needs one in the text or a double-quoted escape) let none of these through."""
    for load in (yamlio.guard, yamlio.build_all, yamlio.load_all):
        with pytest.raises(yamlio.YamlSyntaxError, match=re.escape(message)):
            load(text)
