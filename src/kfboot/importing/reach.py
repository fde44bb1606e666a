"""Which imported Applications the imported roots really synced, read as Argo CD reads.

Finding the root is lenient (every file below its directory counts), but Argo CD reads a plain
directory's own files only, unless the source says ``directory.recurse``, and a kustomization's
selection only. An imported Application no root reached (directly, or through a nested root it
syncs) was not deployed by the app of apps; the catalog's root will deploy it, and import says
so.
"""

from __future__ import annotations

from pathlib import Path

from kfboot.findings import Finding
from kfboot.importing import fixes
from kfboot.importing.app_files import AppDoc, mapping
from kfboot.importing.fixes import DEFAULTED
from kfboot.importing.roots import app_dirs
from kfboot.importing.tree import synced_by, top_of


def recurse(app: AppDoc) -> bool:
    """Whether a git source of ``app`` says ``directory.recurse: true``."""
    return any(mapping(s.get("directory")).get("recurse") is True for _, s in fixes.sources(app))


def synced_files(root: Path, app: AppDoc) -> set[Path]:
    """The files Argo CD reads for ``app``'s git paths that lie in the imported tree."""
    top = top_of(root)
    found: set[Path] = set()
    for directory, _ in app_dirs(root, app):
        found.update(synced_by(directory, top, recurse(app)))
    return found


def layers(root: Path, main: AppDoc, others: list[AppDoc]) -> list[AppDoc]:
    """The roots of ``others`` that ``main`` syncs, directly or through another layer: the
    intermediate layers of an app of apps (the rest are roots of their own)."""
    if not root.is_dir():
        return []
    return [o for o in others if id(o) in _reach(root, main, others)[1]]


def _reach(root: Path, main: AppDoc, others: list[AppDoc]) -> tuple[set[Path], set[int]]:
    top = top_of(root)
    reached: set[Path] = set()
    queue, done = [main], {id(main)}
    while queue:
        current = queue.pop()
        reached.update(synced_files(root, current))
        for other in others:
            if id(other) not in done and top / other.rel in reached:
                done.add(id(other))
                queue.append(other)
    return reached, done


def unsynced(root: Path, main: AppDoc, others: list[AppDoc], apps: list[AppDoc]) -> list[Finding]:
    """A finding for every Application of ``apps`` (all of them, roots included) that neither
    ``main`` nor a root it reaches synced; unreached roots are ``others``' findings already."""
    if not root.is_dir():
        return []
    top = top_of(root)
    file_of = {id(a): top / a.rel for a in apps}
    reached = _reach(root, main, others)[0]
    found = []
    for app in apps:
        if app is main or app in others or file_of[id(app)] in reached:
            continue
        msg = (
            f"no root synced {app.name} from {app.rel} (Argo CD reads a plain directory's own "
            "files unless directory.recurse is set, and a kustomization's resources only); "
            f"the catalog's root ({main.name}) now deploys it"
        )
        found.append(app.finding(("metadata", "name"), DEFAULTED, msg))
    return found
