"""Argo CD's ``ignoreDifferences`` normalisation, simulated on the objects of a build.

Argo CD removes every ignored field from both the desired and the live object before it diffs
them (argo-cd v3.1.8 ``util/argo/normalizers/diff_normalizer.go``, called on both sides by
gitops-engine ``pkg/diff/diff.go``). What survives the normalisation is diffed, so a field a
controller rewrites in the cluster keeps the Application OutOfSync and selfHeal re-applies it.

Matching follows ``diff_normalizer.go`` L193-196: ``group`` and ``kind`` are gobwas globs (``*``
matches anything; an unset group matches only the core group), ``name`` and ``namespace`` match
exactly when set. A JSON pointer becomes a JSON-patch ``remove`` whose missing path is skipped;
a jq path runs as ``del(EXPR)`` (:mod:`kfboot.manifests.jqpath`), and a jq runtime error skips
that one expression, as Argo CD does.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from kfboot.catalog.models import IgnoreDifference
from kfboot.manifests import jqpath


@cache
def _glob(pattern: str) -> re.Pattern[str] | None:
    """A gobwas/glob pattern without separators as a regular expression (None: it does not
    compile, and Argo CD then matches nothing)."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 1
        elif c == "*":
            out.append(".*")
        elif c == "?":
            out.append(".")
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                return None
            body = pattern[i + 1 : end]
            negate = body.startswith("!")
            out.append(f"[{'^' if negate else ''}{re.escape(body[1:] if negate else body)}]")
            i = end
        elif c == "{":
            end = pattern.find("}", i + 1)
            if end < 0:
                return None
            alternatives = pattern[i + 1 : end].split(",")
            out.append("(?:" + "|".join(re.escape(a) for a in alternatives) + ")")
            i = end
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z", re.S)


def glob_match(pattern: str, value: str) -> bool:
    compiled = _glob(pattern)
    return compiled is not None and compiled.match(value) is not None


def entry_matches(
    entry: IgnoreDifference, group: str, kind: str, name: str, namespace: str
) -> bool:
    """Whether Argo CD applies ``entry`` to the object (``namespace`` as it lands)."""
    return (
        glob_match(entry.group or "", group)
        and glob_match(entry.kind, kind)
        and (not entry.name or entry.name == name)
        and (not entry.namespace or entry.namespace == namespace)
    )


def _pointer(pointer: str) -> list[str] | None:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        return None
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer[1:].split("/")]


def remove_pointer(document: Any, pointer: str) -> None:
    """JSON-patch ``remove`` of one pointer, in place; a missing path is skipped."""
    parts = _pointer(pointer)
    if not parts:
        return
    parent = document
    for part in parts[:-1]:
        parent = _child(parent, part)
        if parent is None:
            return
    last = parts[-1]
    if isinstance(parent, dict):
        parent.pop(last, None)
    elif isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
        del parent[int(last)]


def _child(parent: Any, part: str) -> Any:
    if isinstance(parent, dict):
        return parent.get(part)
    if isinstance(parent, list) and part.isdigit() and int(part) < len(parent):
        return parent[int(part)]
    return None


@dataclass
class Normalised:
    """An object after normalisation, and the jq expressions kfboot could not evaluate on it."""

    data: dict[str, Any]
    matched: list[IgnoreDifference] = field(default_factory=list)
    unevaluable: list[tuple[str, str]] = field(default_factory=list)  # (expression, why)


def normalise(data: dict[str, Any], entries: list[IgnoreDifference], namespace: str) -> Normalised:
    """``data`` with every field ``entries`` ignore removed, as Argo CD diffs it."""
    group = str(data.get("apiVersion", "")).rpartition("/")[0]
    kind = str(data.get("kind", ""))
    name = str((data.get("metadata") or {}).get("name", ""))
    result = Normalised(copy.deepcopy(data))
    for entry in entries:
        if not entry_matches(entry, group, kind, name, namespace):
            continue
        result.matched.append(entry)
        for pointer in entry.jsonPointers or []:
            remove_pointer(result.data, pointer)
        for expression in entry.jqPathExpressions or []:
            try:
                result.data = jqpath.delete(expression, result.data)
            except jqpath.JqError:
                continue  # Argo CD logs the runtime error and skips the patch
            except jqpath.NotEvaluable as exc:
                result.unevaluable.append((expression, str(exc)))
    return result
