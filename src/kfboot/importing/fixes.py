"""The fixes ``kfboot import`` applies to what ``kfboot check``'s rules find in hand-written
Applications.

Detection is check's (``kfboot.check.rules``): its findings, ids, severities and positions are what
import prints. This module computes the value import carries into the catalog for each defect
(fixed where the fix is certain) and records what it did as an *action*, a finding at the same
position whose message the importer appends to check's: ``...; import removed it``.
"""

from __future__ import annotations

from typing import Any

from kfboot.catalog.accepts import fits
from kfboot.catalog.models import Component
from kfboot.check.rules.application import jq_every_item
from kfboot.check.rules.argocd import DESTRUCTIVE, WAVE_ANNOTATION, atoi
from kfboot.check.rules.fields import SPEC
from kfboot.check.rules.registry import severity
from kfboot.findings import Finding
from kfboot.importing.app_files import AppDoc, dotted, shown
from kfboot.k8s import BUILTIN_KINDS, LIKELY_MEANT


def _names(tree: Any) -> frozenset[str]:
    return frozenset(tree) if isinstance(tree, dict) else frozenset()


SOURCE_FIELDS = _names(SPEC["source"])
IGNORE_FIELDS = _names(SPEC["ignoreDifferences"])
ACTION = "; import "
NOT_CARRIED = "import-not-carried-over"
DEFAULTED = "import-default-applied"


def defect(
    app: AppDoc, path: tuple[str | int, ...], rule: str, action: str, key: bool = False
) -> Finding:
    """What import did about the defect check's ``rule`` reports at ``path``."""
    return app.finding(path, rule, action, severity(rule), key=key)


def _at(data: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def sources(app: AppDoc) -> list[tuple[int | None, dict[str, Any]]]:
    spec = app.spec
    found: list[tuple[int | None, dict[str, Any]]] = []
    if isinstance(spec.get("source"), dict):
        found.append((None, spec["source"]))
    found.extend((i, s) for i, s in enumerate(_list(spec.get("sources"))) if isinstance(s, dict))
    return found


def wave(app: AppDoc) -> tuple[int, list[Finding]]:
    """The sync wave; Argo CD reads anything but a string integer as wave 0."""
    annotations = app.metadata.get("annotations")
    path = ("metadata", "annotations", WAVE_ANNOTATION)
    if not isinstance(annotations, dict) or WAVE_ANNOTATION not in annotations:
        msg = "no sync-wave annotation; imported into wave 0"
        return 0, [app.finding(("metadata", "name"), "import-default-applied", msg)]
    value = annotations[WAVE_ANNOTATION]
    if atoi(value) is not None:
        return int(value), []
    if isinstance(value, int) and not isinstance(value, bool) and atoi(str(value)) is not None:
        # The number was meant; the catalog writes it as the string Argo CD needs.
        return value, [defect(app, path, "sync-wave-format", f"keeps wave {value}")]
    return 0, [defect(app, path, "sync-wave-format", "uses wave 0 too")]


def sync_options(app: AppDoc, *, root: bool) -> tuple[list[str], list[Finding]]:
    """Sync options as strings; the root loses ``ServerSideApply=true`` (argo-cd#13320)."""
    path: tuple[str | int, ...] = ("spec", "syncPolicy", "syncOptions")
    options: list[str] = []
    found: list[Finding] = []
    for i, option in enumerate(_list(_at(app.data, ("spec", "syncPolicy", "syncOptions")))):
        where = (*path, i)
        if not isinstance(option, str):
            msg = (
                f"{dotted(where)} is {shown(option)}, not a string; the catalog's sync options "
                "are strings, so the rendered Application does not have it"
            )
            found.append(app.finding(where, "import-not-carried-over", msg))
        elif root and option.replace(" ", "") == "ServerSideApply=true":
            found.append(defect(app, where, "root-server-side-apply", "removed it"))
        else:
            if option in DESTRUCTIVE:
                found.append(defect(app, where, "destructive-sync-option", "carried it over"))
            options.append(option)
    return options, found


def ignore_differences(app: AppDoc) -> tuple[list[dict[str, Any]], list[Finding]]:
    """The entries in the catalog's shape, with misnamed kinds and list-index pointers fixed."""
    entries: list[dict[str, Any]] = []
    found: list[Finding] = []
    for i, raw in enumerate(_list(app.spec.get("ignoreDifferences"))):
        path: tuple[str | int, ...] = ("spec", "ignoreDifferences", i)
        if not isinstance(raw, dict) or not isinstance(raw.get("kind"), str) or not raw["kind"]:
            msg = (
                f"{dotted(path)} has no kind, which the catalog requires; the rendered "
                "Application does not have this entry"
            )
            found.append(app.finding(path, "import-not-carried-over", msg))
            continue
        entry = {k: v for k, v in raw.items() if k in IGNORE_FIELDS}
        kept, notes = _fix_kind(app, path, entry)
        found.extend(notes)
        if kept:
            found.extend(_fix_pointers(app, path, entry))
            entry = {k: entry[k] for k in sorted(IGNORE_FIELDS, key=_order) if k in entry}
            if fits(Component, "ignoreDifferences", [entry]):
                entries.append(entry)
            else:
                msg = (
                    f"{dotted(path)} has values of the wrong type ({shown(entry)}); the "
                    "rendered Application does not have this entry"
                )
                found.append(app.finding(path, "import-not-carried-over", msg))
    return entries, found


_FIELD_ORDER = [
    "group",
    "kind",
    "name",
    "namespace",
    "jsonPointers",
    "jqPathExpressions",
    "managedFieldsManagers",
]


def _order(key: str) -> int:
    return _FIELD_ORDER.index(key)


def _fix_kind(
    app: AppDoc, path: tuple[str | int, ...], entry: dict[str, Any]
) -> tuple[bool, list[Finding]]:
    group, kind = entry.get("group") or "", entry["kind"]
    known = BUILTIN_KINDS.get(group) if isinstance(group, str) else None
    if known is None or kind in known:
        return True, []
    where = (*path, "kind")
    if LIKELY_MEANT.get(kind) in known:
        entry["kind"] = LIKELY_MEANT[kind]
        action = f"wrote {LIKELY_MEANT[kind]}, the kind that was meant"
        return True, [defect(app, where, "ignore-differences-unknown-kind", action)]
    # It matched nothing, so dropping it keeps what Argo CD did.
    return False, [defect(app, where, "ignore-differences-unknown-kind", "dropped it")]


def _fix_pointers(app: AppDoc, path: tuple[str | int, ...], entry: dict[str, Any]) -> list[Finding]:
    pointers = _list(entry.get("jsonPointers"))
    kept: list[Any] = []
    jq: list[Any] = list(_list(entry.get("jqPathExpressions")))
    found = []
    for j, pointer in enumerate(pointers):
        expression = jq_every_item(pointer) if isinstance(pointer, str) else None
        if expression is None:
            kept.append(pointer)
            continue
        action = f"wrote the jq path {expression}, which covers every item"
        found.append(
            defect(app, (*path, "jsonPointers", j), "ignore-differences-list-index", action)
        )
        if expression not in jq:
            jq.append(expression)
    entry.pop("jsonPointers", None)
    entry.pop("jqPathExpressions", None)
    if kept:
        entry["jsonPointers"] = kept
    if jq:
        entry["jqPathExpressions"] = jq
    return found
