"""Hostile YAML: the limits on what a hand-written file may ask of the loader, checked on the
event stream before anything is built, and the one-line, positioned error they raise.

kfboot reads files other people control (``waves.yaml`` in a pull request, a tree to import):
these limits keep a few hundred bytes from hanging, exhausting memory or running code.
"""

from __future__ import annotations

from collections.abc import Iterator
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
    for _ in _guarded(text):
        pass


def _guarded(text: str) -> Iterator[Any]:
    """libyaml's events of ``text``, each yielded once :func:`guard`'s limits allow it."""
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = []  # per open collection: [anchor, values inside]
    expanded = parsed = 0
    # Screens that spare most events the full test: a tag needs a '!', and a value can hold an
    # unprintable character only if the text does or a double-quoted escape ('\\') writes one.
    tags = "!" in text
    values = "\\" in text or _UNPRINTABLE.search(text) is not None
    parser = _PARSER(text)
    try:
        while (event := parser.get_event()) is not None:
            kind = type(event)
            if kind is yaml.AliasEvent:  # its problems first: they name the cause best
                size = sizes.get(str(event.anchor), 1)
                expanded += size
                _check_alias(event, stack, expanded, parsed)
            if (
                len(stack) > MAX_DEPTH
                or (tags and getattr(event, "tag", None) is not None)
                or (values and kind is yaml.ScalarEvent)
            ):
                problem = _event_problem(event, len(stack))
                if problem:
                    raise YamlSyntaxError(problem, _mark(event))
            if kind is yaml.ScalarEvent:
                anchor, size = event.anchor, 1
                parsed += 1
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                parsed += 1
                yield event
                stack.append([event.anchor, 1])
                continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                anchor, size = stack.pop()
            elif kind is yaml.AliasEvent:
                anchor = None
            else:
                yield event
                continue
            yield event
            if anchor:
                sizes[anchor] = size
            if stack:
                stack[-1][1] += size
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, text) from None
    finally:
        parser.dispose()


def _check_alias(
    event: yaml.AliasEvent, stack: list[list[Any]], expanded: int, parsed: int
) -> None:
    problem = None
    if alias_ratio_exceeded(expanded, expanded + parsed):
        problem = f"excessive aliasing: {expanded} values from aliases, {parsed} written"
    if any(event.anchor == frame[0] for frame in stack):
        problem = f"alias *{event.anchor} refers to a value that contains it"
    if problem:
        raise YamlSyntaxError(problem, _mark(event))


class NotOnePass(ValueError):
    """What :func:`build_all` leaves to a composing loader, which says exactly what is wrong: a
    duplicate or merge key, a key that is not a scalar, an undefined or repeated anchor, a
    value its explicit tag cannot hold."""


_MAP, _SEQ, _STR, _MERGE, _VALUE = (_CORE + t for t in ("map", "seq", "str", "merge", "value"))
_SAFE: Any = yaml.constructor.SafeConstructor
_NO_KEY = object()


def build_all(text: str, resolvers: dict[Any, Any]) -> list[Any]:
    """The documents of ``text`` as PyYAML's safe loader with the implicit ``resolvers`` builds
    them, built in :func:`guard`'s own pass over libyaml's events: one parse and no node graph
    (parsing twice, to guard and then to compose and construct, was half of a lint).

    Raises what :func:`guard` raises, and :class:`NotOnePass`.
    """
    docs: list[Any] = []
    anchors: dict[str, Any] = {}
    stack: list[list[Any]] = []  # per open collection: [container, its pending key]
    constructor = _SAFE()
    for event in _guarded(text):
        kind = type(event)
        if kind is yaml.ScalarEvent:
            key = bool(stack) and stack[-1][1] is _NO_KEY and type(stack[-1][0]) is dict
            value = _scalar(event, resolvers, constructor, key)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            mapping = kind is yaml.MappingStartEvent
            if event.tag not in (None, "!", _MAP if mapping else _SEQ):
                raise NotOnePass(f"a collection tagged {event.tag}")
            stack.append([{} if mapping else [], _NO_KEY])
            _anchor(anchors, event.anchor, stack[-1][0])
            continue
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            value = stack.pop()[0]
        elif kind is yaml.AliasEvent:
            if event.anchor not in anchors:
                raise NotOnePass(f"undefined alias *{event.anchor}")
            value = anchors[event.anchor]
        else:
            if kind is yaml.DocumentStartEvent:
                anchors = {}  # anchors are per document, as PyYAML's composer has them
            continue
        if kind is yaml.ScalarEvent:
            _anchor(anchors, event.anchor, value)
        if stack:
            _add(stack[-1], value)
        else:
            docs.append(value)
    return docs


def _anchor(anchors: dict[str, Any], anchor: str | None, value: Any) -> None:
    if anchor is not None:
        if anchor in anchors:
            raise NotOnePass(f"anchor &{anchor} defined twice")
        anchors[anchor] = value


def _add(frame: list[Any], value: Any) -> None:
    container, key = frame
    if type(container) is list:
        container.append(value)
    elif key is not _NO_KEY:
        container[key] = value
        frame[1] = _NO_KEY
    elif isinstance(value, (dict, list)) or value in container:
        raise NotOnePass("a key that is a collection, or a duplicate key")
    else:
        frame[1] = value


def _scalar(event: yaml.ScalarEvent, resolvers: dict[Any, Any], constructor: Any, key: bool) -> Any:
    value, tag = event.value, event.tag
    if tag is None or tag == "!":  # resolved as PyYAML's composer resolves it
        tag = _STR
        if event.implicit[0]:
            for candidate, pattern in resolvers.get(value[:1], ()):
                if pattern.match(value):
                    tag = candidate
                    break
    if tag == _STR or (key and tag == _VALUE):  # a key '=' is a string (flatten_mapping)
        return value
    build = _SAFE.yaml_constructors.get(tag) if tag not in (_MAP, _SEQ, _MERGE) else None
    if build is None:
        raise NotOnePass(f"a scalar tagged {tag}")
    try:
        return build(constructor, yaml.ScalarNode(tag, value))
    except (yaml.YAMLError, ValueError, TypeError, LookupError):
        raise NotOnePass(f"{value!r} is not a valid {tag}") from None
