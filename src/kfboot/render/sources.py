"""An Application's source(s) from a component: git paths, a chart, and their Argo CD options.

The options are written in Argo CD's own shape (``spec.source.helm``, ``spec.source.kustomize``,
``pkg/apis/application/v1alpha1/types.go``): ``helm.values`` is a YAML string, parameters carry
``forceString`` only when set, and empty options are left out rather than written empty.
"""

from __future__ import annotations

from typing import Any

from kfboot import yamlio
from kfboot.catalog.models import Catalog, Component, HelmOptions, KustomizeOptions


def helm_options(helm: HelmOptions) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if helm.releaseName:
        result["releaseName"] = helm.releaseName
    if helm.valueFiles:
        result["valueFiles"] = list(helm.valueFiles)
    if helm.ignoreMissingValueFiles:
        result["ignoreMissingValueFiles"] = True
    if helm.parameters:
        result["parameters"] = [
            p.model_dump(exclude_defaults=True) | {"name": p.name, "value": p.value}
            for p in helm.parameters
        ]
    if helm.values:
        result["values"] = yamlio.dump(helm.values)
    return result


def kustomize_options(options: KustomizeOptions) -> dict[str, Any]:
    result = options.model_dump(exclude_defaults=True, exclude_none=True)
    if options.patches:
        result["patches"] = [p.model_dump(exclude_none=True) for p in options.patches]
    return result


def _with_options(source: dict[str, Any], comp: Component) -> dict[str, Any]:
    options = comp.source
    helm = helm_options(options.helm) if options and options.helm else {}
    kustomize = kustomize_options(options.kustomize) if options and options.kustomize else {}
    if helm:
        source["helm"] = helm
    if kustomize:
        source["kustomize"] = kustomize
    return source


def chart_source(comp: Component) -> dict[str, Any]:
    assert comp.helm is not None
    source: dict[str, Any] = {"repoURL": comp.helm.repoURL, "chart": comp.helm.chart}
    if comp.helm.targetRevision is not None:
        source["targetRevision"] = comp.helm.targetRevision
    if helm := helm_options(comp.helm):
        source["helm"] = helm
    return source


def git_sources(catalog: Catalog, comp: Component, path: str) -> list[dict[str, Any]]:
    """One source for ``path`` (the Application's single path or its wrapper), or one per path
    of a multi-source component."""
    repo = comp.repoURL or catalog.repoURL
    revision = comp.targetRevision or catalog.targetRevision
    paths = comp.paths if comp.multi_source else [path]
    return [
        _with_options({"repoURL": repo, "targetRevision": revision, "path": p}, comp) for p in paths
    ]


def listed_sources(catalog: Catalog, comp: Component) -> list[dict[str, Any]]:
    """A ``sources:`` list in Argo CD's shape: a source without repoURL reads the catalog's
    repository at the catalog's revision (unless it names its own)."""
    result = []
    for s in comp.sources:
        source: dict[str, Any] = {"repoURL": s.repoURL or catalog.repoURL}
        revision = s.targetRevision or (catalog.targetRevision if s.repoURL is None else None)
        if revision is not None:
            source["targetRevision"] = revision
        for key in ("path", "chart", "ref", "name"):
            if getattr(s, key) is not None:
                source[key] = getattr(s, key)
        if s.helm is not None:
            extra = s.helm.model_dump(
                exclude_defaults=True, exclude=set(HelmOptions.model_fields), exclude_none=True
            )
            if helm := {**helm_options(s.helm), **extra}:
                source["helm"] = helm
        if s.kustomize is not None and (kustomize := kustomize_options(s.kustomize)):
            source["kustomize"] = kustomize
        for key in ("directory", "plugin"):
            options = getattr(s, key)
            if options is not None:
                source[key] = options.model_dump(exclude_defaults=True, exclude_none=True)
        result.append(source)
    return result
