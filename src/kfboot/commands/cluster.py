"""The commands that talk to the cluster: ``status``, ``wait``, ``sync``, ``logs``, ``verify``.

Each one reads the catalog, asks ``kubectl`` (through :mod:`kfboot.cluster.kubectl`) for JSON, and
hands it
to the pure modules (:mod:`kfboot.cluster.status`, :mod:`kfboot.cluster.verify`,
:mod:`kfboot.cluster.workloads`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kfboot.commands.common import catalog_option, load
from kfboot.errors import KfbootError, UsageError

if TYPE_CHECKING:
    from kfboot.catalog.models import Catalog, Component
    from kfboot.cluster.kubectl import Kubectl
    from kfboot.cluster.status import Report
    from kfboot.cluster.waiting import Deadline

F = TypeVar("F", bound=Callable[..., Any])
CLEAR = "\x1b[H\x1b[2J"


def _unexpected_answers(func: F) -> F:
    """A cluster answer of a shape the pure modules do not expect (``items: null``, a missing
    ``metadata``, a number where a string belongs) is a one-line error, not a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (KeyError, TypeError, AttributeError, IndexError) as exc:
            what = f"{type(exc).__name__}: {exc}"
            raise KfbootError(f"unexpected answer from the cluster ({what})") from None

    return wrapper  # type: ignore[return-value]


def cluster_options(func: F) -> F:
    """``--catalog``, ``--context`` and ``--kubeconfig`` (kubectl reads ``KUBECONFIG`` itself)."""
    func = _unexpected_answers(func)
    func = click.option("--kubeconfig", default=None, help="kubectl's --kubeconfig.")(func)
    func = click.option("--context", default=None, help="kubectl's --context.")(func)
    return catalog_option(func)


def _setup(
    catalog_path: Path, context: str | None, kubeconfig: str | None, timeout: str | None = None
) -> tuple[Catalog, Kubectl]:
    """The catalog, and kubectl bounded by ``timeout`` (the whole command's deadline)."""
    import time

    from kfboot.cluster.kubectl import Kubectl
    from kfboot.cluster.waiting import parse_duration

    deadline = time.monotonic() + parse_duration(timeout) if timeout else None
    return load(catalog_path), Kubectl(context=context, kubeconfig=kubeconfig, deadline=deadline)


def _report(catalog: Catalog, kube: Kubectl) -> Report:
    from kfboot.cluster.status import build_report

    return build_report(catalog, kube.applications(catalog.argocdNamespace))


def _waves_in_use(catalog: Catalog) -> list[int]:
    return sorted({c.wave for c in catalog.enabled_components()})


def _check_wave(catalog: Catalog, wave: int | None) -> None:
    waves = _waves_in_use(catalog)
    if wave is not None and wave not in waves:
        raise UsageError(f"--wave {wave}: not a wave of the catalog ({', '.join(map(str, waves))})")


def _components(catalog: Catalog, apps: tuple[str, ...], wave: int | None) -> list[Component]:
    enabled = catalog.enabled_components()
    known = [c.app_name for c in enabled]
    unknown = [a for a in apps if a not in known]
    if unknown:
        raise UsageError(
            f"unknown Application {', '.join(unknown)}; the catalog's are: {', '.join(known)}"
        )
    chosen = [c for c in enabled if (not apps or c.app_name in apps)]
    return [c for c in chosen if wave is None or c.wave <= wave]


def _status_text(catalog: Catalog, kube: Kubectl, fmt: str, catalog_path: Path) -> str:
    from kfboot.cluster import status as appstatus
    from kfboot.cluster.rootapp import root_lines

    apps = kube.applications(catalog.argocdNamespace)
    report = appstatus.build_report(catalog, apps)
    root = root_lines(catalog, apps, catalog_path)
    if fmt == "json":
        return json.dumps({**appstatus.as_json(report), "root": root}, indent=2)
    text = f"{appstatus.table(report)}\n\n{appstatus.summary(report)}"
    return "\n".join([text, *root])


timeout_option = click.option(
    "--timeout", default="30m", show_default=True, help="Give up after this long (90s, 30m, 1h)."
)
call_timeout_option = click.option(
    "--timeout",
    default="5m",
    show_default=True,
    help="Give up after this long (each kubectl call is also bounded).",
)


@click.command()
@cluster_options
@click.option(
    "--watch",
    type=click.FloatRange(min=0.5),
    is_flag=False,
    flag_value=5.0,
    default=None,
    metavar="[SECONDS]",
    help="Redraw every SECONDS (default 5) until Ctrl-C.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option(
    "--timeout",
    default="5m",
    show_default=True,
    help="Give up when one poll takes longer than this (each kubectl call is also bounded).",
)
def status(
    catalog_path: Path,
    context: str | None,
    kubeconfig: str | None,
    watch: float | None,
    fmt: str,
    timeout: str,
) -> None:
    """The catalog's Applications by wave: sync, health, last sync, and what blocks the rollout."""
    from dataclasses import replace

    from kfboot.cluster.waiting import CLOCK

    catalog, kube = _setup(catalog_path, context, kubeconfig)
    # --watch runs until Ctrl-C: the limit is per poll, each kubectl call's own.
    kube = replace(kube, call_timeout=_seconds(timeout))
    if watch is None:
        click.echo(_status_text(catalog, kube, fmt, catalog_path))
        return
    try:
        while True:
            frame = _status_text(catalog, kube, fmt, catalog_path)
            click.echo(f"{CLEAR}every {watch:g}s, Ctrl-C to stop\n\n{frame}")
            CLOCK.sleep(watch)
    except KeyboardInterrupt:
        return


def _seconds(timeout: str) -> float:
    from kfboot.cluster.waiting import parse_duration

    return parse_duration(timeout)


def _deadline(timeout: str) -> Deadline:
    from kfboot.cluster.waiting import CLOCK, Deadline, parse_duration

    return Deadline(CLOCK, parse_duration(timeout))


interval_option = click.option(
    "--interval",
    type=click.FloatRange(min=0),
    default=5.0,
    show_default=True,
    help="Seconds between polls.",
)


@click.command()
@cluster_options
@click.option("--wave", type=int, default=None, help="Stop after this wave (default: the last).")
@timeout_option
@interval_option
def wait(
    catalog_path: Path,
    context: str | None,
    kubeconfig: str | None,
    wave: int | None,
    timeout: str,
    interval: float,
) -> None:
    """Wait, wave by wave, until every Application is Synced and Healthy."""
    from kfboot.cluster.waiting import wait_waves

    catalog, kube = _setup(catalog_path, context, kubeconfig, timeout)
    _check_wave(catalog, wave)
    deadline = _deadline(timeout)
    waves = [w for w in _waves_in_use(catalog) if wave is None or w <= wave]
    if not waves:
        raise UsageError("nothing to wait for: the catalog enables no component")
    wait_waves(lambda: _report(catalog, kube), waves, None, deadline, click.echo, interval)
    click.echo(f"ready: wave {waves[-1]} and every wave before it are Synced and Healthy")


@click.command()
@cluster_options
@click.option("--wave", type=int, default=None, help="Only waves up to and including this one.")
@timeout_option
@interval_option
@click.argument("apps", nargs=-1, metavar="[APP]...")
def sync(
    catalog_path: Path,
    context: str | None,
    kubeconfig: str | None,
    wave: int | None,
    timeout: str,
    interval: float,
    apps: tuple[str, ...],
) -> None:
    """Sync Applications (default: all) to the catalog's revision, wave by wave, waiting for each.

    Each sync is an ``operation`` patch on the Application, as an automated sync would make, so
    neither the argocd CLI nor a login is needed. Without APP and --wave the app of apps is
    synced first (it refuses when the cluster's root reads another repository or revision).
    """
    from kfboot.cluster.kubectl import APPLICATION
    from kfboot.cluster.rootapp import sync_root
    from kfboot.cluster.waiting import sync_waves

    catalog, kube = _setup(catalog_path, context, kubeconfig, timeout)
    _check_wave(catalog, wave)
    comps = _components(catalog, apps, wave)
    if not comps:
        raise UsageError("nothing to sync: no Application of the catalog matches")

    def patch(name: str, body: dict[str, Any]) -> None:
        kube.patch_merge(APPLICATION, name, catalog.argocdNamespace, body)

    def fetch() -> Report:
        return _report(catalog, kube)

    if not apps and wave is None:
        apps_live = kube.applications(catalog.argocdNamespace)
        sync_root(catalog, apps_live, catalog_path, patch, click.echo)
    sync_waves(catalog, comps, fetch, patch, _deadline(timeout), click.echo, interval)
    click.echo(f"synced: {len(comps)} Applications, Synced and Healthy")


@click.command()
@cluster_options
@click.option("--tail", type=click.IntRange(min=-1), default=100, show_default=True)
@call_timeout_option
@click.argument("app")
def logs(
    catalog_path: Path,
    context: str | None,
    kubeconfig: str | None,
    tail: int,
    timeout: str,
    app: str,
) -> None:
    """The logs of the workloads APP manages (found from its status.resources)."""
    from kfboot.cluster.kubectl import APPLICATION, one_line
    from kfboot.cluster.untrusted import clean
    from kfboot.cluster.workloads import selector, workloads

    catalog, kube = _setup(catalog_path, context, kubeconfig, timeout)
    _components(catalog, (app,), None)
    doc = kube.get_json(APPLICATION, app, namespace=catalog.argocdNamespace)
    found = workloads(doc)
    if not found:
        raise KfbootError(f"{app} manages no Deployment, StatefulSet, DaemonSet or Job")
    failed = 0
    for work in found:
        click.echo(f"==> {work} <==")
        obj = kube.get_json(work.resource, work.name, namespace=work.namespace, missing_ok=True)
        sel = selector(obj) if isinstance(obj, dict) else None
        which = ([f"--selector={sel}"], []) if sel else ([], [f"{work.resource}/{work.name}"])
        args = ["logs", "-n", work.namespace, *which[0], "--all-containers", "--prefix"]
        limits = ["--tail", str(tail), "--max-log-requests", "20"]
        result = kube.call(*args, *limits, "--", *which[1])
        click.echo(clean(result.stdout), nl=False)
        if result.returncode != 0:
            failed += 1
            click.echo(f"kubectl logs: {one_line(result.stderr)}", err=True)
    if failed:
        raise KfbootError(f"{failed} of {len(found)} workloads had no logs to show")


@click.command()
@cluster_options
@click.option("--grace", default="5m", show_default=True, help="How long a pod may stay Pending.")
@call_timeout_option
def verify(
    catalog_path: Path, context: str | None, kubeconfig: str | None, grace: str, timeout: str
) -> None:
    """Check the deployment: Applications, namespaces, pods, Pod Security, ingress gateway."""
    from kfboot.cluster import verify as checks
    from kfboot.cluster.waiting import CLOCK, parse_duration

    catalog, kube = _setup(catalog_path, context, kubeconfig, timeout)
    grace_s = parse_duration(grace)
    results = [checks.check_applications(_report(catalog, kube))]
    existing = {n["metadata"]["name"] for n in kube.items("namespaces")}
    now = CLOCK.wall()
    for ns in checks.namespaces_to_check(catalog):
        results.append(checks.check_namespace(ns, existing))
        if ns in existing:
            results.append(checks.check_pods(ns, kube.items("pods", ns), now, grace_s))
            events = kube.items("events", ns)
            results.append(checks.check_podsecurity(catalog, ns, events, catalog_path.name))
    namespace, name = checks.GATEWAY
    gateway = kube.get_json("service", name, namespace=namespace, missing_ok=True)
    results.append(checks.check_gateway(gateway))
    for result in results:
        click.echo("\n".join(result.lines()))
    click.echo(checks.summary(results))
    if not all(r.ok for r in results):
        raise KfbootError("verify: some checks failed", exit_code=1)
