"""Kustomizations that change the Applications they select: named, since import reads each
Application as its file says.

Argo CD applies a kustomization's patches, name prefixes and common labels to the Applications it
selects (a root over ``apps/`` with ``patches:`` deploys the patched Applications). Import reads
the files, not kustomize's output, so what those fields change is not in the catalog; each such
kustomization gets a finding naming its fields, at the first of them.
"""

from __future__ import annotations

import re
from pathlib import Path

from kfboot.errors import KfbootError
from kfboot.findings import Finding
from kfboot.importing.app_files import AppDoc
from kfboot.importing.fixes import NOT_CARRIED
from kfboot.importing.tree import KUSTOMIZATIONS, read_file, top_of, walked


def _line_of(file: Path, field: str) -> int:
    try:
        text = read_file(file).decode("utf-8")
    except (KfbootError, UnicodeDecodeError):
        return 1
    match = re.search(rf"^{re.escape(field)}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def transformed(root: Path, source: str, apps: list[AppDoc]) -> list[Finding]:
    """A finding for each kustomization under ``root`` that transforms imported Applications."""
    if not root.is_dir():
        return []
    top = top_of(root)
    files = [top / a.rel for a in apps]
    found = []
    for directory, fields in sorted(walked(root).transforms.items()):
        if not any(directory in f.parents for f in files):
            continue
        kfile = next(directory / n for n in KUSTOMIZATIONS if (directory / n).is_file())
        where = f"{source.rstrip('/')}/{kfile.relative_to(top).as_posix()}"
        msg = (
            f"{', '.join(fields)}: this kustomization changes the Applications it selects; "
            "import read them as their files say, so the catalog lacks what it changes: "
            f"compare each component with `kubectl kustomize {where.rsplit('/', 1)[0]}`"
        )
        found.append(Finding(where, _line_of(kfile, fields[0]), 1, "warning", NOT_CARRIED, msg))
    return found
