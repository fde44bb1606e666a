"""One revision built, for ``plan --manifests``: every object, where it lands and which
Application (per cluster) manages it.

Each cluster's catalog is built with ``check --manifests``' machinery
(:func:`kfboot.manifests.run.build_catalog`: the same planner, wrappers and cache); clusters whose
catalogs come out the same share one build. Argo CD identifies a live object by group, kind,
namespace and name (never the API version), and puts an object without a namespace in its
Application's destination namespace unless its kind is cluster-scoped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kfboot import k8s
from kfboot.catalog.fleet import fleet
from kfboot.catalog.models import Catalog
from kfboot.manifests.objects import Obj
from kfboot.manifests.run import build_catalog
from kfboot.plan.checkout import base_tree
from kfboot.plan.state import App, State

Ident = tuple[str, str, str, str]  # group, kind, namespace, name


@dataclass(frozen=True)
class Placed:
    """An object of a build and the Application that applies it."""

    app: App
    obj: Obj

    def show(self, ident: Ident) -> str:
        _, kind, namespace, name = ident
        return f"{kind} {namespace}/{name}" if namespace else f"{kind} {name}"


@dataclass
class Cluster:
    """One cluster's objects at one revision; ``unknown``: Applications whose build is not
    known (Helm, remote or failed), by name, with why."""

    objects: dict[Ident, Placed] = field(default_factory=dict)
    unknown: dict[str, str] = field(default_factory=dict)
    apps: dict[str, App] = field(default_factory=dict)


@dataclass(frozen=True)
class Build:
    """How to build: the catalog file (for wrappers' names), the kustomize command, the cache."""

    catalog_path: Path
    kustomize_cmd: str | None
    use_cache: bool
    timeout: float


def _scopes(objs: list[Obj]) -> dict[tuple[str, str], str]:
    return {(o.crd[0], o.crd[1]): o.crd[2] for o in objs if o.crd}


def ident(obj: Obj, destination: str, scopes: dict[tuple[str, str], str]) -> Ident:
    """Where Argo CD puts ``obj`` (``destination``: its Application's namespace)."""
    if k8s.is_builtin(obj.group):
        namespaced = obj.gk not in k8s.CLUSTER_SCOPED
    else:  # a custom kind of unknown scope: Argo CD asks the cluster; most are namespaced
        namespaced = scopes.get(obj.gk, "Namespaced") == "Namespaced"
    namespace = (obj.namespace or destination) if namespaced else ""
    return obj.group, obj.kind, namespace, obj.name


def _catalogs(catalog: Catalog) -> list[tuple[list[str], Catalog]]:
    """Each distinct cluster catalog with the clusters that share it ("" for one cluster)."""
    if catalog.clusters is None:
        return [([""], catalog)]
    runs: list[tuple[list[str], Catalog]] = []
    for cluster, cc in fleet(catalog):
        same = next((r for r in runs if r[1] == cc), None)
        if same is None:
            runs.append(([cluster.name], cc))
        else:
            same[0].append(cluster.name)
    return runs


def build_state(state: State, manifests_dir: Path, how: Build) -> dict[str, Cluster]:
    """Every cluster's objects when ``state``'s catalog is built from ``manifests_dir``."""
    found: dict[str, Cluster] = {}
    if state.catalog is None:
        return found
    by_component = {(a.cluster, a.component): a for a in state.apps.values()}
    for names, cc in _catalogs(state.catalog):
        built = build_catalog(
            cc, how.catalog_path, manifests_dir, how.kustomize_cmd, how.use_cache, how.timeout
        )
        scopes = _scopes([o for u in built.units for o in u.objects])
        for name in names:
            cluster = found.setdefault(name, Cluster())
            for unit in built.units:
                app = by_component.get((name, unit.name))
                if app is None:
                    continue
                cluster.apps[app.name] = app
                if not unit.analysed:
                    cluster.unknown[app.name] = built.plan.status.get(unit.name, "not built")
                    continue
                dest = (app.doc.get("spec", {}).get("destination") or {}).get("namespace") or ""
                for obj in unit.objects:
                    cluster.objects.setdefault(ident(obj, dest, scopes), Placed(app, obj))
    return found


def build_revisions(
    base: State, head: State, ref: str, manifests_dir: Path, how: Build
) -> tuple[dict[str, Cluster], dict[str, Cluster], str]:
    """Both revisions built: the base from the manifests at ``ref`` (a temporary archive, see
    :mod:`kfboot.plan.checkout`), the head from ``manifests_dir`` as it is; and where the base
    came from, for the header."""
    with base_tree(manifests_dir, how.catalog_path, ref) as tree:
        base_built = build_state(base, tree.path, how)
    return base_built, build_state(head, manifests_dir, how), tree.how
