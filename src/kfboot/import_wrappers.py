"""Hand-written wrapper kustomizations, seen through: their resources become component paths.

The original pointed ``common-services`` at ``bootstrap/apps/base/common-services``, a
kustomization listing upstream directories. A catalog says that directly (``paths``) and kfboot
renders the same wrapper, so import reads the wrapper when it lies in the imported tree and holds
nothing but directories (and perhaps a namespace).
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from kfboot import yamlio
from kfboot.import_component import Draft
from kfboot.import_sources import normalise_path

_PLAIN = {"apiVersion", "kind", "resources", "namespace"}


def local_dir(path: str, dirs: list[Path]) -> Path | None:
    """The local directory a repository-relative ``path`` lands on (its absolute path ends so)."""
    for d in dirs:
        if d.as_posix().endswith("/" + path):
            return d
    return None


def inline(drafts: list[Draft], dirs: list[Path]) -> dict[str, str]:
    """Replace a wrapper path by the wrapper's resources; returns {Application: wrapper path}."""
    seen: dict[str, str] = {}
    for d in drafts:
        paths = d.own.get("paths") or []
        if len(paths) != 1 or "repoURL" in d.own:
            continue
        directory = local_dir(paths[0], dirs)
        found = _resources(paths[0], directory) if directory else None
        if found is not None:
            resources, namespace = found
            d.own["paths"] = resources
            if namespace:
                d.own["kustomize"] = {"namespace": namespace}
            seen[d.app.name] = paths[0]
    return seen


def _resources(path: str, directory: Path) -> tuple[list[str], str | None] | None:
    data = _kustomization(directory)
    if (
        data is None
        or not set(data) <= _PLAIN
        or data.get("kind", "Kustomization") != ("Kustomization")
    ):
        return None
    namespace = data.get("namespace")
    resources = data.get("resources")
    if (
        not isinstance(resources, list)
        or not resources
        or (namespace is not None and not isinstance(namespace, str))
    ):
        return None
    result = []
    for item in resources:
        if not isinstance(item, str) or item.endswith((".yaml", ".yml", ".json")):
            return None  # a file, not a directory: only the wrapper can hold it
        joined = posixpath.normpath(posixpath.join(path, item))
        resolved = normalise_path(joined) if not joined.startswith("..") else None
        if resolved is None:
            return None
        result.append(resolved)
    return result, namespace


def _kustomization(directory: Path) -> dict[str, Any] | None:
    for name in ("kustomization.yaml", "kustomization.yml", "Kustomization"):
        file = directory / name
        if file.is_file():
            try:
                data = yamlio.load_with_positions(file.read_text(encoding="utf-8"))[0]
            except (ValueError, OSError, UnicodeDecodeError):
                return None
            return data if isinstance(data, dict) else None
    return None
