"""The pieces behind the schema's descriptions and the README's field reference: docstrings read
from source, converted to Markdown, and tables generated from a schema, asserted exactly."""

from __future__ import annotations

from typing import Any

from kfboot.docs.field_reference import reference_markdown, type_of
from kfboot.docs.schema import field_docstrings, markdown

SOURCE = '''
class First:
    """Class docstring, not a field's."""

    a: int = 1
    """The ``a`` field,
    over two lines.

    A second paragraph."""
    b: str
    c: int = 2  # a comment, not a docstring
    "Single-quoted docstrings count too."

    def method(self) -> None:
        x: int = 1
        """Not a field of First."""


class Second:
    z: bool
    """Zed."""
'''


def test_field_docstrings_pairs_each_field_with_the_string_after_it() -> None:
    assert field_docstrings(SOURCE) == {
        "First": {
            "a": "The `a` field, over two lines.\n\nA second paragraph.",
            "c": "Single-quoted docstrings count too.",
        },
        "Second": {"z": "Zed."},
    }


def test_markdown_joins_lines_and_converts_literals() -> None:
    assert (
        markdown("""One ``x``
        two.

        Three.""")
        == "One `x` two.\n\nThree."
    )


SCHEMA: dict[str, Any] = {
    "description": "Top.",
    "properties": {
        "name": {"type": "string", "title": "name", "description": "A | pipe.", "examples": ["n"]},
        "items": {
            "type": "array",
            "items": {"$ref": "#/$defs/Item"},
            "default": [],
            "title": "items",
            "description": "Items.",
        },
        "labels": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "default": {"a": "b"},
            "title": "labels",
            "description": "Labels.",
        },
        "item": {
            "anyOf": [{"$ref": "#/$defs/Item"}, {"type": "null"}],
            "default": None,
            "title": "item",
            "description": "Maybe an item.",
        },
        "values": {"type": "object", "default": {}, "title": "values", "description": "Any."},
    },
    "required": ["name"],
    "$defs": {
        "Item": {
            "description": "An item.",
            "properties": {
                "count": {
                    "type": "integer",
                    "minimum": 1,
                    "default": 2,
                    "title": "count",
                    "description": "How many.",
                },
                "leaf": {"$ref": "#/$defs/Leaf", "default": {"on": True}, "description": "Leaf."},
            },
        },
        "Leaf": {
            "description": "A leaf.",
            "properties": {"on": {"type": "boolean", "default": True, "description": "On."}},
        },
        "Unused": {"description": "Never reached.", "properties": {}},
    },
}


def test_reference_tables_exactly() -> None:
    assert reference_markdown(SCHEMA) == (
        '<a id="catalog-top-level"></a>\n'
        "\n"
        "#### Top level\n"
        "\n"
        "Top.\n"
        "\n"
        "| Field | Type | Default | Description |\n"
        "| --- | --- | --- | --- |\n"
        '| `name` | string | **required** | A \\| pipe. Example: `"n"`. |\n'
        "| `items` | list of [Item](#catalog-item) | `[]` | Items. |\n"
        '| `labels` | map of string | `{"a": "b"}` | Labels. |\n'
        "| `item` | [Item](#catalog-item) | unset | Maybe an item. |\n"
        "| `values` | mapping | `{}` | Any. |\n"
        "\n"
        '<a id="catalog-item"></a>\n'
        "\n"
        "#### `Item`\n"
        "\n"
        "An item.\n"
        "\n"
        "| Field | Type | Default | Description |\n"
        "| --- | --- | --- | --- |\n"
        "| `count` | integer ≥ 1 | `2` | How many. |\n"
        "| `leaf` | [Leaf](#catalog-leaf) | its fields' defaults | Leaf. |\n"
        "\n"
        '<a id="catalog-leaf"></a>\n'
        "\n"
        "#### `Leaf`\n"
        "\n"
        "A leaf.\n"
        "\n"
        "| Field | Type | Default | Description |\n"
        "| --- | --- | --- | --- |\n"
        "| `on` | boolean | `true` | On. |\n"
    )


def test_type_of_unknown_shapes() -> None:
    assert type_of({}) == "any"
    assert type_of({"type": "array"}) == "list of any"
    assert type_of({"anyOf": [{"type": "string"}, {"type": "integer"}]}) == "string or integer"
