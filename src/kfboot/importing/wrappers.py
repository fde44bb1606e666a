"""Local kustomizations an Application points at, seen through.

A hand-written bootstrap points e.g. ``common-services`` at ``bootstrap/apps/base/common-services``,
a kustomization listing upstream directories. A catalog says that directly (``paths``) and kfboot
renders the same wrapper, so import reads the wrapper when it lies in the imported tree and holds
nothing but directories (and perhaps a namespace). Likewise an ``argocd`` Application over a
kustomization that inflates the argo-cd chart (as kfboot's ``bootstrap/argocd`` does) gives the
chart's repository, version and values.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from kfboot import yamlio
from kfboot.catalog.accepts import fits
from kfboot.catalog.models import Component
from kfboot.catalog.resourcewaves import from_patch
from kfboot.errors import KfbootError
from kfboot.findings import Finding
from kfboot.importing import fixes as import_rules
from kfboot.importing.component import Draft
from kfboot.importing.fixes import DEFAULTED, NOT_CARRIED
from kfboot.importing.sources import argocd_defaulted, git_paths, normalise_path
from kfboot.importing.tree import is_remote, read_file
from kfboot.importing.value_files import chart_values, drop_generated

_PLAIN = {"apiVersion", "kind", "resources", "namespace", "patches"}


def local_dir(path: str, dirs: list[Path]) -> Path | None:
    """The local directory a repository-relative ``path`` lands on (its absolute path ends so)."""
    for d in dirs:
        if d.as_posix().endswith("/" + path):
            return d
    return None


def inline(drafts: list[Draft], dirs: list[Path]) -> dict[str, str]:
    """Replace a wrapper path by the wrapper's resources; returns {Application: wrapper path}."""
    seen: dict[str, str] = {}
    for d in drafts:
        paths = d.own.get("paths") or []
        patches = _patches_only(d.own.get("source"))
        if len(paths) != 1 or "repoURL" in d.own or patches is None:
            continue
        directory = local_dir(paths[0], dirs)
        found = _resources(paths[0], directory) if directory else None
        if found is not None:
            d.own["paths"], settings = found
            if patches:
                # Argo CD applies a source's kustomize patches on top of the kustomization it
                # builds: the same as the wrapper's own patches, after them.
                settings["patches"] = [*settings.get("patches", []), *patches]
                del d.own["source"]
            waves = _resource_waves(settings)
            if waves:
                d.own["resourceWaves"] = waves
            if settings:
                d.own["kustomize"] = settings
            seen[d.app.name] = paths[0]
    return seen


def _patches_only(options: Any) -> list[Any] | None:
    """The kustomize patches when they are a source's only options ([] for none); None when
    the source has other options, which a wrapper cannot carry."""
    if options is None:
        return []
    if set(options) == {"kustomize"} and set(options["kustomize"]) == {"patches"}:
        patches: list[Any] = options["kustomize"]["patches"]
        return patches
    return None


def _resource_waves(settings: dict[str, Any]) -> list[dict[str, Any]]:
    """kfboot's own sync-wave patches, moved from ``settings`` back into ``resourceWaves``."""
    waves: list[dict[str, Any]] = []
    others: list[Any] = []
    for patch in settings.get("patches") or []:
        entry = from_patch(patch)
        if entry is None:
            others.append(patch)
        else:
            waves.append(entry)
    if waves:
        if others:
            settings["patches"] = others
        else:
            settings.pop("patches")
    return waves


def _resources(path: str, directory: Path) -> tuple[list[str], dict[str, Any]] | None:
    """The wrapper's resources as repository paths, and its namespace and inline patches."""
    data = _kustomization(directory)
    if (
        data is None
        or not set(data) <= _PLAIN
        or data.get("kind", "Kustomization") != ("Kustomization")
    ):
        return None
    resources = data.get("resources")
    settings = {k: data[k] for k in ("namespace", "patches") if data.get(k) is not None}
    # A patch file (``path``) is relative to the wrapper; only inline patches move safely.
    patches = settings.get("patches", [])
    if (
        not isinstance(resources, list)
        or not resources
        or not fits(Component, "kustomize", settings)
        or any(isinstance(p, dict) and "path" in p for p in patches)
    ):
        return None
    result = []
    for item in resources:
        if not isinstance(item, str) or item.endswith((".yaml", ".yml", ".json")):
            return None  # a file, not a directory: only the wrapper can hold it
        if is_remote(item):
            return None  # a remote base: only the wrapper reaches it
        joined = posixpath.normpath(posixpath.join(path, item))
        resolved = normalise_path(joined) if not joined.startswith("..") else None
        if resolved is None:
            return None
        result.append(resolved)
    return result, settings


def _kustomization(directory: Path) -> dict[str, Any] | None:
    for name in ("kustomization.yaml", "kustomization.yml", "Kustomization"):
        file = directory / name
        if file.is_file():
            try:
                data = yamlio.load_with_positions(read_file(file).decode("utf-8"))[0]
            except (ValueError, KfbootError, UnicodeDecodeError):
                return None
            return data if isinstance(data, dict) else None
    return None


def argocd_install(
    drafts: list[Draft], dirs: list[Path], found: list[Finding], repo: str | None = None
) -> None:
    """Fill the argocd component from a local kustomization inflating the argo-cd chart."""
    for d in drafts:
        sources = import_rules.sources(d.app)
        if not d.is_argocd or any(s.get("chart") == "argo-cd" for _, s in sources):
            continue
        paths = git_paths(d.app)
        directory = local_dir(paths[0], dirs) if paths else None
        notes: list[str] = []
        install = _argocd_chart(directory, repo, notes) if directory else None
        if install is None:
            found.append(argocd_defaulted(d.app))
            continue
        d.own["argocd"] = install
        where = next((("spec", *p[1:], "path") for p in _path_keys(d.app)), ("spec",))
        found.extend(d.app.finding(where, NOT_CARRIED, note) for note in notes)
        if not install.get("applicationHealthCheck", True):
            msg = (
                "Argo CD's values have no Application health check, so waves did not wait; "
                "the catalog's argocd component now has applicationHealthCheck: true"
            )
            found.append(d.app.finding(("spec",), DEFAULTED, msg))
            del install["applicationHealthCheck"]


def _path_keys(app: Any) -> list[tuple[str | int, ...]]:
    return [
        ("spec", "source") if i is None else ("spec", "sources", i)
        for i, s in import_rules.sources(app)
        if "chart" not in s and isinstance(s.get("path"), str)
    ]


def _argocd_chart(directory: Path, repo: str | None, notes: list[str]) -> dict[str, Any] | None:
    data = _kustomization(directory) or {}
    charts = data.get("helmCharts")
    chart = (
        next((c for c in charts if isinstance(c, dict) and c.get("name") == "argo-cd"), None)
        if isinstance(charts, list)
        else None
    )
    if chart is None:
        return None
    install: dict[str, Any] = {"repoURL": chart.get("repo"), "chart": "argo-cd"}
    install["version"] = chart.get("version")
    if chart.get("releaseName") is not None:
        install["releaseName"] = chart["releaseName"]
    values = chart_values(directory, chart, notes)
    install["applicationHealthCheck"] = drop_generated(values, install, repo)
    if values:
        install["values"] = values
    check = {k: v for k, v in install.items() if k != "applicationHealthCheck"}
    return install if fits(Component, "argocd", check) else None
