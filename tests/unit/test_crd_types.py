"""kfboot's table of Argo CD's fields and types matches the real CRDs' structural schemas.

The CRDs are read from ``../shared/reference/argo-cd`` (never copied into the project); the
tests skip cleanly where it is absent. Deliberately left out of the table (and so compared only
by their field names here): the content of ApplicationSet ``generators``; ``status`` and
``operation`` (written by Argo CD); ``metadata`` (the CRDs leave it to the API server).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from kfboot.check.rules.crd_types import BY_KIND, Schema

_SCALAR = {"string": "string", "boolean": "boolean", "integer": "integer"}


def _table(schema: dict[str, Any]) -> Schema:
    """The CRD's structural schema written the way kfboot's table writes it."""
    if schema.get("x-kubernetes-int-or-string"):
        return "int-or-string"
    kind = schema.get("type")
    if kind == "array":
        return [_table(schema["items"])]
    if kind == "object" and "properties" in schema:
        return {k: _table(v) for k, v in schema["properties"].items()}
    if kind == "object":
        values = schema.get("additionalProperties")
        if isinstance(values, dict) and values.get("type") in ("string", "boolean"):
            return f"{values['type'].replace('boolean', 'bool')}-map"
        return "object"
    return _SCALAR[kind]


def _spec(shared: Path, name: str) -> dict[str, Any]:
    crd = yaml.safe_load((shared / "reference" / "argo-cd" / f"{name}-crd.yaml").read_text())
    schema: dict[str, Any] = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    return schema


@pytest.mark.parametrize(
    ("kind", "name"),
    [("Application", "application"), ("AppProject", "appproject")],
)
def test_every_path_and_type_matches_the_crd(shared: Path, kind: str, name: str) -> None:
    schema = _spec(shared, name)
    assert _table(schema["properties"]["spec"]) == BY_KIND[kind]["spec"]
    assert set(schema["properties"]) == set(BY_KIND[kind])


def test_applicationset_matches_the_crd_but_for_the_generators(shared: Path) -> None:
    schema = _spec(shared, "applicationset")
    crd_spec = schema["properties"]["spec"]
    generators = crd_spec["properties"].pop("generators")["items"]["properties"]
    ours = dict(BY_KIND["ApplicationSet"]["spec"])
    ours_generators = ours.pop("generators")[0]
    assert set(generators) == set(ours_generators)
    assert set(ours_generators.values()) == {"object"}  # deliberately free-form
    assert _table(crd_spec) == ours
    assert set(schema["properties"]) == set(BY_KIND["ApplicationSet"])


def test_the_comparison_can_fail(shared: Path) -> None:
    schema = _spec(shared, "application")
    schema["properties"]["spec"]["properties"]["syncPolicy"]["properties"]["automated"][
        "properties"
    ]["prune"]["type"] = "string"
    assert _table(schema["properties"]["spec"]) != BY_KIND["Application"]["spec"]
