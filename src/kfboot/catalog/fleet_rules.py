"""Cross-field rules of ``clusters:``: unique names, one hub, overrides that fit their component.

Same shape as ``crossfield.py``: ``(loc, message)`` pairs at the YAML node at fault. An override
is located at its key (``clusters[1].components.spark``), see ``load._mark``.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from kfboot.catalog.fleet import cluster_sets, overridden, shared_labels
from kfboot.catalog.fleet_models import Cluster
from kfboot.catalog.models import Catalog, Component

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str]  # as in crossfield.py, which runs these rules


def problems(catalog: Catalog) -> list[Problem]:
    """The problems of a catalog's ``clusters:`` (crossfield.py calls this only when present)."""
    found: list[Problem] = []
    for rule in (_names, _hubs, _overrides, _dependencies, _selectors, _destinations, _apps):
        found.extend(rule(catalog))
    return found


def _names(catalog: Catalog) -> Iterator[Problem]:
    clusters = catalog.clusters or []
    first: dict[str, int] = {}
    for i, cluster in enumerate(clusters):
        first.setdefault(cluster.name, i)
    for i, cluster in enumerate(clusters):
        others = [j for j, c in enumerate(clusters) if c.name == cluster.name and j != i]
        if others:
            also = ", ".join(f"clusters[{j}]" for j in others)
            yield ("clusters", i, "name"), f"duplicate cluster name {cluster.name!r} (also {also})"


def _hubs(catalog: Catalog) -> Iterator[Problem]:
    hubs = [i for i, c in enumerate(catalog.clusters or []) if c.hub]
    for i in hubs[1:]:
        yield ("clusters", i, "hub"), f"only one cluster may be the hub (also clusters[{hubs[0]}])"


def _overrides(catalog: Catalog) -> Iterator[Problem]:
    by_name = {c.name: c for c in catalog.components}
    for i, cluster in enumerate(catalog.clusters or []):
        for name, ov in cluster.components.items():
            loc: Loc = ("clusters", i, "components", name)
            comp = by_name.get(name)
            if comp is None:
                yield loc, f"{name!r} is not a component of this catalog"
                continue
            if ov.values is not None and comp.helm is None and comp.argocd is None:
                yield (*loc, "values"), "values apply only to components with helm or argocd"
            if ov.patches is not None and not comp.paths:
                yield (*loc, "patches"), "patches apply only to components with paths"
            if comp.argocd is not None and ov.enabled is True and not cluster.hub:
                yield (*loc, "enabled"), "Argo CD runs on the hub cluster only (hub: true)"


def _dependencies(catalog: Catalog) -> Iterator[Problem]:
    for i, cluster in enumerate(catalog.clusters or []):
        comps = {c.name: overridden(c, cluster) for c in catalog.components}
        for comp in comps.values():
            for dep in comp.dependsOn:
                # Argo CD on the hub serves every cluster: depending on it is met everywhere.
                if dep in comps and comps[dep].argocd is not None:
                    continue
                if comp.enabled and dep in comps and not comps[dep].enabled:
                    yield (
                        _where(i, cluster, comp, dep),
                        (
                            f"on cluster {cluster.name!r}, {comp.name!r} depends on {dep!r}, "
                            "which is disabled there"
                        ),
                    )


def _where(i: int, cluster: Cluster, comp: Component, dep: str) -> Loc:
    for name in (dep, comp.name):
        if name in cluster.components:
            return ("clusters", i, "components", name)
    return ("clusters", i, "name")


def _selectors(catalog: Catalog) -> Iterator[Problem]:
    """``clusterGenerator: labels``: each cluster set must be selectable by its shared labels,
    and those labels must select no other cluster of the catalog."""
    if catalog.layout != "applicationset" or catalog.clusterGenerator != "labels":
        return
    clusters = catalog.clusters or []
    for members in cluster_sets(catalog):
        where: Loc = ("clusters", clusters.index(members[0]), "labels")
        names = ", ".join(c.name for c in members)
        labels = shared_labels(members)
        if not labels:
            yield where, f"clusters {names} share no label to select them by (clusterGenerator)"
            continue
        others = [
            c.name
            for c in clusters
            if c not in members and all(c.labels.get(k) == v for k, v in labels.items())
        ]
        if others:
            yield (
                where,
                (
                    f"the labels clusters {names} share also select {', '.join(others)}, whose "
                    "Applications differ; give each set a label of its own (clusterGenerator)"
                ),
            )


def _server_key(server: str) -> str:
    """One key per API server however its URL is spelled: case, a trailing slash, the default
    port (``:443``) and a fully qualified host's trailing dot name the same server."""
    if not server:
        return ""
    parts = urlsplit(server.lower())
    host = (parts.hostname or "").rstrip(".")
    try:
        port = parts.port
    except ValueError:  # not a number: the URL is compared as written
        return server.lower().rstrip("/")
    where = f"[{host}]" if ":" in host else host
    if port not in (None, 443):
        where += f":{port}"
    return f"{parts.scheme}://{where}{parts.path.rstrip('/')}"


def _destinations(catalog: Catalog) -> Iterator[Problem]:
    """With ``clusters:`` each cluster is the destination of its Applications."""
    servers: dict[str, str] = {}
    for i, cluster in enumerate(catalog.clusters or []):
        key = _server_key(cluster.server or "")
        if key and key in servers:
            # Each component would deploy twice to one cluster, and a per-cluster delete
            # (make delete-all-apps CLUSTER=...) would remove the other cluster's workloads.
            yield (
                ("clusters", i, "server"),
                f"cluster {servers[key]!r} has the same server; each cluster needs its own",
            )
        servers.setdefault(key, cluster.name)
    if catalog.extraResources:
        # Their paths are relative to the one root's directory, and every cluster's root would
        # apply the same objects to the hub: not supported in a fleet yet.
        yield ("extraResources",), "extraResources are not supported with clusters: (yet)"
    for i, comp in enumerate(catalog.components):
        for field in ("destinationServer", "destinationName"):
            if getattr(comp, field) is not None:
                yield (
                    ("components", i, field),
                    (
                        f"{field} has no meaning with clusters: (each cluster is its Applications' "
                        "destination); disable the component on the clusters it is not for"
                    ),
                )


def _apps(catalog: Catalog) -> Iterator[Problem]:
    """Every Application lives in the hub's argocd namespace, named ``<cluster>-<name>`` (the
    hub's keep their own names): two clusters must not produce the same name (cluster ``a``
    with ``b-x``, cluster ``a-b`` with ``x``; the hub's ``prod-x`` and cluster ``prod``'s
    ``x``)."""
    seen: dict[str, str] = {}
    for i, cluster in enumerate(catalog.clusters or []):
        comps = [overridden(c, cluster) for c in catalog.components]
        names = [catalog.appOfApps.name, *(c.app_name for c in comps if c.enabled)]
        for name in names:
            full = cluster.application_name(name)
            other = seen.setdefault(full, cluster.name)
            if other != cluster.name:
                yield (
                    ("clusters", i, "name"),
                    (
                        f"Application {full!r} of cluster {cluster.name!r} is also one of cluster "
                        f"{other!r} (names are <cluster>-<Application>, the hub's unprefixed "
                        "unless prefixApplicationNames); rename a cluster or an Application"
                    ),
                )
