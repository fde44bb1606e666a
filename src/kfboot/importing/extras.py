"""Objects beside the Applications that the root syncs: kept as the catalog's extraResources.

A hand-written bootstrap often puts Namespaces with labels, AppProjects, ApplicationSets or
ClusterIssuers where the root Application syncs them. They are not Applications, so they are not
components; dropping them would change what the root deploys. Import lists each such file as an
``extraResources`` entry (a path in the rendered root's directory, with the wave its objects
carry) and says when the file has to move there.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from kfboot import yamlio
from kfboot.check.rules.argocd import WAVE_ANNOTATION, atoi
from kfboot.errors import KfbootError
from kfboot.findings import Finding
from kfboot.importing.app_files import AppDoc, mapping
from kfboot.importing.tree import read_file, synced_by

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


def extra_resources(
    directory: Path,
    top: Path,
    shown: str,
    apps: list[AppDoc],
    rendered_dir: str,
    root_path: str,
    recurse: bool,
) -> tuple[list[dict[str, Any]], list[Finding]]:
    """extraResources entries for the non-Application files the root syncs from ``directory``
    (``root_path`` in the repository); ``rendered_dir`` is where the rendered root reads."""
    taken = {top / a.rel for a in apps}
    entries: list[dict[str, Any]] = []
    found: list[Finding] = []
    for file in synced_by(directory, top, recurse):
        where = f"{shown.rstrip('/')}/{file.relative_to(top).as_posix()}"
        if file in taken:
            found.extend(_beside_applications(file, where, rendered_dir))
            continue
        objects = _objects(file)
        if objects is None:
            continue
        rel = os.path.relpath(file, directory).replace(os.sep, "/")
        if rel.startswith("../"):
            msg = (
                f"{_what(objects)}: the root syncs this file from outside its directory "
                f"{root_path}, which extraResources cannot name; the catalog does not have it: "
                f"move it under {rendered_dir}/ and list it in extraResources"
            )
            found.append(Finding(where, 1, 1, "warning", RULE, msg))
            continue
        entries.append({"path": rel, "wave": min(_waves(objects)), "description": _what(objects)})
        mixed = _mixed(objects, rel)
        if mixed:
            found.append(Finding(where, 1, 1, "warning", RULE, mixed))
        if root_path != rendered_dir:
            msg = (
                f"{_what(objects)}: the root synced this file from {root_path}; the catalog now "
                f"lists it in extraResources as {rel}, read from {rendered_dir}: move it to "
                f"{rendered_dir}/{rel}"
            )
            found.append(Finding(where, 1, 1, "warning", RULE, msg))
    return entries, found
