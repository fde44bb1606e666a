"""``waves --suggest``: the lowest wave for each component that satisfies every dependency.

A component with no dependencies goes to the first wave; every other one to the wave after the
latest of its dependencies (declared ``dependsOn`` and derived from the objects). Levels map onto
the catalog's own wave numbers in order, continuing past the last wave when more are needed.
"""

from __future__ import annotations

from kfboot.errors import KfbootError


def levels(edges: dict[str, set[str]]) -> dict[str, int]:
    """0 for a component without dependencies, else one more than its deepest dependency."""
    level: dict[str, int] = {}
    visiting: list[str] = []

    def visit(name: str) -> int:
        if name in level:
            return level[name]
        if name in visiting:
            cycle = [*visiting[visiting.index(name) :], name]
            raise KfbootError(
                "cannot suggest waves: the dependencies form a cycle: " + " -> ".join(cycle)
            )
        visiting.append(name)
        deps = [visit(dep) for dep in sorted(edges.get(name, ())) if dep in edges]
        visiting.pop()
        level[name] = 1 + max(deps) if deps else 0
        return level[name]

    for name in sorted(edges):
        visit(name)
    return level


def suggest(edges: dict[str, set[str]], waves: list[int]) -> dict[str, int]:
    """The lowest wave number per component (``edges``: component -> what it needs)."""
    ordered = sorted(waves)
    last = ordered[-1]
    return {
        name: ordered[lvl] if lvl < len(ordered) else last + lvl - len(ordered) + 1
        for name, lvl in levels(edges).items()
    }


def table(
    current: dict[str, int],
    declared: dict[str, set[str]],
    derived: dict[str, set[str]],
    waves: list[int],
    left_out: list[str],
) -> str:
    """The suggestion next to the catalog's waves, one row per enabled component."""
    edges = {name: declared.get(name, set()) | derived.get(name, set()) for name in current}
    lowest = suggest(edges, waves)
    rows = [("COMPONENT", "WAVE", "SUGGESTED", "NEEDS (* derived from the objects only)")]
    for name in sorted(current, key=lambda n: (current[n], n)):
        needs = [d if d in declared.get(name, set()) else f"{d}*" for d in sorted(edges[name])]
        rows.append((name, str(current[name]), str(lowest[name]), ", ".join(needs) or "-"))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = ["  ".join([*(r[i].ljust(widths[i]) for i in range(3)), r[3]]) for r in rows]
    movable = [n for n in current if lowest[n] < current[n]]
    lines.append(f"{len(movable)} component(s) could move to an earlier wave")
    if left_out:
        lines.append(f"not analysed (declared dependsOn only): {', '.join(left_out)}")
    return "\n".join(lines) + "\n"
