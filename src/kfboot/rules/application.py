"""Argo CD rules over one parsed Application: what the CRD schema cannot catch.

Each rule is a small function ``(app, ctx) -> hits``; a :class:`Hit` names the YAML path at
fault, so callers place it: at ``file:line:col`` of a committed file (:func:`application_findings`,
also used by ``kfboot import``), or back at the catalog line a rendered file came from.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from kfboot import yamlio
from kfboot.findings import Finding
from kfboot.rules.fields import APPLICATION, Tree
from kfboot.rules.kinds import BUILTIN_KINDS, LIKELY_MEANT
from kfboot.rules.registry import severity
from kfboot.yamlio import Path_, Positions

WAVE_ANNOTATION = "argocd.argoproj.io/sync-wave"
# Argo CD's sync-options documentation, exactly; Argo CD compares these as plain strings.
SYNC_OPTIONS = frozenset(
    [
        "Validate=false",
        "SkipDryRunOnMissingResource=true",
        "Prune=false",
        "Prune=confirm",
        "Delete=false",
        "Delete=confirm",
        "ApplyOutOfSyncOnly=true",
        "PrunePropagationPolicy=foreground",
        "PrunePropagationPolicy=background",
        "PrunePropagationPolicy=orphan",
        "PruneLast=true",
        "Replace=true",
        "Force=true",
        "ServerSideApply=true",
        "ServerSideApply=false",
        "ClientSideApplyMigration=false",
        "FailOnSharedResource=true",
        "RespectIgnoreDifferences=true",
        "CreateNamespace=true",
    ]
)
DESTRUCTIVE = ("Force=true", "Replace=true")
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
# Go's time.ParseDuration; Argo CD also reads a bare integer as seconds.
_GO_DURATION = re.compile(r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+\Z")
_JQ_INDEX = re.compile(r"\[\s*[0-9]+\s*\]")
# An exact SemVer 2 version, as Helm chart versions are; anything else is a range to Argo CD.
_EXACT_VERSION = re.compile(
    r"v?(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)"
    r"(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?\Z"
)


@dataclass(frozen=True)
class Hit:
    """One rule firing at a YAML path of the Application (``key``: point at the key, not value)."""

    rule: str
    path: Path_
    message: str
    key: bool = False


@dataclass(frozen=True)
class Context:
    """What a rule may know beyond the Application itself."""

    is_root: bool = False
    waves: Mapping[str, int] = field(default_factory=dict)  # Application name -> its wave


def is_application(doc: Any) -> bool:
    return (
        isinstance(doc, dict)
        and doc.get("kind") == "Application"
        and str(doc.get("apiVersion", "")).startswith("argoproj.io/")
    )


def _get(node: Any, *path: str) -> Any:
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _items(node: Any) -> list[tuple[int, Any]]:
    return list(enumerate(node)) if isinstance(node, list) else []


def _suggest(word: str, choices: Collection[str]) -> str:
    lowered = {c.lower(): c for c in choices}
    close = [lowered[word.lower()]] if word.lower() in lowered else []
    close = close or difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def wave_of(app: Any) -> int | None:
    """An Application's sync wave when it is well-formed (else None; the rule reports it)."""
    value = _get(app, "metadata", "annotations", WAVE_ANNOTATION)
    if value is None:
        return 0
    return int(value) if isinstance(value, str) and _INTEGER.match(value) else None


# ------------------------------------------------------------------------------------- the rules


def sync_wave_format(app: Any, ctx: Context) -> Iterator[Hit]:
    annotations = _get(app, "metadata", "annotations")
    if not isinstance(annotations, dict) or WAVE_ANNOTATION not in annotations:
        return
    value = annotations[WAVE_ANNOTATION]
    path = ("metadata", "annotations", WAVE_ANNOTATION)
    if isinstance(value, str) and _INTEGER.match(value):
        return
    if isinstance(value, str):
        yield Hit(
            "sync-wave-format",
            path,
            f"sync wave {value!r} is not an integer; Argo CD silently uses wave 0",
        )
    else:
        yield Hit(
            "sync-wave-format",
            path,
            f"sync wave {_shown(value)} is not a string; annotation values must be strings "
            f"(write {_quoted_wave(value)}), or Argo CD uses wave 0",
        )


def _shown(value: Any) -> str:
    """A value as YAML shows it (``null``, ``true``, ``2``), a collection as Python does."""
    if value is None or isinstance(value, (bool, int, float)):
        return yamlio.scalar(value)
    return repr(value)


def _quoted_wave(value: Any) -> str:
    return f'"{value}"' if _is_int(value) else 'a quoted integer such as "2"'


def destination_server_name(app: Any, ctx: Context) -> Iterator[Hit]:
    dest = _get(app, "spec", "destination")
    if not isinstance(dest, dict):
        dest = {}
    has = [k for k in ("server", "name") if dest.get(k)]
    if len(has) == 1:
        return
    what = "both server and name" if has else "neither server nor name"
    yield Hit(
        "destination-server-name",
        ("spec", "destination"),
        f"destination sets {what}; Argo CD needs exactly one of them",
    )


def _sync_options(app: Any) -> list[tuple[int, Any]]:
    return _items(_get(app, "spec", "syncPolicy", "syncOptions"))


_SYNC_OPTIONS_PATH = ("spec", "syncPolicy", "syncOptions")


def root_server_side_apply(app: Any, ctx: Context) -> Iterator[Hit]:
    if not ctx.is_root:
        return
    for i, option in _sync_options(app):
        if option == "ServerSideApply=true":
            yield Hit(
                "root-server-side-apply",
                (*_SYNC_OPTIONS_PATH, i),
                "ServerSideApply=true on the app of apps makes Argo CD ignore its children's "
                "sync waves (argo-cd#13320)",
            )


def sync_options(app: Any, ctx: Context) -> Iterator[Hit]:
    for i, option in _sync_options(app):
        path = (*_SYNC_OPTIONS_PATH, i)
        if option not in SYNC_OPTIONS:
            hint = _suggest(option, SYNC_OPTIONS) if isinstance(option, str) else ""
            yield Hit(
                "unknown-sync-option",
                path,
                f"unknown sync option {option!r}{hint}; Argo CD ignores it",
            )
        elif option in DESTRUCTIVE:
            yield Hit(
                "destructive-sync-option",
                path,
                f"{option} deletes and recreates resources on sync (CRDs lose their objects)",
            )


def _ignore_entries(app: Any) -> list[tuple[int, Any]]:
    return [
        (i, e) for i, e in _items(_get(app, "spec", "ignoreDifferences")) if isinstance(e, dict)
    ]


def ignore_differences_kind(app: Any, ctx: Context) -> Iterator[Hit]:
    for i, entry in _ignore_entries(app):
        group, kind = entry.get("group") or "", entry.get("kind")
        kinds = BUILTIN_KINDS.get(group) if isinstance(group, str) else None
        if kinds is None or not isinstance(kind, str) or "*" in kind or kind in kinds:
            continue
        where = repr(group) if group else "the core group"
        meant = LIKELY_MEANT.get(kind)
        hint = f" (did you mean {meant!r}?)" if meant in kinds else _suggest(kind, kinds)
        yield Hit(
            "ignore-differences-unknown-kind",
            ("spec", "ignoreDifferences", i, "kind"),
            f"{kind!r} is not a kind of {where}{hint}; this entry ignores nothing",
        )


def _as_jq(pointer: str) -> str:
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    return "".join("[]?" if p.isdigit() else f".{p}" for p in parts)


def ignore_differences_index(app: Any, ctx: Context) -> Iterator[Hit]:
    for i, entry in _ignore_entries(app):
        for j, pointer in _items(entry.get("jsonPointers")):
            if isinstance(pointer, str) and any(p.isdigit() for p in pointer.split("/")[1:]):
                yield Hit(
                    "ignore-differences-list-index",
                    ("spec", "ignoreDifferences", i, "jsonPointers", j),
                    f"{pointer!r} ignores one list item only; to cover every item use "
                    f"jqPathExpressions: [{_as_jq(pointer)!r}]",
                )
        for j, expr in _items(entry.get("jqPathExpressions")):
            if isinstance(expr, str) and _JQ_INDEX.search(expr):
                yield Hit(
                    "ignore-differences-list-index",
                    ("spec", "ignoreDifferences", i, "jqPathExpressions", j),
                    f"{expr!r} ignores one list item only; to cover every item use "
                    f"{_JQ_INDEX.sub('[]?', expr)!r}",
                )


def _valid_duration(value: Any) -> bool:
    return isinstance(value, str) and bool(_GO_DURATION.match(value) or _INTEGER.match(value))


def retry_invalid(app: Any, ctx: Context) -> Iterator[Hit]:
    retry = _get(app, "spec", "syncPolicy", "retry")
    backoff = _get(retry, "backoff")
    base = ("spec", "syncPolicy", "retry")
    if isinstance(retry, dict) and "limit" in retry and not _is_int(retry["limit"]):
        yield Hit("retry-invalid", (*base, "limit"), f"limit {retry['limit']!r} is not an integer")
    if not isinstance(backoff, dict):
        return
    for name in ("duration", "maxDuration"):
        if name in backoff and not _valid_duration(backoff[name]):
            yield Hit(
                "retry-invalid",
                (*base, "backoff", name),
                f'{name} {backoff[name]!r} is not a duration such as "5s", "2m" or "1h"',
            )
    factor: Any = backoff.get("factor")
    if "factor" in backoff and not (_is_int(factor) and factor >= 1):
        yield Hit(
            "retry-invalid",
            (*base, "backoff", "factor"),
            f"factor {factor!r} is not a positive integer",
        )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _unknown(node: Any, tree: Tree, path: Path_) -> Iterator[Hit]:
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from _unknown(item, tree, (*path, i))
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key not in tree:
            where = ".".join(str(p) for p in path if isinstance(p, str))
            where = f" in {where}" if where else ""
            yield Hit(
                "unknown-field",
                (*path, key),
                f"{key!r} is not an Application field{where}{_suggest(str(key), tree)}; "
                "the API server drops it and Argo CD never sees it",
                key=True,
            )
        elif (sub := tree[key]) is not None and key not in ("status", "operation"):
            yield from _unknown(value, sub, (*path, key))


def unknown_field(app: Any, ctx: Context) -> Iterator[Hit]:
    yield from _unknown(app, APPLICATION, ())


def _depends_on(app: Any) -> list[tuple[Path_, Any]]:
    """Names from a (non-Argo CD) ``dependsOn`` list, wherever hand-written bootstraps put it."""
    found: list[tuple[Path_, Any]] = []
    for base in ((), ("metadata",), ("spec",)):
        for i, name in _items(_get(app, *base, "dependsOn")):
            found.append(((*base, "dependsOn", i), name))
    return found


def dependency_wave_order(app: Any, ctx: Context) -> Iterator[Hit]:
    own = wave_of(app)
    name = _get(app, "metadata", "name")
    if own is None:
        return
    for path, dep in _depends_on(app):
        theirs = ctx.waves.get(dep) if isinstance(dep, str) else None
        if theirs is not None and theirs >= own:
            where = "the same wave" if theirs == own else f"a later wave ({theirs})"
            yield Hit(
                "dependency-wave-order",
                path,
                f"{name!r} (wave {own}) depends on {dep!r} in {where}; Argo CD orders "
                "Applications only by wave, so the dependency must be in an earlier one",
            )


def helm_unpinned_version(app: Any, ctx: Context) -> Iterator[Hit]:
    sources: list[tuple[Path_, Any]] = [(("spec", "source"), _get(app, "spec", "source"))]
    sources += [(("spec", "sources", i), s) for i, s in _items(_get(app, "spec", "sources"))]
    for path, source in sources:
        if not isinstance(source, dict) or not source.get("chart"):
            continue
        revision = source.get("targetRevision")
        if isinstance(revision, str) and _EXACT_VERSION.match(revision):
            continue
        what = "no version" if not revision else f"version {revision!r}, which is not exact"
        yield Hit(
            "helm-unpinned-version",
            (*path, "targetRevision") if revision else path,
            f"Helm chart {source['chart']!r} has {what}; Argo CD installs whatever is newest",
        )


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
)


def application_hits(app: Any, ctx: Context) -> list[Hit]:
    """Every rule's hits for one Application."""
    return [hit for rule in APPLICATION_RULES for hit in rule(app, ctx)]


def waves_by_name(apps: Collection[Any]) -> dict[str, int]:
    """Application name -> wave, for :func:`dependency_wave_order` across a set of files."""
    result: dict[str, int] = {}
    for app in apps:
        name, wave = _get(app, "metadata", "name"), wave_of(app)
        if isinstance(name, str) and wave is not None:
            result.setdefault(name, wave)
    return result


def _is_root(app: Any, roots: Collection[str], root_paths: Collection[str]) -> bool:
    path = _get(app, "spec", "source", "path")
    return _get(app, "metadata", "name") in roots or (
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
        ctx = Context(is_root=_is_root(doc, roots, root_paths), waves=known)
        for hit in application_hits(doc, ctx):
            if hit.rule in ignore:
                continue
            mark = pos.of_key(hit.path) if hit.key else pos.of_value(hit.path)
            findings.append(
                Finding(file, mark.line, mark.col, severity(hit.rule), hit.rule, hit.message)
            )
    return findings
