"""An Application's ``spec.destination``: one place that decides server or name and namespace.

Argo CD requires exactly one of ``server`` and ``name`` (``pkg/apis/application/v1alpha1``,
``ApplicationDestination``; the controller refuses an Application with both), and an Application
without ``namespace`` deploys only what names its own namespaces. Every rendered Application,
and any later per-cluster rendering, takes its destination from :func:`destination`.
"""

from __future__ import annotations

from kfboot.catalog.models import Catalog, Component

IN_CLUSTER = "https://kubernetes.default.svc"


def destination(server: str | None, name: str | None, namespace: str | None) -> dict[str, str]:
    """``{server|name, namespace?}``; a name wins over a server (the catalog forbids both)."""
    result = {"name": name} if name else {"server": server or IN_CLUSTER}
    if namespace:
        result["namespace"] = namespace
    return result


def cluster_of(catalog: Catalog, comp: Component | None = None) -> tuple[str | None, str | None]:
    """(server, name) of the cluster an Application deploys to: the component's own, if any."""
    if comp is not None and (comp.destinationServer or comp.destinationName):
        return comp.destinationServer, comp.destinationName
    if catalog.destinationName:
        return None, catalog.destinationName
    return catalog.destinationServer, None


def component_destination(catalog: Catalog, comp: Component) -> dict[str, str]:
    return destination(*cluster_of(catalog, comp), comp.namespace)
