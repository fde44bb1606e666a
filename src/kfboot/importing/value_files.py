"""argo-helm's argo-cd chart: value files this repository holds are read into its values.

kfboot's argocd component has values, not value files, so a value file the old Application read
from this repository (``$values/bootstrap/argocd/values.yaml`` through a ``ref:`` source of the
repository) is read and merged: value files in order, then ``values``/``valuesObject``, then the
parameters, as Argo CD passes them to Helm (``--values`` per file, the inline values as the last
``--values``, ``--set`` over all; argoproj/argo-cd reposerver/repository/repository.go:1241-1271
and util/helm/cmd.go:431-443@v3.4.7). A file of the chart itself, of another repository, a URL or
a glob cannot be read here and is named. The entry for the catalog's own repository in
``configs.repositories`` is what kfboot generates: it becomes ``repositoryName``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from kfboot.catalog.accepts import fits
from kfboot.catalog.fleet import deep_merge
from kfboot.catalog.models import ArgoCDInstall
from kfboot.importing import fixes as import_rules
from kfboot.importing.app_files import AppDoc, mapping
from kfboot.importing.checkout import read_mapping, repository_path
from kfboot.layout import HEALTH_KEY

_REF = re.compile(r"\$([^/]+)/(.+)\Z")
_GLOB = re.compile(r"[*?\[]")


def lent(
    app: AppDoc, file: str, home: tuple[str, Path | None], ignore_missing: bool
) -> tuple[dict[str, Any] | None, str]:
    """The values of the chart's value file ``file`` when this repository (``home``: its URL
    and its checkout) holds it (``{}`` for a missing one Argo CD ignores too), else None and
    why import cannot read it."""
    from kfboot.gitrepo import normalise_url

    ref = _REF.match(file)
    if ref is None:
        return None, "a file of the chart itself (or a URL), which import cannot read"
    source = next((s for _, s in import_rules.sources(app) if s.get("ref") == ref[1]), None)
    repo = source.get("repoURL") if source else None
    if not isinstance(repo, str):
        return None, f"no source of the Application has ref: {ref[1]} (Argo CD fails on it)"
    checkout = home[1]
    if normalise_url(repo) != normalise_url(home[0]) or checkout is None:
        return None, f"a file of {repo}, another repository than the catalog's"
    if _GLOB.search(ref[2]):
        return None, "a glob, whose files import does not expand"
    path = repository_path(checkout, ref[2])
    if path is None:
        return None, "a path that leaves the repository"
    values, why = read_mapping(path, checkout)
    if values is None and ignore_missing and not path.exists():
        return {}, ""  # ignoreMissingValueFiles: Argo CD reads nothing from it either
    return values, why


def drop_generated(values: dict[str, Any], install: dict[str, Any], repo: str | None) -> bool:
    """Remove from ``values`` what kfboot generates itself (the ``--enable-helm`` build option,
    the health check, the entry of the catalog's repository, whose key becomes
    ``repositoryName``); True when the health check was among them."""
    from kfboot.gitrepo import normalise_url

    configs = values.get("configs")
    if not isinstance(configs, dict):
        return False
    cm = mapping(configs.get("cm"))
    health = cm.pop(HEALTH_KEY, None) is not None
    if cm.get("kustomize.buildOptions") == "--enable-helm":
        del cm["kustomize.buildOptions"]
    repos = mapping(configs.get("repositories"))
    for key, entry in list(repos.items()):
        if not isinstance(entry, dict) or entry.get("type", "git") != "git":
            continue
        url = entry.get("url")
        same = isinstance(url, str) and repo is not None
        ours = same and normalise_url(str(url)) == normalise_url(str(repo))
        own = ours or (repo is None and entry.get("name") == key)
        if own and fits(ArgoCDInstall, "repositoryName", key):
            if "repositoryName" in install:
                continue  # one entry is kfboot's; a second stays the user's
            install["repositoryName"] = key
            # kfboot writes url, name and type; anything else (credentials) stays theirs.
            rest = {k: v for k, v in entry.items() if k not in ("url", "type", "name")}
            if entry.get("name", key) != key:
                rest["name"] = entry["name"]
            repos[key] = rest
            if not rest:
                del repos[key]
    for key in ("cm", "repositories"):
        if configs.get(key) == {}:
            del configs[key]
    if not configs:
        del values["configs"]
    return health


def chart_values(directory: Path, chart: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    """The values a kustomization's ``helmCharts`` entry gives the chart: its ``valuesFile``,
    ``valuesInline`` as ``valuesMerge`` says (default ``override``: over the file), then its
    ``additionalValuesFiles`` (kustomize api/builtins/HelmChartInflationGenerator.go); kustomize
    reads the files only inside ``directory``. What cannot be read is added to ``notes``."""
    files = chart.get("additionalValuesFiles")
    named = [chart.get("valuesFile"), *(files if isinstance(files, list) else [])]
    read: list[dict[str, Any]] = []
    for name in named:
        values = _local_file(directory, name, notes) if name is not None else {}
        read.append(values)
    inline = mapping(chart.get("valuesInline"))
    merge = chart.get("valuesMerge") or "override"
    if merge == "replace" and inline:
        values = inline
    elif merge == "merge":
        values = deep_merge(inline, read[0])
    else:
        values = deep_merge(read[0], inline)
    for more in read[1:]:
        values = deep_merge(values, more)
    return values


def _local_file(directory: Path, name: Any, notes: list[str]) -> dict[str, Any]:
    path = repository_path(directory, name) if isinstance(name, str) and name else None
    if path is None:
        notes.append(
            f"the helmCharts value file {name!r} of {directory.name}/ is not a file of that "
            "directory (kustomize reads none outside it); its values are not in the argocd "
            "component's values"
        )
        return {}
    values, why = read_mapping(path, directory)
    if values is None:
        notes.append(
            f"the helmCharts value file {name!r} of {directory.name}/ cannot be read: {why}; "
            "its values are not in the argocd component's values: copy them there"
        )
    return values or {}
