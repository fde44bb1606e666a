"""Which Argo CD an argo-helm ``argo-cd`` chart installs, and whether that Argo CD fits.

Data, not a lookup at run time (``check`` works offline): the first chart version of each Argo
CD minor, from ``argoproj/argo-helm`` ``charts/argo-cd/Chart.yaml`` history (``appVersion``),
up to chart 10.1.1 (Argo CD v3.4.4), the newest at the argo-helm snapshot of 2026-07-02; for the
3.4 line, the first chart of each patch release too. The chart's ``global.image.tag`` value
overrides its ``appVersion`` (argo-helm ``charts/argo-cd/values.yaml`` L59-63 at argo-cd-10.1.1),
so a tag ``vX.Y.Z`` there is the Argo CD the catalog installs.
Upstream supports the three newest minors (``argoproj/argo-cd``
``docs/developer-guide/release-process-and-cadence.md``: "Only the three most recent minor
versions are eligible for patch releases"); the newest released minor is 3.5 (v3.5.0 tagged
2026-08-04). Update both when a newer chart or minor ships.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kfboot.catalog.models import ArgoCDInstall, Catalog
from kfboot.check.rules.application import Hit

Version = tuple[int, ...]
# (first chart version, the Argo CD minor it ships), newest first.
FIRST_CHART_OF_MINOR: tuple[tuple[Version, Version], ...] = (
    ((9, 5, 12), (3, 4)),  # v3.4.1: no chart ever shipped v3.4.0
    ((9, 4, 0), (3, 3)),
    ((9, 1, 0), (3, 2)),
    ((8, 3, 0), (3, 1)),
    ((8, 0, 0), (3, 0)),
    ((7, 8, 0), (2, 14)),
    ((7, 7, 0), (2, 13)),
    ((7, 4, 0), (2, 12)),
    ((6, 8, 0), (2, 11)),
    ((5, 55, 0), (2, 10)),
)
# (first chart version, the Argo CD release it ships) of the 3.4 line, newest first, up to
# NEWEST_CHART; a newer chart ships 3.4.4 or later, which kfboot cannot tell apart.
FIRST_CHART_OF_PATCH: tuple[tuple[Version, Version], ...] = (
    ((9, 5, 22), (3, 4, 4)),
    ((9, 5, 16), (3, 4, 3)),
    ((9, 5, 14), (3, 4, 2)),
    ((9, 5, 12), (3, 4, 1)),
)
NEWEST_CHART: Version = (10, 1, 1)
NEWEST_MINOR: Version = (3, 5)
SUPPORTED_MINORS = 3
# ApplicationSet progressive syncs are Beta since v3.3.0 (argoproj/argo-cd
# docs/operator-manual/applicationset/Progressive-Syncs.md), and spec.strategy.deletionOrder
# exists since v3.2. But kfboot's template sets automated {prune} (RollingSync prunes only
# then), and a controller that writes automated.enabled=false and then compares the generated
# spec as it is resets every unsynced Application on each reconcile: all of 3.3 (v3.3.14
# applicationset/controllers/applicationset_controller.go L1196, L1611), 3.4 before v3.4.7
# (#29141) and v3.5.0 (fixed in v3.5.1, #29139). 3.4 before v3.4.7 and v3.5.0 also lose track
# of Applications still deleting during deletionOrder: Reverse (applicationset/utils/client.go
# evicts them from its cache on every Delete; fixed in v3.4.6 a3d8e28062 #29000, hardened in
# v3.4.7 cbd768784b #29141, and in v3.5.1 #29138). So a minor before 3.4 is too old, and in 3.4
# and 3.5 the first release with both fixes is:
APPSET_FIRST_MINOR: Version = (3, 4)
APPLICATIONSET_FIXED: dict[Version, Version] = {(3, 4): (3, 4, 7), (3, 5): (3, 5, 1)}
# retry.refresh exists since v3.2.0 (pkg/apis/application/v1alpha1/types.go).
RETRY_REFRESH: Version = (3, 2)
_VERSION = re.compile(r"v?(\d+)\.(\d+)\.(\d+)")


def argocd_minor(chart_version: str) -> Version | None:
    """The Argo CD minor a chart version installs; None when unknown (not ``X.Y.Z``, or older
    than the table)."""
    found = _VERSION.fullmatch(chart_version.strip())
    if found is None:
        return None
    chart = tuple(int(part) for part in found.groups())
    return next((minor for first, minor in FIRST_CHART_OF_MINOR if chart >= first), None)


def chart_release(chart_version: str) -> Version | None:
    """The exact Argo CD release a chart ships, where kfboot knows it (the 3.4 line)."""
    found = _VERSION.fullmatch(chart_version.strip())
    if found is None:
        return None
    chart = tuple(int(part) for part in found.groups())
    if chart > NEWEST_CHART:
        return None
    return next((release for first, release in FIRST_CHART_OF_PATCH if chart >= first), None)


def image_tag(install: ArgoCDInstall, root: str = "global") -> object:
    """The chart's ``ROOT.image.tag`` value ("" or None: unset)."""
    node: object = install.values
    for key in (root, "image", "tag"):
        node = node.get(key) if isinstance(node, dict) else None
    return node


def tag_key(install: ArgoCDInstall, controller: str | None = None) -> str | None:
    """Which ``*.image.tag`` decides the image of ``controller`` (a chart values key such as
    ``applicationSet``, or None for Argo CD as a whole): its own tag "defaults to
    global.image.tag" (argo-helm argo-cd-10.1.1 ``charts/argo-cd/values.yaml`` L3436-3438,
    ``templates/argocd-applicationset/deployment.yaml`` L67); None: the chart's appVersion."""
    for root in ((controller,) if controller else ()) + ("global",):
        if image_tag(install, root) not in (None, ""):
            return root
    return None


def installed(
    install: ArgoCDInstall, controller: str | None = None
) -> tuple[Version | None, Version | None, str]:
    """(minor, exact release or None, what installs it) of the Argo CD ``install`` installs
    (of ``controller``'s image, when given: see :func:`tag_key`)."""
    chart = f"chart {install.chart} {install.version}"
    root = tag_key(install, controller)
    if root is not None:
        tag = image_tag(install, root)
        found = _VERSION.fullmatch(str(tag).strip())
        if found is None:
            return None, None, f"{chart} with {root}.image.tag {tag!r}"
        exact = tuple(int(part) for part in found.groups())
        return exact[:2], exact, f"{chart} with {root}.image.tag {tag}"
    return argocd_minor(install.version), chart_release(install.version), chart


def catalog_argocd(catalog: Catalog) -> tuple[int, Version | None, Version | None, str] | None:
    """(component index, minor, exact release, what installs it) of the catalog's enabled
    argo-cd chart component, or None when the catalog installs no Argo CD."""
    for i, comp in enumerate(catalog.components):
        if comp.enabled and comp.argocd is not None and comp.argocd.chart == "argo-cd":
            return (i, *installed(comp.argocd))
    return None


def supported(minor: Version) -> bool:
    """Whether upstream still patches ``minor`` (one of the three newest; every 3.x minor is
    one step after the previous)."""
    major, newest = NEWEST_MINOR
    return minor[0] == major and minor[1] > newest - SUPPORTED_MINORS


def _show(minor: Version) -> str:
    return ".".join(map(str, minor))


def _unknown(chart_version: str) -> str:
    if _VERSION.fullmatch(chart_version.strip()):
        return "an Argo CD older than 2.10"
    return "an Argo CD kfboot cannot tell (not a release version X.Y.Z)"


def argocd_version_hits(catalog: Catalog) -> Iterator[tuple[int | None, Hit]]:
    """``argocd-too-old-for-applicationset``, ``argocd-progressive-sync-bugs`` and
    ``argocd-unsupported-version``."""
    for i, comp in enumerate(catalog.components):
        if comp.argocd is None or comp.argocd.chart != "argo-cd":
            continue
        minor, path, where = _decided(comp.argocd, i)
        # The ApplicationSet controller's own image decides its bugs.
        appset_minor, appset_path, appset_where = _decided(comp.argocd, i, "applicationSet")
        appset_exact = installed(comp.argocd, "applicationSet")[1]
        fix = _fix(appset_minor, tag_key(comp.argocd, "applicationSet"))
        too_old = appset_minor is None or appset_minor < APPSET_FIRST_MINOR
        fixed = APPLICATIONSET_FIXED.get(appset_minor) if appset_minor is not None else None
        buggy = appset_exact is not None and fixed is not None and appset_exact < fixed
        if catalog.layout == "applicationset" and (too_old or buggy):
            yield (
                i,
                Hit(
                    "argocd-too-old-for-applicationset",
                    appset_path,
                    f"{appset_where}; {_NEEDS}; {fix}",
                ),
            )
        elif minor is None or not supported(minor):
            yield (
                i,
                Hit(
                    "argocd-unsupported-version",
                    path,
                    f"{where}, which upstream no longer supports (it patches "
                    f"{_show(NEWEST_MINOR)} and the two minors before it); pin a newer chart",
                ),
            )
        elif buggy and comp.enabled:
            yield (
                i,
                Hit(
                    "argocd-progressive-sync-bugs",
                    appset_path,
                    f"{appset_where}; {_BUGS}; {fix}",
                ),
            )


def _decided(
    install: ArgoCDInstall, i: int, controller: str | None = None
) -> tuple[Version | None, tuple[str | int, ...], str]:
    """(minor, catalog path of the value that decides it, "... installs Argo CD X")."""
    minor, exact, source = installed(install, controller)
    root = tag_key(install, controller)
    # At the value that decides the version: the image tag when set, else the chart's.
    decides = ("values", root, "image", "tag") if root is not None else ("version",)
    shown = _shown(minor, exact, "" if root is not None else install.version)
    return minor, ("components", i, "argocd", *decides), f"{source} installs {shown}"


def _fix(minor: Version | None, key: str | None) -> str:
    """The pin that fixes it, at the tag that decides (``global`` unless the ApplicationSet
    controller has its own): the first fixed release of the catalog's own minor when it has
    one after 3.4 (a 3.5 is not downgraded), else 3.4.7 on chart 10.1.1."""
    fixed = APPLICATIONSET_FIXED.get(minor) if minor is not None and minor > (3, 4) else None
    tag = f"set {key or 'global'}.image.tag"
    if fixed is not None:
        return f"{tag}: v{_show(fixed)} in the argocd component's values"
    return f"{tag}: v3.4.7 in the argocd component's values (chart 10.1.1)"


_NEEDS = (
    "layout: applicationset needs Argo CD 3.4.7 or newer, 3.5.1 on the 3.5 line (progressive "
    "syncs; before them RollingSync re-syncs every unsynced Application on each reconcile and "
    "reverse deletion loses Applications still deleting, argo-cd #29000 #29141)"
)
_BUGS = (
    "its ApplicationSet controller tears down deletionOrder: Reverse out of order and re-syncs "
    "every unsynced Application on each reconcile (fixed in v3.4.6 #29000, v3.4.7 #29141, "
    "v3.5.1 #29138 #29139)"
)


def _shown(minor: Version | None, exact: Version | None, chart_version: str) -> str:
    if exact is not None:
        return f"Argo CD {_show(exact)}"
    if minor is not None:
        return f"Argo CD {_show(minor)}"
    return _unknown(chart_version)
