"""An imported source's ``helm`` and ``kustomize`` options, in the catalog's shape.

What the catalog holds (``HelmOptions``, ``KustomizeOptions``) is carried as it is; every other
option is named in a finding with its value, since the rendered Application will not have it.
"""

from __future__ import annotations

from typing import Any

from kfboot import yamlio
from kfboot.catalog.accepts import fits
from kfboot.catalog.models import HelmOptions, KustomizeOptions
from kfboot.findings import Finding
from kfboot.importing.app_files import AppDoc, dotted, mapping, shown
from kfboot.importing.fixes import NOT_CARRIED

Where = tuple[str | int, ...]
_HELM = ("releaseName", "valueFiles", "ignoreMissingValueFiles", "parameters")
_KUSTOMIZE = tuple(KustomizeOptions.model_fields)


def _drop(app: AppDoc, where: Where, key: str, value: Any, why: str, found: list[Finding]) -> None:
    msg = f"{dotted((*where, key))} is {shown(value)}: {why}; the rendered Application lacks it"
    found.append(app.finding((*where, key), NOT_CARRIED, msg, key=True))


def helm(
    app: AppDoc, where: Where, raw: Any, found: list[Finding], read: bool = False
) -> dict[str, Any]:
    """The catalog's Helm options of ``raw`` (a source's ``helm``); ``where`` is the source.
    With ``read``, the value files are kept as written, ``$name/...`` too: the caller reads
    them (argo-helm's argo-cd chart, whose values the catalog holds)."""
    options: dict[str, Any] = {}
    here = (*where, "helm")
    for key, value in mapping(raw).items():
        if key == "valueFiles" and isinstance(value, list) and read:
            options[key] = [str(v) for v in value]
        elif key == "valueFiles" and isinstance(value, list):
            kept = [v for v in value if not (isinstance(v, str) and v.startswith("$"))]
            for ref in (v for v in value if v not in kept):
                _drop(
                    app,
                    here,
                    key,
                    ref,
                    "it reads a ref: source, which the catalog does not have",
                    found,
                )
            if kept and fits(HelmOptions, key, kept):
                options[key] = kept
            elif kept:
                _drop(app, here, key, kept, "the catalog cannot hold this value", found)
        elif key in _HELM and value not in (None, "", [], False):
            if fits(HelmOptions, key, value):
                options[key] = value
            else:
                _drop(app, here, key, value, "the catalog cannot hold this value", found)
        elif key not in ("values", "valuesObject") and value not in (None, "", [], {}, False):
            _drop(app, here, key, value, "the catalog has no such Helm option", found)
    values = values_of(app, here, raw, found)
    if values:
        options["values"] = values
    return options


def values_of(app: AppDoc, here: Where, raw: Any, found: list[Finding]) -> dict[str, Any]:
    """The values Helm gets from ``raw`` (a source's ``helm``): ``valuesObject`` when it is set,
    else ``values``. Argo CD ignores ``values`` beside ``valuesObject``, it does not merge them
    (argo-cd v3.4.7 pkg/apis/application/v1alpha1/values.go L40-50: ValuesYAML), so ignored
    ``values`` are named, never carried."""
    merged: dict[str, Any] = {}
    text = mapping(raw).get("values")
    if mapping(raw).get("valuesObject") is not None and text not in (None, ""):
        why = "Argo CD ignores values when valuesObject is set (it does not merge them)"
        why += ", so nothing installed them"
        msg = f"{dotted((*here, 'values'))} is {shown(text)}: {why}; the catalog has its values"
        found.append(app.finding((*here, "values"), NOT_CARRIED, msg, key=True))
        text = None
    if isinstance(text, str) and text.strip():
        try:
            parsed = yamlio.load_with_positions(text)[0]
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            merged.update(parsed)
        else:
            _drop(app, here, "values", text, "it is not a YAML mapping", found)
    obj = mapping(raw).get("valuesObject")
    if isinstance(obj, dict):
        merged.update(obj)
    elif obj not in (None, "", [], False):
        _drop(app, here, "valuesObject", obj, "it is not a YAML mapping", found)
    if merged and not fits(HelmOptions, "values", merged):
        _drop(app, here, "values", merged, "it has keys that are not strings", found)
        return {}
    return merged


def kustomize(app: AppDoc, where: Where, raw: Any, found: list[Finding]) -> dict[str, Any]:
    """The catalog's kustomize options of ``raw`` (a source's ``kustomize``)."""
    options: dict[str, Any] = {}
    here = (*where, "kustomize")
    for key, value in mapping(raw).items():
        if value in (None, "", [], {}, False):
            continue
        if key in _KUSTOMIZE and fits(KustomizeOptions, key, value):
            options[key] = value
        elif key in _KUSTOMIZE:
            _drop(app, here, key, value, "the catalog cannot hold this value", found)
        else:
            _drop(app, here, key, value, "the catalog has no such kustomize option", found)
    return options
