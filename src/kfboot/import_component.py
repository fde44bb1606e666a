"""One hand-written Application -> one catalog component (as plain data), with findings.

The catalog's settings (repository, revision, namespaces) are decided first, from the root
Application; a component then records only where it differs, and says why when the catalog
cannot express something about it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kfboot import gitrefs, import_rules, yamlio
from kfboot.appfiles import WAVE_ANNOTATION, AppDoc, mapping
from kfboot.findings import Finding
from kfboot.fits import fits
from kfboot.models import ArgoCDInstall, Component, Defaults, Helm

NOT_CARRIED = "import-not-carried-over"
DEFAULTED = "import-default-applied"
_CHART_REPO = re.compile(r"(https?|oci)://\S+\Z")
_HELM_KEPT = ("values", "valuesObject", "releaseName")
_ARGO_BACKOFF = {"duration": "5s", "factor": 2, "maxDuration": "3m"}  # Argo CD's own defaults


@dataclass(frozen=True)
class Settings:
    """The catalog-wide values a component is compared with."""

    repoURL: str
    targetRevision: str
    argocdNamespace: str
    project: str
    destinationServer: str
    namespace: str  # for an Application without a destination namespace


@dataclass
class Draft:
    """A component being imported: its own fields and the ones defaults may take over."""

    app: AppDoc
    wave: int
    own: dict[str, Any]
    policy: dict[str, Any]  # automated, syncOptions, retry, finalizers, labels, annotations, ...
    depends: list[tuple[str, tuple[str | int, ...]]] = field(default_factory=list)
    is_argocd: bool = False


def normalise_path(path: str) -> str | None:
    """A source path as the catalog writes it, or None when the catalog cannot hold it."""
    from kfboot.models import _rel_path

    cleaned = path.strip().removeprefix("./").rstrip("/")
    try:
        return _rel_path(cleaned)
    except ValueError:
        return None


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


def draft(app: AppDoc, settings: Settings, found: list[Finding], argocd: bool) -> Draft | None:
    """The component for ``app``, or None (with a finding) when it has no usable source."""
    wave, notes = import_rules.wave(app)
    found.extend(notes)
    source = _source(app, settings, found, argocd)
    if source is None:
        return None
    own: dict[str, Any] = {"wave": wave, "namespace": _namespace(app, settings, found, argocd)}
    own.update(source)
    _check_placement(app, settings, found)
    result = Draft(app, wave, own, _policy(app, found), _depends(app), argocd)
    if argocd and "resources-finalizer.argocd.argoproj.io" in result.policy["finalizers"]:
        msg = (
            "kfboot never puts resources-finalizer on the argocd Application: deleting it "
            "must not uninstall Argo CD; not carried over"
        )
        found.append(app.finding(("metadata", "finalizers"), DEFAULTED, msg))
    return result


def _namespace(app: AppDoc, settings: Settings, found: list[Finding], argocd: bool) -> str:
    ns = mapping(app.spec.get("destination")).get("namespace")
    if argocd:
        if ns != settings.argocdNamespace:
            msg = (
                f"destination namespace {ns!r}: kfboot installs Argo CD into argocdNamespace "
                f"({settings.argocdNamespace})"
            )
            found.append(app.finding(("spec", "destination"), DEFAULTED, msg))
        return settings.argocdNamespace
    if fits(Component, "namespace", ns):
        return str(ns)
    what = "no destination namespace" if ns is None else f"destination namespace {ns!r} unusable"
    msg = f"{what}; imported with the catalog's usual namespace {settings.namespace}"
    found.append(app.finding(("spec", "destination"), DEFAULTED, msg))
    return settings.namespace


def _check_placement(app: AppDoc, settings: Settings, found: list[Finding]) -> None:
    """Cluster, project and Application namespace are catalog-wide: report a differing one."""
    dest = mapping(app.spec.get("destination"))
    checks = [
        (("spec", "destination", "name"), dest.get("name"), None, "destination name"),
        (
            ("spec", "destination", "server"),
            dest.get("server"),
            settings.destinationServer,
            "destination server",
        ),
        (("spec", "project"), app.spec.get("project"), settings.project, "project"),
        (
            ("metadata", "namespace"),
            app.metadata.get("namespace"),
            settings.argocdNamespace,
            "Application namespace",
        ),
    ]
    for path, value, expected, what in checks:
        if value is not None and value != expected:
            msg = (
                f"{what} {value!r} differs from the catalog's"
                + (f" ({expected})" if expected else "")
                + "; the catalog sets it for every Application, so it is not carried over"
            )
            found.append(app.finding(path, NOT_CARRIED, msg))


def _depends(app: AppDoc) -> list[tuple[str, tuple[str | int, ...]]]:
    """``dependsOn`` wherever a hand-written Application put it (Argo CD ignores it)."""
    found: list[tuple[str, tuple[str | int, ...]]] = []
    for base, node in ((("spec",), app.spec), (("metadata",), app.metadata), ((), app.data)):
        value = node.get("dependsOn")
        items = value if isinstance(value, list) else [value] if value is not None else []
        for i, item in enumerate(items):
            path = (*base, "dependsOn", i) if isinstance(value, list) else (*base, "dependsOn")
            found.append((str(item), path))
    return found


# ----------------------------------------------------------------------------------- sources


def _source(
    app: AppDoc, settings: Settings, found: list[Finding], argocd: bool
) -> dict[str, Any] | None:
    sources = import_rules.sources(app)
    if app.spec.get("source") is not None and app.spec.get("sources") is not None:
        msg = "both source and sources are set; Argo CD uses sources, so source is not carried over"
        found.append(app.finding(("spec", "source"), NOT_CARRIED, msg))
        sources = [(i, s) for i, s in sources if i is not None]
    charts = [(i, s) for i, s in sources if "chart" in s]
    paths = [(i, s) for i, s in sources if "chart" not in s and "path" in s]
    for i, source in sources:
        if "chart" not in source and "path" not in source:
            what = (
                "a ref: source (value files for another source)"
                if "ref" in source
                else ("a source without path or chart")
            )
            found.append(app.finding(_spath(i), NOT_CARRIED, f"{what}; not carried over"))
    if argocd:
        return _argocd_source(app, charts, paths, found)
    if paths:
        for i, _ in charts:
            msg = "a chart source beside path sources cannot be expressed; not carried over"
            found.append(app.finding(_spath(i), NOT_CARRIED, msg))
        return _path_source(app, paths, settings, found)
    if charts:
        for i, _ in charts[1:]:
            found.append(app.finding(_spath(i), NOT_CARRIED, "a second chart; not carried over"))
        return _chart_source(app, *charts[0], found)
    msg = "no source the catalog can express; the Application is not carried over"
    found.append(app.finding(("spec",), NOT_CARRIED, msg))
    return None


def _spath(i: int | None) -> tuple[str | int, ...]:
    return ("spec", "source") if i is None else ("spec", "sources", i)


def _options_not_carried(
    app: AppDoc, i: int | None, source: dict[str, Any], keep: tuple[str, ...], found: list[Finding]
) -> None:
    for key in source:
        if key in import_rules.SOURCE_FIELDS and key not in keep:
            msg = f"source option {key} cannot be expressed in the catalog; not carried over"
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
    for i, source in paths:
        _options_not_carried(app, i, source, ("repoURL", "path", "targetRevision", "name"), found)
        if (source.get("repoURL"), source.get("targetRevision")) != (repo, revision):
            msg = "a source from another repository or revision than the first; not carried over"
            found.append(app.finding(_spath(i), NOT_CARRIED, msg))
            continue
        path = normalise_path(source["path"]) if isinstance(source["path"], str) else None
        if path is None:
            msg = f"path {source['path']!r} is not a directory inside the repository"
            found.append(app.finding((*_spath(i), "path"), NOT_CARRIED, msg + "; not carried over"))
        elif path not in result["paths"]:
            result["paths"].append(path)
    if not result["paths"]:
        return None
    result.update(_repo(app, paths[0][0], repo, settings, found))
    result.update(_revision(app, paths[0][0], revision, settings, found))
    return result


def _repo(
    app: AppDoc, i: int | None, repo: Any, settings: Settings, found: list[Finding]
) -> dict[str, Any]:
    where = (*_spath(i), "repoURL")
    if not isinstance(repo, str) or gitrefs.repo_url_problem(repo):
        msg = f"repoURL {repo!r} is not a usable git URL; imported with the catalog's"
        found.append(app.finding(where, DEFAULTED, msg))
        return {}
    if repo == settings.repoURL:
        return {}
    if gitrefs.same_repo(repo, settings.repoURL):
        msg = f"repoURL {repo} names the catalog's repository differently; written as its"
        found.append(app.finding(where, "import-repo-url-mismatch", msg))
        return {}
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
    app: AppDoc, i: int | None, source: dict[str, Any], found: list[Finding]
) -> dict[str, Any] | None:
    """repoURL, chart, version, releaseName, values of a chart source (None when unusable)."""
    _options_not_carried(
        app, i, source, ("repoURL", "chart", "targetRevision", "helm", "name"), found
    )
    repo = source.get("repoURL")
    if not isinstance(repo, str) or not _CHART_REPO.match(repo):
        msg = f"chart repository {repo!r} is not an http(s) or oci URL; not carried over"
        found.append(app.finding((*_spath(i), "repoURL"), NOT_CARRIED, msg))
        return None
    fields: dict[str, Any] = {"repoURL": repo, "chart": source["chart"]}
    if source.get("targetRevision") is not None:
        fields["targetRevision"] = source["targetRevision"]
    for key in ("chart", "targetRevision"):
        if key in fields and not fits(Helm, key, fields[key]):
            msg = f"{key} {fields[key]!r} is not usable; not carried over"
            found.append(app.finding((*_spath(i), key), NOT_CARRIED, msg))
            return None
    helm = mapping(source.get("helm"))
    for key in helm:
        if key not in _HELM_KEPT:
            msg = f"helm.{key} cannot be expressed in the catalog; not carried over"
            found.append(app.finding((*_spath(i), "helm", key), NOT_CARRIED, msg, key=True))
    name = helm.get("releaseName")
    if fits(Helm, "releaseName", name) and name is not None:
        fields["releaseName"] = name
    values = _values(app, i, helm, found)
    if values and fits(Helm, "values", values):
        fields["values"] = values
    elif values:
        msg = "helm values with keys that are not strings; not carried over"
        found.append(app.finding((*_spath(i), "helm"), NOT_CARRIED, msg))
    return fields


def _values(
    app: AppDoc, i: int | None, helm: dict[str, Any], found: list[Finding]
) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    text = helm.get("values")
    if isinstance(text, str) and text.strip():
        try:
            parsed = yamlio.load_with_positions(text)[0]
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            merged.update(parsed)
        else:
            msg = "helm.values is not a YAML mapping; not carried over"
            found.append(app.finding((*_spath(i), "helm", "values"), NOT_CARRIED, msg))
    obj = helm.get("valuesObject")
    if isinstance(obj, dict):
        merged.update(obj)  # Argo CD: valuesObject takes precedence over values
    return merged


def _chart_source(
    app: AppDoc, i: int | None, source: dict[str, Any], found: list[Finding]
) -> dict[str, Any] | None:
    fields = _chart_fields(app, i, source, found)
    return None if fields is None else {"helm": fields}


def _argocd_source(
    app: AppDoc,
    charts: list[tuple[int | None, dict[str, Any]]],
    paths: list[tuple[int | None, dict[str, Any]]],
    found: list[Finding],
) -> dict[str, Any]:
    default = ArgoCDInstall()
    install: dict[str, Any] = {
        "repoURL": default.repoURL,
        "chart": default.chart,
        "version": default.version,
    }
    chart = next(((i, s) for i, s in charts if s.get("chart") == "argo-cd"), None)
    fields = _chart_fields(app, *chart, found) if chart else None
    if fields is not None and "targetRevision" in fields:
        install.update(repoURL=fields["repoURL"], chart=fields["chart"])
        install["version"] = fields["targetRevision"]
        install.update({k: fields[k] for k in ("releaseName", "values") if k in fields})
    else:
        where = ("spec", "source") if app.spec.get("source") else ("spec",)
        msg = (
            f"Argo CD's installation is rendered by kfboot from the {default.chart} chart "
            f"{default.version} into bootstrap/argocd; the original source is not carried over"
        )
        found.append(app.finding(where, DEFAULTED, msg))
    return {"argocd": install}


# ------------------------------------------------------------------------------ sync policy


def _policy(app: AppDoc, found: list[Finding]) -> dict[str, Any]:
    sync = mapping(app.spec.get("syncPolicy"))
    options, notes = import_rules.sync_options(app, root=False)
    found.extend(notes)
    ignore, notes = import_rules.ignore_differences(app)
    found.extend(notes)
    return {
        "automated": automated_of(app, sync, found),
        "syncOptions": options,
        "retry": retry_of(app, sync, found),
        "finalizers": finalizers(app),
        "labels": _strings(app, "labels", found),
        "annotations": {
            k: v for k, v in _strings(app, "annotations", found).items() if k != WAVE_ANNOTATION
        },
        "ignoreDifferences": ignore,
    }


def automated_of(app: AppDoc, sync: dict[str, Any], found: list[Finding]) -> dict[str, Any] | None:
    auto = sync.get("automated")
    if not isinstance(auto, dict) or auto.get("enabled") is False:
        msg = (
            "not synced automatically; kfboot's Applications always are, so this one takes "
            "the catalog's automated settings"
        )
        found.append(app.finding(("spec", "syncPolicy"), DEFAULTED, msg))
        return None
    # Argo CD's defaults for an automated policy are prune and selfHeal off.
    result = {k: auto.get(k) is True for k in ("prune", "selfHeal")}
    if auto.get("allowEmpty") is True:
        result["allowEmpty"] = True
    return result


def retry_of(app: AppDoc, sync: dict[str, Any], found: list[Finding]) -> dict[str, Any]:
    retry = sync.get("retry")
    if retry is None:
        return {"limit": 0, "backoff": dict(_ARGO_BACKOFF)}  # no retry: the same as limit 0
    raw = retry.get("backoff") if isinstance(retry, dict) else None
    backoff = {**_ARGO_BACKOFF, **(raw if isinstance(raw, dict) else {})}
    result = {
        "limit": retry.get("limit", 0) if isinstance(retry, dict) else None,
        "backoff": {k: backoff[k] for k in _ARGO_BACKOFF},
    }
    if not fits(Defaults, "retry", result):
        msg = "retry has values the catalog cannot hold (limit >= 0, durations such as 5s)"
        found.append(
            app.finding(("spec", "syncPolicy", "retry"), NOT_CARRIED, msg + "; not carried over")
        )
        return {"limit": 0, "backoff": dict(_ARGO_BACKOFF)}
    return result


def _strings(app: AppDoc, key: str, found: list[Finding]) -> dict[str, str]:
    value = app.metadata.get(key)
    result: dict[str, str] = {}
    for name, item in mapping(value).items():
        if name == WAVE_ANNOTATION:
            continue
        if fits(Component, key, {name: item}):
            result[name] = item
        else:
            msg = f"{key[:-1]} {name!r}: {item!r} is not a valid {key[:-1]}; not carried over"
            found.append(app.finding(("metadata", key, name), NOT_CARRIED, msg))
    return result


def finalizers(app: AppDoc) -> list[str]:
    value = app.metadata.get("finalizers")
    return [f for f in value if isinstance(f, str) and f] if isinstance(value, list) else []
