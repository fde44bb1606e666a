"""Rules ``application-field-type`` and ``unknown-field`` from kfboot's table of Argo CD's CRDs.

``targetRevision: 26.03`` is the float 26.03, ``automated.prune: "true"`` a string where the CRD
types a boolean, ``directory.recurse: "yes"`` the same: the API server refuses the object (or a
tool converting it picks another value). The fields and types are those of
:mod:`kfboot.check.rules.crd_types`; ``unknown-field`` for Applications is
:func:`kfboot.check.rules.application.unknown_field`, for ApplicationSets and AppProjects
:func:`object_schema_hits`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from kfboot.check.rules.application import Context, Hit
from kfboot.check.rules.crd_types import BY_KIND, Schema
from kfboot.yamlio import Path_

TYPE_RULE = "application-field-type"
_ARTICLE = {"string": "a string", "boolean": "a boolean", "integer": "an integer"}


def _what(value: Any) -> str:
    if isinstance(value, bool):
        return f"a boolean ({value!r})"
    if isinstance(value, (int, float)):
        return f"a {type(value).__name__} ({value!r})"
    if isinstance(value, str):
        return f"the string {value!r}"
    return "a list" if isinstance(value, list) else "a mapping"


def _scalar_problem(name: str, expected: str, value: Any) -> str | None:
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if expected == "string":
        if isinstance(value, str):
            return None
        if isinstance(value, (bool, int, float)):
            kind = "a boolean" if isinstance(value, bool) else f"a {type(value).__name__}"
            return f"{name} must be a string, but YAML reads it as {kind} ({value!r}); quote it"
    elif expected == "boolean":
        if isinstance(value, bool):
            return None
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return f"{name} must be a boolean, but is the string {value!r}; write {value.lower()}"
    elif expected == "integer":
        if isinstance(value, int) and not isinstance(value, bool):
            return None
        if isinstance(value, str) and value.lstrip("-").isdigit():
            return f"{name} must be an integer, but is the string {value!r}; write {int(value)}"
    elif isinstance(value, str) or (is_number and isinstance(value, int)):  # int-or-string
        return None
    wanted = _ARTICLE.get(expected, "an integer or a string")
    return f"{name} must be {wanted}, but is {_what(value)}; the API server refuses the object"


def _container_problem(name: str, schema: Schema, value: Any) -> str | None:
    if isinstance(schema, list) and not isinstance(value, list):
        return f"{name} must be a list, but is {_what(value)}; the API server refuses the object"
    if not isinstance(schema, list) and not isinstance(value, dict):
        return f"{name} must be a mapping, but is {_what(value)}; the API server refuses the object"
    return None


def walk(node: Any, schema: Schema, path: Path_, kind: str) -> Iterator[Hit]:
    """Every type and unknown-field hit of ``node`` against ``schema`` (nulls are dropped by the
    API server for optional fields, so never judged)."""
    if node is None or schema == "object":
        return
    name = str(next((p for p in reversed(path) if isinstance(p, str)), kind))
    if isinstance(schema, str) and schema.endswith("-map"):
        if not isinstance(node, dict):
            yield Hit(TYPE_RULE, path, f"{name} must be a mapping, but is {_what(node)}")
            return
        for key, value in node.items():
            yield from walk(value, schema.removesuffix("-map"), (*path, key), kind)
        return
    if isinstance(schema, str):
        problem = _scalar_problem(name, schema, node)
        if problem:
            yield Hit(TYPE_RULE, path, problem)
        return
    problem = _container_problem(name, schema, node)
    if problem:
        yield Hit(TYPE_RULE, path, problem)
    elif isinstance(schema, list):
        for i, item in enumerate(node):
            yield from walk(item, schema[0], (*path, i), kind)
    else:
        yield from _fields(node, schema, path, kind)


def _fields(
    node: dict[Any, Any], schema: dict[str, Schema], path: Path_, kind: str
) -> Iterator[Hit]:
    for key, value in node.items():
        if key in schema:
            yield from walk(value, schema[key], (*path, key), kind)
            continue
        where = ".".join(str(p) for p in path if isinstance(p, str))
        close = difflib.get_close_matches(str(key), list(schema), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        yield Hit(
            "unknown-field",
            (*path, key),
            f"{key!r} is not an {kind} field{f' in {where}' if where else ''}{hint}; "
            "the API server drops it and Argo CD never sees it",
            key=True,
        )


def application_field_type(app: Any, ctx: Context) -> Iterator[Hit]:
    """Type hits of an Application (its unknown fields are ``unknown_field``'s)."""
    if isinstance(app, dict):
        yield from (
            h for h in walk(app, BY_KIND["Application"], (), "Application") if h.rule == TYPE_RULE
        )


def object_schema_hits(doc: Any) -> Iterator[Hit]:
    """Type and unknown-field hits of an ApplicationSet or AppProject."""
    kind = doc.get("kind") if isinstance(doc, dict) else None
    if kind in ("ApplicationSet", "AppProject"):
        yield from walk(doc, BY_KIND[kind], (), kind)
