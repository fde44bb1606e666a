"""An imported Application's sources -> the component's ``paths``, ``helm`` or ``argocd``.

Several git ``sources`` become several paths (kfboot renders them through one wrapper
kustomization); a chart source becomes a ``helm:`` component; what the catalog cannot express
(a ``ref: values`` source, source options, a second repository) is reported, not guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kfboot.catalog import gitrefs
from kfboot.catalog.accepts import fits
from kfboot.catalog.models import ArgoCDInstall, Helm
from kfboot.findings import Finding
from kfboot.importing import fixes as import_rules
from kfboot.importing import helm_set, source_list, source_options
from kfboot.importing.app_files import AppDoc, dotted, shown
from kfboot.importing.fixes import DEFAULTED, NOT_CARRIED

_CHART_REPO = re.compile(r"(https?|oci)://\S+\Z")
_GIT_KEPT = ("repoURL", "path", "targetRevision", "name", "helm", "kustomize")


@dataclass(frozen=True)
class Settings:
    """The catalog-wide values a component is compared with."""

    repoURL: str
    targetRevision: str
    argocdNamespace: str
    project: str
    destinationServer: str
    destinationName: str | None = None
    repo_defaulted: bool = False  # no usable git repoURL was found to take it from
    repo_from: str = "root"  # root, origin (the checkout's remote) or commonest (a guess)
    # Where the old root created an Application without metadata.namespace (its destination).
    root_namespace: str | None = None
    # The repository's top on disk (the git working tree, else the imported directory): where
    # a $values/... value file of repoURL is read from.
    checkout: Path | None = None

    @property
    def cluster(self) -> tuple[str | None, str | None]:
        """(server, name) as the catalog's Applications get them: a name replaces the server."""
        if self.destinationName:
            return None, self.destinationName
        return self.destinationServer, None


def normalise_path(path: str) -> str | None:
    """A source path as the catalog writes it, or None when the catalog cannot hold it."""
    from kfboot.catalog.fieldtypes import _rel_path

    cleaned = path.strip().removeprefix("./").rstrip("/")
    try:
        return _rel_path(cleaned)
    except ValueError:
        return None


def git_paths(app: AppDoc) -> list[str]:
    """The repository paths of an Application's git sources."""
    paths = []
    for _, source in import_rules.sources(app):
        if "chart" not in source and isinstance(source.get("path"), str):
            path = normalise_path(source["path"])
            if path:
                paths.append(path)
    return paths


def is_argocd(app: AppDoc) -> bool:
    """Named ``argocd``, or over Argo CD's own installation (its chart or an argocd directory)."""
    if app.name == "argocd":
        return True
    for _, source in import_rules.sources(app):
        if source.get("chart") == "argo-cd":
            return True
        path = str(source.get("path", "")).rstrip("/")
        if path.rsplit("/", 1)[-1] in ("argocd", "argo-cd"):
            return True
    return False


def source(
    app: AppDoc, settings: Settings, found: list[Finding], argocd: bool
) -> dict[str, Any] | None:
    sources = import_rules.sources(app)
    if app.spec.get("source") is not None and app.spec.get("sources") is not None:
        msg = (
            "spec.source and spec.sources are both set; Argo CD reads only spec.sources, so the "
            "catalog takes spec.sources and the rendered Application has no spec.source"
        )
        found.append(app.finding(("spec", "source"), NOT_CARRIED, msg))
        sources = [(i, s) for i, s in sources if i is not None]
    if not argocd and source_list.needs_list(sources):
        return source_list.listed(app, sources, (settings.repoURL, settings.targetRevision), found)
    charts = [(i, s) for i, s in sources if "chart" in s]
    paths = [(i, s) for i, s in sources if "chart" not in s and "path" in s]
    for i, source in sources:
        if "chart" not in source and "path" not in source:
            what = (
                f"is a ref: source ({shown(source['ref'])}) that only lends value files to another"
                if "ref" in source
                else "has neither path nor chart"
            )
            if argocd and "ref" in source and _home(source, settings):
                what += " (the argocd component's values hold what it lent from this repository)"
            msg = (
                f"{dotted(_spath(i))} {what}; the catalog has no such source, so the rendered "
                "Application does not have it"
            )
            # On its ref: (the key that makes it a ref source), not on the whole source.
            where = (*_spath(i), "ref") if "ref" in source else _spath(i)
            found.append(app.finding(where, NOT_CARRIED, msg))
    if argocd:
        return _argocd_source(app, charts, paths, settings, found)
    if paths:
        for i, _ in charts:
            msg = (
                f"{dotted(_spath(i))} is a chart ({shown(charts[0][1].get('chart'))}) beside git "
                "path sources; a component has paths or a chart, so the catalog keeps the paths "
                "and the rendered Application does not have this chart"
            )
            found.append(app.finding(_spath(i), NOT_CARRIED, msg))
        return _path_source(app, paths, settings, found)
    if charts:
        for i, extra in charts[1:]:
            msg = (
                f"{dotted(_spath(i))} is a second chart ({shown(extra.get('chart'))}); a component "
                "has one chart, so the rendered Application does not have it"
            )
            found.append(app.finding(_spath(i), NOT_CARRIED, msg))
        return _chart_source(app, *charts[0], found)
    msg = (
        f"the Application {app.name} has no git path or chart source the catalog can express; "
        "the catalog has no component for it"
    )
    found.append(app.finding(("spec",), NOT_CARRIED, msg))
    return None


def _spath(i: int | None) -> tuple[str | int, ...]:
    return ("spec", "source") if i is None else ("spec", "sources", i)


def _options_not_carried(
    app: AppDoc, i: int | None, source: dict[str, Any], keep: tuple[str, ...], found: list[Finding]
) -> None:
    for key in source:
        if key in import_rules.SOURCE_FIELDS and key not in keep:
            msg = (
                f"{dotted((*_spath(i), key))} is {shown(source[key])}; the catalog has no such "
                "source option, so the rendered Application does not have it"
            )
            found.append(app.finding((*_spath(i), key), NOT_CARRIED, msg, key=True))


def _path_source(
    app: AppDoc,
    paths: list[tuple[int | None, dict[str, Any]]],
    settings: Settings,
    found: list[Finding],
) -> dict[str, Any] | None:
    first = paths[0][1]
    repo, revision = first.get("repoURL"), first.get("targetRevision")
    result: dict[str, Any] = {"paths": []}
    options: dict[str, Any] | None = None
    for i, source in paths:
        _options_not_carried(app, i, source, _GIT_KEPT, found)
        if (source.get("repoURL"), source.get("targetRevision")) != (repo, revision):
            msg = (
                f"this source reads {source.get('repoURL')} at {source.get('targetRevision')}, "
                f"not {repo} at {revision} as the first path source does; a component reads one "
                "repository at one revision, so the catalog does not have this source"
            )
            found.append(app.finding(_spath(i), NOT_CARRIED, msg))
            continue
        own = _git_options(app, i, source, found)
        if options is not None and own != options:
            msg = (
                "this source's helm or kustomize options differ from the first path source's; "
                "a component has one set of source options, so the catalog does not have it"
            )
            found.append(app.finding(_spath(i), NOT_CARRIED, msg))
            continue
        options = own
        path = normalise_path(source["path"]) if isinstance(source["path"], str) else None
        if path is None:
            msg = (
                f"{dotted((*_spath(i), 'path'))} is {shown(source['path'])}, not a directory "
                "inside the repository; the catalog does not have this source"
            )
            found.append(app.finding((*_spath(i), "path"), NOT_CARRIED, msg))
        elif path not in result["paths"]:
            result["paths"].append(path)
    if not result["paths"]:
        return None
    if options:
        result["source"] = options
    # Several path sources stay several sources (multi-source): the component keeps its
    # repoURL, which renders them so rather than as a wrapper kustomization.
    multi = len(result["paths"]) > 1
    result.update(_repo(app, paths[0][0], repo, settings, found, keep=multi))
    result.update(_revision(app, paths[0][0], revision, settings, found))
    return result


def _git_options(
    app: AppDoc, i: int | None, source: dict[str, Any], found: list[Finding]
) -> dict[str, Any]:
    options = {}
    for key, read in (("helm", source_options.helm), ("kustomize", source_options.kustomize)):
        if key in source:
            value = read(app, _spath(i), source[key], found)
            if value:
                options[key] = value
    return options


def _repo(
    app: AppDoc, i: int | None, repo: Any, settings: Settings, found: list[Finding], keep: bool
) -> dict[str, Any]:
    where = (*_spath(i), "repoURL")
    if not isinstance(repo, str) or gitrefs.repo_url_problem(repo):
        msg = (
            f"{dotted(where)} is {shown(repo)}, not a usable git URL; the catalog now says "
            f"{settings.repoURL}"
        )
        found.append(app.finding(where, DEFAULTED, msg))
        return {}
    if repo == settings.repoURL:
        return {"repoURL": repo} if keep else {}
    if gitrefs.same_repo(repo, settings.repoURL):
        msg = (
            f"repoURL {repo} names the catalog's repository differently; the catalog now says "
            f"{settings.repoURL}"
        )
        found.append(app.finding(where, "import-repo-url-mismatch", msg))
        return {"repoURL": settings.repoURL} if keep else {}
    msg = (
        f"repoURL {repo} disagrees with the catalog's ({settings.repoURL}); kept as this "
        "component's repoURL override: check that it is meant"
    )
    found.append(app.finding(where, "import-repo-url-mismatch", msg))
    return {"repoURL": repo}


def _revision(
    app: AppDoc, i: int | None, revision: Any, settings: Settings, found: list[Finding]
) -> dict[str, Any]:
    if revision is None:
        msg = f"no targetRevision (Argo CD reads HEAD); imported as {settings.targetRevision}"
        found.append(app.finding(_spath(i), DEFAULTED, msg))
        return {}
    revision = str(revision)
    if gitrefs.revision_problem(revision):
        msg = f"targetRevision {revision!r} is not usable; imported as {settings.targetRevision}"
        found.append(app.finding((*_spath(i), "targetRevision"), DEFAULTED, msg))
        return {}
    return {} if revision == settings.targetRevision else {"targetRevision": revision}


def _chart_fields(
    app: AppDoc, i: int | None, source: dict[str, Any], found: list[Finding], read: bool = False
) -> dict[str, Any] | None:
    """repoURL, chart, version, releaseName, values of a chart source (None when unusable)."""
    _options_not_carried(
        app, i, source, ("repoURL", "chart", "targetRevision", "helm", "name"), found
    )
    repo = source.get("repoURL")
    if not isinstance(repo, str) or not _CHART_REPO.match(repo):
        msg = (
            f"{dotted((*_spath(i), 'repoURL'))} is {shown(repo)}, not an http(s) or oci chart "
            "repository; the catalog has no component for this chart"
        )
        found.append(app.finding((*_spath(i), "repoURL"), NOT_CARRIED, msg))
        return None
    fields: dict[str, Any] = {"repoURL": repo, "chart": source["chart"]}
    if source.get("targetRevision") is not None:
        fields["targetRevision"] = source["targetRevision"]
    for key in ("chart", "targetRevision"):
        if key in fields and not fits(Helm, key, fields[key]):
            msg = (
                f"{dotted((*_spath(i), key))} is {shown(fields[key])}, which the catalog cannot "
                "hold; the catalog has no component for this chart"
            )
            found.append(app.finding((*_spath(i), key), NOT_CARRIED, msg))
            return None
    fields.update(source_options.helm(app, _spath(i), source.get("helm"), found, read))
    return fields


def _chart_source(
    app: AppDoc, i: int | None, source: dict[str, Any], found: list[Finding]
) -> dict[str, Any] | None:
    fields = _chart_fields(app, i, source, found)
    return None if fields is None else {"helm": fields}


def _argocd_source(
    app: AppDoc,
    charts: list[tuple[int | None, dict[str, Any]]],
    paths: list[tuple[int | None, dict[str, Any]]],
    settings: Settings,
    found: list[Finding],
) -> dict[str, Any]:
    from kfboot.importing import value_files

    default = ArgoCDInstall()
    install: dict[str, Any] = {
        "repoURL": default.repoURL,
        "chart": default.chart,
        "version": default.version,
    }
    chart = next(((i, s) for i, s in charts if s.get("chart") == "argo-cd"), None)
    fields = _chart_fields(app, *chart, found, read=True) if chart else None
    others = [c for c in charts + paths if chart is not None and c[0] != chart[0]]
    for i, _ in others:
        msg = (
            f"{dotted(_spath(i))} is a source beside Argo CD's chart; kfboot renders Argo CD "
            "from its chart alone, so the rendered Application does not have it"
        )
        found.append(app.finding(_spath(i), NOT_CARRIED, msg))
    if fields is not None and "targetRevision" in fields:
        install.update(repoURL=fields["repoURL"], chart=fields["chart"])
        install["version"] = fields["targetRevision"]
        install.update({k: fields[k] for k in ("releaseName",) if k in fields})
        # Nothing of the chart's options is lost: value files of this repository, values and
        # parameters go into the values, and kfboot's own entries out of them.
        home = (settings.repoURL, settings.checkout)
        read: list[str] = []

        def lend(file: str, ignore: bool) -> tuple[dict[str, Any] | None, str]:
            values, why = value_files.lent(app, file, home, ignore)
            read.extend([file] if values else [])
            return values, why

        where = _spath(chart[0]) if chart else ()
        values = helm_set.install_values(app, where, fields, found, lend)
        # The chart source becomes kfboot's argocd/ kustomization: always said, files or not.
        found.append(_rendered_by_kfboot(app, where, fields, read))
        value_files.drop_generated(values, install, settings.repoURL)  # kfboot renders them
        if values:
            install["values"] = values
    elif chart is not None:
        found.append(argocd_defaulted(app))
    # Without a chart source, import_wrappers.argocd_install looks for a local kustomization
    # inflating the chart (kfboot's own bootstrap/argocd) before it reports the default.
    return {"argocd": install}


def _home(source: dict[str, Any], settings: Settings) -> bool:
    from kfboot.gitrepo import normalise_url

    repo = source.get("repoURL")
    return isinstance(repo, str) and normalise_url(repo) == normalise_url(settings.repoURL)


def _rendered_by_kfboot(
    app: AppDoc, where: tuple[str | int, ...], fields: dict[str, Any], read: list[str]
) -> Finding:
    """The chart source becomes kfboot's ``argocd/`` kustomization inflating the same chart, and
    the value files read are the catalog's values now: editing the files changes nothing."""
    files = (
        f"; its value files {', '.join(read)} are read into the argocd component's values: "
        "edit Argo CD's values there now, kfboot render does not read the files"
        if read
        else ""
    )
    msg = (
        f"{dotted(where)} is argo-helm's {fields['chart']} chart {fields['targetRevision']}; "
        "kfboot renders it from argocd/ beside apps/ (a kustomization inflating the same chart "
        "with the catalog's argocd values and kfboot's own: the Application health check, "
        f"kustomize's --enable-helm, the catalog's repository){files}"
    )
    return app.finding(where, DEFAULTED, msg)


def argocd_defaulted(app: AppDoc) -> Finding:
    default = ArgoCDInstall()
    where = ("spec", "source") if app.spec.get("source") else ("spec",)
    msg = (
        f"Argo CD's installation is rendered by kfboot from the {default.chart} chart "
        f"{default.version} (into argocd/ beside apps/); the Application's own source "
        "is not carried over"
    )
    return app.finding(where, DEFAULTED, msg)
