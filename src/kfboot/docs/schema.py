"""The JSON Schema of ``waves.yaml``, generated from the catalog models.

Editors with the YAML language server (VS Code's YAML extension, and others) validate and
complete a catalog whose first line is :data:`MODELINE`, against ``waves.schema.json`` beside it.
``kfboot render`` keeps that file up to date and ``kfboot check`` fails when it is stale.

The schema covers what a schema can: types, required fields, unknown keys, patterns, ranges.
Rules that relate several fields (references, cycles, wave order) are the models' alone.
Field descriptions are the attribute docstrings of ``models.py``, read here in one AST pass
(see that module's docstring for why); importing this module stays cheap, as ``init`` and
``import`` use :data:`MODELINE`.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import inspect
import itertools
import json
import sys
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, get_args

SCHEMA_FILE = "waves.schema.json"
MODELINE = f"# yaml-language-server: $schema=./{SCHEMA_FILE}"
# Draft 7: the YAML language server (VS Code's YAML extension) validates with draft 7 and warns
# that 2020-12 is "not yet fully supported". Pydantic's output uses nothing newer; its "$defs" is
# reached by JSON pointer ("#/$defs/Wave"), which every draft resolves.
DRAFT = "http://json-schema.org/draft-07/schema#"
TITLE = "kfboot catalog (waves.yaml)"
DESCRIPTION = (
    "The catalog from which kfboot renders the Argo CD bootstrap of Kubeflow. Generated from "
    "kfboot's models ('kfboot schema'); 'kfboot render' keeps waves.schema.json up to date."
)


def field_docstrings(source: str) -> dict[str, dict[str, str]]:
    """``{class name: {field name: docstring}}`` for every class in a module's source."""
    found: dict[str, dict[str, str]] = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.ClassDef):
            continue
        docs: dict[str, str] = {}
        for stmt, after in itertools.pairwise(node.body):
            if (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                docs[stmt.target.id] = markdown(after.value.value)
        found[node.name] = docs
    return found


def markdown(docstring: str) -> str:
    """A docstring as one-line-per-paragraph Markdown, as editors show descriptions."""
    paragraphs = inspect.cleandoc(docstring).split("\n\n")
    return "\n\n".join(" ".join(p.split()) for p in paragraphs).replace("``", "`")


def _describe(schema: dict[str, Any], docs: dict[str, str]) -> None:
    if "description" in schema:
        schema["description"] = markdown(schema["description"])
    for name, prop in schema.get("properties", {}).items():
        prop["title"] = name  # pydantic's default title turns repoURL into "Repourl"
        if name in docs:
            prop.setdefault("description", docs[name])


def catalog_schema() -> dict[str, Any]:
    """The JSON Schema (draft 7) of a catalog, with a description for every field."""
    return copy.deepcopy(_catalog_schema())


@cache  # render and check both need the schema; it never changes within a process
def _catalog_schema() -> dict[str, Any]:
    packaged = _packaged()
    return json.loads(packaged) if packaged is not None else generate()


def _packaged() -> str | None:
    """The schema shipped in the package (see :func:`generate` for why), if it is there."""
    try:
        return (resources.files("kfboot.docs") / SCHEMA_FILE).read_text(encoding="utf-8")
    except OSError:
        return None


def generate() -> dict[str, Any]:
    """Build the schema from the models.

    Building it costs pydantic 20-30 ms, more than the rest of a render of the default
    catalog, so the package ships the result (``src/kfboot/waves.schema.json``) and every
    command reads that instead; a test keeps it identical to this function's output.
    Regenerate it with ``python -m kfboot.docs.schema``.
    """
    from kfboot.catalog import models

    schema = models.Catalog.model_json_schema()
    docs: dict[str, dict[str, str]] = {}
    classes = _model_classes(models.Catalog)
    for module in sorted(
        {sys.modules[cls.__module__] for cls in classes}, key=lambda m: m.__name__
    ):
        # Installed without sources (.pyc only): no descriptions.
        with contextlib.suppress(OSError, TypeError):
            docs.update(field_docstrings(inspect.getsource(module)))
    for cls in classes:  # a subclass (Helm) documents the fields it inherits too
        for base in reversed(cls.__mro__):
            docs[cls.__name__] = {**docs.get(base.__name__, {}), **docs.get(cls.__name__, {})}
    _describe(schema, docs.get("Catalog", {}))
    for name, definition in schema.get("$defs", {}).items():
        _describe(definition, docs.get(name, {}))
    return {
        "$schema": DRAFT,
        **schema,
        "title": TITLE,
        "description": DESCRIPTION,
    }


def _model_classes(root: type[Any]) -> list[type[Any]]:
    """Every model the catalog reaches: models may live in several modules."""
    from pydantic import BaseModel

    seen: set[type[Any]] = set()
    stack: list[Any] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            if item in seen:
                continue
            seen.add(item)
            stack.extend(f.annotation for f in item.model_fields.values())
        else:
            stack.extend(get_args(item))
    return sorted(seen, key=lambda cls: (cls.__module__, cls.__name__))


def schema_text() -> str:
    """The schema as ``waves.schema.json`` holds it: the models' field order, two-space indent."""
    packaged = _packaged()
    return packaged if packaged is not None else generated_text()


def generated_text() -> str:
    """:func:`generate`'s schema as ``waves.schema.json`` text."""
    return json.dumps(generate(), indent=2, ensure_ascii=False) + "\n"


def undocumented(schema: dict[str, Any]) -> list[str]:
    """``Model.field`` for every property without a description (the tests require none)."""
    missing = [f"Catalog.{n}" for n, p in schema["properties"].items() if "description" not in p]
    for model, definition in schema.get("$defs", {}).items():
        for name, prop in definition.get("properties", {}).items():
            if "description" not in prop:
                missing.append(f"{model}.{name}")
    return missing


if __name__ == "__main__":
    # Regenerate the packaged schema after changing the models.
    (Path(__file__).parent / SCHEMA_FILE).write_text(generated_text(), encoding="utf-8")
