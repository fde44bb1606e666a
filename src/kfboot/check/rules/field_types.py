"""Rule ``application-field-type``: a string field of an Application that YAML reads otherwise.

``targetRevision: 26.03`` is the float 26.03 and ``namespace: 0x1F`` the integer 31: the
Application CRD (argoproj/argo-cd ``manifests/crds/application-crd.yaml``) types these fields as
strings, so the API server refuses the file, or a tool that converts it picks a different value.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kfboot.check.rules.application import Context, Hit, get_path
from kfboot.yamlio import Path_

_SOURCE_FIELDS = ("repoURL", "path", "targetRevision", "chart", "ref")
_FIXED: tuple[Path_, ...] = (
    ("metadata", "name"),
    ("metadata", "namespace"),
    ("spec", "project"),
    ("spec", "destination", "server"),
    ("spec", "destination", "name"),
    ("spec", "destination", "namespace"),
)


def _paths(app: Any) -> Iterator[Path_]:
    yield from _FIXED
    yield from (("spec", "source", name) for name in _SOURCE_FIELDS)
    yield ("spec", "source", "helm", "releaseName")
    sources = get_path(app, "spec", "sources")
    for i in range(len(sources) if isinstance(sources, list) else 0):
        yield from (("spec", "sources", i, name) for name in _SOURCE_FIELDS)


def _at(app: Any, path: Path_) -> Any:
    node = app
    for part in path:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
    return node


def application_field_type(app: Any, ctx: Context) -> Iterator[Hit]:
    for path in _paths(app):
        value = _at(app, path)
        if isinstance(value, (bool, int, float)):
            kind = "a boolean" if isinstance(value, bool) else f"a {type(value).__name__}"
            yield Hit(
                "application-field-type",
                path,
                f"{path[-1]} must be a string, but YAML reads it as {kind} ({value!r}); quote it",
            )
