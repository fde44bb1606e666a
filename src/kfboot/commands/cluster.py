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
    from kfboot.cluster.fleet import Target
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
    """``--catalog``, ``--context``, ``--kubeconfig`` (kubectl reads ``KUBECONFIG`` itself) and
    ``--cluster`` (one cluster of the fleet; default: every one, grouped by cluster)."""
    func = _unexpected_answers(func)
    func = click.option(
        "--cluster",
        "cluster",
        default=None,
        metavar="NAME",
        help="Only this cluster of the catalog's clusters: (default: all).",
    )(func)
    func = click.option("--kubeconfig", default=None, help="kubectl's --kubeconfig.")(func)
    func = click.option("--context", default=None, help="kubectl's --context.")(func)
    return catalog_option(func)


def _setup(
    catalog_path: Path,
    context: str | None,
    kubeconfig: str | None,
    cluster: str | None,
    timeout: str | None = None,
) -> tuple[list[Target], Kubectl]:
    """The clusters to act on (one Target without ``clusters:``), and kubectl for the hub, where
    every Application lives, bounded by ``timeout`` (the whole command's deadline)."""
    import time

    from kfboot.cluster.fleet import targets
    from kfboot.cluster.kubectl import Kubectl
    from kfboot.cluster.waiting import parse_duration

    chosen = targets(load(catalog_path), cluster)
    deadline = time.monotonic() + parse_duration(timeout) if timeout else None
    return chosen, Kubectl(context=context, kubeconfig=kubeconfig, deadline=deadline)


def _report(catalog: Catalog, kube: Kubectl, cluster: str | None = None) -> Report:
    from kfboot.cluster.fleet import fleet_report

    return fleet_report(catalog, kube.applications(catalog.argocdNamespace), cluster)


def _heading(target: Target) -> None:
    if target.name:
        click.echo(target.heading())


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


def _status_text(chosen: list[Target], kube: Kubectl, fmt: str, catalog_path: Path) -> str:
    """One catalog: the report and the root's lines. A fleet: each cluster's report, grouped
    under its name (the roots' repository check is for one catalog only)."""
    from kfboot.cluster import status as appstatus
    from kfboot.cluster.fleet import fleet_report
    from kfboot.cluster.rootapp import root_lines

    apps = kube.applications(chosen[0].catalog.argocdNamespace)
    if chosen[0].name is None:
        catalog = chosen[0].catalog
        report = appstatus.build_report(catalog, apps)
        root = root_lines(catalog, apps, catalog_path)
        if fmt == "json":
            return json.dumps({**appstatus.as_json(report), "root": root}, indent=2)
        text = f"{appstatus.table(report)}\n\n{appstatus.summary(report)}"
        return "\n".join([text, *root])
    reports = [(t, fleet_report(t.catalog, apps, t.name)) for t in chosen]
    if fmt == "json":
        return json.dumps({t.name: appstatus.as_json(r) for t, r in reports}, indent=2)
    return "\n\n".join(
        f"{t.heading()}\n{appstatus.table(r)}\n\n{appstatus.summary(r)}" for t, r in reports
    )


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
    cluster: str | None,
    watch: float | None,
    fmt: str,
    timeout: str,
) -> None:
    """The catalog's Applications by wave: sync, health, last sync, and what blocks the rollout."""
    from dataclasses import replace

    from kfboot.cluster.waiting import CLOCK

    chosen, kube = _setup(catalog_path, context, kubeconfig, cluster)
    # --watch runs until Ctrl-C: the limit is per poll, each kubectl call's own.
    kube = replace(kube, call_timeout=_seconds(timeout))
    if watch is None:
        click.echo(_status_text(chosen, kube, fmt, catalog_path))
        return
    try:
        while True:
            frame = _status_text(chosen, kube, fmt, catalog_path)
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
    cluster: str | None,
    wave: int | None,
    timeout: str,
    interval: float,
) -> None:
    """Wait, wave by wave, until every Application is Synced and Healthy (cluster by cluster)."""
    from kfboot.cluster.waiting import wait_waves

    chosen, kube = _setup(catalog_path, context, kubeconfig, cluster, timeout)
    deadline = _deadline(timeout)
    for target in chosen:
        catalog = target.catalog
        _check_wave(catalog, wave)
        waves = [w for w in _waves_in_use(catalog) if wave is None or w <= wave]
        if not waves:
            raise UsageError("nothing to wait for: the catalog enables no component")

        def fetch(c: Catalog = catalog, name: str | None = target.name) -> Report:
            return _report(c, kube, name)

        _heading(target)
        wait_waves(fetch, waves, None, deadline, click.echo, interval)
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
    cluster: str | None,
    wave: int | None,
    timeout: str,
    interval: float,
    apps: tuple[str, ...],
) -> None:
    """Sync Applications (default: all) to the catalog's revision, wave by wave, waiting for each.

    Each sync is an ``operation`` patch on the Application, as an automated sync would make, so
    neither the argocd CLI nor a login is needed. Without APP and --wave the app of apps is
    synced first (it refuses when the cluster's root reads another repository or revision).
    A fleet syncs cluster by cluster (its roots are not synced first).
    """
    from kfboot.cluster.fleet import chosen_apps
    from kfboot.cluster.kubectl import APPLICATION
    from kfboot.cluster.rootapp import sync_root
    from kfboot.cluster.waiting import sync_waves

    chosen, kube = _setup(catalog_path, context, kubeconfig, cluster, timeout)
    deadline = _deadline(timeout)
    for target, mine in chosen_apps(chosen, apps):
        catalog = target.catalog
        _check_wave(catalog, wave)
        comps = _components(catalog, mine, wave)
        if not comps:
            raise UsageError("nothing to sync: no Application of the catalog matches")

        def patch(name: str, body: dict[str, Any], ns: str = catalog.argocdNamespace) -> None:
            kube.patch_merge(APPLICATION, name, ns, body)

        def fetch(c: Catalog = catalog, name: str | None = target.name) -> Report:
            return _report(c, kube, name)

        _heading(target)
        if not apps and wave is None and target.name is None:
            apps_live = kube.applications(catalog.argocdNamespace)
            sync_root(catalog, apps_live, catalog_path, patch, click.echo)
        sync_waves(catalog, comps, fetch, patch, deadline, click.echo, interval)
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
    cluster: str | None,
    tail: int,
    timeout: str,
    app: str,
) -> None:
    """The logs of the workloads APP manages (found from its status.resources)."""
    from kfboot.cluster.fleet import chosen_apps, workload_kubectl
    from kfboot.cluster.kubectl import APPLICATION, one_line
    from kfboot.cluster.untrusted import clean
    from kfboot.cluster.workloads import selector, workloads

    chosen, hub = _setup(catalog_path, context, kubeconfig, cluster, timeout)
    target = chosen_apps(chosen, (app,))[0][0]
    catalog = target.catalog
    _components(catalog, (app,), None)
    doc = hub.get_json(APPLICATION, app, namespace=catalog.argocdNamespace)
    found = workloads(doc)
    if not found:
        raise KfbootError(f"{app} manages no Deployment, StatefulSet, DaemonSet or Job")
    kube = workload_kubectl(target, hub)
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
    catalog_path: Path,
    context: str | None,
    kubeconfig: str | None,
    cluster: str | None,
    grace: str,
    timeout: str,
) -> None:
    """Check the deployment: Applications, namespaces, pods, Pod Security, ingress gateway.

    In a fleet, each cluster's pods are read through the kube context named like the cluster
    (the hub's through --context).
    """
    from kfboot.cluster import verify as checks
    from kfboot.cluster.fleet import verify_target, workload_kubectl
    from kfboot.cluster.waiting import parse_duration

    chosen, hub = _setup(catalog_path, context, kubeconfig, cluster, timeout)
    grace_s = parse_duration(grace)
    ok = True
    for target in chosen:
        _heading(target)
        report = _report(target.catalog, hub, target.name)
        kube = workload_kubectl(target, hub)
        results = verify_target(target, report, kube, catalog_path.name, grace_s)
        for result in results:
            click.echo("\n".join(result.lines()))
        click.echo(checks.summary(results))
        ok = ok and all(r.ok for r in results)
    if not ok:
        raise KfbootError("verify: some checks failed", exit_code=1)
