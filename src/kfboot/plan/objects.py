"""``plan --manifests``: the object-level hazards of a change, both revisions built.

Per cluster, each object (group, kind, namespace, name) at the base is matched with the head:

- gone from its Application's build: **pruned** (a CustomResourceDefinition pruned takes every
  custom resource of it: destructive);
- applied by another Application: **moved** (the old one prunes what the new one applies, in
  whichever order the two sync; destructive for a CRD, a Namespace or a claim);
- the same name and Application in another namespace: **moved namespace** (a new object, the
  old one pruned);
- an immutable field changed (:mod:`kfboot.plan.immutable`): the sync fails until the object is
  replaced, so it blocks the change like a destructive one.

A prune is skipped when the live object carries ``argocd.argoproj.io/sync-options: Prune=false``
(gitops-engine/pkg/sync/sync_context.go:333-342@v3.4.7): that is the fix offered for a move.
Objects of an Application whose build is not known on either side (a Helm chart, a remote base,
a failed build) are not compared, and an item says so.
"""

from __future__ import annotations

import os
import shlex
from collections import defaultdict
from pathlib import Path
from typing import Any

from kfboot import k8s
from kfboot.errors import UsageError
from kfboot.manifests.build import BUILD_TIMEOUT
from kfboot.plan.built import Build, Cluster, Ident, Placed, build_revisions
from kfboot.plan.checkout import default_dir
from kfboot.plan.diff import Item, cascades, renames
from kfboot.plan.immutable import immutable_changes
from kfboot.plan.state import App, State

# Deleting one of these deletes data: every custom resource, everything in the namespace, the
# volume (by its reclaim policy).
_LOSES_DATA = frozenset([k8s.CRD, ("", "Namespace"), ("", "PersistentVolumeClaim")])
_KEEP = "argocd.argoproj.io/sync-options=Prune=false"


def _prunes(app: App) -> str:
    automated = ((app.doc.get("spec") or {}).get("syncPolicy") or {}).get("automated")
    if isinstance(automated, dict) and automated.get("prune"):
        return "automated prune deletes them"
    return "a sync with prune deletes them (automated prune is off)"


def _annotate(placed: list[tuple[Ident, Placed]]) -> str:
    """``kubectl annotate`` keeping the live objects when their old Application prunes."""
    parts = []
    for (group, kind, namespace, name), _ in placed[:5]:
        # Names come from the build a pull request controls: each is one shell word, so a
        # name such as 'x$(curl ...)' cannot add a command to what the reviewer is told to run.
        resource = f"{kind.lower()}.{group}" if group else kind.lower()
        where = f"-n {shlex.quote(namespace)} " if namespace else ""
        parts.append(
            f"kubectl annotate {where}{shlex.quote(resource)} -- {shlex.quote(name)} {_KEEP}"
        )
    return " && ".join(parts) + (" && ..." if len(placed) > 5 else "")


class _Compare:
    """One cluster's base and head objects compared; items accumulate in ``items``."""

    def __init__(self, name: str, base: Cluster, head: Cluster, renamed: dict[str, str]) -> None:
        self.name, self.base, self.head, self.renamed = name, base, head, renamed
        self.items: list[Item] = []
        self.unknown = set(base.unknown) | set(head.unknown)
        self.by_name: dict[tuple[str, str, str], list[tuple[Ident, Placed]]] = defaultdict(list)
        for key, placed in head.objects.items():
            if key not in base.objects:  # only a new object can be where an old one went
                self.by_name[key[0], key[1], key[3]].append((key, placed))

    def item(self, app: App, kind: str, message: str, destructive: bool = False, **kw: Any) -> None:
        self.items.append(Item(self.name, app.wave, kind, app.name, message, destructive, **kw))

    def run(self) -> list[Item]:
        pruned: dict[str, list[tuple[Ident, Placed]]] = defaultdict(list)
        moved: dict[tuple[str, str], list[tuple[Ident, Placed]]] = defaultdict(list)
        for key, old in sorted(self.base.objects.items()):
            new = self.head.objects.get(key)
            if new is None:
                if not self.relocated(key, old):
                    pruned[old.app.name].append((key, old))
                continue
            if new.app.name != old.app.name and self.renamed.get(old.app.name) != new.app.name:
                moved[old.app.name, new.app.name].append((key, new))
            self.immutable(key, old, new)
        for app_name, objs in pruned.items():
            self.pruned(app_name, objs)
        for (old_app, _), objs in moved.items():
            self.moved(self.base.apps[old_app], objs)
        self.not_compared()
        return self.items

    def relocated(self, key: Ident, old: Placed) -> bool:
        """Whether the object is applied in another namespace now (one item says so)."""
        group, kind, namespace, name = key
        found = self.by_name.get((group, kind, name))
        if not found:
            return False
        (_, _, there, _), new = found.pop(0)
        loses = (group, kind) in _LOSES_DATA
        self.item(
            new.app,
            "plan-object-namespace-moved",
            f"{kind} {name} moves from namespace {namespace or '(none)'} to {there or '(none)'}: "
            "Argo CD creates a new one there and prunes the old one"
            + (" with its data" if loses else ""),
            loses,
            names=(f"{kind} {namespace}/{name} -> {there}/{name}",),
        )
        return True

    def pruned(self, app_name: str, objs: list[tuple[Ident, Placed]]) -> None:
        app = self.head.apps.get(app_name)
        if app is None:  # deleted or renamed: the Application's own item says what goes
            old = self.base.apps[app_name]
            if not cascades(old) or app_name in self.unknown:
                return
            objs = [(k, p) for k, p in objs if p.obj.gk == k8s.CRD]
            app = old
        elif app_name in self.unknown:
            return
        crds = [(k, p) for k, p in objs if p.obj.gk == k8s.CRD]
        for key, placed in crds:
            kind = placed.obj.crd[1] if placed.obj.crd else "custom resource"
            self.item(
                app,
                "plan-crd-removed",
                f"CustomResourceDefinition {key[3]} is removed: Argo CD prunes it and the API "
                f"server deletes every {kind} with it; keep it in a component, or annotate the "
                "live CRD before this lands",
                True,
                command=_annotate([(key, placed)]),
                names=(placed.show(key),),
            )
        rest = [(k, p) for k, p in objs if p.obj.gk != k8s.CRD]
        if rest and app_name in self.head.apps:
            count = f"{len(rest)} object{'s' if len(rest) != 1 else ''}"
            self.item(
                app,
                "plan-objects-pruned",
                f"{count} no longer in its build: {_prunes(app)}",
                names=tuple(p.show(k) for k, p in rest),
            )

    def moved(self, old_app: App, objs: list[tuple[Ident, Placed]]) -> None:
        new_app = objs[0][1].app
        loses = [p.show(k) for k, p in objs if p.obj.gk in _LOSES_DATA]
        count = f"{len(objs)} objects move" if len(objs) != 1 else "1 object moves"
        harm = f" ({', '.join(loses)}: deleted with their data)" if loses else ""
        self.item(
            new_app,
            "plan-object-moved",
            f"{count} from {old_app.name} (wave {old_app.wave}) to {new_app.name}: "
            f"{old_app.name} prunes what {new_app.name} applies when it syncs first{harm}; "
            "annotate the live objects before this lands, and drop the annotation once "
            f"{new_app.name} manages them",
            bool(loses),
            command=_annotate(objs),
            names=tuple(p.show(k) for k, p in objs),
        )

    def immutable(self, key: Ident, old: Placed, new: Placed) -> None:
        changes = immutable_changes(old.obj, new.obj)
        if not changes:
            return
        fixes = sorted({c.fix for c in changes})
        self.item(
            new.app,
            "plan-immutable-field",
            f"{new.show(key)}: {', '.join(c.text() for c in changes)}: the API server refuses "
            f"the change (field is immutable) and the sync fails; {'; '.join(fixes)}",
            True,
            names=(new.show(key),),
        )

    def not_compared(self) -> None:
        for app_name in sorted(self.unknown):
            app = self.head.apps.get(app_name) or self.base.apps.get(app_name)
            if app is None:
                continue
            why = [
                f"{side}: {cluster.unknown[app_name]}"
                for side, cluster in (("base", self.base), ("head", self.head))
                if app_name in cluster.unknown
            ]
            self.item(
                app,
                "plan-objects-not-compared",
                f"its objects are not compared ({', '.join(why)}): "
                "kfboot builds only what it can build offline",
            )


def object_items(
    base: State, head: State, base_built: dict[str, Cluster], head_built: dict[str, Cluster]
) -> list[Item]:
    """Every object-level hazard of the change, per cluster (see the module docstring)."""
    renamed = renames(base, head)
    items: list[Item] = []
    for name in sorted(set(base_built) | set(head_built)):
        one = _Compare(
            name, base_built.get(name, Cluster()), head_built.get(name, Cluster()), renamed
        )
        items += one.run()
    return items


def manifest_items(
    base: State,
    head: State,
    ref: str,
    catalog_path: Path,
    manifests_dir: str,
    kustomize_cmd: str | None,
    no_cache: bool,
) -> tuple[list[Item], str]:
    """``plan --manifests [DIR]``: both revisions built and compared, and a line saying what
    was built from where (``DIR`` "" : the repository holding the catalog)."""
    directory = Path(manifests_dir) if manifests_dir else default_dir(catalog_path)
    if not directory.is_dir():
        raise UsageError(f"--manifests: {directory} is not a directory")
    how = Build(catalog_path, kustomize_cmd, not no_cache, BUILD_TIMEOUT)
    base_built, head_built, where = build_revisions(base, head, ref, directory, how)
    shown = manifests_dir or os.path.relpath(directory)
    return (
        object_items(base, head, base_built, head_built),
        f"the base built from {where}, the working tree from {shown}",
    )
