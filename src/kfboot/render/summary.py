"""Human summaries of a catalog: the per-wave table ``render`` prints."""

from __future__ import annotations

from kfboot.catalog.models import Catalog
from kfboot.catalog.waves import in_wave


def wave_summary(catalog: Catalog) -> str:
    enabled = catalog.enabled_components()
    rows = [("WAVE", "LABEL", "COMPONENTS", "NAMESPACES")]
    for wave in catalog.waves:
        members = in_wave(enabled, wave.wave)
        names = ", ".join(c.name for c in members) or "-"
        namespaces = ", ".join(sorted({c.namespace for c in members if c.namespace})) or "-"
        rows.append((str(wave.wave), wave.label, names, namespaces))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = [
        "  ".join(cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(row)).rstrip()
        for row in rows
    ]
    disabled = [c.name for c in catalog.components if not c.enabled]
    if disabled:
        lines.append(f"disabled: {', '.join(disabled)}")
    if catalog.clusters is not None:
        names = ", ".join(f"{c.name} (hub)" if c.hub else c.name for c in catalog.clusters)
        lines.append(f"clusters ({catalog.layout}): {names}")
    return "\n".join(lines)
