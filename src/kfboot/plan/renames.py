"""The renames a render makes on a live install: Applications on disk whose name changes.

Single cluster -> fleet, a layout switch and an ``application:`` change rename Applications;
Argo CD knows them by name, so a rename deletes the old Application (cascading when it carries
the resources finalizer) and creates the new one. ``render`` warns with each old -> new name
(``kfboot plan`` says the rest). Only generated Application files are read, never trusted.
"""

from __future__ import annotations

from typing import Any

from kfboot import yamlio
from kfboot.layout import is_generated


def _applications(texts: dict[str, str | None]) -> dict[str, tuple[str, Any]]:
    """``{name: (component file name, destination)}`` of the Application files in ``texts``."""
    found: dict[str, tuple[str, Any]] = {}
    for rel, text in texts.items():
        if text is None or not is_generated(text) or not rel.endswith(".yaml"):
            continue
        try:
            docs = yamlio.load_all(text)
        except ValueError:
            continue
        for doc in docs:
            if isinstance(doc, dict) and doc.get("kind") == "Application":
                meta, spec = doc.get("metadata") or {}, doc.get("spec") or {}
                dest = spec.get("destination") if isinstance(spec, dict) else None
                place = tuple(sorted(dest.items())) if isinstance(dest, dict) else ()
                found[str(meta.get("name"))] = (rel.rsplit("/", 1)[-1], place)
    return found


def renamed_applications(on_disk: dict[str, str | None], files: dict[str, str]) -> list[str]:
    """``old -> new`` for each Application of ``on_disk`` that ``files`` renames."""
    # Only a file that changes can rename: an unchanged one holds the same names on both sides
    # (and names are unique), so it is never read; a render that changes nothing parses nothing.
    changed = {rel for rel in on_disk.keys() | files.keys() if on_disk.get(rel) != files.get(rel)}
    old = _applications({rel: on_disk.get(rel) for rel in changed})
    new = _applications({rel: files.get(rel) for rel in changed})
    by_place = {where: name for name, where in new.items() if name not in old}
    return [
        f"{name} -> {by_place[where]}"
        for name, where in sorted(old.items())
        if name not in new and where in by_place
    ]
