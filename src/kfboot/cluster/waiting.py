"""Waiting for waves, and syncing them in order: polling loops around the pure status report.

The loops take a ``fetch`` function (the cluster's Applications as a report) and a
:class:`Clock`, so tests drive them with fixtures and a fake clock that never sleeps.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kfboot.catalog.models import Catalog, Component
from kfboot.catalog.waves import in_wave
from kfboot.cluster.status import AppState, Report, WaveStatus
from kfboot.errors import KfbootError, UsageError
from kfboot.k8s import duration_seconds


@dataclass
class Clock:
    """Time as the loops see it; tests substitute one whose ``sleep`` only advances ``now``."""

    now: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    wall: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))


CLOCK = Clock()


def parse_duration(text: str) -> float:
    """``30m``, ``1h30m``, ``90s`` or plain seconds (``90``) -> seconds."""
    text = text.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    seconds = None if text.startswith(("-", "+")) else duration_seconds(text)
    if seconds is None:
        raise UsageError(f"invalid duration {text!r}: use seconds, or e.g. 90s, 30m, 1h")
    return seconds


def format_duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


@dataclass
class Deadline:
    clock: Clock
    seconds: float
    start: float = field(init=False)

    def __post_init__(self) -> None:
        self.start = self.clock.now()

    @property
    def passed(self) -> bool:
        return self.clock.now() - self.start >= self.seconds


def narrow(report: Report, waves: list[int], names: set[str] | None) -> list[WaveStatus]:
    """The report's waves among ``waves``, with only the Applications in ``names`` (if given)."""
    result = []
    for wave in report.waves:
        if wave.wave in waves:
            apps = [a for a in wave.apps if names is None or a.name in names]
            if apps:
                result.append(WaveStatus(wave.wave, wave.label, apps))
    return result


def _progress(wave: WaveStatus) -> str:
    ready = sum(a.ready for a in wave.apps)
    waiting = ", ".join(_short(a) for a in wave.blockers)
    return f"wave {wave.wave} ({wave.label}): {ready}/{len(wave.apps)} ready; waiting for {waiting}"


def _short(app: AppState) -> str:
    if not app.present:
        return f"{app.name} (missing)"
    op = f", sync {app.phase}" if app.operating else ""
    return f"{app.name} ({app.sync}/{app.health}{op})"


def wait_waves(
    fetch: Callable[[], Report],
    waves: list[int],
    names: set[str] | None,
    deadline: Deadline,
    echo: Callable[[str], None],
    interval: float = 5.0,
) -> None:
    """Poll until every selected Application of ``waves`` is ready, reporting each change."""
    announced: set[int] = set()
    last = ""
    while True:
        selected = narrow(fetch(), waves, names)
        for wave in selected:
            if not wave.complete:
                break
            if wave.wave not in announced:
                announced.add(wave.wave)
                echo(f"wave {wave.wave} ({wave.label}): complete ({len(wave.apps)} Applications)")
        current = next((w for w in selected if not w.complete), None)
        if current is None:
            return
        line = _progress(current)
        if line != last:
            echo(line)
            last = line
        if deadline.passed:
            blocker = current.blockers[0]
            raise KfbootError(
                f"timed out after {format_duration(deadline.seconds)} waiting for wave "
                f"{current.wave} ({current.label}): {blocker.describe()}"
            )
        deadline.clock.sleep(interval)


def sync_body(catalog: Catalog, comp: Component) -> dict[str, Any]:
    """The ``operation`` patch that asks Argo CD to sync, like an automated sync would, but to the
    catalog's revision rather than whatever the Application happens to track."""
    from kfboot.render.bootstrap import application_view

    return operation(application_view(catalog, comp))


def operation(view: dict[str, Any]) -> dict[str, Any]:
    """The ``operation`` patch for a rendered Application view (a child's or the root's)."""
    policy = view["syncPolicy"]
    # A manual-sync Application has no ``automated``: prune as ``argocd app sync`` does, not at all.
    sync: dict[str, Any] = {"prune": bool((policy.get("automated") or {}).get("prune"))}
    if "sources" in view:
        # A multi-source Application syncs one revision per source, in order
        # (SyncOperation.Revisions, pkg/apis/application/v1alpha1/types.go:1406@v3.4.7).
        sync["revisions"] = [str(s.get("targetRevision") or "HEAD") for s in view["sources"]]
    elif view["source"].get("targetRevision") is not None:
        sync["revision"] = view["source"]["targetRevision"]
    if policy.get("syncOptions"):
        sync["syncOptions"] = policy["syncOptions"]
    return {
        "operation": {
            "initiatedBy": {"username": "kfboot"},
            "retry": policy["retry"],
            "sync": sync,
        }
    }


def sync_waves(
    catalog: Catalog,
    comps: list[Component],
    fetch: Callable[[], Report],
    patch: Callable[[str, dict[str, Any]], None],
    deadline: Deadline,
    echo: Callable[[str], None],
    interval: float = 5.0,
) -> None:
    """Sync ``comps`` wave by wave: patch each once it exists, then wait for the wave."""
    for wave in sorted({c.wave for c in comps}):
        members = in_wave(comps, wave)
        pending = list(members)
        while pending:
            present = {a.name for w in fetch().waves for a in w.apps if a.present}
            for comp in [c for c in pending if c.app_name in present]:
                patch(comp.app_name, sync_body(catalog, comp))
                echo(f"sync requested: {comp.app_name}")
                pending.remove(comp)
            if pending and deadline.passed:
                names = ", ".join(c.app_name for c in pending)
                raise KfbootError(
                    f"timed out after {format_duration(deadline.seconds)}: {names} never appeared "
                    "(is the app of apps deployed? make deploy-app-of-apps)"
                )
            if pending:
                deadline.clock.sleep(interval)
        wait_waves(fetch, [wave], {c.app_name for c in members}, deadline, echo, interval)
