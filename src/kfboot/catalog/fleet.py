"""The catalog as one cluster of the fleet sees it: overrides applied, Argo CD on the hub only.

:func:`cluster_catalog` turns the catalog and one of its ``clusters`` into a plain one-cluster
catalog, so rendering, the rules and the cluster commands reuse their one-cluster code per
cluster. Pure; the models are already valid, so the copies skip validation.
"""

from __future__ import annotations

from typing import Any

from kfboot.catalog.fleet_models import Cluster, ClusterOverride
from kfboot.catalog.models import Catalog, Component, Wrapper
from kfboot.errors import UsageError


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over`` merged into ``base``: mappings key by key, anything else replaced."""
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def overridden(comp: Component, cluster: Cluster) -> Component:
    """``comp`` as it runs on ``cluster``."""
    ov = cluster.components.get(comp.name, ClusterOverride())
    update: dict[str, Any] = {
        f: getattr(ov, f) for f in ("enabled", "automated", "syncOptions", "retry")
    }
    update = {k: v for k, v in update.items() if v is not None}
    if comp.argocd is not None and not cluster.hub:
        update["enabled"] = False  # Argo CD runs on the hub only; the others are its targets
    if ov.values is not None and comp.helm is not None:
        helm_values = deep_merge(comp.helm.values, ov.values)
        update["helm"] = comp.helm.model_copy(update={"values": helm_values})
    if ov.values is not None and comp.argocd is not None:
        argocd_values = deep_merge(comp.argocd.values, ov.values)
        update["argocd"] = comp.argocd.model_copy(update={"values": argocd_values})
    if ov.patches:
        wrapper = comp.kustomize or Wrapper()
        update["kustomize"] = wrapper.model_copy(
            update={"patches": [*wrapper.patches, *ov.patches]}
        )
    return comp.model_copy(update=update) if update else comp


def cluster_catalog(catalog: Catalog, cluster: Cluster) -> Catalog:
    """The one-cluster catalog ``cluster`` gets (no ``clusters``; its own targetRevision)."""
    update: dict[str, Any] = {
        "components": [overridden(c, cluster) for c in catalog.components],
        "clusters": None,
    }
    if cluster.targetRevision is not None:
        update["targetRevision"] = cluster.targetRevision
    return catalog.model_copy(update=update)


def fleet(catalog: Catalog) -> list[tuple[Cluster, Catalog]]:
    """Each cluster with its one-cluster catalog, in the catalog's order."""
    return [(cl, cluster_catalog(catalog, cl)) for cl in catalog.clusters or []]


def find_cluster(catalog: Catalog, name: str) -> Cluster:
    """The cluster ``--cluster NAME`` names; a usage error when there is none."""
    if catalog.clusters is None:
        raise UsageError(f"--cluster {name}: the catalog has no clusters:")
    for cluster in catalog.clusters:
        if cluster.name == name:
            return cluster
    known = ", ".join(c.name for c in catalog.clusters)
    raise UsageError(f"--cluster {name}: not a cluster of the catalog ({known})")


def own_wrappers(catalog: Catalog, cc: Catalog) -> bool:
    """Whether a cluster's overrides change a wrapper (it then gets its own directory)."""
    return any(
        mine.kustomize != shared.kustomize
        for mine, shared in zip(cc.components, catalog.components, strict=True)
        if mine.enabled and mine.needs_wrapper
    )


def cluster_sets(catalog: Catalog) -> list[list[Cluster]]:
    """Clusters whose Applications come out the same apart from the cluster (same one-cluster
    catalog, no wrapper of their own), in the catalog's order: one ApplicationSet each."""
    sets: list[tuple[Catalog | None, list[Cluster]]] = []
    for cluster, cc in fleet(catalog):
        # A cluster whose names are not prefixed (the hub) needs a template of its own.
        key = None if own_wrappers(catalog, cc) or not cluster.prefixes else cc
        same = next((s for s in sets if key is not None and s[0] == key), None)
        if same is None:
            sets.append((key, [cluster]))
        else:
            same[1].append(cluster)
    return [members for _, members in sets]


def shared_labels(members: list[Cluster]) -> dict[str, str]:
    """The labels every one of ``members`` carries (what a cluster generator selects on)."""
    first, *rest = members
    return {k: v for k, v in first.labels.items() if all(c.labels.get(k) == v for c in rest)}
