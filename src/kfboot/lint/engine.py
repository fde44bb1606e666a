"""The lint engine: every registry rule that makes sense on hand-written Argo CD objects.

An Application gets the Application rules of ``check`` (:data:`APPLICATION_RULES`), the
credential rule and ``retry-without-refresh``; an ApplicationSet gets the same rules on its
``template`` (a value holding a ``{{ }}`` template is filled in per generated Application, so it
is not judged), its own fields and types, and its template's finalizers; an AppProject its
fields, types and finalizers. The rules over the whole tree (:mod:`kfboot.lint.tree_rules`)
follow. Every finding carries the object it is about (``Kind/namespace/name``), which is how a
baseline matches it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import Any

from kfboot.check.rules.application import Context, Hit, get_path
from kfboot.check.rules.application_runner import application_hits, waves_by_name
from kfboot.check.rules.credentials import application_credentials
from kfboot.check.rules.field_types import object_schema_hits
from kfboot.check.rules.finalizers import finalizer_hits
from kfboot.check.rules.registry import severity
from kfboot.check.rules.retry_refresh import retry_without_refresh
from kfboot.findings import Finding
from kfboot.lint.reading import ArgoObject


@dataclass(frozen=True, order=True)
class Located:
    """A finding and the object it is about (``""``: the file as a whole)."""

    finding: Finding
    obj: str = ""


def _templated(doc: Any, hit: Hit) -> bool:
    node = doc
    for part in hit.path:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
    return isinstance(node, str) and "{{" in node


_FINALIZERS = ("metadata", "finalizers")
_NOT_ON_TEMPLATES = ("root-server-side-apply", "dependency-wave-order", "unknown-field")


def _template_hits(appset: dict[str, Any]) -> Iterator[Hit]:
    template = get_path(appset, "spec", "template")
    if not isinstance(template, dict):
        return
    app = {"metadata": template.get("metadata") or {}, "spec": template.get("spec") or {}}
    found = [*application_hits(app, Context()), *application_credentials(app, Context())]
    for hit in [*found, *retry_without_refresh(app, Context())]:
        if hit.rule not in _NOT_ON_TEMPLATES and not _templated(app, hit):
            yield Hit(hit.rule, ("spec", "template", *hit.path), hit.message, hit.key)


def object_hits(obj: ArgoObject, ctx: Context) -> Iterator[Hit]:
    """Every rule's hits for one object."""
    if obj.kind == "Application":
        yield from application_hits(obj.doc, ctx)
        yield from application_credentials(obj.doc, ctx)
        yield from retry_without_refresh(obj.doc, ctx)
    elif obj.kind == "ApplicationSet":
        yield from object_schema_hits(obj.doc)
        yield from _template_hits(obj.doc)
        at = ("spec", "template", "metadata", "finalizers")
        yield from finalizer_hits(get_path(obj.doc, *at), at)
    else:
        yield from object_schema_hits(obj.doc)
        yield from finalizer_hits(
            get_path(obj.doc, "metadata", "finalizers"), _FINALIZERS, "AppProject"
        )


def place(obj: ArgoObject, hit: Hit) -> Located:
    """A hit at the file, line and column of its object's YAML path."""
    mark = obj.pos.of_key(hit.path) if hit.key else obj.pos.of_value(hit.path)
    finding = Finding(obj.file, mark.line, mark.col, severity(hit.rule), hit.rule, hit.message)
    return Located(finding, obj.ident)


def lint_objects(
    objects: list[ArgoObject],
    is_root: Callable[[int, ArgoObject], bool],
    *,
    waves: dict[str, int] | None = None,
    ignore: Callable[[ArgoObject], Collection[str]] = lambda obj: (),
) -> list[Located]:
    """The findings of each object on its own (``is_root(index, object)``: an app of apps?;
    ``waves``: Application name -> wave, by default those of ``objects``; ``ignore``: rule ids
    switched off for an object)."""
    apps = [o.doc for o in objects if o.kind == "Application"]
    known = waves if waves is not None else waves_by_name(apps)
    found: list[Located] = []
    for i, obj in enumerate(objects):
        ctx = Context(is_root=is_root(i, obj), waves=known)
        off = ignore(obj)
        found += [place(obj, hit) for hit in object_hits(obj, ctx) if hit.rule not in off]
    return found
