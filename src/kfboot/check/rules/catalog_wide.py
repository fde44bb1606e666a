"""Rules over the catalog as a whole, and where a rendered Application's lines come from.

Catalog-level rules (no health check, empty waves, an unpinned Argo CD chart) yield ``(component
index or None, hit)`` with ``hit.path`` a path into ``waves.yaml``. :func:`origin` maps a path
inside a rendered Application back to the catalog node that produced it, so a finding in
generated output points at the line a user edits.
"""

from __future__ import annotations

from collections.abc import Iterator

from kfboot.catalog.models import Catalog, Component, Retry
from kfboot.check.rules.application import Hit
from kfboot.check.rules.argocd import EXACT_VERSION, WAVE_ANNOTATION
from kfboot.check.rules.argocd_versions import RETRY_REFRESH, argocd_version_hits, catalog_argocd
from kfboot.check.rules.credentials import credential_literals
from kfboot.yamlio import Path_

CatalogHit = tuple[int | None, Hit]


def health_check(catalog: Catalog) -> Iterator[CatalogHit]:
    # RollingSync waits on each generated Application's own health, which Argo CD computes
    # from its resources: the health check of Applications matters to an app of apps only.
    if catalog.clusterHasApplicationHealthCheck or catalog.layout == "applicationset":
        return
    if catalog.clusters is not None and not any(c.hub for c in catalog.clusters):
        # Argo CD, and so the health check, is installed on the hub only.
        yield None, _no_health(("clusters",), key=True)
        return
    for i, comp in enumerate(catalog.components):
        if comp.argocd is None:
            continue
        if comp.enabled and comp.argocd.applicationHealthCheck:
            return
        where = ("argocd", "applicationHealthCheck") if comp.enabled else ("enabled",)
        yield i, _no_health(("components", i, *where))
        return
    yield None, _no_health(("components",), key=True)


def _no_health(path: Path_, key: bool = False) -> Hit:
    return Hit(
        "no-application-health-check",
        path,
        "no Application health check: waves will not wait for the previous wave to be Healthy "
        "(enable the argocd component's applicationHealthCheck, or set "
        "clusterHasApplicationHealthCheck: true)",
        key=key,
    )


def empty_waves(catalog: Catalog) -> Iterator[CatalogHit]:
    used = {c.wave for c in catalog.enabled_components()}
    for i, wave in enumerate(catalog.waves):
        if wave.wave not in used:
            yield (
                None,
                Hit(
                    "empty-wave",
                    ("waves", i, "wave"),
                    f"wave {wave.wave} ({wave.label}) has no enabled component",
                ),
            )


def argocd_chart_pinned(catalog: Catalog) -> Iterator[CatalogHit]:
    for i, comp in enumerate(catalog.components):
        if comp.enabled and comp.argocd and not EXACT_VERSION.match(comp.argocd.version):
            yield (
                i,
                Hit(
                    "helm-unpinned-version",
                    ("components", i, "argocd", "version"),
                    f"Helm chart {comp.argocd.chart!r} has version {comp.argocd.version!r}, "
                    "which is not exact; Argo CD installs whatever is newest",
                ),
            )


def finite_retry(catalog: Catalog) -> Iterator[CatalogHit]:
    """A finite retry limit where giving up blocks others: the root, or a dependency.

    After the limit is used up, auto-sync never retries the same commit again, even with
    selfHeal (argo-cd v3.4.7 ``controller/appcontroller.go`` ``autoSync`` L2298-2303: a failed
    attempt at the same revision is never retried); a negative limit retries for ever (L1579).
    """
    retry, own = catalog.defaults.retry, catalog.appOfApps.retry
    if own is not None and own.limit >= 0:
        yield None, _finite(("appOfApps", "retry", "limit"), "the app of apps", own.limit)
    if retry.limit >= 0:
        what = "every component without its own retry"
        what = f"the app of apps (and {what})" if own is None else what
        inheriting = [c for c in catalog.enabled_components() if c.retry is None]
        if own is None or inheriting:
            yield None, _finite(("defaults", "retry", "limit"), what, retry.limit)
    needed = {dep for c in catalog.enabled_components() for dep in c.dependsOn}
    for i, comp in enumerate(catalog.components):
        limit = comp.retry.limit if comp.retry is not None else -1
        if comp.enabled and comp.name in needed and limit >= 0:
            what = f"component {comp.name}, which other components depend on,"
            yield i, _finite(("components", i, "retry", "limit"), what, limit)


def _finite(path: Path_, what: str, limit: int) -> Hit:
    return Hit(
        "retry-finite",
        path,
        f"{what} gives up after {limit} failed sync retries; Argo CD then never auto-syncs "
        "the same commit again, even with selfHeal, and later waves wait for ever "
        "(use limit: -1, unlimited)",
    )


def retry_without_refresh(catalog: Catalog) -> Iterator[CatalogHit]:
    """An unlimited retry without ``refresh`` where Argo CD has it (3.2+, or not kfboot's)."""
    found = catalog_argocd(catalog)
    if found is not None and found[1] is not None and found[1] < RETRY_REFRESH:
        return
    inherit = catalog.appOfApps.retry is None or any(
        c.retry is None for c in catalog.enabled_components()
    )
    places: list[tuple[int | None, Path_, Retry | None]] = []
    if inherit:
        places.append((None, ("defaults", "retry"), catalog.defaults.retry))
    places.append((None, ("appOfApps", "retry"), catalog.appOfApps.retry))
    enabled = {c.name for c in catalog.enabled_components()}
    for i, comp in enumerate(catalog.components):
        places.append((i, ("components", i, "retry"), comp.retry if comp.name in enabled else None))
    for k, cluster in enumerate(catalog.clusters or []):
        for name, override in cluster.components.items():
            places.append((None, ("clusters", k, "components", name, "retry"), override.retry))
    for index, path, retry in places:
        if retry is not None and retry.limit < 0 and not retry.refresh:
            yield index, _no_refresh(path)


def _no_refresh(path: Path_) -> Hit:
    where = ".".join(str(p) for p in path)
    return Hit(
        "retry-without-refresh",
        (*path, "refresh"),
        f"{where} retries for ever on the commit that failed: auto-sync is skipped while the "
        "operation runs, so a fix pushed meanwhile is never synced (set refresh: true)",
    )


CATALOG_RULES = (
    health_check,
    empty_waves,
    argocd_chart_pinned,
    credential_literals,
    finite_retry,
    retry_without_refresh,
    argocd_version_hits,
)


def catalog_hits(catalog: Catalog) -> list[CatalogHit]:
    return [found for rule in CATALOG_RULES for found in rule(catalog)]


# ------------------------------------------------------------------------ rendered -> catalog


def origin(catalog: Catalog, index: int | None, path: Path_) -> Path_:
    """The catalog path that produced ``path`` of component ``index``'s (or the root's) App."""
    comp = catalog.components[index] if index is not None else None
    base: Path_ = ("components", index) if index is not None else ("appOfApps",)
    head, rest = path[:3], path[3:]
    if path[:2] in (("metadata", "annotations"), ("metadata", "labels")) and len(path) > 2:
        return _metadata(catalog, comp, base, path[1], path[2])
    if head == ("spec", "syncPolicy", "syncOptions"):
        own = comp.syncOptions if comp else catalog.appOfApps.syncOptions
        return (*base, "syncOptions", *rest) if own is not None else ("defaults", *path[2:])
    if head[:3] in (("spec", "syncPolicy", "retry"), ("spec", "syncPolicy", "automated")):
        own_policy = getattr(comp, str(path[2]), None) if comp else None
        return (*base, *path[2:]) if own_policy is not None else ("defaults", *path[2:])
    if path[:2] == ("spec", "ignoreDifferences") and len(path) > 2 and isinstance(path[2], int):
        shared = len(catalog.defaults.ignoreDifferences)
        if path[2] < shared:
            return ("defaults", *path[1:])
        return (*base, "ignoreDifferences", path[2] - shared, *path[3:])
    if path[:2] == ("spec", "source"):
        return _source(comp, base, path[2:])
    if path[:2] == ("spec", "destination"):
        return _destination(catalog, comp, base, path[2:3])
    return base


def _destination(catalog: Catalog, comp: Component | None, base: Path_, rest: Path_) -> Path_:
    """The catalog field behind an Application's destination: its namespace, or the cluster
    (the component's own server or name, else the catalog's)."""
    if rest == ("namespace",):
        return (*base, "namespace")
    if comp is not None and (comp.destinationServer or comp.destinationName):
        return (*base, "destinationName" if comp.destinationName else "destinationServer")
    return ("destinationName",) if catalog.destinationName else ("destinationServer",)


def _metadata(
    catalog: Catalog, comp: Component | None, base: Path_, field: str | int, key: str | int
) -> Path_:
    own = getattr(comp, str(field), {}) if comp else {}
    if key in own:
        return (*base, field, key)
    if key in getattr(catalog.defaults, str(field)):
        return ("defaults", field, key)
    if key == WAVE_ANNOTATION and comp is not None:
        return (*base, "wave")
    return base


def _source(comp: Component | None, base: Path_, rest: Path_) -> Path_:
    if comp is None:
        return ("repoURL",)
    if comp.helm is not None:
        return (*base, "helm", *rest[:1])
    if comp.paths:
        return (*base, "paths")
    return base
