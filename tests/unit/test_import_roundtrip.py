"""Import is render's inverse: render a random valid catalog, import what it rendered, render
the import, and every Application means the same as before."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings

from kfboot import yamlio
from kfboot.catalog.load import parse_catalog
from kfboot.importing import importer
from kfboot.output import apply, plan
from kfboot.render.bootstrap import render
from tests.cli.test_import import _meaning, _wrappers
from tests.unit.test_random_catalogs import catalogs


def _applications(files: dict[str, str], boot: str) -> dict[str, dict[str, Any]]:
    wrappers = {k.replace("bootstrap/", f"{boot}/", 1): v for k, v in _wrappers(files).items()}
    apps = {}
    for rel, text in files.items():
        if not rel.endswith(".yaml"):
            continue  # bootstrap/Makefile
        (doc,) = yamlio.parse_back(text)
        if doc.get("kind") == "Application":
            apps[doc["metadata"]["name"]] = _meaning(doc, wrappers)
    return apps


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_import_of_a_render_renders_the_same(data: dict[str, Any]) -> None:
    before = render(parse_catalog(yamlio.dump(data)))
    with tempfile.TemporaryDirectory() as tmp:
        boot = Path(tmp) / "repo" / data["bootstrapPath"]
        apply(plan(boot, before))
        result = importer.import_path(boot, source="bootstrap")
    assert [f for f in result.findings if f.severity == "error"] == []
    catalog = parse_catalog(result.text)
    assert catalog.bootstrapPath == data["bootstrapPath"]
    after = render(catalog)
    assert _applications(after, data["bootstrapPath"]) == _applications(
        before, data["bootstrapPath"]
    )
