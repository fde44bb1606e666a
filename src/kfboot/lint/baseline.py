"""The baseline: the findings a team accepted, so that lint fails only on new ones.

``--write-baseline FILE`` records each finding by rule, file and object (``Kind/namespace/name``;
``""`` for a file-level finding), never by line: a line moved by an edit above it is still the
accepted finding. ``--baseline FILE`` accepts as many findings of each (rule, file, object) as
were recorded; one more is new. Files are recorded relative to the baseline's own directory,
so the baseline works from any working directory. The message is kept for the reader only.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path, PurePath

from kfboot.errors import KfbootError
from kfboot.findings import shown_path
from kfboot.lint.engine import Located

VERSION = 1
Key = tuple[str, str, str]


def _file_key(file: str, base: Path) -> str:
    return PurePath(os.path.relpath(Path(file).absolute(), base.absolute())).as_posix()


def _key(item: Located, base: Path) -> Key:
    return item.finding.rule, _file_key(item.finding.file, base), item.obj


def dumps(found: list[Located], baseline: Path) -> str:
    """The baseline document for ``found``."""
    base = baseline.parent
    entries = [
        {"rule": rule, "file": file, "object": obj, "message": item.finding.message}
        for item in sorted(found)
        for rule, file, obj in [_key(item, base)]
    ]
    entries.sort(key=lambda e: (e["file"], e["object"], e["rule"], e["message"]))
    doc = {"version": VERSION, "tool": "kfboot lint", "findings": entries}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def load(baseline: Path) -> Counter[Key]:
    """How many findings of each (rule, file, object) the baseline accepts."""
    where = shown_path(baseline)
    try:
        doc = json.loads(baseline.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KfbootError(f"{where}: not a kfboot lint baseline: {exc}") from None
    entries = doc.get("findings") if isinstance(doc, dict) else None
    if not isinstance(doc, dict) or doc.get("version") != VERSION or not isinstance(entries, list):
        raise KfbootError(f"{where}: not a kfboot lint baseline (version {VERSION} expected)")
    accepted: Counter[Key] = Counter()
    for i, entry in enumerate(entries):
        fields = [
            entry.get(k) if isinstance(entry, dict) else None for k in ("rule", "file", "object")
        ]
        if not all(isinstance(f, str) for f in fields):
            raise KfbootError(f"{where}: findings[{i}]: needs string rule, file and object")
        accepted[(str(fields[0]), str(fields[1]), str(fields[2]))] += 1
    return accepted


def new_findings(found: list[Located], accepted: Counter[Key], baseline: Path) -> list[Located]:
    """The findings the baseline does not accept (in order; each entry accepts one finding)."""
    left = Counter(accepted)
    fresh = []
    for item in sorted(found):
        key = _key(item, baseline.parent)
        if left[key] > 0:
            left[key] -= 1
        else:
            fresh.append(item)
    return fresh
