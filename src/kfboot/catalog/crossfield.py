"""Cross-field rules of the catalog: uniqueness, references, wave order, cycles, sources.

Each rule yields ``(loc, message)`` pairs whose ``loc`` is the path of the YAML node at fault, so
the loader can report ``waves.yaml:LINE:COL: components[3].dependsOn[0]: ...``.
"""

from __future__ import annotations

from collections.abc import Iterator

from kfboot.catalog import credentials
from kfboot.catalog.crossfield_sources import MORE_RULES
from kfboot.catalog.models import Catalog, Component

Loc = tuple[str | int, ...]
# ``kfboot check`` reports problems ending with this as rule dependency-wave-order, not catalog.
DEPENDENCY_WAVE_ORDER = "a dependency must be in an earlier wave"
Problem = tuple[Loc, str]


def problems(catalog: Catalog) -> list[Problem]:
    """Every cross-field problem of a catalog whose fields are individually valid."""
    found: list[Problem] = []
    for rule in (_waves, _names, _sources, _dependencies, *MORE_RULES):
        found.extend(rule(catalog))
    found.extend(credentials.url_problems(catalog.model_dump(mode="json")))
    if catalog.clusters is None:
        return found + list(_layout_without_clusters(catalog))
    from kfboot.catalog import fleet_rules  # a one-cluster catalog never loads the fleet rules

    return found + fleet_rules.problems(catalog)


def _layout_without_clusters(catalog: Catalog) -> Iterator[Problem]:
    """Without ``clusters:`` the app of apps is rendered whatever ``layout`` says: refuse a
    layout: applicationset that would silently render no ApplicationSet."""
    if catalog.layout == "applicationset":
        yield (
            ("layout",),
            (
                "applicationset needs clusters: (one cluster: "
                "clusters: [{name: in-cluster, hub: true, server: https://kubernetes.default.svc}])"
            ),
        )


def _waves(catalog: Catalog) -> Iterator[Problem]:
    seen: set[int] = set()
    previous: int | None = None
    for i, wave in enumerate(catalog.waves):
        if wave.wave in seen:
            yield ("waves", i, "wave"), f"wave {wave.wave} is declared twice"
        elif previous is not None and wave.wave < previous:
            yield (
                ("waves", i, "wave"),
                f"waves must be listed in ascending order ({wave.wave} after {previous})",
            )
        seen.add(wave.wave)
        previous = wave.wave if previous is None else max(previous, wave.wave)
    for i, comp in enumerate(catalog.components):
        if comp.wave not in seen:
            declared = ", ".join(str(w.wave) for w in catalog.waves)
            yield (
                ("components", i, "wave"),
                f"wave {comp.wave} is not declared in waves ({declared})",
            )


def _names(catalog: Catalog) -> Iterator[Problem]:
    names: dict[str, int] = {}
    apps: dict[str, str] = {catalog.appOfApps.name: "the app of apps"}
    for i, comp in enumerate(catalog.components):
        if comp.name == "kustomization":
            # Its Application file would be its wave's kustomization.yaml (kfboot.layout).
            yield (
                ("components", i, "name"),
                "'kustomization' is reserved: it names each wave's file",
            )
        if comp.name in names:
            yield (
                ("components", i, "name"),
                (f"duplicate component name {comp.name!r} (also components[{names[comp.name]}])"),
            )
            if comp.application is None:
                continue  # the Application name is the component name: one problem, one message
        else:
            names[comp.name] = i
        loc: Loc = (
            ("components", i, "application") if comp.application else ("components", i, "name")
        )
        if comp.app_name in apps:
            yield loc, f"duplicate Application name {comp.app_name!r} (also {apps[comp.app_name]})"
        else:
            apps[comp.app_name] = f"components[{i}]"


def _sources(catalog: Catalog) -> Iterator[Problem]:
    argocd_seen: int | None = None
    for i, comp in enumerate(catalog.components):
        kinds = [
            k
            for k, v in (
                ("paths", comp.paths),
                ("helm", comp.helm),
                ("argocd", comp.argocd),
                ("sources", comp.sources),
            )
            if v
        ]
        if len(kinds) != 1:
            what = "none" if not kinds else " and ".join(kinds)
            yield (
                ("components", i),
                "a component needs exactly one source: paths, helm, argocd or sources "
                f"(found {what})",
            )
            continue
        for field, what in (
            ("kustomize", "kustomize settings"),
            ("resourceWaves", "resourceWaves"),
        ):
            if getattr(comp, field) and not comp.paths:
                yield (
                    ("components", i, field),
                    f"{what} apply only to components with paths (they go into its wrapper)",
                )
        for field in ("repoURL", "targetRevision"):
            if getattr(comp, field) is not None and not comp.paths:
                yield (
                    ("components", i, field),
                    f"{field} overrides apply only to components with paths (a chart sets its own)",
                )
        for j, path in enumerate(comp.paths):
            if path in comp.paths[:j]:
                yield ("components", i, "paths", j), f"path {path!r} is listed twice"
        if comp.argocd is not None:
            if argocd_seen is not None:
                yield (
                    ("components", i, "argocd"),
                    f"only one component may install Argo CD (also components[{argocd_seen}])",
                )
            argocd_seen = i
            if comp.namespace != catalog.argocdNamespace:
                yield (
                    ("components", i, "namespace"),
                    (
                        "the Argo CD component must deploy into argocdNamespace "
                        f"({catalog.argocdNamespace!r})"
                    ),
                )


def _dependencies(catalog: Catalog) -> Iterator[Problem]:
    by_name: dict[str, Component] = {}
    for comp in catalog.components:
        by_name.setdefault(comp.name, comp)
    cyclic = _cycle_members(catalog)
    for i, comp in enumerate(catalog.components):
        for j, dep_name in enumerate(comp.dependsOn):
            loc: Loc = ("components", i, "dependsOn", j)
            dep = by_name.get(dep_name)
            if dep is None:
                yield loc, f"{dep_name!r} is not a component of this catalog"
            elif dep_name == comp.name:
                yield loc, f"{comp.name!r} depends on itself"
            elif dep_name in comp.dependsOn[:j]:
                yield loc, f"{dep_name!r} is listed twice"
            elif comp.name in cyclic and dep_name in cyclic.get(comp.name, ()):
                cycle = " -> ".join(cyclic[comp.name])
                yield loc, f"dependency cycle: {cycle}"
            elif dep.wave >= comp.wave:
                where = "the same wave" if dep.wave == comp.wave else f"a later wave ({dep.wave})"
                yield (
                    loc,
                    (
                        f"{comp.name!r} (wave {comp.wave}) depends on {dep_name!r} in {where}; "
                        + DEPENDENCY_WAVE_ORDER
                    ),
                )
            elif comp.enabled and not dep.enabled:
                yield loc, f"{comp.name!r} depends on {dep_name!r}, which is disabled"


def _cycle_members(catalog: Catalog) -> dict[str, list[str]]:
    """For each component on a dependency cycle, the cycle as a list of names (closed)."""
    graph = {c.name: [d for d in c.dependsOn if d != c.name] for c in catalog.components}
    result: dict[str, list[str]] = {}
    state: dict[str, int] = {}  # 1 = on stack, 2 = done
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                for member in cycle[:-1]:
                    start = cycle.index(member)
                    result.setdefault(member, [*cycle[start:-1], *cycle[:start], member])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for name in graph:
        if name not in state:
            visit(name)
    return result
