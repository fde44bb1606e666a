"""The plan's formats: ``text`` (as ``terraform plan`` reads), ``json`` (every item with its
kind, names, wave and Application), ``github`` (the text in a group, and an annotation per
destructive or by-hand item, through :class:`kfboot.findings.Finding`) and ``markdown`` (a
pull-request comment). Every format passes through :func:`kfboot.findings.redact`."""

from __future__ import annotations

import dataclasses
import html
import json
import re
from collections import Counter
from itertools import groupby

from kfboot.findings import Finding, neutral, redact
from kfboot.plan.diff import ROOTS, Item

FORMATS = ("text", "json", "github", "markdown")
_SIGN = {
    "plan-application-created": "+",
    "plan-application-deleted": "-",
    "plan-cascading-deletion": "-",
    "plan-application-renamed": ">",
    "plan-application-changed": "~",
    "plan-apply-by-hand": "!",
    "plan-argocd-upgrade": "~",
    "plan-extra-resource": "~",
    "plan-extra-resource-removed": "-",
    "plan-objects-pruned": "-",
    "plan-crd-removed": "-",
    "plan-object-moved": ">",
    "plan-object-namespace-moved": ">",
    "plan-immutable-field": "!",
    "plan-objects-not-compared": "?",
}
# Commands to run before the change lands (the others: once it has merged).
_BEFORE = frozenset(["plan-object-moved", "plan-crd-removed"])
# Items whose objects are only counted unless -v (the others name up to ten).
_COUNTED = frozenset(["plan-objects-pruned"])


def summary(items: list[Item], objects: bool = False) -> str:
    kinds = Counter(i.kind for i in items)
    if not items:
        return "No changes: Argo CD has nothing to do."
    pruned = sum(len(i.names) for i in items if i.kind == "plan-objects-pruned")
    moved = sum(
        len(i.names)
        for i in items
        if i.kind in ("plan-object-moved", "plan-object-namespace-moved")
    )
    deleted = kinds["plan-application-deleted"] + kinds["plan-cascading-deletion"]
    parts = [
        f"{kinds['plan-application-created']} to create",
        f"{kinds['plan-application-changed']} to change",
        f"{deleted} to delete ({kinds['plan-cascading-deletion']} cascading)",
        f"{kinds['plan-application-renamed']} renamed",
        f"{kinds['plan-apply-by-hand']} to apply by hand",
    ]
    if objects:
        parts.append(
            f"objects: {pruned} pruned, {kinds['plan-crd-removed']} CRDs removed, {moved} moved, "
            f"{kinds['plan-immutable-field']} immutable, {kinds['plan-objects-not-compared']} "
            "Applications not compared"
        )
    destructive = sum(1 for i in items if i.destructive)
    return f"Plan: {', '.join(parts)}; {destructive} destructive."


def _wave(item: Item) -> str:
    return "root" if item.wave == ROOTS else f"wave {item.wave}"


def _group(item: Item) -> str:
    return f"cluster {item.cluster}" if item.cluster else "the catalog's cluster"


def text(items: list[Item], header: str, verbose: bool = False, objects: bool = False) -> str:
    lines = [header, ""]
    for where, group in groupby(items, key=_group):
        lines.append(f"{where}:")
        for item in group:
            mark = "  [destructive]" if item.destructive else ""
            sign = _SIGN.get(item.kind, "~")
            lines.append(f"  {sign} {_wave(item):<8} {item.application}: {item.message}{mark}")
            if item.command:
                lines.append(f"      {item.command}")
            counted = item.kind in _COUNTED or len(item.names) > 10
            if verbose or not counted:
                lines += [f"      {name}" for name in item.names]
            elif item.names:
                lines.append(f"      ({len(item.names)} objects; -v lists them)")
        lines.append("")
    lines.append(summary(items, objects))
    return "\n".join(lines) + "\n"


def as_json(items: list[Item], base: str) -> str:
    doc = {
        "version": 1,
        "base": base,
        "items": [i.as_json() for i in items],
        "summary": {
            "destructive": sum(1 for i in items if i.destructive),
            **dict(sorted(Counter(i.kind for i in items).items())),
        },
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def github(items: list[Item], header: str, catalog: str, objects: bool = False) -> str:
    body = text(items, header, verbose=True, objects=objects)
    notes = [
        Finding(
            catalog,
            0,
            0,
            "error" if i.destructive else "warning",
            i.kind,
            f"{_group(i)}: {i.application}: {i.message}"
            + (f" (run: {i.command})" if i.command else ""),
        ).github()
        for i in items
        if i.destructive or i.kind in ("plan-apply-by-hand", "plan-argocd-upgrade")
    ]
    return (
        f"::group::kfboot plan\n{body}::endgroup::\n"
        + "".join(n + "\n" for n in notes)
        + summary(items, objects)
        + "\n"
    )


def _cell(value: str) -> str:
    """Text in a table cell: a pipe cannot end the cell, nor ``<``/``&`` start markup."""
    return html.escape(value, quote=False).replace("|", "\\|").replace("\n", " ")


def _code(value: str) -> str:
    """``value`` as a code span in a table cell: delimited by more backticks than it holds
    (CommonMark), so a backtick in a name cannot end the span and let markup in."""
    ticks = "`" * (max((len(run) for run in re.findall("`+", value)), default=0) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    escaped = value.replace("|", "\\|")  # GFM splits the row before it reads code spans
    return f"{ticks}{pad}{escaped}{pad}{ticks}"


def _fence(commands: list[str]) -> str:
    """A fence longer than any run of backticks in ``commands``."""
    longest = max((len(run) for c in commands for run in re.findall("`+", c)), default=0)
    return "`" * max(3, longest + 1)


def markdown(items: list[Item], header: str, objects: bool = False) -> str:
    destructive = [i for i in items if i.destructive]
    title, *more = header.split("\n")
    lines = [
        f"### {title}",
        "",
        *([*more, ""] if more else []),
        f"**{summary(items, objects)}**",
        "",
    ]
    if destructive:
        lines += [
            f"> [!CAUTION]\n> {len(destructive)} destructive change(s): review before merging.",
            "",
        ]
    for where, group in groupby(items, key=_group):
        lines += [
            f"#### {where}",
            "",
            "| | Application | Wave | Change |",
            "| --- | --- | --- | --- |",
        ]
        for i in group:
            flag = " **destructive**" if i.destructive else ""
            sign = _SIGN.get(i.kind, "~")
            lines.append(
                f"| `{sign}` | {_code(i.application)} | {_wave(i)} | {_cell(i.message)}{flag}"
                f"{_names(i)} |"
            )
        lines.append("")
    before = [i.command for i in items if i.command and (i.before or i.kind in _BEFORE)]
    if before:
        fence = _fence(before)
        lines += ["Run before this merges:", "", f"{fence}bash", *before, fence, ""]
    commands = [i.command for i in items if i.command and not (i.before or i.kind in _BEFORE)]
    if commands:
        fence = _fence(commands)
        lines += ["Run by hand once this merges:", "", f"{fence}bash", *commands, fence, ""]
    return "\n".join(lines)


def _names(item: Item) -> str:
    """The objects of an item, folded in a ``<details>`` (a table cell holds no list)."""
    if not item.names:
        return ""
    shown = "<br>".join(_code(n) for n in item.names)
    count = f"{len(item.names)} object{'s' if len(item.names) != 1 else ''}"
    return f"<details><summary>{count}</summary>{shown}</details>"


def _inert(item: Item) -> Item:
    def one(text: str) -> str:
        return neutral(text, one_line=True)

    return dataclasses.replace(
        item,
        application=one(item.application),
        message=one(item.message),
        command=one(item.command),
        names=tuple(one(n) for n in item.names),
    )


def render_plan(
    fmt: str,
    items: list[Item],
    header: str,
    base: str,
    catalog: str,
    verbose: bool,
    objects: bool = False,
) -> str:
    """The plan in format ``fmt``; ``objects``: ``--manifests`` ran (the summary counts them).

    Object names come from the build of a pull request's manifests: every string of an item is
    shown with control, bidi and zero-width characters (and line feeds) as escapes, so a name
    cannot retitle a terminal, start a line of its own or forge an ``::error`` annotation.
    """
    items = [_inert(i) for i in items]
    header = neutral(header)
    if fmt == "json":
        out = as_json(items, base)
    elif fmt == "github":
        out = github(items, header, catalog, objects)
    elif fmt == "markdown":
        out = markdown(items, header, objects)
    else:
        out = text(items, header, verbose, objects)
    return redact(out)
