"""``check --manifests DIR``: plan the builds, run them, analyse the objects, summarise.

DIR is a checkout of the manifests repository the catalog points at. Each enabled component's
paths are checked, then the component is built the way Argo CD builds its source (its one path,
or the wrapper kfboot renders now), unless the build needs the network, and the objects are
analysed for ordering problems. Nothing under DIR is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kfboot import yamlio
from kfboot.catalog.load import load_catalog
from kfboot.catalog.models import Catalog, Component
from kfboot.errors import CatalogError, UsageError
from kfboot.findings import Finding
from kfboot.manifests.analysis import Unit, analyse
from kfboot.manifests.build import BUILD_TIMEOUT, Job, Outcome, kustomize_command, run_all
from kfboot.manifests.cache import Hasher
from kfboot.manifests.inputs import Inputs, walk, walk_dir
from kfboot.manifests.jq_paths import parse_findings, require_jq
from kfboot.manifests.locate import Locator
from kfboot.manifests.paths import check_path
from kfboot.manifests.report import Summary, summarise
from kfboot.render.bootstrap import app_path, render


@dataclass
class _Plan:
    findings: list[Finding] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    status: dict[str, str] = field(default_factory=dict)


def _head(comp: Component) -> str:
    return f"component {comp.name} (wave {comp.wave})"


def _offline_reason(catalog: Catalog, comp: Component) -> str | None:
    if comp.argocd is not None:
        chart = f"{comp.argocd.chart} {comp.argocd.version} from {comp.argocd.repoURL}"
        return f"it is Argo CD's Helm chart ({chart})"
    if comp.helm is not None:
        return f"it is a Helm chart ({comp.helm.chart} from {comp.helm.repoURL})"
    if comp.sources:
        return "it has a sources: list (check --manifests builds paths and wrappers)"
    if comp.repoURL is not None and comp.repoURL != catalog.repoURL:
        return f"its source is another repository ({comp.repoURL})"
    return None


class _Planner:
    """Turns each enabled component into path findings and at most one build job."""

    def __init__(
        self, catalog: Catalog, locator: Locator, root: Path, command: list[str], source: str
    ) -> None:
        self.catalog, self.locator, self.root = catalog, locator, root
        self.command, self.source = command, source
        self.hasher = Hasher(root)
        self.plan = _Plan()
        self._rendered: dict[tuple[str, tuple[str, ...]], dict[str, str]] = {}

    def offline(self, comp: Component, reason: str) -> None:
        self.plan.status[comp.name] = "not-verified-offline"
        self.plan.findings.append(
            Finding(
                *self.locator.component(comp.name),
                "warning",
                "manifests-not-verified-offline",
                f"{_head(comp)} is not verified offline: {reason}; it is left out of the analysis",
            )
        )

    def add(self, comp: Component) -> None:
        reason = _offline_reason(self.catalog, comp)
        if reason is not None:
            self.offline(comp, reason)
            return
        good = []
        for rel in comp.paths:
            problem = check_path(self.root, rel, comp.paths)
            if problem is None:
                good.append(rel)
            else:
                where = self.locator.path(comp.name, rel)
                message = f"{_head(comp)}: {problem.message}"
                self.plan.findings.append(Finding(*where, "error", problem.rule, message))
        if not good:
            self.plan.status[comp.name] = "no-buildable-path"
            return
        self.add_job(comp, good)

    def add_job(self, comp: Component, good: list[str]) -> None:
        target, wrapper = self.target(comp, good)
        inputs = Inputs()
        if wrapper is None:
            walk_dir(self.root / target, inputs)
        else:
            # The committed wrapper directory may hold patch files the wrapper reads.
            inputs.roots.add(self.root / target)
            docs = [d for d in yamlio.load_all(wrapper, trusted=True) if isinstance(d, dict)]
            walk(docs[0] if docs else {}, self.root / target, inputs)
        needs = [f"remote resource {url}" for url in sorted(set(inputs.remote))]
        needs += [f"Helm chart {chart}" for chart in sorted(set(inputs.helm))]
        if needs:
            self.offline(comp, f"its build needs the network ({', '.join(needs)})")
            return
        key = self.hasher.key([*self.command, target], wrapper, inputs)
        weight = self.hasher.weight(inputs)
        self.plan.jobs.append(Job(comp.name, target, wrapper, key, weight))

    def target(self, comp: Component, good: list[str]) -> tuple[str, str | None]:
        """What to build: the one path, or the wrapper (rendered over the paths that exist)."""
        trimmed = comp.model_copy(update={"paths": good})
        if not trimmed.needs_wrapper:
            return good[0], None
        files = self.rendered(comp, good)
        path = app_path(self.catalog, trimmed)
        assert path is not None
        return path, files[f"apps/base/{comp.name}/kustomization.yaml"]

    def rendered(self, comp: Component, good: list[str]) -> dict[str, str]:
        catalog = self.catalog
        key = ("", ()) if good == comp.paths else (comp.name, tuple(good))
        if key not in self._rendered:
            if good != comp.paths:
                trimmed = comp.model_copy(update={"paths": good})
                comps = [trimmed if c.name == comp.name else c for c in catalog.components]
                catalog = catalog.model_copy(update={"components": comps})
            self._rendered[key] = render(catalog, source=self.source)
        return self._rendered[key]


def _sync_options(catalog: Catalog, comp: Component) -> list[str]:
    return comp.syncOptions if comp.syncOptions is not None else catalog.defaults.syncOptions


def _units(
    catalog: Catalog, plan: _Plan, outcomes: dict[str, Outcome], locator: Locator
) -> list[Unit]:
    units = []
    for comp in catalog.enabled_components():
        outcome = outcomes.get(comp.name)
        if outcome is not None and not outcome.ok:
            plan.status[comp.name] = "build-failed"
            target = next(j.target for j in plan.jobs if j.component == comp.name)
            plan.findings.append(
                Finding(
                    *locator.component(comp.name),
                    "error",
                    "manifests-build-failed",
                    f"{_head(comp)}: kustomize build of {target} failed: {outcome.error}",
                )
            )
        analysed = outcome is not None and outcome.ok
        if analysed:
            plan.status[comp.name] = "built"
        units.append(
            Unit(
                comp.name,
                comp.wave,
                comp.namespace or "",
                "CreateNamespace=true" in _sync_options(catalog, comp),
                tuple(comp.dependsOn),
                analysed,
                outcome.objects if outcome is not None and analysed else (),
                (*catalog.defaults.ignoreDifferences, *comp.ignoreDifferences),
                "RespectIgnoreDifferences=true" in _sync_options(catalog, comp),
                tuple(comp.resourceWaves),
            )
        )
    return units


def check_manifests(
    catalog_path: Path,
    manifests_dir: Path,
    kustomize_cmd: str | None,
    use_cache: bool,
    build_timeout: float = BUILD_TIMEOUT,
) -> tuple[list[Finding], Summary | None]:
    """``check --manifests``: nothing (and no summary) when the catalog itself is invalid, as
    ``check`` reports that already."""
    if not manifests_dir.is_dir():
        raise UsageError(f"--manifests: {manifests_dir} is not a directory")
    try:
        catalog = load_catalog(catalog_path)
    except CatalogError:
        return [], None
    from kfboot.manifests.fleet import fleet_manifest_findings  # per cluster, for a fleet

    return fleet_manifest_findings(
        manifest_findings,
        catalog,
        catalog_path,
        manifests_dir,
        kustomize_cmd,
        use_cache,
        build_timeout,
    )


@dataclass
class Built:
    """One catalog built: path and build findings, each component's status, the units (every
    enabled component; ``analysed`` when its objects are known)."""

    plan: _Plan
    units: list[Unit]
    locator: Locator


def build_catalog(
    catalog: Catalog,
    catalog_path: Path,
    manifests_dir: Path,
    kustomize_cmd: str | None = None,
    use_cache: bool = True,
    build_timeout: float = BUILD_TIMEOUT,
) -> Built:
    """Every enabled component of ``catalog`` built from the checkout ``manifests_dir`` (from
    the cache where it can): ``check --manifests`` analyses the units, ``plan --manifests``
    compares two revisions' units."""
    if not manifests_dir.is_dir():
        raise UsageError(f"--manifests: {manifests_dir} is not a directory")
    command = kustomize_command(kustomize_cmd)
    require_jq(catalog)
    locator = Locator(catalog, catalog_path)
    root = manifests_dir.absolute()
    planner = _Planner(catalog, locator, root, command, catalog_path.name)
    for comp in sorted(catalog.enabled_components(), key=lambda c: (c.wave, c.name)):
        planner.add(comp)
    plan = planner.plan
    outcomes = run_all(plan.jobs, root, command, use_cache, build_timeout)
    return Built(plan, _units(catalog, plan, outcomes, locator), locator)


def manifest_findings(
    catalog: Catalog,
    catalog_path: Path,
    manifests_dir: Path,
    kustomize_cmd: str | None = None,
    use_cache: bool = True,
    build_timeout: float = BUILD_TIMEOUT,
) -> tuple[list[Finding], Summary]:
    """Every ``manifests-*`` finding for ``catalog`` against the checkout ``manifests_dir``."""
    built = build_catalog(
        catalog, catalog_path, manifests_dir, kustomize_cmd, use_cache, build_timeout
    )
    plan, units, locator = built.plan, built.units, built.locator
    result = analyse(units, locator.component, locator.depends_on)
    summary = summarise(units, plan.status, {k: set(v) for k, v in result.needs.items()})
    found = plan.findings + parse_findings(catalog, locator) + result.findings
    return _not_ignored(catalog, locator, found), summary


def _not_ignored(catalog: Catalog, locator: Locator, findings: list[Finding]) -> list[Finding]:
    """Without the findings a component switched off with ``ignore: [{rule, reason}]``."""
    ignored = {c.name: {entry.rule for entry in c.ignore} for c in catalog.components}
    return sorted(
        f for f in findings if f.rule not in ignored.get(locator.owner(f.line, f.col) or "", ())
    )
