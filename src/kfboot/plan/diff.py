"""Two states in, plan items out: what Argo CD will do, per root (per cluster in a fleet).

A deleted Application whose finalizers hold ``resources-finalizer.argocd.argoproj.io`` (or its
``/foreground`` and ``/background`` forms) takes every object it manages with it (argoproj/argo-cd
docs/user-guide/app_deletion.md@v3.4.7): that is the destructive case. Argo CD creates
Applications from git, but never the roots or ApplicationSets kfboot renders to be applied from
the checkout: their changes come with the ``kubectl`` command to run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kfboot.plan.state import WAVE_ANNOTATION, App, State

RESOURCES_FINALIZER = "resources-finalizer.argocd.argoproj.io"
ROOTS = -1000  # the "wave" of what is applied by hand: before every wave


@dataclass(frozen=True, order=True)
class Item:
    """One thing the change does. ``kind`` is a registered ``plan-*`` id; ``destructive``
    items fail ``plan`` unless ``--allow-destructive``."""

    cluster: str
    wave: int
    kind: str
    application: str
    message: str
    destructive: bool = False
    command: str = ""
    names: tuple[str, ...] = field(default=(), compare=False)
    before: bool = field(default=False, compare=False)  # run ``command`` before it lands

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "cluster": self.cluster or None,
            "application": self.application or None,
            "wave": None if self.wave == ROOTS else self.wave,
            "destructive": self.destructive,
            "message": self.message,
            "command": self.command or None,
            "names": list(self.names),
        }


def cascades(app: App) -> bool:
    return any(f.split("/")[0] == RESOURCES_FINALIZER for f in app.finalizers)


def _spec(app: App, key: str) -> Any:
    return app.doc.get("spec", {}).get(key)


def _sources(app: App) -> list[dict[str, Any]]:
    spec = app.doc.get("spec", {})
    return list(spec.get("sources") or [spec.get("source") or {}])


def _meta(app: App, key: str) -> Any:
    found = dict(app.doc["metadata"].get(key) or {})
    found.pop(WAVE_ANNOTATION, None)
    return found


def changed_fields(old: App, new: App) -> list[str]:
    """What differs, in the words of the Application: source, revision, destination, ..."""
    found: list[str] = []
    old_src, new_src = _sources(old), _sources(new)
    revisions = (
        [s.get("targetRevision") for s in old_src],
        [s.get("targetRevision") for s in new_src],
    )
    strip = [
        [{k: v for k, v in s.items() if k != "targetRevision"} for s in x]
        for x in (old_src, new_src)
    ]
    if strip[0] != strip[1]:
        found.append("source")
    if revisions[0] != revisions[1]:
        found.append(
            f"revision {','.join(map(str, revisions[0]))} -> {','.join(map(str, revisions[1]))}"
        )
    if old.wave != new.wave:
        found.append(f"wave {old.wave} -> {new.wave}")
    pairs = (
        ("destination", _spec(old, "destination"), _spec(new, "destination")),
        ("sync policy", _spec(old, "syncPolicy"), _spec(new, "syncPolicy")),
        ("ignoreDifferences", _spec(old, "ignoreDifferences"), _spec(new, "ignoreDifferences")),
        ("project", _spec(old, "project"), _spec(new, "project")),
        ("labels", _meta(old, "labels"), _meta(new, "labels")),
        ("annotations", _meta(old, "annotations"), _meta(new, "annotations")),
        ("finalizers", old.finalizers, new.finalizers),
    )
    found += [label for label, before, after in pairs if before != after]
    return found


def _where(app: App) -> tuple[str | None, tuple[Any, ...]]:
    dest = _spec(app, "destination") or {}
    return app.component, (dest.get("server"), dest.get("name"), dest.get("namespace"))


def renames(base: State, head: State) -> dict[str, str]:
    """``{old name: new name}``: an Application gone and one new of the same component and
    destination (single cluster -> fleet, a layout switch, an ``application:`` change)."""
    new = {n: a for n, a in head.apps.items() if n not in base.apps}
    by_place = {_where(a): a for a in new.values()}
    found: dict[str, str] = {}
    for name, app in base.apps.items():
        other = by_place.get(_where(app))
        if name not in head.apps and other is not None and other.name not in found.values():
            found[name] = other.name
    return found


def _file(app: App) -> str:
    return app.file.rsplit("/", 1)[-1]


def _unfinalize(namespace: str, name: str) -> str:
    """Delete an Application keeping what it manages: its finalizer goes first."""
    return (
        # A merge patch, as import's cut-over and the Makefile use: a JSON "remove" fails (and
        # stops the delete after &&) when the live Application has no finalizers left.
        f"kubectl patch -n {namespace} application {name} --type merge -p "
        '\'{"metadata":{"finalizers":null}}\' && '
        f"kubectl delete -n {namespace} application {name}"
    )


def _deleted(app: App, renamed: dict[str, str], base: State, head: State) -> Item:
    if not cascades(app):
        message = "deleted without the resources finalizer: its objects stay, unmanaged"
        return Item(app.cluster, app.wave, "plan-application-deleted", app.name, message)
    root = base.roots.get(app.cluster)
    if root is not None and root not in head.applied:
        # Its root (or ApplicationSet) is applied by hand and stays: reading a path that is
        # gone, it cannot compare (controller/state.go:968-969@v3.4.7) and never syncs or
        # prunes (controller/appcontroller.go:2252@v3.4.7), so the Application stays too.
        message = (
            f"no longer rendered, nor its {root.replace('/', ' ')}: Argo CD does not delete it, "
            "it stays until deleted by hand, and deleting it with "
            f"{RESOURCES_FINALIZER} deletes every object it manages; to keep them, remove "
            "the finalizer first"
        )
        if app.name in renamed:
            message += f" ({renamed[app.name]} manages the same objects)"
        return Item(
            app.cluster,
            app.wave,
            "plan-cascading-deletion",
            app.name,
            message,
            True,
            _unfinalize(base.namespace, app.name),
        )
    message = f"deleted with {RESOURCES_FINALIZER}: Argo CD deletes every object it manages"
    if app.name not in renamed:
        return Item(app.cluster, app.wave, "plan-cascading-deletion", app.name, message, True)
    # The root prunes it: without its finalizer, pruning it leaves the objects for the new name.
    message += (
        f" (then {renamed[app.name]} creates them again); to keep them, remove its finalizer "
        "before this lands"
    )
    patch = _unfinalize(base.namespace, app.name).split(" && ")[0]
    return Item(
        app.cluster,
        app.wave,
        "plan-cascading-deletion",
        app.name,
        message,
        True,
        patch,
        before=True,
    )


def _applications(base: State, head: State) -> list[Item]:
    renamed = renames(base, head)
    items = [_deleted(a, renamed, base, head) for n, a in base.apps.items() if n not in head.apps]
    for old, name in renamed.items():
        app = head.apps[name]
        message = (
            f"renamed from {old} (created from {_file(app)}): a rename is a delete of {old} "
            f"plus a create of {name}"
        )
        items.append(Item(app.cluster, app.wave, "plan-application-renamed", name, message))
    for name, app in head.apps.items():
        if name not in base.apps and name not in renamed.values():
            message = f"created from {_file(app)} (component {app.component})"
            items.append(Item(app.cluster, app.wave, "plan-application-created", name, message))
    for name in sorted(set(base.apps) & set(head.apps)):
        before, now = base.apps[name], head.apps[name]
        if before.doc != now.doc:
            message = "changed: " + ", ".join(changed_fields(before, now) or ["spec"])
            items.append(Item(now.cluster, now.wave, "plan-application-changed", name, message))
    return items


def _by_hand(base: State, head: State) -> list[Item]:
    """Roots and ApplicationSets: Argo CD does not sync them from git; say what to run."""
    items: list[Item] = []
    for key in sorted(set(base.applied) | set(head.applied)):
        kind, name = key.split("/", 1)
        old, new = base.applied.get(key), head.applied.get(key)
        if new is not None and (old is None or old.doc != new.doc):
            path = f"{head.bootstrap}/{new.file}"
            verb = (
                "new"
                if old is None
                else "changed: "
                + ", ".join(changed_fields(old, new) if kind == "Application" else ["spec"])
            )
            items.append(
                Item(
                    new.cluster,
                    ROOTS,
                    "plan-apply-by-hand",
                    name,
                    f"{kind} {name} {verb}; Argo CD does not sync it from git, apply it once",
                    command=f"kubectl apply -n {head.namespace} -f {path}",
                )
            )
        elif new is None and old is not None:
            items.append(_retired(base, head, kind, name, old))
    return items


def _retired(base: State, head: State, kind: str, name: str, old: App) -> Item:
    """A root or ApplicationSet no longer rendered: it stays until deleted. Deleting an
    ApplicationSet deletes every Application it generated (owner references), and their
    resources finalizer every object, unless ``--cascade=orphan`` (argo-cd
    docs/operator-manual/applicationset/Application-Deletion.md@v3.4.7): orphaned when the
    change renders some of them again (a layout switch), deleted when none (a cluster removed)."""
    key = f"{kind}/{name}"
    message = f"{kind} {name} is no longer rendered; it stays in the cluster until deleted"
    if kind == "ApplicationSet":
        clusters = {c for c, root in base.roots.items() if root == key}
        mine = [a for a in base.apps.values() if a.cluster in clusters]
        if any(a.name in head.apps for a in mine) or not mine:
            message += (
                " (--cascade=orphan: its Applications stay; without it Kubernetes deletes every"
                " Application it generated, and their finalizers every object)"
            )
            command = f"kubectl delete -n {base.namespace} applicationset {name} --cascade=orphan"
            return Item(old.cluster, ROOTS, "plan-apply-by-hand", name, message, command=command)
        message += (
            f": deleting it deletes every Application it generated ({len(mine)}), and their "
            "finalizers every object they manage"
        )
        destructive = any(cascades(a) for a in mine)
        command = f"kubectl delete -n {base.namespace} applicationset {name}"
        return Item(old.cluster, ROOTS, "plan-apply-by-hand", name, message, destructive, command)
    if not cascades(old):
        command = f"kubectl delete -n {base.namespace} application {name}"
        return Item(old.cluster, ROOTS, "plan-apply-by-hand", name, message, command=command)
    message += " (its resources finalizer cascades: remove it first)"
    command = _unfinalize(base.namespace, name)
    return Item(old.cluster, ROOTS, "plan-apply-by-hand", name, message, True, command)


def _argocd_and_extras(base: State, head: State) -> list[Item]:
    items: list[Item] = []
    for key in ("chart", "image"):
        old, new = base.argocd.get(key), head.argocd.get(key)
        if old and new and old != new:
            items.append(
                Item(
                    "",
                    -1,
                    "plan-argocd-upgrade",
                    "argocd",
                    f"Argo CD {key} {old} -> {new}: the argocd Application upgrades Argo CD "
                    "itself in wave -1; read the upgrade notes of every minor in between",
                )
            )
    for path in sorted(set(base.extras) | set(head.extras)):
        old_wave, new_wave = base.extras.get(path), head.extras.get(path)
        if old_wave is None:
            items.append(
                Item("", new_wave or 0, "plan-extra-resource", path, f"extra resource {path} added")
            )
        elif new_wave is None:
            items.append(
                Item(
                    "",
                    old_wave,
                    "plan-extra-resource-removed",
                    path,
                    f"extra resource {path} removed: the root prunes its objects",
                    True,
                )
            )
        elif old_wave != new_wave:
            items.append(
                Item(
                    "",
                    new_wave,
                    "plan-extra-resource",
                    path,
                    f"extra resource {path}: wave {old_wave} -> {new_wave}",
                )
            )
    return items


def plan_items(base: State, head: State) -> list[Item]:
    """Everything the change from ``base`` to ``head`` does, sorted by cluster and wave."""
    return sorted(
        [*_by_hand(base, head), *_argocd_and_extras(base, head), *_applications(base, head)]
    )
