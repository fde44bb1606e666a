"""``extraResources``: the user-owned files the root syncs must exist, build, and carry their wave.

``kfboot render`` lists each entry in the root's kustomization and never touches the file, so
only ``check`` (which reads the bootstrap directory) can see that a file is missing, which breaks
the root's kustomize build and with it every Application, or that its objects carry another
``argocd.argoproj.io/sync-wave`` than the catalog says, which moves them to another wave.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from kfboot import yamlio
from kfboot.catalog.models import Catalog, ExtraResource
from kfboot.check.rules.application import Hit
from kfboot.check.rules.argocd import WAVE_ANNOTATION, atoi
from kfboot.findings import Finding
from kfboot.gitrepo.tree import inside, toplevel
from kfboot.layout import APPS_DIR, KUSTOMIZATION_FILES
from kfboot.output import MAX_GENERATED


def _waves(file: Path) -> list[tuple[str, int]]:
    """(``Kind name``, wave) of every object in ``file``; unreadable files have none, and so
    have files that are not regular or larger than any kustomize resource should be."""
    try:
        docs = yamlio.load_all(_read_regular(file).decode("utf-8"))
    except (ValueError, OSError, UnicodeDecodeError):
        return []
    found = []
    for doc in docs:
        meta: Any = doc.get("metadata") if isinstance(doc, dict) else None
        if not isinstance(meta, dict):
            continue
        annotations = meta.get("annotations")
        value = annotations.get(WAVE_ANNOTATION) if isinstance(annotations, dict) else None
        wave = atoi(value) or 0
        found.append((f"{doc.get('kind')} {meta.get('name')}", wave))
    return found


def _read_regular(file: Path) -> bytes:
    fd = os.open(file, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO must not block the open
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{file}: not a regular file")
        data = handle.read(MAX_GENERATED + 1)
    if len(data) > MAX_GENERATED:
        raise OSError(f"{file}: too large")
    return data


def _repository(bootstrap: Path, bootstrap_path: str) -> Path:
    """The repository's top: ``bootstrap`` is ``<top>/<bootstrapPath>``."""
    top = Path(os.path.normpath(bootstrap.absolute()))
    for _ in PurePosixPath(bootstrap_path).parts:
        top = top.parent
    return top


def _kustomized(directory: Path) -> bool:
    return directory.is_dir() and any((directory / n).is_file() for n in KUSTOMIZATION_FILES)


def _unbuildable(extra: ExtraResource, target: Path, shown: str) -> str | None:
    """Why kustomize cannot build the entry from the root's directory, if so."""
    if extra.repoPath is not None and not _kustomized(target):
        what = "a directory without a kustomization" if target.is_dir() else "a single file"
        return (
            f"{shown} is {what} outside the root's directory: kustomize builds only a "
            "directory holding a kustomization from there (its load restrictions refuse a file, "
            "and a plain directory does not build); add a kustomization.yaml listing its files"
        )
    return None


def extra_resource_hits(catalog: Catalog, bootstrap: Path) -> Iterator[Hit]:
    """Hits at the catalog's ``extraResources`` entries, against the files under ``bootstrap``."""
    top = None
    if catalog.extraResources:  # the git top, else the directory bootstrapPath is under
        top = toplevel(bootstrap.parent) or _repository(bootstrap, catalog.bootstrapPath)
    for i, extra in enumerate(catalog.extraResources):
        field = "path" if extra.repoPath is None else "repoPath"
        shown = extra.repository_path(catalog.bootstrapPath)
        target = Path(os.path.normpath(bootstrap / APPS_DIR / extra.entry(catalog.bootstrapPath)))
        if not target.exists() and not target.is_symlink():
            yield Hit(
                "extra-resource-missing",
                ("extraResources", i, field),
                f"{shown} does not exist, but the root's kustomization lists it: the root "
                "cannot build; create the file or remove the entry",
            )
            continue
        # Inside the repository: a symlink out is never read, so the outside object's kind and
        # name are never printed (Argo CD refuses such a checkout: reposerver/repository/
        # repository.go:469@v3.4.7, CheckOutOfBoundsSymlinks).
        if top is not None and not inside(target, top):
            yield Hit(
                "extra-resource-outside",
                ("extraResources", i, field),
                f"{shown} leads out of the repository through a symlink: Argo CD refuses it "
                "and kfboot does not read it; copy the file into the repository",
            )
            continue
        why = _unbuildable(extra, target, shown)
        if why is not None:
            yield Hit("extra-resource-unbuildable", ("extraResources", i, field), why)
            continue
        for what, wave in _waves(target) if target.is_file() else []:
            if wave != extra.wave:
                yield Hit(
                    "extra-resource-wave",
                    ("extraResources", i, "wave"),
                    f"{what} in {shown} carries sync-wave {wave}, not {extra.wave}: the root "
                    "applies it in its own wave; make the two agree",
                )


def extra_resource_findings(catalog: Catalog, catalog_path: Path, bootstrap: Path) -> list[Finding]:
    """The hits as findings at their catalog lines (the catalog is only re-read when needed)."""
    from kfboot.check.rules.registry import severity

    hits = list(extra_resource_hits(catalog, bootstrap))
    if not hits:
        return []
    _, pos = yamlio.load_with_positions(catalog_path.read_text(encoding="utf-8"))
    shown = str(catalog_path) if not catalog_path.is_absolute() else catalog_path.name
    return [
        Finding(shown, m.line, m.col, severity(h.rule), h.rule, h.message)
        for h in hits
        for m in [pos.of_value(h.path)]
    ]
