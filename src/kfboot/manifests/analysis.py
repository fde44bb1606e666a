"""The ordering analysis: pure, over the objects each component builds to.

Nothing in wave N may need something that only arrives in wave N or later: Argo CD applies a
wave's Applications in parallel, after every earlier wave is healthy. Each need found in the
objects (a CRD, a namespace, a labelled namespace) becomes a derived dependency between
components, checked against the waves and against the catalog's declared ``dependsOn``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from kfboot import k8s as kinds
from kfboot.findings import Finding, Severity
from kfboot.manifests import crosscheck, drift, resource_waves, webhooks
from kfboot.manifests.crosscheck import first, more
from kfboot.manifests.objects import Obj
from kfboot.manifests.units import Result, Unit, Where, WhereDep

__all__ = ["Analysis", "Result", "Unit", "Where", "WhereDep", "analyse", "show"]


def show(obj: Obj, namespace: str) -> str:
    return f"{obj.kind} {namespace}/{obj.name}" if namespace else f"{obj.kind} {obj.name}"


def _when(provider: Unit, unit: Unit) -> str:
    if provider.wave > unit.wave:
        return f"only in wave {provider.wave}, after it"
    return f"in the same wave {provider.wave}, and Argo CD syncs a wave's Applications in parallel"


class Analysis:
    """Indexes over every analysed component, and the rules that use them."""

    def __init__(self, units: list[Unit], where: Where, where_dep: WhereDep) -> None:
        self.units = sorted(units, key=lambda u: (u.wave, u.name))
        self.analysed = [u for u in self.units if u.analysed]
        self.skipped = [u.name for u in self.units if not u.analysed]
        self.where, self.where_dep = where, where_dep
        self.result = Result()
        self.crds: dict[tuple[str, str], list[Unit]] = defaultdict(list)
        self.scopes: dict[tuple[str, str], str] = {}
        self.namespaces: dict[str, list[tuple[Unit, Obj]]] = defaultdict(list)
        for unit in self.analysed:
            for obj in unit.objects:
                if obj.crd is not None:
                    self.crds[obj.crd[:2]].append(unit)
                    self.scopes[obj.crd[:2]] = obj.crd[2]
                if obj.gk == kinds.NAMESPACE:
                    self.namespaces[obj.name].append((unit, obj))

    def add(self, severity: Severity, rule: str, where: tuple[str, int, int], message: str) -> None:
        self.result.findings.append(Finding(*where, severity, rule, message))

    def need(self, unit: Unit, provider: Unit, reason: str) -> None:
        if provider.name != unit.name:
            self.result.needs[unit.name].setdefault(provider.name, set()).add(reason)

    def namespace_of(self, obj: Obj, unit: Unit) -> str:
        """Where the object lands ('' for cluster-scoped, or unknown scope and none set)."""
        if kinds.is_builtin(obj.group):
            return "" if obj.gk in kinds.CLUSTER_SCOPED else obj.namespace or unit.namespace
        scope = self.scopes.get(obj.gk)
        if scope is None:
            return obj.namespace
        return obj.namespace or unit.namespace if scope == "Namespaced" else ""

    def run(self) -> Result:
        for unit in self.analysed:
            self.check_crds(unit)
            self.check_namespaces(unit)
        crosscheck.duplicates(self)
        crosscheck.depends_on(self)
        drift.drift(self)
        resource_waves.unmatched(self)
        webhooks.races(self)
        self.result.findings.sort()
        return self.result

    # ------------------------------------------------------------------ custom resources

    def check_crds(self, unit: Unit) -> None:
        used: dict[tuple[str, str], list[Obj]] = defaultdict(list)
        for obj in unit.objects:
            if not kinds.is_builtin(obj.group):
                used[obj.gk].append(obj)
        for gk, objs in sorted(used.items()):
            self.check_crd(unit, gk, sorted(objs))

    def check_crd(self, unit: Unit, gk: tuple[str, str], objs: list[Obj]) -> None:
        providers = self.crds.get(gk, [])
        if unit in providers:
            return
        obj = objs[0]
        what = f"{show(obj, self.namespace_of(obj, unit))}{more(len(objs) - 1)}"
        head = f"{what} in component {unit.name} (wave {unit.wave})"
        crd = f"{gk[1]}.{gk[0]}"
        earlier = [p for p in providers if p.wave < unit.wave]
        if earlier:
            self.need(unit, first(earlier), f"CustomResourceDefinition for {crd}")
            return
        self.unmet(
            unit,
            providers,
            f"CustomResourceDefinition for {crd}",
            (
                "manifests-crd-order",
                lambda provider, when: (
                    f"{head} needs the CustomResourceDefinition for {crd}, "
                    f"which component {provider} provides {when}"
                ),
            ),
            (
                "manifests-crd-unverified",
                f"{head}: no analysed component provides the CustomResourceDefinition for {crd}",
            ),
            (
                "warning",
                "manifests-crd-missing",
                f"{head}: no component provides the "
                f"CustomResourceDefinition for {crd}; it must already exist in the cluster",
            ),
        )

    def unmet(
        self,
        unit: Unit,
        providers: list[Unit],
        need: str,
        late: tuple[str, Callable[[str, str], str]],
        unverified: tuple[str, str],
        missing: tuple[Severity, str, str],
    ) -> None:
        """A need no earlier wave meets: a provider in the same or a later wave is an error
        (``late``: its message, given the provider's name and when it comes); with none, an
        unanalysed component may be one (``unverified``), or none is (``missing``)."""
        where = self.where(unit.name)
        if providers:
            provider = first(providers)
            self.need(unit, provider, need)
            self.add("error", late[0], where, late[1](provider.name, _when(provider, unit)))
        elif self.skipped:
            skipped = ", ".join(self.skipped)
            message = f"{unverified[1]}; it may come from {skipped}, which could not be analysed"
            self.add("warning", unverified[0], where, message)
        else:
            self.add(missing[0], missing[1], where, missing[2])

    # ------------------------------------------------------------------ namespaces

    def check_namespaces(self, unit: Unit) -> None:
        used: dict[str, list[Obj]] = defaultdict(list)
        for obj in unit.objects:
            namespace = self.namespace_of(obj, unit)
            if namespace and namespace not in kinds.ALWAYS_THERE:
                used[namespace].append(obj)
        for namespace, objs in sorted(used.items()):
            self.check_namespace(unit, namespace, sorted(objs))

    def check_namespace(self, unit: Unit, namespace: str, objs: list[Obj]) -> None:
        defined = [u for u, _ in self.namespaces.get(namespace, [])]
        if unit in defined:
            return
        earlier = [u for u in defined if u.wave < unit.wave]
        if earlier:
            self.need(unit, first(earlier), f"namespace {namespace}")
            return
        created = [
            u
            for u in self.units
            if u.namespace == namespace and u.create_namespace and u.wave < unit.wave
        ]
        if unit.namespace == namespace and unit.create_namespace:
            self.check_labels(unit, namespace, objs)
        elif created:
            self.need(unit, first(created), f"namespace {namespace}")
            self.check_labels(unit, namespace, objs)
        else:
            self.missing_namespace(unit, namespace, objs, defined)

    def missing_namespace(
        self, unit: Unit, namespace: str, objs: list[Obj], defined: list[Unit]
    ) -> None:
        head = f"{show(objs[0], namespace)}{more(len(objs) - 1)} in component {unit.name} "
        head += f"(wave {unit.wave}): namespace {namespace}"
        self.unmet(
            unit,
            defined,
            f"namespace {namespace}",
            (
                "manifests-namespace-missing",
                lambda provider, when: (
                    f"{head} does not exist yet: component {provider} creates it {when}"
                ),
            ),
            (
                "manifests-namespace-unverified",
                f"{head} is created by no analysed component, nor by CreateNamespace=true",
            ),
            (
                "error",
                "manifests-namespace-missing",
                f"{head} is created by no component of an earlier wave, nor by this component, "
                "nor by CreateNamespace=true on its Application",
            ),
        )

    def check_labels(self, unit: Unit, namespace: str, objs: list[Obj]) -> None:
        """CreateNamespace=true creates the namespace bare; a later Namespace adds its labels
        only after the pods have started without them (Pod Security, istio-injection)."""
        workloads = [o for o in objs if o.gk in kinds.WORKLOADS]
        labelled = [u for u, ns in self.namespaces.get(namespace, []) if ns.labels]
        if not workloads or not labelled:
            return
        provider = first(labelled)
        labels = dict(next(ns.labels for u, ns in self.namespaces[namespace] if u is provider))
        self.need(unit, provider, f"labels of namespace {namespace}")
        self.add(
            "error",
            "manifests-namespace-labels-order",
            self.where(unit.name),
            f"{show(workloads[0], namespace)}{more(len(workloads) - 1)} in component "
            f"{unit.name} (wave {unit.wave}) runs in namespace {namespace}, which component "
            f"{provider.name} defines with labels ({', '.join(sorted(labels))}) "
            f"{_when(provider, unit)}; CreateNamespace=true would create it first without them",
        )


def analyse(units: list[Unit], where: Where, where_dep: WhereDep) -> Result:
    """Every ordering finding over ``units``, and the derived dependencies between them."""
    return Analysis(units, where, where_dep).run()
