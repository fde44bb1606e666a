"""``check --manifests`` for a fleet: each distinct cluster catalog is built once.

Clusters whose components come out the same (no override touching what is built) share one run;
an override that changes a wrapper (patches) or a chart's values gets its own. Findings land on
the same catalog lines, so identical ones collapse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from kfboot.catalog.fleet import fleet
from kfboot.catalog.models import Catalog
from kfboot.findings import Finding
from kfboot.manifests.report import Summary

OneCatalog = Callable[[Catalog, Path, Path, str | None, bool, float], tuple[list[Finding], Summary]]


def fleet_manifest_findings(
    manifest_findings: OneCatalog,
    catalog: Catalog,
    catalog_path: Path,
    manifests_dir: Path,
    kustomize_cmd: str | None,
    use_cache: bool,
    build_timeout: float,
) -> tuple[list[Finding], Summary]:
    """Every cluster's ``manifests-*`` findings, each naming the clusters it concerns unless it
    concerns them all; the summary is the first cluster's. ``manifest_findings``: the
    one-catalog run (``kfboot.manifests.run``, which calls this)."""
    if catalog.clusters is None:
        return manifest_findings(
            catalog, catalog_path, manifests_dir, kustomize_cmd, use_cache, build_timeout
        )
    runs: list[tuple[Catalog, list[str]]] = []
    for cluster, cc in fleet(catalog):
        same = next((r for r in runs if r[0] == cc), None)
        if same is None:
            runs.append((cc, [cluster.name]))
        else:
            same[1].append(cluster.name)
    where: dict[Finding, list[str]] = {}
    summaries = []
    for cc, names in runs:
        found, summary = manifest_findings(
            cc, catalog_path, manifests_dir, kustomize_cmd, use_cache, build_timeout
        )
        summaries.append(summary)
        for finding in found:
            where.setdefault(finding, []).extend(names)
    everyone = len(catalog.clusters)
    return [
        f if len(names) == everyone else replace(f, message=f"{f.message} (on {', '.join(names)})")
        for f, names in where.items()
    ], summaries[0]
