"""Argo CD rules over one parsed Application: what the CRD schema cannot catch.

Each rule is a small function ``(app, ctx) -> hits``; a :class:`Hit` names the YAML path at
fault, so callers place it: at ``file:line:col`` of a committed file
(:func:`kfboot.check.rules.application_runner.application_findings`, also used by ``kfboot
import``), or back at
the catalog line a rendered file came from.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from kfboot import yamlio
from kfboot.check.rules.argocd import (
    ANNOTATION_ONLY,
    DESTRUCTIVE,
    EXACT_VERSION,
    INTEGER,
    JQ_INDEX,
    SYNC_OPTIONS,
    WAVE_ANNOTATION,
    WAVE_MAX,
    WAVE_MIN,
    atoi,
)
from kfboot.check.rules.fields import APPLICATION, Tree
from kfboot.k8s import BUILTIN_KINDS, GO_DURATION, LIKELY_MEANT
from kfboot.yamlio import Path_


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


def get_path(node: Any, *path: str) -> Any:
    """``node[path[0]][path[1]]...``, or None where a step is missing or not a mapping."""
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
    value = get_path(app, "metadata", "annotations", WAVE_ANNOTATION)
    if value is None:
        return 0
    return atoi(value)


# ------------------------------------------------------------------------------------- the rules


def sync_wave_format(app: Any, ctx: Context) -> Iterator[Hit]:
    annotations = get_path(app, "metadata", "annotations")
    if not isinstance(annotations, dict) or WAVE_ANNOTATION not in annotations:
        return
    value = annotations[WAVE_ANNOTATION]
    path = ("metadata", "annotations", WAVE_ANNOTATION)
    if isinstance(value, str) and INTEGER.match(value):
        if WAVE_MIN <= int(value) <= WAVE_MAX:
            return
        yield Hit(
            "sync-wave-format",
            path,
            f"sync wave {value} is outside Argo CD's range (a 64-bit integer); "
            "Argo CD silently uses wave 0",
        )
    elif isinstance(value, str):
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
    dest = get_path(app, "spec", "destination")
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
    return _items(get_path(app, "spec", "syncPolicy", "syncOptions"))


_SYNC_OPTIONS_PATH = ("spec", "syncPolicy", "syncOptions")


def root_server_side_apply(app: Any, ctx: Context) -> Iterator[Hit]:
    if not ctx.is_root:
        return
    for i, option in _sync_options(app):
        if option == "ServerSideApply=true":
            yield Hit(
                "root-server-side-apply",
                (*_SYNC_OPTIONS_PATH, i),
                # argo-cd#13320 (SSA with a client dry run that really applied) is fixed by
                # gitops-engine #699 (762f9b70f3), in every Argo CD since v3.0.0: the reason is
                # historical, but the root still needs nothing server-side apply gives.
                "ServerSideApply=true on the app of apps, which needs nothing server-side apply "
                "gives (before Argo CD 3.0 it made Argo CD ignore the children's sync waves: "
                "argo-cd#13320)",
            )


def sync_options(app: Any, ctx: Context) -> Iterator[Hit]:
    for i, option in _sync_options(app):
        path = (*_SYNC_OPTIONS_PATH, i)
        # A hand-written list may hold a list or a mapping, which no set lookup accepts.
        if not isinstance(option, str) or option not in SYNC_OPTIONS:
            hint = _suggest(option, SYNC_OPTIONS) if isinstance(option, str) else ""
            text = repr(option) if isinstance(option, str) else json.dumps(option, default=str)
            yield Hit(
                "unknown-sync-option",
                path,
                f"unknown sync option {text}{hint}; Argo CD ignores it",
            )
        elif option in ANNOTATION_ONLY:
            yield Hit(
                "sync-option-annotation-only",
                path,
                f"{option} in an Application's syncOptions covers every object of the "
                "Application, and only on Argo CD 3.4 or newer (older ones ignore it there); "
                "protect particular resources with their argocd.argoproj.io/sync-options "
                "annotation",
            )
        elif option in DESTRUCTIVE:
            yield Hit(
                "destructive-sync-option",
                path,
                f"{option} deletes and recreates resources on sync (CRDs lose their objects)",
            )


def _ignore_entries(app: Any) -> list[tuple[int, Any]]:
    return [
        (i, e) for i, e in _items(get_path(app, "spec", "ignoreDifferences")) if isinstance(e, dict)
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


_JQ_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def jq_every_item(pointer: str) -> str | None:
    """The jq path covering every list item a JSON pointer pins one of; None without an index.

    ``/webhooks/0/clientConfig/caBundle`` -> ``.webhooks[]?.clientConfig.caBundle``. A key jq
    cannot take bare (``value-from``) is quoted: ``."value-from"``, as jq (and gojq, which Argo
    CD runs: argoproj/argo-cd util/argo/normalizers/diff_normalizer.go) require.
    """
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    if not pointer.startswith("/") or not any(p.isdigit() for p in parts):
        return None
    path = "".join(
        "[]?" if p.isdigit() else f".{p}" if _JQ_KEY.match(p) else f".{json.dumps(p)}"
        for p in parts
    )
    return path if path.startswith(".") else "." + path  # jq: .[]? at the top, never []?


def ignore_differences_index(app: Any, ctx: Context) -> Iterator[Hit]:
    for i, entry in _ignore_entries(app):
        for j, pointer in _items(entry.get("jsonPointers")):
            jq = jq_every_item(pointer) if isinstance(pointer, str) else None
            if jq is not None:
                yield Hit(
                    "ignore-differences-list-index",
                    ("spec", "ignoreDifferences", i, "jsonPointers", j),
                    f"{pointer!r} ignores one list item only; to cover every item use "
                    f"jqPathExpressions: [{jq!r}]",
                )
        for j, expr in _items(entry.get("jqPathExpressions")):
            if isinstance(expr, str) and JQ_INDEX.search(expr):
                yield Hit(
                    "ignore-differences-list-index",
                    ("spec", "ignoreDifferences", i, "jqPathExpressions", j),
                    f"{expr!r} ignores one list item only; to cover every item use "
                    f"{JQ_INDEX.sub('[]?', expr)!r}",
                )


def _valid_duration(value: Any) -> bool:
    return isinstance(value, str) and bool(GO_DURATION.match(value) or INTEGER.match(value))


def retry_invalid(app: Any, ctx: Context) -> Iterator[Hit]:
    retry = get_path(app, "spec", "syncPolicy", "retry")
    backoff = get_path(retry, "backoff")
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
        for i, name in _items(get_path(app, *base, "dependsOn")):
            found.append(((*base, "dependsOn", i), name))
    return found


def dependency_wave_order(app: Any, ctx: Context) -> Iterator[Hit]:
    own = wave_of(app)
    name = get_path(app, "metadata", "name")
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
    sources: list[tuple[Path_, Any]] = [(("spec", "source"), get_path(app, "spec", "source"))]
    sources += [(("spec", "sources", i), s) for i, s in _items(get_path(app, "spec", "sources"))]
    for path, source in sources:
        if not isinstance(source, dict) or not source.get("chart"):
            continue
        revision = source.get("targetRevision")
        if isinstance(revision, str) and EXACT_VERSION.match(revision):
            continue
        what = "no version" if not revision else f"version {revision!r}, which is not exact"
        yield Hit(
            "helm-unpinned-version",
            (*path, "targetRevision") if revision else path,
            f"Helm chart {source['chart']!r} has {what}; Argo CD installs whatever is newest",
        )
