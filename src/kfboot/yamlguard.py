"""Hostile YAML: the limits on what a hand-written file may ask of the loader, checked on the
event stream before anything is built, and the one-line, positioned error they raise.

kfboot reads files other people control (``waves.yaml`` in a pull request, a tree to import):
these limits keep a few hundred bytes from hanging, exhausting memory or running code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from kfboot.findings import UNPRINTABLE as _UNPRINTABLE

# libyaml's C parser is several times faster; fall back to pure Python without it. Only events
# are read here, so the resolver table (:mod:`kfboot.yamlio`'s concern) does not matter.
_PARSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Mark:
    """A 1-based position in a file."""

    line: int
    col: int


class YamlSyntaxError(ValueError):
    def __init__(self, message: str, mark: Mark) -> None:
        super().__init__(message)
        self.mark = mark


def _mark(node: yaml.Node | yaml.Event) -> Mark:
    start = node.start_mark
    return Mark(start.line + 1, start.column + 1) if start else Mark(1, 1)


def _syntax_error(exc: yaml.YAMLError, text: str = "") -> YamlSyntaxError:
    """PyYAML's error as ours: a one-line message and a 1-based position."""
    if isinstance(exc, yaml.reader.ReaderError):
        before = text[: exc.position]
        where = Mark(before.count("\n") + 1, exc.position - before.rfind("\n"))
        return YamlSyntaxError(
            f"invalid YAML: character #x{exc.character:04x} is not allowed", where
        )
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        where = Mark(mark.line + 1, mark.column + 1) if mark else Mark(1, 1)
        return YamlSyntaxError(f"invalid YAML: {exc.problem or exc.context}", where)
    return YamlSyntaxError(f"invalid YAML: {exc}", Mark(1, 1))


# Limits on what a hand-written file may ask of the loader. A document of aliases to aliases
# (an "alias bomb") is a few hundred bytes that expand to billions of values. Aliases are capped
# as Kubernetes' YAML library caps them (go-yaml v3 decode.go, allowedAliasRatio): free while
# they expand to at most 100 values or the document to at most 1,000, then at most 99% of the
# values may come from aliases, falling to 10% between 400,000 and 4,000,000 values.
MAX_DEPTH = 100


def alias_ratio_exceeded(aliased: int, total: int) -> bool:
    """go-yaml v3's excessive-aliasing test: ``aliased`` of ``total`` values come from aliases."""
    low, high = 400_000, 4_000_000
    allowed = 0.99 - 0.89 * (min(max(total, low), high) - low) / (high - low)
    return aliased > 100 and total > 1000 and aliased / total > allowed


# Explicit tags a Kubernetes or catalog file may carry: the core schema's. Anything else
# (``!custom``, ``!!python/name:...``, ``!!binary``) is refused, never constructed.
_CORE = "tag:yaml.org,2002:"
_TAGS = frozenset(
    ["!", *(_CORE + t for t in ("str", "int", "float", "bool", "null", "map", "seq"))]
)
_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _event_problem(event: yaml.Event, depth: int) -> str | None:
    tag = getattr(event, "tag", None)
    if tag is not None and tag not in _TAGS:
        shown = "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag
        return f"YAML tag {shown!r} is not supported"
    if depth > MAX_DEPTH:
        return f"nested deeper than {MAX_DEPTH} levels"
    value = getattr(event, "value", None) or ""
    if "\0" in value:
        return "a NUL character in a value"
    if _UNPRINTABLE.search(value):
        char = _UNPRINTABLE.search(value).group()  # type: ignore[union-attr]
        return f"a control, bidi or zero-width character (U+{ord(char):04X}) in a value"
    return None


def guard(text: str) -> None:
    """Refuse, before anything is built, what would hang, exhaust memory or run code.

    Walks libyaml's event stream (no recursion, no objects built) counting the values each
    anchor stands for, so an alias bomb is refused at its first expensive alias.
    """
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = []  # per open collection: [anchor, values inside]
    expanded = parsed = 0
    try:
        for event in yaml.parse(text, Loader=_PARSER):
            problem = _event_problem(event, len(stack))
            size = 0
            parsed += isinstance(event, (yaml.ScalarEvent, *_OPEN))
            if isinstance(event, yaml.AliasEvent):
                size = sizes.get(str(event.anchor), 1)
                expanded += size
                if alias_ratio_exceeded(expanded, expanded + parsed):
                    problem = (
                        f"excessive aliasing: {expanded} values from aliases, {parsed} written"
                    )
                if any(event.anchor == frame[0] for frame in stack):
                    problem = f"alias *{event.anchor} refers to a value that contains it"
            if problem:
                raise YamlSyntaxError(problem, _mark(event))
            if isinstance(event, _OPEN):
                stack.append([event.anchor, 1])
                continue
            if isinstance(event, _CLOSE):
                anchor, size = stack.pop()
            elif isinstance(event, yaml.ScalarEvent):
                anchor, size = event.anchor, 1
            elif isinstance(event, yaml.AliasEvent):
                anchor = None
            else:
                continue
            if anchor:
                sizes[anchor] = size
            if stack:
                stack[-1][1] += size
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, text) from None
