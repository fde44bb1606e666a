"""Helm ``--set`` parameters as values: what Argo CD's ``helm.parameters`` mean to Helm.

Argo CD passes each parameter as ``--set name=value`` (``--set-string`` with ``forceString``),
escaping the value's commas unless it is a ``{a,b}`` list (argoproj/argo-cd
util/helm/cmd.go:385,431@v3.4.7). Helm reads the name as a path (``a.b[0].c``, ``\\.`` an escaped
dot) and types a ``--set`` value: ``true``/``false``, ``null``, integers without a leading zero,
else a string (helm pkg/strvals/parser.go ``typedVal``). Parameters apply over the values.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from kfboot.catalog.fleet import deep_merge
from kfboot.findings import Finding
from kfboot.importing.app_files import AppDoc, dotted
from kfboot.importing.fixes import NOT_CARRIED

# A value file's name and ignoreMissingValueFiles -> its values, or None and why not.
Lend = Callable[[str, bool], tuple[dict[str, Any] | None, str]]
_INT = re.compile(r"[+-]?[0-9]+\Z")
Part = str | int


def path_of(name: str) -> list[Part]:
    """``a\\.b.c[1]`` -> ``["a.b", "c", 1]``; ValueError when Helm would refuse the name."""
    parts: list[Part] = []
    buf, i = "", 0
    while i < len(name):
        c = name[i]
        if c == "\\" and i + 1 < len(name):
            buf, i = buf + name[i + 1], i + 2
        elif c == ".":
            if not buf and (not parts or isinstance(parts[-1], str)):
                raise ValueError(f"empty key in {name!r}")
            if buf:
                parts.append(buf)
            buf, i = "", i + 1
        elif c == "[":
            end = name.find("]", i)
            if end < 0 or not name[i + 1 : end].isdigit() or (not buf and not parts):
                raise ValueError(f"bad index in {name!r}")
            if buf:
                parts.append(buf)
            parts.append(int(name[i + 1 : end]))
            buf, i = "", end + 1
        else:
            buf, i = buf + c, i + 1
    if buf:
        parts.append(buf)
    if not parts or not isinstance(parts[0], str):
        raise ValueError(f"no key in {name!r}")
    return parts


def typed(value: str, force_string: bool) -> Any:
    """A value as Helm reads it after Argo CD's escaping (``{a,b}`` is a list)."""
    if value.startswith("{") and value.endswith("}"):
        inner = value[1:-1]
        return [typed(v, force_string) for v in inner.split(",")] if inner else []
    value = re.sub(r"\\(.)", r"\1", value)
    if force_string:
        return value
    low = value.lower()
    if low in ("true", "false"):
        return low == "true"
    if low == "null":
        return None
    if value == "0" or (_INT.match(value) and value[0] != "0" and abs(int(value)) < 2**63):
        return int(value)
    return value


def apply(values: dict[str, Any], name: str, value: str, force_string: bool) -> None:
    """Set ``name`` to ``value`` in ``values`` as ``helm --set`` does (ValueError: bad name)."""
    parts = path_of(name)
    node: Any = values
    for here, nxt in zip(parts, [*parts[1:], None], strict=True):
        last = nxt is None
        fresh: Any = typed(value, force_string) if last else ([] if isinstance(nxt, int) else {})
        if isinstance(here, int):
            while len(node) <= here:
                node.append(None)
            if last or not isinstance(node[here], (dict, list)):
                node[here] = fresh
        elif last or not isinstance(node.get(here), (dict, list)):
            node[here] = fresh
        node = node[here]


def install_values(
    app: AppDoc,
    where: tuple[str | int, ...],
    fields: dict[str, Any],
    found: list[Finding],
    lend: Lend | None = None,
) -> dict[str, Any]:
    """argo-cd chart's values as Helm gets them (``where`` is the source): the value files
    ``lend`` reads, in order, then ``values``, then the ``parameters`` over them; a value file
    or a parameter the argocd component cannot hold is named."""
    values: dict[str, Any] = {}
    ignore = bool(fields.get("ignoreMissingValueFiles"))
    for k, file in enumerate(fields.get("valueFiles") or []):
        here = (*where, "helm", "valueFiles", k)
        read, reason = lend(str(file), ignore) if lend else (None, "")
        if read is not None:
            values = deep_merge(values, read)
            continue
        msg = (
            f"{dotted(here)} is {file!r}, a value file of the chart"
            + (f" ({reason})" if reason else "")
            + "; kfboot's argocd component has values, not value files, so the rendered Argo CD "
            "does not read it: copy its values into the argocd component's values"
        )
        found.append(app.finding(here, NOT_CARRIED, msg))
    values = deep_merge(values, copy.deepcopy(fields.get("values") or {}))
    for k, param in enumerate(fields.get("parameters") or []):
        here = (*where, "helm", "parameters", k)
        name, value = param.get("name", ""), str(param.get("value", ""))
        why = (
            "it holds $, which Argo CD substitutes from the Application's environment"
            if ("$" in value)
            else None
        )
        if why is None:
            try:
                apply(values, name, value, bool(param.get("forceString")))
            except ValueError as exc:
                why = f"Helm cannot set it ({exc})"
        if why is not None:
            msg = f"{dotted(here)} ({name}={value}): {why}; the argocd component's values lack it"
            found.append(app.finding(here, NOT_CARRIED, msg))
    return values
