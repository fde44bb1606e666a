"""The three-way merge of plain YAML data: base (the old preset), user (the catalog), target.

The rule at every node: when the user's value equals the base, the target's wins; when the
target's equals the base, the user's stays; when both changed it alike, that value; otherwise
mappings merge key by key, ``components`` by ``name`` and ``waves`` by ``wave``, other lists
item by item (a diff3 of their hunks, as git merges lines), and anything else is a conflict.
A conflict keeps the user's side and is recorded with its path, so the caller can refuse it
(the default) or keep the user's side (``--force``).
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Any

# A step of a path: a mapping key, a list index (in the user's list), or a keyed item.
Step = str | int | tuple[str, Any]
Path_ = tuple[Step, ...]

MISSING: Any = object()
# Keys the merge never touches: where the catalog deploys from and to is the user's alone,
# and ``preset`` is set to the new release by the caller.
UNTOUCHED = frozenset({"repoURL", "targetRevision", "clusters", "preset"})
# Lists whose items are matched by a key rather than by position.
KEYED: dict[tuple[str, ...], str] = {("components",): "name", ("waves",): "wave"}


@dataclass(frozen=True)
class Conflict:
    """A field both the user and the new preset changed, differently."""

    path: Path_
    base: Any
    user: Any
    target: Any


@dataclass
class Merge:
    """The merged data and every conflict met (each kept at the user's side)."""

    conflicts: list[Conflict] = field(default_factory=list)


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _shape(path: Path_) -> tuple[str, ...]:
    """The path without list positions: ``components.paths`` for any component."""
    return tuple(s for s in path if isinstance(s, str))


def merge(base: Any, user: Any, target: Any) -> tuple[Any, list[Conflict]]:
    """The merged catalog data and the conflicts (the user's side kept in each)."""
    state = Merge()
    result = _mapping(base, user, target, (), state, top=True)
    return result, state.conflicts


def _node(base: Any, user: Any, target: Any, path: Path_, state: Merge) -> Any:
    if _canon(user) == _canon(target) or _canon(target) == _canon(base):
        return user
    if _canon(user) == _canon(base):
        return target
    if isinstance(user, dict) and isinstance(target, dict):
        return _mapping(base if isinstance(base, dict) else {}, user, target, path, state)
    if isinstance(user, list) and isinstance(target, list):
        old = base if isinstance(base, list) else []
        key = KEYED.get(_shape(path))
        if key is not None:
            return _keyed(old, user, target, path, key, state)
        return _sequence(old, user, target, path, state)
    state.conflicts.append(Conflict(path, base, user, target))
    return user


def _mapping(
    base: dict[str, Any],
    user: dict[str, Any],
    target: dict[str, Any],
    path: Path_,
    state: Merge,
    top: bool = False,
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    keys = list(user) + [k for k in target if k not in user]
    for key in keys:
        if top and key in UNTOUCHED:
            if key in user:
                result[key] = user[key]
            continue
        value = _node(
            base.get(key, MISSING),
            user.get(key, MISSING),
            target.get(key, MISSING),
            (*path, key),
            state,
        )
        if value is not MISSING:
            result[key] = value
    return result


def _keyed(
    base: list[Any], user: list[Any], target: list[Any], path: Path_, key: str, state: Merge
) -> list[Any]:
    """Items matched by ``key``: the user's order, the target's new items after their
    predecessor in the target's order."""

    def by_key(items: list[Any]) -> dict[Any, Any]:
        return {item.get(key): item for item in items if isinstance(item, dict)}

    old, mine, theirs = by_key(base), by_key(user), by_key(target)
    merged: dict[Any, Any] = {}
    for name in list(mine) + [n for n in theirs if n not in mine]:
        value = _node(
            old.get(name, MISSING),
            mine.get(name, MISSING),
            theirs.get(name, MISSING),
            (*path, (key, name)),
            state,
        )
        if value is not MISSING:
            merged[name] = value
    order = [n for n in mine if n in merged]
    for i, name in enumerate(theirs):
        if name in merged and name not in order:
            before = [n for n in list(theirs)[:i] if n in order]
            order.insert(order.index(before[-1]) + 1 if before else 0, name)
    return [merged[n] for n in order]


def _hunks(base: list[str], other: list[str]) -> list[tuple[int, int, int, int]]:
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    return [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] == b[0] or max(a[0], b[0]) < min(a[1], b[1])


def _region(
    base: list[Any], side: list[Any], hunks: list[tuple[int, int, int, int]], lo: int, hi: int
) -> list[Any]:
    """One side's items for the base items ``lo:hi`` (its hunks applied, the rest as in base)."""
    out: list[Any] = []
    pos = lo
    for i1, i2, j1, j2 in hunks:
        out += base[pos:i1] + side[j1:j2]
        pos = i2
    return out + base[pos:hi]


def _sequence(
    base: list[Any], user: list[Any], target: list[Any], path: Path_, state: Merge
) -> list[Any]:
    """A diff3 of the list: each side's hunks against the base apply where they do not meet;
    two different hunks over the same base items are a conflict (the user's hunk is kept)."""
    keys = [_canon(v) for v in base]
    mine = _hunks(keys, [_canon(v) for v in user])
    theirs = _hunks(keys, [_canon(v) for v in target])
    chosen: list[tuple[int, int, list[Any]]] = [(h[0], h[1], user[h[2] : h[3]]) for h in mine]
    for hunk in theirs:
        clash = [m for m in mine if _overlap(m, hunk)]
        if not clash:
            chosen.append((hunk[0], hunk[1], target[hunk[2] : hunk[3]]))
            continue
        same = len(clash) == 1 and clash[0][:2] == hunk[:2]
        if same and _canon(user[clash[0][2] : clash[0][3]]) == _canon(target[hunk[2] : hunk[3]]):
            continue  # both made the same change
        lo, hi = min(hunk[0], clash[0][0]), max(hunk[1], clash[-1][1])
        state.conflicts.append(
            Conflict(
                (*path, clash[0][2]),
                base[lo:hi],
                _region(base, user, clash, lo, hi),
                base[lo : hunk[0]] + target[hunk[2] : hunk[3]] + base[hunk[1] : hi],
            )
        )
    result: list[Any] = []
    pos = 0
    for start, end, items in sorted(chosen, key=lambda c: (c[0], c[1])):
        if start < pos:
            continue  # a target hunk inside a user hunk already taken (cannot happen: clash)
        result += base[pos:start] + items
        pos = end
    return result + base[pos:]
