"""``kfboot upgrade``'s core: merge, edit the catalog in place, validate, without writing.

:func:`prepare` computes the upgraded ``waves.yaml`` and proves it before anything is written:
it parses as the merged data, it is a valid catalog, its render passes the catalog rules and
goes where render may write. The command then writes the catalog and renders.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kfboot import output, yamledit, yamlio
from kfboot.catalog import presets
from kfboot.catalog.credentials import redact_diff
from kfboot.catalog.load import parse_catalog
from kfboot.errors import KfbootError, UsageError
from kfboot.findings import Finding, located, redact, shown_path
from kfboot.upgrade import merge, textedit


@dataclass(frozen=True)
class Upgrade:
    """The catalog before and after, the releases, and the conflicts kept at the user's side."""

    path: Path
    old_text: str
    new_text: str
    since: str
    release: str
    conflicts: list[Finding]
    changed: list[str]

    def diff(self) -> str:
        """The catalog's unified diff, with any credential in it redacted."""
        return redact(
            redact_diff(output.unified_diff(self.path.name, self.old_text, self.new_text))
        )


def _load(text: str) -> tuple[Any, yamlio.Positions]:
    return yamlio.load_with_positions(text)


def _since(user: Any, positions: yamlio.Positions, given: str | None, file: str) -> presets.Preset:
    """The preset the catalog was written from: ``--from``, else its ``preset:``."""
    if given is not None:
        return presets.resolve(given)[0]
    recorded = user.get("preset")
    if recorded is None:
        raise UsageError(
            f"{file}: no 'preset:' says which release the catalog was written from; pass "
            f"--from RELEASE (one of {presets.known()}) to name the preset to merge against"
        )
    try:
        return presets.resolve(str(recorded))[0]
    except UsageError as exc:
        mark = positions.of_value(("preset",))
        raise UsageError(
            f"{file}:{mark.line}:{mark.col}: preset: {exc}; pass --from RELEASE"
        ) from None


def _indexed(path: merge.Path_, user: Any) -> tuple[str | int, ...]:
    """A merge path with keyed items turned into the user's list indexes."""
    out: list[str | int] = []
    node = user
    for step in path:
        if isinstance(step, tuple):
            items = node if isinstance(node, list) else []
            index = next((i for i, x in enumerate(items) if x.get(step[0]) == step[1]), None)
            if index is None:
                break
            out.append(index)
            node = items[index]
        else:
            out.append(step)
            node = (
                node.get(step)
                if isinstance(node, dict)
                else (
                    node[step]
                    if isinstance(node, list) and isinstance(step, int) and step < len(node)
                    else None
                )
            )
    return tuple(out)


def _shown(value: Any) -> str:
    return "(absent)" if value is merge.MISSING else json.dumps(value, default=str)


def _conflict(
    c: merge.Conflict,
    user: Any,
    pos: yamlio.Positions,
    file: str,
    ids: tuple[str, str],
    force: bool,
) -> Finding:
    path = _indexed(c.path, user)
    mark = pos.of_value(path)
    kept = "; kept yours (--force)" if force else ""
    message = (
        f"changed both in the catalog and in preset {ids[1]}: yours {_shown(c.user)}, "
        f"preset {ids[1]} {_shown(c.target)}, was {_shown(c.base)} in {ids[0]}{kept}"
    )
    return located(file, mark.line, mark.col, yamledit.dotted(path), message)


def prepare(path: Path, release: str, *, since: str | None, force: bool) -> Upgrade:
    """The upgraded catalog, proved valid and renderable; :class:`KfbootError` on a conflict
    (unless ``force``) or an invalid result, with nothing written."""
    target, _ = presets.resolve(release)
    file = shown_path(path)
    old_text = _read(path)
    parse_catalog(old_text, file=file)  # an invalid catalog says so first, as render would
    user, positions = _load(old_text)
    base = _since(user, positions, since, file)
    merged, conflicts = merge.merge(_load(base.text())[0], user, _load(target.text())[0])
    ids = (base.id, target.id)
    found = [_conflict(c, user, positions, file, ids, force) for c in conflicts]
    if found and not force:
        lines = [str(f) for f in found]
        raise KfbootError(
            "\n".join(
                [
                    *lines,
                    f"upgrade: {len(found)} conflict(s) between {file} and preset "
                    f"{target.id}; nothing written (edit the catalog, or --force to keep yours)",
                ]
            )
        )
    new_text = textedit.rewrite(old_text, target.text(), merged)
    edit = yamledit.Edit(("preset",), target.id, after="bootstrapPath")
    new_text, _ = yamledit.apply(new_text, [edit])
    _prove(new_text, merged, target.id)
    _renders(path, new_text)
    return Upgrade(path, old_text, new_text, base.id, target.id, found, _changed(user, merged))


def _renders(path: Path, text: str) -> None:
    """The upgraded catalog is valid, passes render's catalog rules and may be rendered where
    its bootstrap/ is (no hand-written file in the way): else nothing is written."""
    from kfboot.check.runner import catalog_findings
    from kfboot.render.tree import render

    catalog = parse_catalog(text, file=f"{shown_path(path)} (upgraded)")
    files = render(catalog, source=path.name)
    errors = [f for f in catalog_findings(catalog, path, files) if f.severity == "error"]
    if errors:
        raise KfbootError(
            "\n".join(
                [
                    *(f.text() for f in errors),
                    f"upgrade: the upgraded catalog has {len(errors)} error(s); nothing written",
                ]
            )
        )
    output.plan(path.parent / catalog.bootstrapPath, files, base=path.parent, command="upgrade")


def _read(path: Path) -> str:
    from kfboot.catalog.load import read_catalog_bytes

    try:
        return read_catalog_bytes(path).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise KfbootError(f"{path}: not UTF-8 text: {exc.reason}") from None


def _prove(new_text: str, merged: dict[str, Any], release: str) -> None:
    expected = {**merged, "preset": release}
    if merge._canon(_load(new_text)[0]) != merge._canon(expected):
        raise KfbootError(
            "internal error: the upgraded catalog does not read back as merged; nothing written"
        )


def _changed(user: dict[str, Any], merged: dict[str, Any]) -> list[str]:
    """The top-level sections the upgrade changes, and each component it adds, changes or drops."""
    out = []
    for key in [*user, *(k for k in merged if k not in user)]:
        if key == "components":
            continue
        if merge._canon(user.get(key)) != merge._canon(merged.get(key)):
            out.append(key)
    mine = {c.get("name"): c for c in user.get("components", [])}
    theirs = {c.get("name"): c for c in merged.get("components", [])}
    for name in [*mine, *(n for n in theirs if n not in mine)]:
        if name not in theirs:
            out.append(f"components: {name} removed")
        elif name not in mine:
            out.append(f"components: {name} added")
        elif merge._canon(mine[name]) != merge._canon(theirs[name]):
            fields = sorted(
                k
                for k in {*mine[name], *theirs[name]}
                if merge._canon(mine[name].get(k)) != merge._canon(theirs[name].get(k))
            )
            out.append(f"components: {name} ({', '.join(fields)})")
    return out
