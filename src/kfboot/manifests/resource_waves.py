"""``manifests-resource-wave-unmatched``: a ``resourceWaves`` entry that selects no object.

Each entry becomes a kustomize patch whose target selects objects by group, kind, name and
namespace; when upstream renames a kind or moves it to another group the target matches nothing,
kustomize says nothing, and the Application syncs its objects in one pass: nothing waits for the
webhook's Deployment any more (the race the entry was there to prevent).
"""

from __future__ import annotations

import difflib
import json

from kfboot.catalog.resourcewaves import ResourceWave
from kfboot.manifests.crosscheck import Analysis
from kfboot.manifests.units import Unit


def unmatched(an: Analysis) -> None:
    """A warning for each entry of an analysed component that matches no object of its build."""
    for unit in an.analysed:
        for entry in unit.resource_waves:
            if any(entry.matches(o.group, o.kind, o.name, o.namespace) for o in unit.objects):
                continue
            an.add(
                "warning",
                "manifests-resource-wave-unmatched",
                an.where(unit.name),
                f"component {unit.name}: resourceWaves entry {_shown(entry)} matches no object "
                f"of its build, so nothing waits for wave {entry.wave}{_close(entry, unit)}",
            )


def _shown(entry: ResourceWave) -> str:
    return json.dumps(entry.model_dump(exclude_none=True, exclude={"wave"}))


def _close(entry: ResourceWave, unit: Unit) -> str:
    """The kinds of the build closest to the entry's: the same kind in another group, or a
    kind spelt alike (``ClusterServingRuntime`` for ``ClusterServingRuntimes``)."""
    kinds = sorted({(o.kind, o.group) for o in unit.objects})
    by_lower = {kind.lower(): kind for kind, _ in kinds}
    alike = difflib.get_close_matches(entry.kind.lower(), list(by_lower), n=3, cutoff=0.75)
    names = {by_lower[a] for a in alike} | {entry.kind}
    close = [f"{kind}.{group}" if group else kind for kind, group in kinds if kind in names]
    if not close:
        return ""
    return f"; kinds close to it in the build: {', '.join(close)}"
