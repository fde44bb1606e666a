"""Component paths in the manifests checkout: do they exist, are they Kustomizations, and what
was probably meant when they do not (upstream renames directories between releases)."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kfboot import yamlio
from kfboot.layout import KUSTOMIZATION_FILES
from kfboot.manifests.renames import renamed


def kustomization_file(directory: Path) -> Path | None:
    """The kustomization file kustomize would read in ``directory``, if any."""
    for name in KUSTOMIZATION_FILES:
        candidate = directory / name
        if candidate.is_file():
            return candidate
    return None


def read_kustomization(path: Path) -> dict[str, Any] | None:
    """The first document of a kustomization file, or None when it is not a mapping."""
    try:
        docs = [d for d in yamlio.load_all(path.read_text(encoding="utf-8")) if d is not None]
    except (OSError, ValueError, yaml.YAMLError):
        return None
    return docs[0] if docs and isinstance(docs[0], dict) else None


@dataclass(frozen=True)
class PathProblem:
    rule: str
    message: str


def check_path(root: Path, rel: str, siblings: list[str]) -> PathProblem | None:
    """Why ``rel`` cannot be an Application path in ``root`` (None when it can)."""
    directory = root / rel
    if not directory.is_dir():
        hint = after_rename(root, rel, siblings) or suggest(root, rel, siblings)
        more = f"; did you mean {hint}?" if hint else ""
        return PathProblem("manifests-path-missing", f"path {rel} does not exist{more}")
    found = kustomization_file(directory)
    if found is None:
        return PathProblem(
            "manifests-path-missing",
            f"path {rel} holds no {', '.join(KUSTOMIZATION_FILES[:-1])} or Kustomization",
        )
    data = read_kustomization(found)
    if data is not None and data.get("kind", "Kustomization") == "Component":
        return PathProblem(
            "manifests-component-dir",
            f"path {rel} is a kustomize Component (kind: Component), which cannot be an "
            "Application path; include it from a Kustomization's components: instead",
        )
    return None


def after_rename(root: Path, rel: str, siblings: list[str]) -> str | None:
    """The path after one of upstream's big renames, or the closest directory to it."""
    for candidate in renamed(rel):
        if (root / candidate).is_dir():
            return candidate
        close = suggest(root, candidate, siblings)
        if close is not None:
            return close
    return None


def _kustomization_dirs(base: Path, root: Path) -> list[str]:
    found = []
    for current, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        if any(name in files for name in KUSTOMIZATION_FILES):
            found.append(Path(current).relative_to(root).as_posix())
    return found


def suggest(root: Path, rel: str, exclude: list[str]) -> str | None:
    """The closest existing Kustomization directory to a missing ``rel``.

    Renames usually stay under the same parent (``common/cert-manager/kubeflow-issuer/base``
    became ``common/cert-manager/overlays/kubeflow``), so candidates come from the deepest
    existing ancestor first; paths the component already lists are never suggested.
    """
    parts = rel.split("/")
    for depth in range(len(parts) - 1, 0, -1):
        base = root.joinpath(*parts[:depth])
        if not base.is_dir():
            continue
        candidates = [
            c
            for c in _kustomization_dirs(base, root)
            if c not in exclude and c != rel and _is_kustomization(root / c)
        ]
        by_core = {_core(c.split("/")[depth:]): c for c in reversed(candidates)}
        if len(candidates) == 1 and depth > 1:
            return candidates[0]
        close = difflib.get_close_matches(_core(parts[depth:]), list(by_core), n=1, cutoff=0.6)
        if close:
            return by_core[close[0]]
        if depth <= 1:
            return None
    return None


# Layout words every component has; a rename is recognised by the words that name it.
_GENERIC = frozenset(["base", "overlays", "upstream", "components", "default", "options"])


def _core(parts: list[str]) -> str:
    return "/".join(p for p in parts if p not in _GENERIC) or "/".join(parts)


def _is_kustomization(directory: Path) -> bool:
    found = kustomization_file(directory)
    data = read_kustomization(found) if found else None
    return data is None or data.get("kind", "Kustomization") != "Component"
