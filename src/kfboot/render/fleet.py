"""``layout: app-of-apps`` for a fleet: one app of apps per cluster, all in the hub Argo CD.

Each cluster gets ``clusters/<name>/app-of-apps.yaml`` (the root, deployed to the hub's argocd
namespace) and ``clusters/<name>/apps/`` (its waves and Applications, rendered by the one-cluster
code from :func:`kfboot.catalog.fleet.cluster_catalog`). A wrapper kustomization stays shared in
``apps/base/`` unless the cluster's overrides change it; then it moves to
``clusters/<name>/base/``. Argo CD's own chart (``argocd/``) is the hub's.
"""

from __future__ import annotations

from typing import Any

from kfboot.catalog.fleet import fleet
from kfboot.catalog.fleet_models import Cluster
from kfboot.catalog.models import Catalog, Component
from kfboot.layout import APPS_DIR, ROOT_FILE, cluster_dir, header
from kfboot.render.bootstrap import application_view, component_files, root_view, wave_tree
from kfboot.render.fleet_view import for_cluster, wrapper_base
from kfboot.render.templating import render_template


def cluster_root_view(catalog: Catalog, cluster: Cluster) -> dict[str, Any]:
    """The cluster's app of apps: in the hub (catalog's destination), reading its apps dir."""
    view = for_cluster(root_view(catalog), cluster)
    view["destination"] = root_view(catalog)["destination"]
    path = f"{catalog.bootstrapPath}/{cluster_dir(cluster.name)}/{APPS_DIR.split('/')[0]}"
    view["source"] = {**view["source"], "path": path}
    return view


def render_fleet(catalog: Catalog, source: str) -> dict[str, str]:
    """The files of ``layout: app-of-apps`` for a catalog with ``clusters:`` (no Makefile)."""
    files: dict[str, str] = {}
    for cluster, cc in fleet(catalog):
        where = cluster_dir(cluster.name)
        files[f"{where}/{ROOT_FILE}"] = render_template(
            "application.yaml.j2",
            header=header(source, f"the app of apps of cluster {cluster.name}"),
            app=cluster_root_view(cc, cluster),
        )

        def view(comp: Component, cc: Catalog = cc, cluster: Cluster = cluster) -> dict[str, Any]:
            base = wrapper_base(catalog, comp, cluster)
            return for_cluster(application_view(cc, comp, base), cluster)

        files.update(wave_tree(cc, source, f"{where}/apps", view))
        for comp in cc.enabled_components():
            files.update(component_files(cc, comp, source, wrapper_base(catalog, comp, cluster)))
    return files
