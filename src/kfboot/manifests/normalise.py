"""Argo CD's ``ignoreDifferences`` normalisation, simulated on the objects of a build.

Argo CD removes every ignored field from both the desired and the live object before it diffs
them (argo-cd v3.4.7 ``util/argo/normalizers/diff_normalizer.go``, called on both sides by
gitops-engine ``pkg/diff/diff.go``). What survives the normalisation is diffed, so a field a
controller rewrites in the cluster keeps the Application OutOfSync and selfHeal re-applies it.

Matching follows ``diff_normalizer.go`` L193-196: ``group`` and ``kind`` are globs of
``github.com/gobwas/glob`` v0.2.3 without separators (argo-cd ``util/glob/glob.go``; an unset
group matches only the core group), ``name`` and ``namespace`` match exactly when set. A JSON
pointer becomes a JSON-patch ``remove`` whose missing path is skipped; a jq path runs as
``del(EXPR)`` in real jq (:mod:`kfboot.manifests.jq`), and a run-time error skips that one
expression, as Argo CD does.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from kfboot.catalog.models import IgnoreDifference
from kfboot.manifests.jq import Jq, JqParseError, JqRuntimeError


@cache
def _glob(pattern: str) -> re.Pattern[str] | None:
    """A gobwas/glob pattern without separators as a regular expression (None: it does not
    compile, and Argo CD then matches nothing: ``util/glob/glob.go`` ``Match``)."""
    try:
        body, rest = _glob_part(pattern, 0, top=True)
    except ValueError:
        return None
    return re.compile(body + r"\Z", re.S) if rest == len(pattern) else None


def _glob_part(pattern: str, i: int, top: bool) -> tuple[str, int]:
    """The regex of ``pattern[i:]`` up to an unnested ``,`` or ``}`` (inside ``{...}``)."""
    out: list[str] = []
    while i < len(pattern):
        c = pattern[i]
        if not top and c in ",}":
            return "".join(out), i
        if c == "\\":
            if i + 1 == len(pattern):
                raise ValueError("trailing escape")
            out.append(re.escape(pattern[i + 1]))
            i += 2
        elif c == "*":
            out.append(".*")  # "*" and "**" alike: no separators
            i += 1
        elif c == "?":
            out.append(".")
            i += 1
        elif c == "[":
            regex, i = _glob_class(pattern, i)
            out.append(regex)
        elif c == "{":
            regex, i = _glob_any(pattern, i + 1)
            out.append(regex)
        else:
            out.append(re.escape(c))
            i += 1
    if not top:
        raise ValueError("unclosed {")
    return "".join(out), i


def _glob_class(pattern: str, i: int) -> tuple[str, int]:
    """``[abc]``, ``[a-z]``, ``[!a-z]`` (gobwas: ``!`` negates) at ``pattern[i]``."""
    end = pattern.find("]", i + 1)
    if end < 0:
        raise ValueError("unclosed [")
    body = pattern[i + 1 : end]
    negate = body.startswith("!")
    body = body[1:] if negate else body
    if not body:
        raise ValueError("empty class")
    if len(body) == 3 and body[1] == "-":
        if body[0] > body[2]:
            raise ValueError("bad range")
        chars = f"{re.escape(body[0])}-{re.escape(body[2])}"
    else:
        chars = "".join(re.escape(c) for c in body)
    return f"[{'^' if negate else ''}{chars}]", end + 1


def _glob_any(pattern: str, i: int) -> tuple[str, int]:
    """``{a,b*,c}`` from just after the ``{``: each alternative is a glob of its own."""
    alternatives = []
    while True:
        regex, i = _glob_part(pattern, i, top=False)
        alternatives.append(regex)
        if pattern[i] == "}":
            return "(?:" + "|".join(alternatives) + ")", i + 1
        i += 1  # ","


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
    """An object after normalisation, and the jq expressions that failed on it."""

    data: dict[str, Any]
    matched: list[IgnoreDifference] = field(default_factory=list)
    unparsable: list[str] = field(default_factory=list)  # Argo CD then compares nothing
    failed: list[tuple[str, str]] = field(default_factory=list)  # (expression, run-time error)


def normalise(
    data: dict[str, Any], entries: list[IgnoreDifference], namespace: str, jq: Jq
) -> Normalised:
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
                result.data = jq.delete(expression, result.data)
            except JqParseError:
                result.unparsable.append(expression)
            except JqRuntimeError as exc:
                # Argo CD logs it and skips this one patch (diff_normalizer.go L210-216).
                result.failed.append((expression, str(exc)))
    return result
