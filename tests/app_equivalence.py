"""Field-by-field comparison of Argo CD Applications after Argo CD's own defaults.

``import`` promises: every rendered Application means what the imported one meant, or import
named the difference in a finding. :func:`unexplained` checks that promise for one imported tree:
it compares each original Application with the rendered one of the same name and returns the
differences no finding explains. A finding explains a difference when it sits in the original's
file, on the differing field or inside it (or, for a field the original did not have, on the
nearest field it did have).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from kfboot import yamlio

FieldPath = tuple[str | int, ...]
WAVE = "argocd.argoproj.io/sync-wave"
# The fields compared, each as a whole; a difference inside one is reported as that field.
FIELDS: tuple[FieldPath, ...] = (
    ("metadata", "namespace"),
    ("metadata", "labels"),
    ("metadata", "annotations"),
    ("metadata", "finalizers"),
    ("spec", "project"),
    ("spec", "destination"),
    ("spec", "source"),
    ("spec", "syncPolicy", "automated"),
    ("spec", "syncPolicy", "syncOptions"),
    ("spec", "syncPolicy", "retry"),
    ("spec", "ignoreDifferences"),
    ("spec", "revisionHistoryLimit"),
    ("spec", "info"),
    ("spec", "sourceHydrator"),
    ("spec", "syncPolicy", "managedNamespaceMetadata"),
)


def _get(doc: Any, path: FieldPath) -> Any:
    for part in path:
        doc = doc.get(part) if isinstance(doc, dict) else None
    return doc


def _clean(value: Any) -> Any:
    """Empty values are absent values to Argo CD (``name: ""`` from a UI export, ``{}``)."""
    if isinstance(value, dict):
        cleaned = {k: _clean(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, "", [], {}, False)}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _source(source: dict[str, Any], wrappers: dict[str, list[str]]) -> list[Any]:
    source = _clean(source)
    source.setdefault("targetRevision", "HEAD")
    if "path" in source:
        source["path"] = source["path"].removeprefix("./").rstrip("/") or "."
    helm = source.get("helm")
    if isinstance(helm, dict):
        values = yaml.safe_load(helm.pop("values", "") or "") or {}
        values.update(helm.pop("valuesObject", {}) or {})
        if values:
            helm["values"] = values
    if "path" in source and source["path"] in wrappers:
        return [{**source, "path": p} for p in wrappers[source["path"]]]
    return [source]


def meaning(app: dict[str, Any], wrappers: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """Each compared field as Argo CD reads it; ``wrappers`` maps a kustomization directory that
    only lists other directories to them (a wrapper means its paths)."""
    spec = app.get("spec") or {}
    raw = spec.get("sources") or ([spec["source"]] if spec.get("source") else [])
    sources = [s for item in raw for s in _source(item, wrappers or {})]
    annotations = dict(_clean(_get(app, ("metadata", "annotations")) or {}))
    annotations[WAVE] = str(annotations.get(WAVE, "0"))  # no annotation is wave 0
    sync = _get(app, ("spec", "syncPolicy")) or {}
    automated = sync.get("automated")
    if not isinstance(automated, dict) or automated.get("enabled") is False:
        automated = None  # manual sync
    if "retry" not in sync and automated is not None:
        # Auto-sync retries 5 times without a retry policy (argo-cd v3.1.8
        # controller/appcontroller.go L2148-2153).
        retry = {"limit": 5}
    else:
        retry = _clean(sync.get("retry") or {})
    if not retry.get("limit"):
        retry = {}  # no retry policy (manual sync) and limit 0 both mean no retries
    else:  # Argo CD's backoff defaults (pkg/apis/application/v1alpha1/types.go)
        retry["backoff"] = {"duration": "5s", "factor": 2, "maxDuration": "3m"} | (
            retry.get("backoff") or {}
        )
    return {
        ("metadata", "namespace"): _get(app, ("metadata", "namespace")),
        ("metadata", "labels"): _clean(_get(app, ("metadata", "labels")) or {}),
        ("metadata", "annotations"): annotations,
        ("metadata", "finalizers"): _get(app, ("metadata", "finalizers")) or [],
        ("spec", "project"): spec.get("project") or "default",
        ("spec", "destination"): _clean(spec.get("destination") or {}),
        ("spec", "source"): sorted(json.dumps(s, sort_keys=True) for s in sources),
        ("spec", "syncPolicy", "automated"): None if automated is None else _clean(automated),
        ("spec", "syncPolicy", "syncOptions"): sync.get("syncOptions") or [],
        ("spec", "syncPolicy", "retry"): retry,
        ("spec", "ignoreDifferences"): sorted(
            json.dumps(e, sort_keys=True) for e in spec.get("ignoreDifferences") or []
        ),
        # Argo CD keeps 10 revisions when the field is absent.
        ("spec", "revisionHistoryLimit"): spec.get("revisionHistoryLimit", 10),
        ("spec", "info"): spec.get("info") or [],
        ("spec", "sourceHydrator"): _clean(spec.get("sourceHydrator") or {}),
        ("spec", "syncPolicy", "managedNamespaceMetadata"): _clean(
            sync.get("managedNamespaceMetadata") or {}
        ),
    }


def applications(root: Path) -> dict[str, tuple[str, dict[str, Any], yamlio.Positions]]:
    """Every Application under ``root``: name -> (file relative to root, document, positions).

    Files named ``*.not-app.yaml`` hold Applications Argo CD never reads as such (patches,
    chart templates, alternatives a kustomization does not select): they are skipped.
    """
    found = {}
    for file in sorted(root.rglob("*.y*ml")):
        if file.name.endswith(".not-app.yaml"):
            continue
        text = file.read_text()
        if "argoproj.io" not in text:
            continue
        for doc, pos in yamlio.load_all_with_positions(text):
            if isinstance(doc, dict) and doc.get("kind") == "Application":
                found[doc["metadata"]["name"]] = (file.relative_to(root).as_posix(), doc, pos)
    return found


def _marks(pos: yamlio.Positions, field: FieldPath, present: bool) -> set[tuple[int, int]]:
    """Where a finding about ``field`` may sit: inside it, or (absent) on its nearest parent."""
    inside = {
        (m.line, m.col)
        for table in (pos.values, pos.keys)
        for path, m in table.items()
        if path[: len(field)] == field
    }
    if present or inside:
        return inside
    for end in range(len(field) - 1, 0, -1):
        if field[:end] in pos.values:
            return {(pos.values[field[:end]].line, pos.values[field[:end]].col)}
    return set()


def unexplained(
    originals: dict[str, tuple[str, dict[str, Any], yamlio.Positions]],
    rendered: dict[str, dict[str, Any]],
    findings: list[dict[str, Any]],
    wrappers: dict[str, list[str]] | None = None,
) -> list[str]:
    """``name: field`` for every difference no finding explains (an empty list keeps the rule).

    ``findings`` are import's JSON findings (``file`` relative to the imported directory's parent
    as import prints it, ``line``, ``col``); an Application import did not render must have a
    finding in its file.
    """
    by_file: dict[str, set[tuple[int, int]]] = {}
    for f in findings:
        by_file.setdefault(f["file"].split("/", 1)[-1], set()).add((f["line"], f["col"]))
    problems = []
    for name, (rel, doc, pos) in sorted(originals.items()):
        here = by_file.get(rel, set())
        if name not in rendered:
            if not here:
                problems.append(f"{name}: not rendered, and no finding in {rel}")
            continue
        old, new = meaning(doc, wrappers), meaning(rendered[name])
        for field in FIELDS:
            if old[field] != new[field]:
                present = _get(doc, field) is not None
                if not here & _marks(pos, field, present):
                    dotted = ".".join(map(str, field))
                    problems.append(f"{name}: {dotted}: {old[field]!r} became {new[field]!r}")
    return problems
