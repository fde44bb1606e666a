"""The cluster commands over a fleet: which clusters ``--cluster`` picks, each as a catalog.

Each cluster of ``clusters:`` becomes a one-cluster catalog whose Application names carry the
cluster prefix (as rendered), so ``status``, ``wait``, ``sync``, ``verify`` and ``logs`` run their
one-cluster code once per cluster. Every Application lives in the hub's Argo CD; the workloads
(``logs``, ``verify``) live on the cluster itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from kfboot.catalog.fleet import cluster_catalog, find_cluster
from kfboot.catalog.fleet_models import Cluster
from kfboot.catalog.models import Catalog
from kfboot.cluster.kubectl import Kubectl
from kfboot.cluster.status import Report, build_report
from kfboot.cluster.verify import Check
from kfboot.errors import UsageError
from kfboot.layout import CLUSTER_LABEL


@dataclass(frozen=True)
class Target:
    """One cluster to act on: its name (None: a catalog without ``clusters:``), its catalog."""

    name: str | None
    catalog: Catalog
    hub: bool = True

    def heading(self) -> str:
        return f"== cluster {self.name} ==" if self.name else ""


def named(catalog: Catalog, cluster: Cluster) -> Catalog:
    """``cluster``'s catalog with the Application names the fleet renders."""
    cc = cluster_catalog(catalog, cluster)
    comps = [
        c.model_copy(update={"application": cluster.application_name(c.app_name)})
        for c in cc.components
    ]
    root = cc.appOfApps.model_copy(update={"name": cluster.application_name(cc.appOfApps.name)})
    return cc.model_copy(update={"components": comps, "appOfApps": root})


def targets(catalog: Catalog, cluster: str | None) -> list[Target]:
    """The clusters ``--cluster`` selects (default: every one, in the catalog's order)."""
    if cluster is not None:
        chosen = [find_cluster(catalog, cluster)]
    elif catalog.clusters is None:
        return [Target(None, catalog)]
    else:
        chosen = list(catalog.clusters)
    return [Target(c.name, named(catalog, c), c.hub) for c in chosen]


def of_cluster(apps: list[dict[str, Any]], catalog: Catalog, cluster: str | None) -> list[Any]:
    """The live Applications of one cluster: all live in the hub, so the others' would show up
    as unknown. Ours carry the cluster label; an unlabelled one counts when the cluster's
    catalog names it."""
    if cluster is None:
        return apps
    names = {c.app_name for c in catalog.components} | {catalog.appOfApps.name}

    def mine(app: dict[str, Any]) -> bool:
        meta = app.get("metadata") or {}
        label = (meta.get("labels") or {}).get(CLUSTER_LABEL)
        return label == cluster if label is not None else meta.get("name") in names

    return [a for a in apps if isinstance(a, dict) and mine(a)]


def chosen_apps(
    chosen: list[Target], apps: tuple[str, ...]
) -> list[tuple[Target, tuple[str, ...]]]:
    """Each cluster with the APP arguments that are its Applications (all: no arguments)."""
    if not apps or len(chosen) == 1:
        return [(t, apps) for t in chosen]
    names = {t.name: {c.app_name for c in t.catalog.enabled_components()} for t in chosen}
    unknown = [a for a in apps if not any(a in known for known in names.values())]
    if unknown:
        raise UsageError(f"unknown Application {', '.join(unknown)}")
    picked = [(t, tuple(a for a in apps if a in names[t.name])) for t in chosen]
    return [(t, mine) for t, mine in picked if mine]


def workload_kubectl(target: Target, hub: Kubectl) -> Kubectl:
    """kubectl for the cluster's own workloads: the hub's, or the kube context named like the
    cluster (``argocd cluster add CONTEXT`` registers a cluster under its context's name), with
    the hub's limits."""
    if target.hub or target.name is None:
        return hub
    return replace(hub, context=target.name)


def fleet_report(catalog: Catalog, apps: list[dict[str, Any]], cluster: str | None) -> Report:
    """The status report of one cluster (or of a one-cluster catalog: ``cluster`` None)."""
    return build_report(catalog, of_cluster(apps, catalog, cluster))


def verify_target(
    target: Target, report: Report, kube: Kubectl, shown: str, grace_s: float
) -> list[Check]:
    """``verify``'s checks of one cluster: its Applications (``report``, from the hub), then its
    namespaces, pods and gateway (through ``kube``, the cluster's own kubectl)."""
    from kfboot.cluster import verify as checks
    from kfboot.cluster.waiting import CLOCK

    catalog = target.catalog
    results = [checks.check_applications(report)]
    existing = {n["metadata"]["name"] for n in kube.items("namespaces")}
    now = CLOCK.wall()
    for ns in checks.namespaces_to_check(catalog):
        results.append(checks.check_namespace(ns, existing))
        if ns in existing:
            results.append(checks.check_pods(ns, kube.items("pods", ns), now, grace_s))
            events = kube.items("events", ns)
            results.append(checks.check_podsecurity(catalog, ns, events, shown))
    namespace, name = checks.GATEWAY
    gateway = kube.get_json("service", name, namespace=namespace, missing_ok=True)
    results.append(checks.check_gateway(gateway))
    return results
