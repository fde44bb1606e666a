"""Objects beside the Applications that the root syncs: kept as the catalog's extraResources.

A hand-written bootstrap often puts Namespaces with labels, AppProjects, ApplicationSets or
ClusterIssuers where the root Application syncs them. They are not Applications, so they are not
components; dropping them would change what the root deploys. Import lists each such file as an
``extraResources`` entry (a path in the rendered root's directory, with the wave its objects
carry) and says when the file has to move there.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import Any

from kfboot import yamlio
from kfboot.check.rules.argocd import WAVE_ANNOTATION, atoi
from kfboot.errors import KfbootError
from kfboot.findings import Finding
from kfboot.gitrepo.tree import inside
from kfboot.importing import checkout
from kfboot.importing.app_files import AppDoc, mapping
from kfboot.importing.fixes import NOT_CARRIED
from kfboot.importing.reach import layers as layers_of
from kfboot.importing.reach import recurse as recurse_of
from kfboot.importing.roots import APPS_SUFFIX, root_directory
from kfboot.importing.tree import (
    application_files,
    is_remote,
    kustomization,
    read_file,
    synced_by,
    top_of,
)

RULE = "import-extra-resource"
_NOT_RESOURCES = {"Kustomization", "Component"}


def _objects(file: Path) -> list[dict[str, Any]] | None:
    """The Kubernetes objects of a YAML file; None when it holds no object or is no YAML."""
    try:
        docs = yamlio.load_all_with_positions(read_file(file).decode("utf-8"))
    except (ValueError, KfbootError, UnicodeDecodeError):
        return None
    objects = [d for d, _ in docs if isinstance(d, dict) and d.get("kind") and d.get("apiVersion")]
    if not objects or any(o.get("kind") in _NOT_RESOURCES for o in objects):
        return None
    return objects


def _waves(objects: list[dict[str, Any]]) -> list[int]:
    waves = []
    for obj in objects:
        value = mapping(mapping(obj.get("metadata")).get("annotations")).get(WAVE_ANNOTATION)
        waves.append(atoi(value) or 0)
    return waves


def _mixed(objects: list[dict[str, Any]], rel: str) -> str | None:
    """What to say when the file's objects carry several waves, which one entry cannot hold."""
    waves = _waves(objects)
    if len(set(waves)) < 2:
        return None
    each = ", ".join(f"{w} ({_what([o])})" for w, o in zip(waves, objects, strict=True))
    return (
        f"the objects of this file carry several sync waves ({each}); its extraResources entry "
        f"{rel} says the lowest, {min(waves)}, and check warns (extra-resource-wave) until the "
        "file is split into one file per wave"
    )


def _what(objects: list[dict[str, Any]]) -> str:
    names = [f"{o['kind']} {mapping(o.get('metadata')).get('name', '')}".strip() for o in objects]
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _beside_applications(file: Path, where: str, rendered_dir: str) -> list[Finding]:
    """The other objects of a file that holds Applications: an extraResources entry for the
    file would sync its Applications beside the rendered ones (two owners), so each object is
    named with what to do."""
    try:
        docs = yamlio.load_all_with_positions(read_file(file).decode("utf-8"))
    except (ValueError, KfbootError, UnicodeDecodeError):
        return []
    apps = [_what([d]) for d, _ in docs if isinstance(d, dict) and d.get("kind") == "Application"]
    found = []
    for doc, pos in docs:
        if not isinstance(doc, dict) or not doc.get("kind") or not doc.get("apiVersion"):
            continue
        if doc.get("kind") in ("Application", *_NOT_RESOURCES):
            continue
        mark = pos.of_value(("metadata", "name"))
        msg = (
            f"{_what([doc])} shares its file with {', '.join(apps)}; the catalog does not have "
            "it (listing the file in extraResources would sync those Applications too): move "
            f"it into a file of its own under {rendered_dir}/ and list that in extraResources"
        )
        found.append(Finding(where, mark.line, mark.col, "warning", RULE, msg))
    return found


def bases(directory: Path, repo: Path) -> list[Path]:
    """The directories holding a kustomization outside ``directory`` that its kustomization
    (or one nested in it) lists as resources: kustomize builds each whole, from anywhere in the
    repository (``repo``), never outside it."""
    found: list[Path] = []
    queue, seen = [directory], {directory}
    while queue:
        current = queue.pop(0)
        data = kustomization(current)
        for field in ("resources", "components", "bases"):
            items = data.get(field) if data else None
            for item in items if isinstance(items, list) else []:
                if not isinstance(item, str) or is_remote(item):
                    continue
                path = Path(os.path.normpath(current / item))
                if path in seen or not inside(path, repo) or not path.is_dir():
                    continue
                seen.add(path)
                if path != directory and directory not in path.parents:
                    if kustomization(path) is not None:
                        found.append(path)
                elif kustomization(path) is not None:
                    queue.append(path)
    return found


def extra_resources(
    directory: Path,
    top: Path,
    shown: str,
    apps: list[AppDoc],
    rendered_dir: str,
    root_path: str,
    recurse: bool,
    repo: Path | None = None,
    skip: frozenset[Path] = frozenset(),
    who: str = "the root",
) -> tuple[list[dict[str, Any]], list[Finding]]:
    """extraResources entries for the non-Application files the root syncs from ``directory``
    (``root_path`` in the repository); ``rendered_dir`` is where the rendered root reads. The
    root's build is followed wherever it reaches in the repository ``repo`` (default: ``top``,
    the imported directory): a kustomization directory outside the root's directory that holds
    no Application is one ``repoPath`` entry, read where it is. ``who`` synced ``directory``
    (a layer the root synced, flattened); files of ``skip`` were handled already."""
    repo = repo or top
    taken = {top / a.rel for a in apps}
    entries: list[dict[str, Any]] = []
    found: list[Finding] = []
    carried: set[Path] = set()
    for base in bases(directory, repo) if kustomization(directory) is not None else []:
        entry = _base_entry(base, repo, taken)
        if entry is not None:
            entries.append(entry[0])
            carried.update(entry[1])
    for file in synced_by(directory, repo, recurse):
        if file in carried or file in skip:
            continue
        where = posixpath.normpath(f"{shown.rstrip('/')}/{os.path.relpath(file, top)}")
        if file in taken:
            found.extend(_beside_applications(file, where, rendered_dir))
            continue
        objects = _objects(file)
        if objects is None:
            continue
        rel = os.path.relpath(file, directory).replace(os.sep, "/")
        if any(o.get("kind") == "Application" for o in objects):
            msg = _not_imported(file, top, shown, objects)
            found.append(Finding(where, 1, 1, "warning", NOT_CARRIED, msg))
            continue
        if rel.startswith("../"):
            msg = (
                f"{_what(objects)}: {who} syncs this file from outside its directory "
                f"{root_path}, and extraResources names a file there only as part of a "
                "kustomization directory without Applications; the catalog does not have it: "
                f"move it under {rendered_dir}/ (path), or into such a directory (repoPath)"
            )
            found.append(Finding(where, 1, 1, "warning", RULE, msg))
            continue
        entries.append({"path": rel, "wave": min(_waves(objects)), "description": _what(objects)})
        found.extend(_notes(objects, rel, where, root_path, rendered_dir, who))
    return entries, found


def _notes(
    objects: list[dict[str, Any]],
    rel: str,
    where: str,
    root_path: str,
    rendered_dir: str,
    who: str = "the root",
) -> list[Finding]:
    found = []
    mixed = _mixed(objects, rel)
    if mixed:
        found.append(Finding(where, 1, 1, "warning", RULE, mixed))
    if root_path != rendered_dir:
        msg = (
            f"{_what(objects)}: {who} synced this file from {root_path}; the catalog now "
            f"lists it in extraResources as {rel}, read from {rendered_dir}: move it to "
            f"{rendered_dir}/{rel}"
        )
        found.append(Finding(where, 1, 1, "warning", RULE, msg))
    return found


def _base_entry(
    base: Path, repo: Path, taken: set[Path]
) -> tuple[dict[str, Any], set[Path]] | None:
    """The ``repoPath`` entry for a kustomization directory outside the root's directory, and
    the files it builds; None when it builds an Application (listing it would sync that beside
    the rendered one: two owners) or no object."""
    files = set(application_files(base, within=repo))
    objects: list[dict[str, Any]] = []
    for file in sorted(files):
        if file in taken:
            return None
        each = _objects(file)
        if each is None:
            continue
        if any(o.get("kind") == "Application" for o in each):
            return None
        objects += each
    if not objects:
        return None
    rel = base.relative_to(repo).as_posix()
    entry = {"repoPath": rel, "wave": min(_waves(objects)), "description": _what(objects)}
    return entry, files


def _not_imported(file: Path, top: Path, shown: str, objects: list[dict[str, Any]]) -> str:
    """An Application the root syncs from a file import did not read (outside the imported
    directory): the catalog does not have it."""
    apps = _what([o for o in objects if o.get("kind") == "Application"])
    both = os.path.relpath(os.path.commonpath([file, top]), top)
    return (
        f"{apps}: the root syncs this file from outside the imported directory, which import "
        "does not read; the catalog does not have it: import the directory holding both "
        f"({posixpath.normpath(f'{shown}/{both}')}) to carry it"
    )


def root_objects(
    root: Path,
    source: str,
    roots: tuple[AppDoc | None, list[AppDoc]],
    apps: list[AppDoc],
    boot: str,
    found: list[Finding],
) -> list[dict[str, Any]]:
    """The root's non-Application files (and its flattened layers'), as extraResources (see
    :mod:`importing.extras`)."""
    main, others = roots
    top = top_of(root) if root.is_dir() else top_of(root).parent
    # Without a root, everything was applied by hand from the imported directory: its other
    # objects are the catalog's root's to sync now, or they would vanish.
    located = (
        root_directory(root, main) if main is not None else ((top, ".") if root.is_dir() else None)
    )
    if located is None:
        return []
    rendered = f"{boot}{APPS_SUFFIX}"
    entries, notes = extra_resources(
        located[0],
        top,
        source,
        apps,
        rendered,
        located[1],
        recurse_of(main) if main is not None else True,
        checkout.repository_top(root),
    )
    if main is not None:  # what the flattened layers synced beside their Applications
        found.extend(layer_objects(root, main, others, apps, source, rendered, entries))
    found.extend(notes)
    return entries


def layer_objects(
    root: Path,
    main: AppDoc,
    others: list[AppDoc],
    apps: list[AppDoc],
    shown: str,
    rendered_dir: str,
    entries: list[dict[str, Any]],
) -> list[Finding]:
    """The objects beside the Applications of each layer the main root syncs (flattened, so no
    Application syncs them any more): each file an ``extraResources`` entry added to ``entries``
    (to move under ``rendered_dir``), or named as the root's own are (an AppProject sharing a
    file with an Application, ...). A file the root or an earlier layer synced is theirs."""
    if not root.is_dir():
        return []
    top = top_of(root)
    repo = checkout.repository_top(root) or top
    main_dir = root_directory(root, main)
    seen = set(synced_by(main_dir[0], repo, recurse_of(main))) if main_dir else set()
    found: list[Finding] = []
    for layer in layers_of(root, main, others):
        here = root_directory(root, layer)
        if here is None:
            continue
        deep = recurse_of(layer)
        who = f"the layer {layer.name}"
        more, notes = extra_resources(
            here[0], top, shown, apps, rendered_dir, here[1], deep, repo, frozenset(seen), who
        )
        seen.update(synced_by(here[0], repo, deep))
        for entry in more:
            if entry in entries:
                continue
            clash = "path" in entry and any(e.get("path") == entry["path"] for e in entries)
            if not clash:
                entries.append(entry)
                continue
            # Another directory's file of that name is listed already: both cannot move there.
            where = posixpath.normpath(f"{shown.rstrip('/')}/{here[1]}/{entry['path']}")
            notes = [n for n in notes if n.file != where]
            msg = (
                f"{entry['description']}: {who} synced this file from {here[1]}; another file "
                f"the catalog lists is named {entry['path']} already: move it under "
                f"{rendered_dir}/ with another name and list that in extraResources"
            )
            notes.append(Finding(where, 1, 1, "warning", RULE, msg))
        found.extend(notes)
    return found
