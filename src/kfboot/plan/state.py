"""What one catalog deploys, as ``plan`` compares it: Applications by name, objects applied by
hand from the checkout (roots, ApplicationSets), Argo CD's pins and the extra resources."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kfboot import yamlio
from kfboot.catalog.fleet import cluster_sets
from kfboot.catalog.models import Catalog
from kfboot.check.fleet_apps import RuleInput
from kfboot.layout import APPSETS_DIR, CLUSTER_LABEL
from kfboot.render.appset import appset_name
from kfboot.render.tree import render

WAVE_ANNOTATION = "argocd.argoproj.io/sync-wave"


@dataclass(frozen=True)
class App:
    """One Application Argo CD creates from git (``component`` None: a root)."""

    name: str
    cluster: str
    component: str | None
    file: str  # relative to bootstrap/ (the app-of-apps form for ApplicationSets)
    doc: dict[str, Any]

    @property
    def wave(self) -> int:
        value = self.doc["metadata"].get("annotations", {}).get(WAVE_ANNOTATION, "0")
        return int(value) if str(value).lstrip("-").isdigit() else 0

    @property
    def finalizers(self) -> list[str]:
        return list(self.doc["metadata"].get("finalizers") or [])


@dataclass
class State:
    """Everything ``plan`` compares of one catalog (empty: no catalog at the base)."""

    bootstrap: str = "bootstrap"
    namespace: str = "argocd"
    apps: dict[str, App] = field(default_factory=dict)
    applied: dict[str, App] = field(default_factory=dict)  # "Kind/name": a root, an AppSet
    argocd: dict[str, str] = field(default_factory=dict)  # "chart", "image": pinned versions
    extras: dict[str, int] = field(default_factory=dict)  # extraResources path: wave
    roots: dict[str, str] = field(default_factory=dict)  # cluster: the "Kind/name" creating it
    catalog: Catalog | None = None


def _argocd(catalog: Catalog) -> dict[str, str]:
    comp = next((c for c in catalog.enabled_components() if c.argocd is not None), None)
    if comp is None or comp.argocd is None:
        return {}
    install = comp.argocd
    found = {"chart": f"{install.chart} {install.version}"}
    image: Any = install.values.get("global", {})
    image = image.get("image", {}) if isinstance(image, dict) else {}
    if isinstance(image, dict) and image.get("tag"):
        found["image"] = f"{image.get('repository', 'quay.io/argoproj/argocd')}:{image['tag']}"
    return found


def state_of(catalog: Catalog | None, files: dict[str, str] | None = None) -> State:
    """The state ``catalog`` renders (``files``: its render, when already at hand)."""
    if catalog is None:
        return State()
    files = files if files is not None else render(catalog)
    state = State(catalog.bootstrapPath, catalog.argocdNamespace, catalog=catalog)
    state.argocd = _argocd(catalog)
    state.extras = {e.entry(catalog.bootstrapPath): e.wave for e in catalog.extraResources}
    index = RuleInput(catalog, files)
    names = {i: c.name for i, c in enumerate(catalog.components)}
    for rel, owner in index.owners.items():
        doc = yamlio.load_all(index.files[rel], trusted=True)[0]
        labels = doc["metadata"].get("labels") or {}
        app = App(doc["metadata"]["name"], labels.get(CLUSTER_LABEL, ""), None, rel, doc)
        if owner is None:
            state.applied[f"Application/{app.name}"] = app
            state.roots[app.cluster] = f"Application/{app.name}"
        else:
            state.apps[app.name] = App(app.name, app.cluster, names[owner], rel, doc)
    for rel, text in files.items():
        if rel.startswith(f"{APPSETS_DIR}/"):
            doc = yamlio.load_all(text, trusted=True)[0]
            name = doc["metadata"]["name"]
            state.applied[f"ApplicationSet/{name}"] = App(name, "", None, rel, doc)
    if catalog.clusters and catalog.layout == "applicationset":
        for members in cluster_sets(catalog):
            key = f"ApplicationSet/{appset_name(catalog, members)}"
            state.roots.update({c.name: key for c in members})
    return state
