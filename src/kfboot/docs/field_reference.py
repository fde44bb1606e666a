"""The catalog field reference: Markdown tables generated from the JSON Schema.

One table per model, in the order the catalog reaches them from its top level; each row a field with
its type, default and description (plus an example where the schema has one).
docs/catalog-reference.md embeds the result between markers, so the reference cannot drift from the
models.
"""

from __future__ import annotations

import json
from typing import Any

_SCALARS = {"string": "string", "integer": "integer", "boolean": "boolean", "number": "number"}


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _anchor(model: str) -> str:
    return f"catalog-{model.lower()}"


def type_of(prop: dict[str, Any]) -> str:
    """A short, human type for one schema node: ``list of [Wave](#catalog-wave)``."""
    if "$ref" in prop:
        name = _ref_name(prop["$ref"])
        return f"[{name}](#{_anchor(name)})"
    if "anyOf" in prop:
        kinds = [type_of(p) for p in prop["anyOf"] if p.get("type") != "null"]
        return " or ".join(kinds)
    kind = prop.get("type")
    if kind == "array":
        return f"list of {type_of(prop.get('items', {}))}"
    if kind == "object":
        values = prop.get("additionalProperties")
        if isinstance(values, dict) and values.get("type") in _SCALARS:
            return f"map of {values['type']}"
        return "mapping"
    if kind == "integer" and "minimum" in prop:
        return f"integer ≥ {prop['minimum']}"
    return _SCALARS.get(str(kind), "any")


def _code(value: Any) -> str:
    return "`" + json.dumps(value, ensure_ascii=False, separators=(", ", ": ")) + "`"


def _default(name: str, prop: dict[str, Any], required: list[str]) -> str:
    if name in required:
        return "**required**"
    default = prop.get("default")
    if default is None:
        return "unset"
    if isinstance(default, dict) and default and ("$ref" in prop or "anyOf" in prop):
        return "its fields' defaults"
    return _code(default)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _models_in_order(schema: dict[str, Any]) -> list[str]:
    """Model names as a breadth-first walk from the top level meets them."""
    defs = schema.get("$defs", {})
    order: list[str] = []
    queue: list[dict[str, Any]] = [schema]
    while queue:
        node = queue.pop(0)
        for ref in _refs(node):
            name = _ref_name(ref)
            if name not in order and name in defs:
                order.append(name)
                queue.append(defs[name])
    return order


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if "$ref" in node else []
        for key, value in node.items():
            if key != "$defs":
                found.extend(_refs(value))
        return found
    if isinstance(node, list):
        return [ref for item in node for ref in _refs(item)]
    return []


def _table(title: str, anchor: str, definition: dict[str, Any]) -> list[str]:
    lines = [f'<a id="{anchor}"></a>', "", f"#### {title}", ""]
    if definition.get("description"):
        lines += [definition["description"], ""]
    lines += ["| Field | Type | Default | Description |", "| --- | --- | --- | --- |"]
    required = definition.get("required", [])
    for name, prop in definition.get("properties", {}).items():
        text = prop.get("description", "")
        if "examples" in prop:
            text += " Example: " + _code(prop["examples"][0]) + "."
        row = [f"`{name}`", type_of(prop), _default(name, prop, required), text]
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    lines.append("")
    return lines


def reference_markdown(schema: dict[str, Any]) -> str:
    """Every model of the schema as a Markdown table, top level first; ends with a newline."""
    lines = _table("Top level", "catalog-top-level", schema)
    for name in _models_in_order(schema):
        lines += _table(f"`{name}`", _anchor(name), schema["$defs"][name])
    return "\n".join(lines).rstrip("\n") + "\n"
