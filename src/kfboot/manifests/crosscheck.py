"""Rules across components: shared objects, and declared ``dependsOn`` against derived needs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

from kfboot.findings import Severity
from kfboot.manifests.objects import Obj
from kfboot.manifests.units import Result, Unit, Where, WhereDep


class Analysis(Protocol):
    """What these rules use of :class:`kfboot.manifests.analysis.Analysis` (which calls them)."""

    units: list[Unit]
    analysed: list[Unit]
    where: Where
    where_dep: WhereDep
    result: Result

    def namespace_of(self, obj: Obj, unit: Unit) -> str: ...

    def add(
        self, severity: Severity, rule: str, where: tuple[str, int, int], message: str
    ) -> None: ...


ObjectKey = tuple[str, str, str, str]  # group, kind, namespace, name


def first(units: Iterable[Unit]) -> Unit:
    """The earliest of ``units`` (by wave, then name): the one a finding names."""
    return min(units, key=lambda u: (u.wave, u.name))


def more(count: int) -> str:
    return f" (and {count} more)" if count else ""


def duplicates(an: Analysis) -> None:
    """The same object from two components: Argo CD's shared-resource conflict."""
    owners: dict[ObjectKey, list[Unit]] = defaultdict(list)
    for unit in an.analysed:
        for obj in set(unit.objects):
            key = (obj.group, obj.kind, an.namespace_of(obj, unit), obj.name)
            if unit not in owners[key]:
                owners[key].append(unit)
    pairs: dict[tuple[Unit, Unit], list[ObjectKey]] = defaultdict(list)
    for key, units in owners.items():
        earliest = first(units)
        for other in units:
            if other is not earliest:
                pairs[(earliest, other)].append(key)
    for (earliest, other), keys in sorted(
        pairs.items(), key=lambda p: (p[0][0].name, p[0][1].name)
    ):
        _group, kind, namespace, name = min(keys)
        what = f"{kind} {namespace}/{name}" if namespace else f"{kind} {name}"
        an.add(
            "error",
            "manifests-duplicate-object",
            an.where(other.name),
            f"{what}{more(len(keys) - 1)} is produced by component {other.name} "
            f"(wave {other.wave}) and by component {earliest.name} (wave {earliest.wave}); "
            "the two Applications would fight over it forever",
        )


def depends_on(an: Analysis) -> None:
    """Declared ``dependsOn`` against the derived needs: contradictions and gaps."""
    needs = an.result.needs
    for unit in an.units:
        for dep in unit.depends_on:
            why = needs.get(dep, {}).get(unit.name)
            if why:
                an.add(
                    "error",
                    "manifests-depends-on-contradiction",
                    an.where_dep(unit.name, dep),
                    f"component {unit.name} declares dependsOn {dep}, but {dep} needs "
                    f"{unit.name} ({', '.join(sorted(why))})",
                )
    _uncovered(an)


def _uncovered(an: Analysis) -> None:
    declared = {u.name: set(u.depends_on) for u in an.units}
    by_name = {u.name: u for u in an.units}
    for name, wanted in sorted(an.result.needs.items()):
        covered = _closure(name, declared)
        unit = by_name[name]
        for dep, why in sorted(wanted.items()):
            if dep in covered or name in declared.get(dep, set()):
                continue  # covered, or already a contradiction
            if by_name[dep].wave >= unit.wave:
                continue  # already an ordering error; dependsOn cannot point forward
            an.add(
                "warning",
                "manifests-depends-on-missing",
                an.where(name),
                f"component {name} (wave {unit.wave}) needs component {dep} "
                f"(wave {by_name[dep].wave}: {', '.join(sorted(why))}), but its dependsOn "
                f"does not cover it, directly or transitively; add {dep}",
            )


def _closure(name: str, declared: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(declared.get(name, ()))
    while todo:
        dep = todo.pop()
        if dep not in seen:
            seen.add(dep)
            todo.extend(declared.get(dep, ()))
    return seen
