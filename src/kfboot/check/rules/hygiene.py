"""Output hygiene: a YAML file parses, has no duplicate keys, and holds no YAML 1.1 trap.

A trap is a plain scalar that YAML 1.1 readers (go-yaml: kubectl, kustomize, Argo CD) and
YAML 1.2 readers resolve differently: ``on`` is true in 1.1 and a string in 1.2, ``0755`` is 493
in 1.1 and 755 in 1.2, ``1e3`` is a string in 1.1 and a float in 1.2.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from kfboot import yamlio
from kfboot.findings import Finding

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Yaml11Resolver(yaml.resolver.BaseResolver):
    """YAML 1.1's implicit types (yaml.org/type/), as PyYAML's ``resolver.py`` defines them.

    Private on purpose: PyYAML's shared ``Resolver`` class is mutable process-wide, and yamllint's
    ``quoted-strings`` rule adds YAML 1.2 octal (``0o17``) to it on import, which made ``0o17``
    stop being a trap whenever yamllint had been imported first.
    """


_IMPLICIT_11 = (
    (
        "bool",
        r"""^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$""",
        "yYnNtTfFoO",
    ),
    (
        "float",
        r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
        |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
        |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        "-+0123456789.",
    ),
    (
        "int",
        r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0[0-7_]+
        |[-+]?(?:0|[1-9][0-9_]*)
        |[-+]?0x[0-9a-fA-F_]+
        |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$""",
        "-+0123456789",
    ),
    ("merge", r"^(?:<<)$", "<"),
    ("null", r"^(?: ~ |null|Null|NULL | )$", ["~", "n", "N", ""]),
    (
        "timestamp",
        r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
         (?:[Tt]|[ \t]+)[0-9][0-9]?
         :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
         (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
        "0123456789",
    ),
    ("value", r"^(?:=)$", "="),
)
for _kind, _pattern, _first in _IMPLICIT_11:
    _Yaml11Resolver.add_implicit_resolver(
        f"tag:yaml.org,2002:{_kind}", re.compile(_pattern, re.X), list(_first)
    )
_RESOLVER = _Yaml11Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
# Both resolvers key on the first character: anything else is a string to every reader.
_MAYBE_NOT_STRING = frozenset("yYnNoOtTfF0123456789+-.~=<")
_CORE_12 = (
    ("null", re.compile(r"(?:~|null|Null|NULL|)\Z")),
    ("bool", re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z")),
    ("int", re.compile(r"(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\Z")),
    (
        "float",
        re.compile(
            r"(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)\Z"
        ),
    ),
)
# go-yaml v2 (YAML 1.1) also reads single-letter y/n as booleans; PyYAML does not.
_GO_YAML_BOOLS = frozenset(["y", "Y", "n", "N"])
_NAMES = {"bool": "a boolean", "int": "an integer", "float": "a number", "null": "null"}


def _type_12(text: str) -> str:
    for name, pattern in _CORE_12:
        if pattern.match(text):
            return name
    return "str"


def _type_11(text: str) -> str:
    if text in _GO_YAML_BOOLS:
        return "bool"
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    kind = str(tag).rsplit(":", 1)[-1]
    return kind if kind in ("bool", "int", "float", "null", "timestamp") else "str"


def _int_11(text: str) -> Any:
    return _CONSTRUCTOR.construct_yaml_int(yaml.ScalarNode("tag:yaml.org,2002:int", text))


def _int_12(text: str) -> int:
    if text.startswith("0o"):
        return int(text[2:], 8)
    return int(text, 0) if text.startswith("0x") else int(text, 10)


def trap(text: str) -> str | None:
    """Why a plain scalar ``text`` is a YAML 1.1 trap, or None when every reader agrees."""
    if text and text[0] not in _MAYBE_NOT_STRING:
        return None
    old, new = _type_11(text), _type_12(text)
    if old == new == "int":
        old_value, new_value = _int_11(text), _int_12(text)
        if old_value == new_value:
            return None
        return f"plain {text!r} is {old_value} in YAML 1.1 but {new_value} in YAML 1.2; quote it"
    if old == new:
        return None
    was = "a date" if old == "timestamp" else _NAMES.get(old, "a string")
    now = _NAMES.get(new, "a string")
    return f"plain {text!r} is {was} in YAML 1.1 but {now} in YAML 1.2; quote it"


def _traps(text: str) -> Iterator[tuple[int, int, str]]:
    for token in yaml.scan(text, Loader=_Loader):
        if isinstance(token, yaml.ScalarToken) and token.plain:
            why = trap(token.value)
            if why:
                yield token.start_mark.line + 1, token.start_mark.column + 1, why


Docs = list[tuple[Any, yamlio.Positions]]


def trap_findings(file: str, text: str) -> list[Finding]:
    """``yaml-hygiene`` findings for the plain scalars of a file that is known to parse."""
    return [
        Finding(file, line, col, "error", "yaml-hygiene", why) for line, col, why in _traps(text)
    ]


def parse_and_check(file: str, text: str) -> tuple[list[Finding], Docs | None]:
    """``yaml-hygiene`` findings for one file, and its documents with positions if it parses."""
    try:
        docs = yamlio.load_all_with_positions(text)
    except (yamlio.DuplicateKeyError, yamlio.YamlSyntaxError) as exc:
        finding = Finding(file, exc.mark.line, exc.mark.col, "error", "yaml-hygiene", str(exc))
        return [finding], None
    return trap_findings(file, text), docs
