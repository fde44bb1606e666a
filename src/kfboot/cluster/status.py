"""Pure functions from Argo CD Application JSON and the catalog to status rows and summaries.

No I/O here: ``kfboot status``, ``wait``, ``sync`` and ``verify`` fetch the JSON through
``kube.py`` and hand it to these functions, which the tests feed with recorded fixtures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kfboot.catalog.models import Catalog
from kfboot.catalog.waves import wave_members

MISSING = "Missing"
_MESSAGE_WIDTH = 100


@dataclass(frozen=True)
class AppState:
    """One Application as kfboot reports it."""

    name: str
    present: bool = False
    sync: str = "-"
    health: str = "-"
    phase: str = ""
    operating: bool = False  # an operation requested, or still running
    message: str = ""
    creator: str = "the app of apps"  # what creates it: its ApplicationSet in that layout

    @property
    def ready(self) -> bool:
        return (
            self.present
            and self.sync == "Synced"
            and self.health == "Healthy"
            and not (self.operating)
        )

    def describe(self) -> str:
        """``kubeflow-katib is OutOfSync/Progressing (sync Running): message``."""
        if not self.present:
            return f"{self.name} is missing ({self.creator} has not created it)"
        text = f"{self.name} is {self.sync}/{self.health}"
        if self.operating:
            text += f" (sync {self.phase})"
        return f"{text}: {self.message}" if self.message else text

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "present": self.present,
            "sync": self.sync if self.present else MISSING,
            "health": self.health if self.present else MISSING,
            "operation": self.phase,
            "operating": self.operating,
            "ready": self.ready,
            "message": self.message,
        }


def _dig(doc: Any, *keys: str) -> Any:
    for key in keys:
        doc = doc.get(key) if isinstance(doc, dict) else None
    return doc


def _message(app: dict[str, Any], health: str, phase: str) -> str:
    """Why an Application is not fine: health first, then the sync in flight, then conditions."""
    candidates = []
    if health != "Healthy":
        candidates.append(_dig(app, "status", "health", "message"))
    if phase in ("Failed", "Error", "Running"):
        candidates.append(_dig(app, "status", "operationState", "message"))
    conditions = _dig(app, "status", "conditions") or []
    candidates += [c.get("message") for c in conditions if isinstance(c, dict)]
    for text in candidates:
        if isinstance(text, str) and text.strip():
            return " ".join(text.split())
    return ""


def app_state(app: dict[str, Any]) -> AppState:
    status = app.get("status") or {}
    sync = _dig(status, "sync", "status") or "Unknown"
    health = _dig(status, "health", "status") or "Unknown"
    phase = _dig(status, "operationState", "phase") or ""
    operating = "operation" in app or phase in ("Running", "Terminating")
    if "operation" in app and phase not in ("Running", "Terminating"):
        phase = "Requested"  # not picked up yet: the phase shown is the previous sync's
    show = sync != "Synced" or health != "Healthy" or phase in ("Failed", "Error")
    return AppState(
        name=str(_dig(app, "metadata", "name")),
        present=True,
        sync=str(sync),
        health=str(health),
        phase=str(phase),
        operating=operating,
        message=_message(app, str(health), str(phase)) if show else "",
    )


@dataclass
class WaveStatus:
    wave: int
    label: str
    apps: list[AppState] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return all(a.ready for a in self.apps)

    @property
    def blockers(self) -> list[AppState]:
        return [a for a in self.apps if not a.ready]


@dataclass
class Report:
    root: AppState
    waves: list[WaveStatus]
    unknown: list[AppState]

    def first_incomplete(self, upto: int | None = None) -> WaveStatus | None:
        for wave in self.waves:
            if upto is not None and wave.wave > upto:
                return None
            if not wave.complete:
                return wave
        return None


def _is_ours(app: dict[str, Any], labels: dict[str, str]) -> bool:
    """Carries the catalog's default labels (how foreign Applications are told apart)."""
    have = _dig(app, "metadata", "labels") or {}
    return bool(labels) and all(have.get(k) == v for k, v in labels.items())


def build_report(catalog: Catalog, apps: list[dict[str, Any]]) -> Report:
    """The catalog's Applications by wave, and the labelled ones the catalog does not know."""
    live = {str(_dig(a, "metadata", "name")): a for a in apps}

    creator = "its ApplicationSet" if catalog.layout == "applicationset" else "the app of apps"

    def state(name: str) -> AppState:
        return app_state(live[name]) if name in live else AppState(name, creator=creator)

    enabled = catalog.enabled_components()
    waves = []
    for wave, members in wave_members(catalog):
        waves.append(WaveStatus(wave.wave, wave.label, [state(c.app_name) for c in members]))
    known = {c.app_name for c in enabled} | {catalog.appOfApps.name}
    labels = catalog.defaults.labels
    unknown = [
        app_state(live[n]) for n in sorted(live) if n not in known and _is_ours(live[n], labels)
    ]
    return Report(state(catalog.appOfApps.name), waves, unknown)


def _wave_name(wave: WaveStatus) -> str:
    return f"wave {wave.wave} ({wave.label})"


def summary(report: Report) -> str:
    """One line: which waves are complete, which is in progress, and what blocks it."""
    done = [w for w in report.waves if w.complete]
    current = report.first_incomplete()
    if current is None:
        count = sum(len(w.apps) for w in report.waves)
        text = f"all {len(report.waves)} waves complete: {count} Applications Synced and Healthy"
    else:
        prefix = "waves " if len(done) > 1 else "wave "
        finished = (
            (prefix + ", ".join(str(w.wave) for w in done) + " complete")
            if done
            else ("no wave complete")
        )
        blockers = "; ".join(a.describe() for a in current.blockers)
        text = f"{finished}; {_wave_name(current)} in progress: {blockers}"
    if not report.root.present:
        text += f". The app of apps {report.root.name} is missing (make deploy-app-of-apps)"
    return text


def _cut(text: str) -> str:
    return text if len(text) <= _MESSAGE_WIDTH else text[: _MESSAGE_WIDTH - 3] + "..."


def _row(app: AppState) -> list[str]:
    if not app.present:
        return [f"  {app.name}", MISSING, MISSING, "", ""]
    return [f"  {app.name}", app.sync, app.health, app.phase or "-", _cut(app.message)]


def table(report: Report) -> str:
    """The status table: the app of apps, each wave, then the Applications no wave knows."""
    rows: list[list[str] | str] = [["APPLICATION", "SYNC", "HEALTH", "LAST SYNC", "MESSAGE"]]
    rows += ["app of apps", _row(report.root)]
    for wave in report.waves:
        rows.append(f"wave {wave.wave}: {wave.label}")
        rows += [_row(a) for a in wave.apps]
    if report.unknown:
        rows.append("not in the catalog")
        rows += [_row(a) for a in report.unknown]
    cells = [r for r in rows if isinstance(r, list)]
    widths = [max(len(r[i]) for r in cells) for i in range(4)]
    lines = []
    for row in rows:
        if isinstance(row, str):
            lines.append(row)
        else:
            padded = [cell.ljust(widths[i]) for i, cell in enumerate(row[:4])] + [row[4]]
            lines.append("  ".join(padded).rstrip())
    return "\n".join(lines)


def as_json(report: Report) -> dict[str, Any]:
    current = report.first_incomplete()
    return {
        "appOfApps": report.root.as_json(),
        "waves": [
            {
                "wave": w.wave,
                "label": w.label,
                "complete": w.complete,
                "applications": [a.as_json() for a in w.apps],
            }
            for w in report.waves
        ],
        "unknown": [a.as_json() for a in report.unknown],
        "summary": {
            "complete": [w.wave for w in report.waves if w.complete],
            "inProgress": current.wave if current else None,
            "blockedBy": [a.name for a in current.blockers] if current else [],
            "text": summary(report),
        },
    }
