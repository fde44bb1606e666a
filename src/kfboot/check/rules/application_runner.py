"""Running the Application rules over parsed files, and placing each hit at file:line:col.

:func:`application_findings` is the reusable entry point: ``kfboot check`` runs it over the
committed files under bootstrap/, ``kfboot import`` over hand-written Applications.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Any

from kfboot.check.rules.application import (
    Context,
    Hit,
    dependency_wave_order,
    destination_server_name,
    get_path,
    helm_unpinned_version,
    ignore_differences_index,
    ignore_differences_kind,
    is_application,
    retry_invalid,
    root_server_side_apply,
    sync_options,
    sync_wave_format,
    unknown_field,
    wave_of,
)
from kfboot.check.rules.field_types import application_field_type
from kfboot.check.rules.finalizers import unknown_finalizer
from kfboot.check.rules.registry import severity
from kfboot.check.rules.source_refs import values_refs
from kfboot.findings import Finding
from kfboot.yamlio import Positions

RuleFn = Callable[[Any, Context], Iterator[Hit]]
APPLICATION_RULES: tuple[RuleFn, ...] = (
    sync_wave_format,
    destination_server_name,
    root_server_side_apply,
    sync_options,
    ignore_differences_kind,
    ignore_differences_index,
    retry_invalid,
    unknown_field,
    dependency_wave_order,
    helm_unpinned_version,
    application_field_type,
    values_refs,
    unknown_finalizer,
)


def application_hits(app: Any, ctx: Context) -> list[Hit]:
    """Every rule's hits for one Application."""
    return [hit for rule in APPLICATION_RULES for hit in rule(app, ctx)]


def waves_by_name(apps: Collection[Any]) -> dict[str, int]:
    """Application name -> wave, for :func:`dependency_wave_order` across a set of files."""
    result: dict[str, int] = {}
    for app in apps:
        name, wave = get_path(app, "metadata", "name"), wave_of(app)
        if isinstance(name, str) and wave is not None:
            result.setdefault(name, wave)
    return result


def is_root(app: Any, roots: Collection[str], root_paths: Collection[str]) -> bool:
    """Is ``app`` an app of apps: named in ``roots``, or syncing a directory of ``root_paths``?"""
    path = get_path(app, "spec", "source", "path")
    return get_path(app, "metadata", "name") in roots or (
        isinstance(path, str) and path.strip("/") in root_paths
    )


def application_findings(
    file: str,
    docs: list[tuple[Any, Positions]],
    *,
    roots: Collection[str] = (),
    root_paths: Collection[str] = (),
    waves: Mapping[str, int] | None = None,
    ignore: Collection[str] = (),
) -> list[Finding]:
    """Findings for every Application among ``docs`` (one file, parsed with positions).

    An app of apps is one named in ``roots`` or whose git source path is in ``root_paths``
    (the directory of child Applications); ``waves``: Application name -> wave for the whole
    set (defaults to this file's own); ``ignore``: rule ids switched off.
    """
    apps = [(doc, pos) for doc, pos in docs if is_application(doc)]
    known = waves if waves is not None else waves_by_name([doc for doc, _ in apps])
    findings = []
    for doc, pos in apps:
        ctx = Context(is_root=is_root(doc, roots, root_paths), waves=known)
        for hit in application_hits(doc, ctx):
            if hit.rule in ignore:
                continue
            mark = pos.of_key(hit.path) if hit.key else pos.of_value(hit.path)
            findings.append(
                Finding(file, mark.line, mark.col, severity(hit.rule), hit.rule, hit.message)
            )
    return findings
