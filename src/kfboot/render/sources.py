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
