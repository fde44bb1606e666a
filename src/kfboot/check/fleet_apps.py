"""Where ``check`` finds the Applications of a fleet, and which component each comes from.

Rules run over Applications. ``layout: app-of-apps`` renders them per cluster
(``clusters/<name>/...``); ``layout: applicationset`` renders ApplicationSets whose Applications
are those same ones apart from the name, the wave label and automated sync, so the rules judge
the app-of-apps form rendered in memory (tests/unit/test_appset_expand.py proves the equality).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kfboot.catalog.models import Catalog
from kfboot.layout import APPS_DIR, ROOT_FILE, cluster_dir, wave_dir
from kfboot.render.tree import render

if TYPE_CHECKING:
    from kfboot.catalog.fleet_models import Cluster


class RuleInput:
    """The rendered files the rules read, each Application file's component index (None: a
    root), the roots' names and each Application's wave."""

    def __init__(self, catalog: Catalog, files: dict[str, str]) -> None:
        self.owners: dict[str, int | None] = {}
        self.roots: set[str] = set()
        self.waves: dict[str, int] = {}
        self.app_dirs: list[str] = []  # directories of child Applications, in bootstrap/
        self.index = {c.name: i for i, c in enumerate(catalog.components)}
        if catalog.clusters is None:
            self.files = files
            self._add(catalog, None, ROOT_FILE, APPS_DIR)
            return
        from kfboot.catalog.fleet import fleet  # a one-cluster check never loads the fleet

        if catalog.layout != "app-of-apps":
            files = render(catalog.model_copy(update={"layout": "app-of-apps"}))
        self.files = files
        for cluster, cc in fleet(catalog):
            where = cluster_dir(cluster.name)
            self._add(cc, cluster, f"{where}/{ROOT_FILE}", f"{where}/apps")
            if catalog.layout != "app-of-apps":
                del self.owners[f"{where}/{ROOT_FILE}"]  # ApplicationSets have no root

    def _add(self, catalog: Catalog, cluster: Cluster | None, root: str, apps: str) -> None:
        def name(app: str) -> str:
            return cluster.application_name(app) if cluster else app

        self.owners[root] = None
        self.app_dirs.append(apps)
        self.roots.add(name(catalog.appOfApps.name))
        for comp in catalog.enabled_components():
            self.owners[f"{apps}/{wave_dir(comp.wave)}/{comp.name}.yaml"] = self.index[comp.name]
            self.waves[name(comp.app_name)] = comp.wave
