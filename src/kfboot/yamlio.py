"""YAML in and out: positions-aware loading, the one hardened dumper, and the parse-back gate.

Argo CD, kubectl and kustomize read YAML the YAML 1.1 way (go-yaml): ``y``, ``n``, ``on``, ``0o17``,
``1e3`` or ``26.03`` written plainly are not strings there. Every scalar kfboot emits goes through
:func:`scalar` (templates, via Jinja's ``finalize``) or :func:`block` (free-form data: the one
dumper, built on :func:`scalar`). One quoting policy: a string is written plain only when it
matches a conservative pattern that no YAML 1.1 or 1.2 resolver reads as anything but a string;
otherwise it is double-quoted, with JSON escapes plus the few YAML needs beyond JSON.
"""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass
from typing import Any

import yaml

from kfboot.yamlguard import _CORE, _mark, _syntax_error
from kfboot.yamlguard import Mark as Mark
from kfboot.yamlguard import NotOnePass as NotOnePass
from kfboot.yamlguard import YamlSyntaxError as YamlSyntaxError
from kfboot.yamlguard import build_all as _build_all
from kfboot.yamlguard import guard as guard


def _pristine_resolvers() -> dict[Any, Any]:
    """YAML 1.1's implicit types, from a private run of PyYAML's ``resolver`` module.

    PyYAML's ``Resolver`` class is shared and mutable (yamllint's ``quoted-strings`` makes ``0o17``
    an int on import): inheriting it, a loader would read a file by what else the process imported.
    """
    spec = importlib.util.find_spec("yaml.resolver")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # No timestamps: go-yaml (behind sigs.k8s.io/yaml, so Helm, kubectl and Argo CD) keeps a
    # timestamp-looking scalar as its string when decoding into interface{} (yaml.v2 decode.go,
    # "for backward compatibility reasons we set it as a string"); a date object fits no field.
    return {
        k: [(tag, rx) for tag, rx in v if not tag.endswith(":timestamp")]
        for k, v in module.Resolver.yaml_implicit_resolvers.items()
    }


_RESOLVERS = _pristine_resolvers()


class SafeLoader(yaml.SafeLoader):
    """The pure-Python safe loader (exact character marks) with the private resolver table."""

    yaml_implicit_resolvers = _RESOLVERS


# libyaml's C parser is several times faster; fall back to pure Python without it.
_BASE: Any = getattr(yaml, "CSafeLoader", SafeLoader)
FastSafeLoader: Any = type("FastSafeLoader", (_BASE,), {"yaml_implicit_resolvers": _RESOLVERS})

# Plain strings that some YAML resolver (1.1 or 1.2, core or JSON schema) turns into non-strings.
_BOOLS = "y Y yes Yes YES n N no No NO true True TRUE false False FALSE on On ON off Off OFF"
_KEYWORDS = frozenset([*_BOOLS.split(" "), "~", "null", "Null", "NULL", "=", "<<"])
# Conservative "safe plain" shape: starts with a letter, '/', '_', './' or '../', then word
# characters and a few punctuation marks that are never special mid-scalar; ':' only when not
# followed by a space; '#' never (a comment needs a preceding space; we do not rely on that).
_SAFE_PLAIN = re.compile(r"(?:[A-Za-z_/]|\.\.?/)[A-Za-z0-9_./@+=~-]*(?::[A-Za-z0-9_./@+=~-]+)*\Z")
# Characters JSON leaves raw that YAML treats as line breaks or forbids: escape them explicitly.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
# A literal block cannot escape anything: it takes printable text and line feeds only.
_NOT_LITERAL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]"
)


def is_plain_safe(text: str) -> bool:
    """True when ``text`` can be written unquoted and reads back as the same string everywhere."""
    return bool(_SAFE_PLAIN.match(text)) and text not in _KEYWORDS


def _double_quoted(text: str) -> str:
    encoded = json.dumps(text, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)


def quoted(text: str) -> str:
    """``text`` double-quoted, whatever it contains (for callers that keep an existing style)."""
    return _double_quoted(text)


def scalar(value: Any) -> str:
    """One scalar as YAML text (flow context), safe for every YAML 1.1/1.2 reader."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, str):
        return value if is_plain_safe(value) else _double_quoted(value)
    raise TypeError(f"not a YAML scalar: {type(value).__name__}")


def _float(value: float) -> str:
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    if "e" in text and "." not in text.split("e")[0]:
        # YAML 1.1 (PyYAML, go-yaml v2) needs a dot in the mantissa to read a float.
        mantissa, exponent = text.split("e")
        text = f"{mantissa}.0e{exponent}"
    return text


def _literal_ok(text: str) -> bool:
    """Whether a multi-line string can be a literal block (``|``) that reads back unchanged."""
    if _NOT_LITERAL.search(text) or text.endswith("\n\n"):
        return False
    if not text.strip() or text[0] in " \n":
        return False
    return all(line == line.rstrip() for line in text.split("\n"))


def _literal(text: str, indent: int) -> str:
    pad = " " * indent
    chomp = "" if text.endswith("\n") else "-"
    body = text[:-1] if text.endswith("\n") else text
    lines = [pad + line if line else "" for line in body.split("\n")]
    return f"|{chomp}\n" + "\n".join(lines)


def block(value: Any, indent: int = 0) -> str:
    """Block-style YAML for ``value``, its first line unindented, the rest at ``indent`` spaces.

    This is kfboot's one dumper. It writes sequences indented under their key (yamllint's
    default), every scalar through :func:`scalar`, and multi-line strings as literal blocks.
    A nested value that is not empty starts on its own line; callers place the result after
    ``key:`` (or after ``- ``) and this function decides whether a line break follows.
    """
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return " {}"
        lines = []
        for key, item in value.items():
            text = scalar(key)
            # YAML (and go-yaml, libyaml) limit an implicit key to 1,024 characters: a longer
            # one must be an explicit ``? key`` or the document no longer parses.
            mark = f"? {text}\n{pad}" if len(text) > 1000 else text
            lines.append(f"{pad}{mark}:{block(item, indent + 2)}")
        return "\n" + "\n".join(lines)
    if isinstance(value, (list, tuple)):
        if not value:
            return " []"
        lines = []
        for item in value:
            if isinstance(item, dict) and item:
                first, *rest = block(item, indent + 2).lstrip("\n").split("\n")
                lines.append(f"{pad}- {first.lstrip()}")
                lines.extend(rest)
            else:
                lines.append(f"{pad}-{block(item, indent + 2)}")
        return "\n" + "\n".join(lines)
    if isinstance(value, str) and "\n" in value and _literal_ok(value):
        return " " + _literal(value, indent)
    if isinstance(value, float):
        return " " + _float(value)
    return " " + scalar(value)


def dump(data: Any) -> str:
    """A whole document (a mapping or sequence) as block YAML, ending in a newline."""
    return block(data, 0).lstrip("\n").lstrip(" ") + "\n"


# --------------------------------------------------------------------------- loading with positions


Path_ = tuple[str | int, ...]


class DuplicateKeyError(ValueError):
    def __init__(self, key: str, mark: Mark, first: Mark) -> None:
        super().__init__(f"duplicate key {key!r} (first defined at line {first.line})")
        self.mark = mark
        self.key = key


@dataclass
class Positions:
    """Where each value (and each mapping key) of a loaded document sits in its file."""

    values: dict[Path_, Mark]
    keys: dict[Path_, Mark]

    def of_value(self, path: Path_) -> Mark:
        """The closest known position: the value itself, else its nearest ancestor."""
        for end in range(len(path), -1, -1):
            mark = self.values.get(path[:end])
            if mark is not None:
                return mark
        return Mark(1, 1)

    def of_key(self, path: Path_) -> Mark:
        return self.keys.get(path) or self.of_value(path)


_constructor = yaml.constructor.SafeConstructor()


def _build(node: yaml.Node, path: Path_, pos: Positions) -> Any:
    pos.values[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        seen: dict[Any, Mark] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlSyntaxError("merge keys ('<<') are not supported", _mark(key_node))
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlSyntaxError("mapping keys must be scalars", _mark(key_node))
            key = _constructor.construct_object(key_node)
            if key in seen:
                raise DuplicateKeyError(str(key), _mark(key_node), seen[key])
            seen[key] = _mark(key_node)
            pos.keys[(*path, key)] = _mark(key_node)
            result[key] = _build(value_node, (*path, key), pos)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), pos) for i, item in enumerate(node.value)]
    return _scalar(node)


# An integer as Go's strconv.Atoi and every YAML reader agree on it: decimal, no leading zero.
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")


def _scalar(node: yaml.Node) -> Any:
    try:
        value = _constructor.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, LookupError):  # !!bool maybe: a KeyError
        tag = "!!" + str(node.tag).removeprefix(_CORE)
        raise YamlSyntaxError(f"{node.value!r} is not a valid {tag}", _mark(node)) from None
    if isinstance(value, int) and not isinstance(value, bool) and not _DECIMAL.match(node.value):
        # YAML 1.1 reads 010 as 8, 0x10 as 16 and 1:00 as 60; an editor's YAML 1.2 schema
        # reads them differently, and Argo CD's strconv.Atoi refuses them.
        raise YamlSyntaxError(f"write the integer {node.value!r} in decimal", _mark(node))
    return value


def _compose_all(text: str) -> list[yaml.Node]:
    guard(text)
    try:
        return list(yaml.compose_all(text, Loader=FastSafeLoader))
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, text) from None


def load_with_positions(text: str) -> tuple[Any, Positions]:
    """Parse one YAML document, rejecting duplicate keys, and record every value's position."""
    pos = Positions({}, {})
    nodes = _compose_all(text)
    if len(nodes) > 1:
        raise YamlSyntaxError("expected one YAML document, found several", _mark(nodes[1]))
    if not nodes:
        return None, pos
    return _build(nodes[0], (), pos), pos


def load_all_with_positions(text: str) -> list[tuple[Any, Positions]]:
    """Every document of a stream with its positions, rejecting duplicate keys."""
    result = []
    for node in _compose_all(text):
        pos = Positions({}, {})
        result.append((_build(node, (), pos), pos))
    return result


def load_all(text: str, trusted: bool = False) -> list[Any]:
    """Parse every document of a YAML stream (fast path, no positions).

    ``trusted`` skips :func:`guard`, for text kfboot or kustomize wrote (never aliases or tags).
    """
    if not trusted:
        try:
            return build_all(text)
        except NotOnePass:
            guard(text)  # the composing loader keeps the last duplicate key, or says what is wrong
    try:
        return list(yaml.load_all(text, Loader=FastSafeLoader))
    except (yaml.YAMLError, ValueError, TypeError, LookupError) as exc:
        if isinstance(exc, yaml.YAMLError):
            raise _syntax_error(exc, text) from None
        raise YamlSyntaxError(f"invalid YAML: {exc}", Mark(1, 1)) from None


def build_all(text: str) -> list[Any]:
    """Every document of ``text``, guarded and built in one pass over libyaml's events
    (:func:`kfboot.yamlguard.build_all`), as :func:`load_all` reads them; a duplicate key (or
    what the composing loader words better) raises :class:`NotOnePass`."""
    return _build_all(text, _RESOLVERS)


class _NoDuplicatesLoader(FastSafeLoader):  # type: ignore[misc]
    """The C loader, refusing duplicate mapping keys (PyYAML silently keeps the last one)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [self.construct_object(k, deep=True) for k, _ in node.value]
        for i, key in enumerate(keys):
            if key in keys[:i]:
                mark = _mark(node.value[i][0])
                raise DuplicateKeyError(str(key), mark, _mark(node.value[keys.index(key)][0]))
        result: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return result


def parse_back(text: str) -> list[Any]:
    """The gate every rendered file passes: it parses, and has no duplicate keys."""
    try:
        return list(yaml.load_all(text, Loader=_NoDuplicatesLoader))
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, text) from None
