"""The summary of a ``--manifests`` run: per component and per wave, as data and as text."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from kfboot import k8s as kinds
from kfboot.catalog.waves import in_wave
from kfboot.manifests.analysis import Unit


@dataclass(frozen=True)
class ComponentSummary:
    name: str
    wave: int
    status: str  # built | not-verified-offline | build-failed | no-buildable-path
    objects: int
    crds: list[str]
    namespaces: list[str]
    needs: list[str]


@dataclass(frozen=True)
class WaveSummary:
    wave: int
    needs: list[str]


@dataclass
class Summary:
    components: list[ComponentSummary] = field(default_factory=list)
    waves: list[WaveSummary] = field(default_factory=list)
    needs: dict[str, set[str]] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {
            "components": [asdict(c) for c in self.components],
            "waves": [asdict(w) for w in self.waves],
        }

    def text(self) -> str:
        analysed = [c for c in self.components if c.status == "built"]
        others = [f"{c.name} ({c.status})" for c in self.components if c.status != "built"]
        lines = [f"manifests: {len(analysed)} of {len(self.components)} components analysed"]
        if others:
            lines[0] += f"; left out: {', '.join(others)}"
        for c in analysed:
            lines.append(
                f"  wave {c.wave} {c.name}: {c.objects} objects, {len(c.crds)} CRDs, "
                f"namespaces: {', '.join(c.namespaces) or '-'}; needs: {', '.join(c.needs) or '-'}"
            )
        for w in self.waves:
            lines.append(f"  wave {w.wave} needs from earlier waves: {', '.join(w.needs) or '-'}")
        return "\n".join(lines)


def summarise(units: list[Unit], status: dict[str, str], needs: dict[str, set[str]]) -> Summary:
    waves_of = {u.name: u.wave for u in units}
    summary = Summary(needs=needs)
    for unit in sorted(units, key=lambda u: (u.wave, u.name)):
        summary.components.append(
            ComponentSummary(
                name=unit.name,
                wave=unit.wave,
                status=status[unit.name],
                objects=len(unit.objects),
                crds=sorted(o.name for o in unit.objects if o.crd is not None),
                namespaces=sorted(o.name for o in unit.objects if o.gk == kinds.NAMESPACE),
                needs=sorted(needs.get(unit.name, ())),
            )
        )
    for wave in sorted(set(waves_of.values())):
        wanted = {
            dep
            for u in in_wave(units, wave)
            for dep in needs.get(u.name, ())
            if waves_of[dep] < wave
        }
        summary.waves.append(
            WaveSummary(wave, [f"{d} (wave {waves_of[d]})" for d in sorted(wanted)])
        )
    return summary
