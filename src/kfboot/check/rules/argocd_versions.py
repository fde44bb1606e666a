"""Which Argo CD an argo-helm ``argo-cd`` chart installs, and whether that Argo CD fits.

Data, not a lookup at run time (``check`` works offline): the first chart version of each Argo
CD minor, from ``argoproj/argo-helm`` ``charts/argo-cd/Chart.yaml`` history (``appVersion``),
up to chart 10.1.1 (Argo CD v3.4.4), the newest at the argo-helm snapshot of 2026-07-02.
Upstream supports the three newest minors (``argoproj/argo-cd``
``docs/developer-guide/release-process-and-cadence.md``: "Only the three most recent minor
versions are eligible for patch releases"); the newest released minor is 3.5 (v3.5.0 tagged
2026-08-04). Update both when a newer chart or minor ships.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kfboot.catalog.models import Catalog
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
NEWEST_MINOR: Version = (3, 5)
SUPPORTED_MINORS = 3
# ApplicationSet progressive syncs are Beta since v3.3.0 (argoproj/argo-cd
# docs/operator-manual/applicationset/Progressive-Syncs.md), and spec.strategy.deletionOrder
# exists since v3.2.
PROGRESSIVE_SYNCS: Version = (3, 3)
_VERSION = re.compile(r"v?(\d+)\.(\d+)\.(\d+)")


def argocd_minor(chart_version: str) -> Version | None:
    """The Argo CD minor a chart version installs; None when unknown (not ``X.Y.Z``, or older
    than the table)."""
    found = _VERSION.fullmatch(chart_version.strip())
    if found is None:
        return None
    chart = tuple(int(part) for part in found.groups())
    return next((minor for first, minor in FIRST_CHART_OF_MINOR if chart >= first), None)


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
    """``argocd-too-old-for-applicationset`` and ``argocd-unsupported-version``."""
    for i, comp in enumerate(catalog.components):
        if comp.argocd is None or comp.argocd.chart != "argo-cd":
            continue
        path = ("components", i, "argocd", "version")
        minor = argocd_minor(comp.argocd.version)
        shown = f"Argo CD {_show(minor)}" if minor else _unknown(comp.argocd.version)
        where = f"chart {comp.argocd.chart} {comp.argocd.version} installs {shown}"
        if catalog.layout == "applicationset" and (minor is None or minor < PROGRESSIVE_SYNCS):
            yield (
                i,
                Hit(
                    "argocd-too-old-for-applicationset",
                    path,
                    f"{where}; layout: applicationset needs Argo CD 3.3 or newer "
                    "(progressive syncs); pin chart 9.4.0 or newer",
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
