"""``bootstrap/Makefile`` for a fleet: the one-cluster view, widened to every cluster.

Application names carry their cluster prefix; ``CLUSTER=`` narrows ``deploy-app-of-apps`` and
``delete-all-apps`` to one cluster and is passed to the kfboot commands as ``--cluster``.
"""

from __future__ import annotations

from typing import Any

from kfboot.catalog.fleet import cluster_sets, fleet
from kfboot.catalog.models import Catalog
from kfboot.layout import APPSETS_DIR, ROOT_FILE, argocd_fullname, cluster_dir, wave_dir
from kfboot.render.fleet_view import wrapper_base


def _cluster_waves(cc: Catalog, cluster: Any) -> list[dict[str, Any]]:
    waves = []
    for wave in cc.waves:
        members = [c for c in cc.enabled_components() if c.wave == wave.wave]
        if members:
            waves.append(
                {
                    "wave": wave.wave,
                    "label": wave.label,
                    "apps": [cluster.application_name(c.app_name) for c in members],
                    "kubeflow": [
                        cluster.application_name(c.app_name) for c in members if not c.argocd
                    ],
                }
            )
    return waves


def fleet_view(catalog: Catalog, base: dict[str, Any]) -> dict[str, Any]:
    """``base`` (the one-cluster Makefile view) for every cluster of ``catalog``."""

    clusters: list[dict[str, Any]] = []
    waves: dict[int, dict[str, Any]] = {}
    wrappers: set[str] = set()
    argocd: dict[str, Any] | None = None
    for cluster, cc in fleet(catalog):
        cluster_waves = _cluster_waves(cc, cluster)
        for w in cluster_waves:
            merged = waves.setdefault(w["wave"], {**w, "apps": [], "kubeflow": []})
            merged["apps"] += w["apps"]
            merged["kubeflow"] += w["kubeflow"]
        for comp in cc.enabled_components():
            if comp.needs_wrapper:
                wrappers.add(f"{wrapper_base(catalog, comp, cluster)}/{comp.name}")
            if comp.argocd is not None:
                where = f"{cluster_dir(cluster.name)}/apps/{wave_dir(comp.wave)}/{comp.name}.yaml"
                argocd = {
                    "app": cluster.application_name(comp.app_name),
                    "namespace": comp.namespace,
                    "file": where,
                    "server": f"{argocd_fullname(comp.argocd.releaseName)}-server",
                }
        clusters.append(
            {
                "name": cluster.name,
                "dir": cluster_dir(cluster.name),
                "root": cluster.application_name(catalog.appOfApps.name),
                "root_file": f"{cluster_dir(cluster.name)}/{ROOT_FILE}",
                "delete_waves": [w for w in reversed(cluster_waves) if w["kubeflow"]],
            }
        )
    ordered = [waves[k] for k in sorted(waves)]
    appsets = []
    if catalog.layout == "applicationset":
        for members in cluster_sets(catalog):
            name = f"{catalog.appOfApps.name}-{members[0].name}"
            appsets.append(
                {
                    "name": name,
                    "file": f"{APPSETS_DIR}/{name}.yaml",
                    "clusters": [c.name for c in members],
                }
            )
        argocd = {**argocd, "file": None} if argocd else None
    return {
        **base,
        "apps": [app for w in ordered for app in w["apps"]],
        "waves": ordered,
        "argocd": argocd,
        "wrappers": sorted(wrappers),
        "fleet": {"layout": catalog.layout, "clusters": clusters, "appsets": appsets},
    }
