"""The root Application in the cluster against the catalog, and the request that syncs it.

The root is applied by hand (``make deploy-app-of-apps``) and nothing in git changes it later:
after ``kfboot set-repo`` the cluster's root still reads the old repository or revision until
``app-of-apps.yaml`` is applied again. ``status`` says so, with that one command; ``sync``
syncs the root first, so the children's specs come from git before they are synced.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kfboot.catalog.models import Catalog
from kfboot.errors import KfbootError

FIELDS = ("repoURL", "targetRevision", "path")


def root_file(catalog: Catalog, catalog_path: Path) -> str:
    """``app-of-apps.yaml`` as a path from where the user runs kfboot (beside the catalog)."""
    directory = catalog_path.parent / catalog.bootstrapPath / "app-of-apps.yaml"
    return directory.as_posix()


def fix_command(catalog: Catalog, catalog_path: Path) -> str:
    """The one command that makes the cluster's root match the catalog."""
    return f"kubectl apply -f {root_file(catalog, catalog_path)}"


def find_root(catalog: Catalog, apps: list[dict[str, Any]]) -> dict[str, Any] | None:
    for app in apps:
        if (app.get("metadata") or {}).get("name") == catalog.appOfApps.name:
            return app
    return None


def differences(catalog: Catalog, live: dict[str, Any]) -> list[str]:
    """What the cluster's root reads that the catalog does not: ``field: cluster -> catalog``."""
    from kfboot.render.bootstrap import root_view

    wanted = root_view(catalog)["source"]
    source = (live.get("spec") or {}).get("source") or {}
    return [
        f"{key} {source.get(key)!r} (catalog: {wanted[key]!r})"
        for key in FIELDS
        if source.get(key) != wanted[key]
    ]


def root_lines(catalog: Catalog, apps: list[dict[str, Any]], catalog_path: Path) -> list[str]:
    """What ``status`` says about the root: nothing when it matches the catalog, or is absent
    (the summary says that already)."""
    live = find_root(catalog, apps)
    name = catalog.appOfApps.name
    fix = fix_command(catalog, catalog_path)
    if live is None:
        return []
    found = differences(catalog, live)
    if not found:
        return []
    return [
        f"root {name} in the cluster reads {', '.join(found)}; after committing and pushing "
        f"bootstrap/, fix it with: {fix}"
    ]


def sync_body(catalog: Catalog) -> dict[str, Any]:
    """The ``operation`` patch that syncs the root, as its automated sync would."""
    from kfboot.cluster.waiting import operation
    from kfboot.render.bootstrap import root_view

    return operation(root_view(catalog))


def operation_running(live: dict[str, Any]) -> bool:
    """Whether the root already runs a sync (a new ``operation`` would replace it)."""
    state = (live.get("status") or {}).get("operationState") or {}
    return bool(live.get("operation")) or state.get("phase") == "Running"


def sync_root(
    catalog: Catalog,
    apps: list[dict[str, Any]],
    catalog_path: Path,
    patch: Callable[[str, dict[str, Any]], None],
    echo: Callable[[str], None],
) -> None:
    """Ask the root to sync first; refuse when the cluster's root does not match the catalog
    (it would put the children back on what it reads)."""
    live = find_root(catalog, apps)
    name = catalog.appOfApps.name
    if live is None:
        raise KfbootError(
            f"the app of apps {name} is not in the cluster; deploy it first: "
            f"{fix_command(catalog, catalog_path)}"
        )
    if differences(catalog, live):
        raise KfbootError(root_lines(catalog, apps, catalog_path)[0])
    if operation_running(live):
        echo(f"sync already running: {name}")
        return
    patch(name, sync_body(catalog))
    echo(f"sync requested: {name}")
