"""An imported Application's sources -> the component's ``sources:`` list, when the simple
forms (``paths``, ``helm``) cannot say them: a chart beside paths, ``ref:`` sources and the
``$name/...`` value files that read them, several charts or repositories, and options the simple
forms do not hold (``directory``, ``plugin``, ``skipCrds``, ``kustomize.replicas``, ...).

Each source is carried as Argo CD wrote it (a ``repoURL`` equal to the catalog's is left to
default, so ``set-repo`` moves it too); what the catalog cannot hold is named, never guessed.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from kfboot.catalog.models import HelmOptions, KustomizeOptions
from kfboot.catalog.source_list_models import Source, value_file_ref
from kfboot.findings import Finding
from kfboot.importing import source_options
from kfboot.importing.app_files import AppDoc, dotted, mapping, shown
from kfboot.importing.fixes import NOT_CARRIED, defect

Indexed = list[tuple[int | None, dict[str, Any]]]
_IDENTITY = ("repoURL", "targetRevision", "path", "chart", "ref", "name")
_SIMPLE_HELM = set(HelmOptions.model_fields) | {"valuesObject"}


def _spath(i: int | None) -> tuple[str | int, ...]:
    return ("spec", "source") if i is None else ("spec", "sources", i)


def needs_list(sources: Indexed) -> bool:
    """Whether ``paths``/``helm`` would lose something these sources say."""
    charts = [s for _, s in sources if "chart" in s]
    paths = [s for _, s in sources if "chart" not in s and "path" in s]
    if len(charts) > 1 or (charts and paths) or any("ref" in s for _, s in sources):
        return True
    if len({(s.get("repoURL"), s.get("targetRevision")) for s in paths}) > 1:
        return True
    if len({repr((s.get("helm"), s.get("kustomize"))) for s in paths}) > 1:
        return True
    for _, s in sources:
        helm, kustomize = mapping(s.get("helm")), mapping(s.get("kustomize"))
        files = helm.get("valueFiles")
        if any(isinstance(f, str) and f.startswith("$") for f in files or []):
            return True
        if s.get("directory") or s.get("plugin") or set(helm) - _SIMPLE_HELM:
            return True
        if set(kustomize) - set(KustomizeOptions.model_fields):
            return True
    return False


def listed(
    app: AppDoc, sources: Indexed, catalog: tuple[str, str], found: list[Finding]
) -> dict[str, Any] | None:
    """The component's ``sources:`` (None, with findings, when no source can be carried)."""
    result = []
    for i, source in sources:
        entry = _entry(app, i, source, catalog, found)
        if entry is not None:
            result.append((i, entry))
    refs = {e["ref"] for _, e in result if "ref" in e}
    for i, entry in result:
        files = mapping(entry.get("helm")).get("valueFiles") or []
        for k, value_file in enumerate(list(files)):
            name = value_file_ref(value_file)
            if name is not None and name not in refs:
                # check's values-ref-missing, with what import did (the Application it judges
                # keeps the file: a copy of the list loses it, not the Application)
                action = f"dropped the value file (the catalog has no ref: {name} to read it from)"
                where = (*_spath(i), "helm", "valueFiles", k)
                found.append(defect(app, where, "values-ref-missing", action))
                entry["helm"] = {
                    **entry["helm"],
                    "valueFiles": [f for f in files if f != value_file],
                }
                files = entry["helm"]["valueFiles"]
    return {"sources": [e for _, e in result]} if result else None


def _entry(
    app: AppDoc,
    i: int | None,
    source: dict[str, Any],
    catalog: tuple[str, str],
    found: list[Finding],
) -> dict[str, Any] | None:
    here = _spath(i)
    entry: dict[str, Any] = {k: source[k] for k in _IDENTITY if source.get(k) not in (None, "")}
    if isinstance(entry.get("path"), str):
        entry["path"] = entry["path"].strip().removeprefix("./").rstrip("/") or "."
    if "chart" not in entry and "targetRevision" not in entry:
        entry["targetRevision"] = "HEAD"  # Argo CD's default: not the catalog's revision
    if entry.get("repoURL") == catalog[0]:
        del entry["repoURL"]  # the catalog's repository: set-repo moves it along
        if entry.get("targetRevision") == catalog[1]:
            del entry["targetRevision"]
    # A source with neither path, chart nor ref is no source to the catalog (nor to Argo CD).
    if not _fits(entry) or not any(k in entry for k in ("path", "chart", "ref")):
        msg = (
            f"{dotted(here)} is no source the catalog can hold (its repoURL, path, chart or "
            "ref); the rendered Application does not have it"
        )
        found.append(app.finding(here, NOT_CARRIED, msg))
        return None
    for key in ("helm", "kustomize", "directory", "plugin"):
        if key not in source or source[key] in (None, {}):
            continue
        value = _helm(app, here, source[key], found) if key == "helm" else source[key]
        if _fits({**entry, key: value}):
            entry[key] = value
        else:
            msg = (
                f"{dotted((*here, key))} is {shown(value)}, which the catalog cannot hold; the "
                "rendered Application does not have it"
            )
            found.append(app.finding((*here, key), NOT_CARRIED, msg, key=True))
    for key in source:
        if key not in (*_IDENTITY, "helm", "kustomize", "directory", "plugin"):
            msg = (
                f"{dotted((*here, key))} is {shown(source[key])}; Argo CD's source has no such "
                "field, so the rendered Application does not have it"
            )
            found.append(app.finding((*here, key), NOT_CARRIED, msg, key=True))
    return entry


def _helm(app: AppDoc, here: tuple[str | int, ...], raw: Any, found: list[Finding]) -> Any:
    """``helm`` with ``values`` (text) and ``valuesObject`` merged into the catalog's mapping."""
    helm = {k: v for k, v in mapping(raw).items() if k not in ("values", "valuesObject")}
    values = source_options.values_of(app, (*here, "helm"), raw, found)
    if values:
        helm["values"] = values
    return helm


def _fits(entry: dict[str, Any]) -> bool:
    try:
        Source.model_validate(entry)
    except ValidationError:
        return False
    return True
