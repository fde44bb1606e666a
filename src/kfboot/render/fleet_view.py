"""How one Application changes when it belongs to a cluster of the fleet.

Both fleet layouts (``fleet.py``: an app of apps per cluster; ``appset.py``: ApplicationSets) use
these, so an Application is the same in either form apart from its name and wave label.
"""

from __future__ import annotations

from typing import Any

from kfboot.catalog.fleet_models import Cluster
from kfboot.catalog.models import Catalog, Component
from kfboot.layout import BASE_DIR, CLUSTER_LABEL, cluster_dir
from kfboot.render.destination import destination


def cluster_destination(cluster: Cluster, namespace: str | None) -> dict[str, str]:
    """By server URL when the catalog gives one, else by Argo CD cluster name; never both. The
    one rule of :func:`kfboot.render.destination.destination`, as every Application uses."""
    if cluster.server:
        return destination(cluster.server, None, namespace)
    return destination(None, cluster.name, namespace)


def for_cluster(view: dict[str, Any], cluster: Cluster) -> dict[str, Any]:
    """A one-cluster Application view, moved to ``cluster``: name, cluster label, destination."""
    return {
        **view,
        "name": cluster.application_name(view["name"]),
        "labels": {**view["labels"], CLUSTER_LABEL: cluster.name},
        "destination": cluster_destination(cluster, view["destination"].get("namespace")),
    }


def wrapper_base(catalog: Catalog, comp: Component, cluster: Cluster) -> str:
    """Where ``comp``'s wrapper sits for ``cluster``: shared unless an override changes it."""
    shared = next(c for c in catalog.components if c.name == comp.name)
    return BASE_DIR if comp.kustomize == shared.kustomize else f"{cluster_dir(cluster.name)}/base"
