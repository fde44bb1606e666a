"""``kfboot import``, the pure part: a directory of Applications in, catalog text and findings out.

The root Application (the one whose source directory holds the others) supplies the catalog's
settings; every other Application becomes a component. What the components share becomes the
catalog's ``defaults``, so each component lists only what is its own. The text is parsed back
with kfboot's own loader before it is returned: import never writes a catalog render refuses.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kfboot import appfiles, catalog_writer, import_rules, import_wrappers
from kfboot.appfiles import AppDoc, mapping
from kfboot.errors import CatalogError, KfbootError
from kfboot.findings import Finding
from kfboot.fits import fits
from kfboot.import_component import (
    DEFAULTED,
    NOT_CARRIED,
    Draft,
    Settings,
    draft,
    finalizers,
    is_argocd,
    normalise_path,
)
from kfboot.models import Catalog, Component

POLICY = ("automated", "syncOptions", "retry", "finalizers")
MERGED = ("labels", "annotations")
RESOURCES_FINALIZER = "resources-finalizer.argocd.argoproj.io"
APPS_SUFFIX = "/apps/kubeflow"  # where kfboot's root Application points, under bootstrapPath


@dataclass(frozen=True)
class ImportResult:
    text: str
    findings: list[Finding]
    applications: int
    components: int


def import_path(root: Path, source: str) -> ImportResult:
    """Import every Application under ``root`` (shown as ``source`` in messages)."""
    apps = appfiles.read_applications(root, source)
    found: list[Finding] = []
    for app in apps:
        found.extend(import_rules.unknown_fields(app))
    main, others = _roots(root, apps)
    for other in others:
        msg = (
            "another root Application (its directory holds Applications); kfboot generates "
            "one root, so it is not carried over"
        )
        found.append(other.finding(("metadata", "name"), NOT_CARRIED, msg))
    children = [a for a in apps if a is not main and a not in others]
    settings = _settings(main, children)
    argocd = _argocd(children, found)
    drafts = [d for d in (draft(a, settings, found, a is argocd) for a in children) if d]
    if not drafts:
        raise KfbootError(f"{source}: no Application could be imported as a component")
    wrapped = import_wrappers.inline(drafts, _local_dirs(root))
    names = _names(drafts)
    _resolve_depends(drafts, names, found)
    defaults = _defaults(drafts)
    top, app_of_apps = _root_fields(main, settings, defaults, found, source)
    components = [_component(d, names, defaults) for d in sorted(drafts, key=lambda d: d.wave)]
    text = catalog_writer.write(
        source=source,
        count=(len(apps), len({a.file for a in apps})),
        top=top,
        app_of_apps=app_of_apps,
        defaults=defaults,
        waves=sorted({d.wave for d in drafts}),
        components=[
            (_origin(d, wrapped), c)
            for d, c in zip(sorted(drafts, key=lambda d: d.wave), components, strict=True)
        ],
    )
    _confirm_loads(text)
    return ImportResult(text, sorted(set(found)), len(apps), len(components))


def _argocd(apps: list[AppDoc], found: list[Finding]) -> AppDoc | None:
    """The Application that becomes the argocd component: the first over Argo CD's install."""
    over = [a for a in apps if is_argocd(a)]
    for other in over[1:]:
        msg = (
            f"another Application over Argo CD's installation (also {over[0].file}); "
            "imported as an ordinary component"
        )
        found.append(other.finding(("metadata", "name"), DEFAULTED, msg))
    return over[0] if over else None


def _origin(d: Draft, wrapped: dict[str, str]) -> str:
    wrapper = wrapped.get(d.app.name)
    return d.app.rel + (f",\nits paths from the kustomization in {wrapper}" if wrapper else "")


def _local_dirs(root: Path) -> list[Path]:
    """The imported directory, its parent and every directory below it, deepest first."""
    top = root.resolve() if root.is_dir() else root.resolve().parent
    below = [p for p in top.rglob("*") if p.is_dir()] if root.is_dir() else []
    return sorted([top.parent, top, *below], key=lambda p: (-len(p.parts), p))


def _confirm_loads(text: str) -> Catalog:
    from kfboot.catalog import parse_catalog

    try:
        return parse_catalog(text)
    except CatalogError as exc:
        raise KfbootError(f"internal error: the imported catalog does not load:\n{exc}") from None


# ------------------------------------------------------------------------------------- roots


def _git_paths(app: AppDoc) -> list[str]:
    paths = []
    for _, source in import_rules.sources(app):
        if "chart" not in source and isinstance(source.get("path"), str):
            path = normalise_path(source["path"])
            if path:
                paths.append(path)
    return paths


def _roots(root: Path, apps: list[AppDoc]) -> tuple[AppDoc | None, list[AppDoc]]:
    """The main root Application (the one over most others) and any further roots.

    A source path is repository-relative and the repository root is unknown, so a path names a
    local directory when that directory's absolute path ends with it.
    """
    top = root.resolve() if root.is_dir() else root.resolve().parent
    files = {a.file: (top / a.rel if root.is_dir() else root.resolve()) for a in apps}
    dirs = [top.parent, top, *sorted({p.parent for p in files.values()})]
    over: list[tuple[int, int, AppDoc]] = []
    for index, app in enumerate(apps):
        under: set[str] = set()
        for path in _git_paths(app):
            for d in dirs:
                # A directory holding the Application's own file is not one it manages: a
                # short path such as "x" would otherwise make siblings look like a root.
                if d in files[app.file].parents:
                    continue
                if d.as_posix() == "/" + path or d.as_posix().endswith("/" + path):
                    under |= {a.name for a in apps if a is not app and d in files[a.file].parents}
        if under:
            over.append((-len(under), index, app))
    if not over:
        return None, []
    ranked = [app for _, _, app in sorted(over, key=lambda t: (t[0], t[1]))]
    return ranked[0], ranked[1:]


# ---------------------------------------------------------------------------------- settings


def _most(values: list[Any], fallback: Any) -> Any:
    """The most common value (first seen wins a tie); works for lists and mappings too."""
    if not values:
        return fallback
    keys = [json.dumps(v, sort_keys=True) for v in values]
    counts = Counter(keys)
    best = max(range(len(keys)), key=lambda i: (counts[keys[i]], -keys.index(keys[i])))
    return values[best]


def _settings(main: AppDoc | None, apps: list[AppDoc]) -> Settings:
    pool = [main] if main is not None else apps
    sources = [s for a in pool for _, s in import_rules.sources(a) if "chart" not in s]
    repo = _most(_valid("repoURL", [s.get("repoURL") for s in sources]), _default("repoURL"))
    revisions = [s.get("targetRevision") for s in sources if s.get("repoURL") == repo]
    destinations = [mapping(a.spec.get("destination")) for a in pool]
    return Settings(
        repoURL=repo,
        targetRevision=_most(_valid("targetRevision", revisions), "HEAD"),
        argocdNamespace=_most(
            _valid("argocdNamespace", [a.metadata.get("namespace") for a in pool]), "argocd"
        ),
        project=_most(_valid("project", [a.spec.get("project") for a in pool]), "default"),
        destinationServer=_most(
            _valid("destinationServer", [d.get("server") for d in destinations]),
            _default("destinationServer"),
        ),
        namespace=_most(
            [
                ns
                for a in apps
                if fits(
                    Component,
                    "namespace",
                    ns := mapping(a.spec.get("destination")).get("namespace"),
                )
            ],
            "kubeflow",
        ),
    )


def _valid(field: str, values: list[Any]) -> list[Any]:
    return [v for v in values if v is not None and fits(Catalog, field, v)]


def _default(field: str) -> Any:
    return Catalog.model_fields[field].default


# ------------------------------------------------------------------------ names and ordering


def _names(drafts: list[Draft]) -> dict[str, str]:
    """Application name -> component name: ``kubeflow-jupyter`` -> ``jupyter`` when unique."""
    wanted = {}
    for d in drafts:
        name = d.app.name
        short = "argocd" if d.is_argocd else name.removeprefix("kubeflow-")
        wanted[name] = short if short and len(short) <= 63 else name
    counts = Counter(wanted.values())
    return {app: (short if counts[short] == 1 else app) for app, short in wanted.items()}


def _resolve_depends(drafts: list[Draft], names: dict[str, str], found: list[Finding]) -> None:
    waves = {names[d.app.name]: d.wave for d in drafts}
    for d in drafts:
        mine = names[d.app.name]
        resolved: list[str] = []
        for target, path in d.depends:
            name = names.get(target, target if target in waves else None)
            if name is None:
                msg = f"dependsOn {target!r} names no imported Application; not carried over"
            elif name == mine or name in resolved:
                continue
            elif waves[name] >= d.wave:
                msg = (
                    f"dependsOn {target!r} (wave {waves[name]}) is not in an earlier wave than "
                    f"this Application (wave {d.wave}), so waves cannot order them; not carried "
                    "over: move one of them to another wave"
                )
            else:
                resolved.append(name)
                continue
            found.append(d.app.finding(path, NOT_CARRIED, msg))
        if resolved:
            d.own["dependsOn"] = resolved


def _defaults(drafts: list[Draft]) -> dict[str, Any]:
    """What components share: the commonest policy values, and what every one of them has."""
    result: dict[str, Any] = {}
    for key in POLICY:
        values = [d.policy[key] for d in drafts if d.policy[key] is not None]
        result[key] = _most(values, {"prune": True, "selfHeal": True})
    for key in MERGED:
        common = dict(drafts[0].policy[key])
        for d in drafts[1:]:
            common = {k: v for k, v in common.items() if d.policy[key].get(k) == v}
        result[key] = common
    shared = [
        e
        for e in drafts[0].policy["ignoreDifferences"]
        if all(e in d.policy["ignoreDifferences"] for d in drafts)
    ]
    result["ignoreDifferences"] = shared
    return result


def _component(d: Draft, names: dict[str, str], defaults: dict[str, Any]) -> dict[str, Any]:
    name = names[d.app.name]
    comp: dict[str, Any] = {"name": name}
    if d.app.name != name:
        comp["application"] = d.app.name
    order = (
        "wave",
        "namespace",
        "dependsOn",
        "paths",
        "repoURL",
        "targetRevision",
        "helm",
        "argocd",
        "kustomize",
    )
    comp.update({k: d.own[k] for k in order if k in d.own})
    for key in POLICY:
        if d.policy[key] is not None and _own(d, key) != _own(defaults, key, d.is_argocd):
            comp[key] = d.policy[key]
    for key in MERGED:
        extra = {k: v for k, v in d.policy[key].items() if k not in defaults[key]}
        if extra:
            comp[key] = extra
    own_ignores = [
        e for e in d.policy["ignoreDifferences"] if e not in defaults["ignoreDifferences"]
    ]
    if own_ignores:
        comp["ignoreDifferences"] = own_ignores
    return comp


def _own(source: Draft | dict[str, Any], key: str, argocd: bool = False) -> Any:
    """A policy value as render will apply it: never a resources-finalizer on Argo CD itself."""
    if isinstance(source, Draft):
        value, argocd = source.policy[key], source.is_argocd
    else:
        value = source[key]
    if key == "finalizers" and argocd:
        return [f for f in value if f != RESOURCES_FINALIZER]
    return value


# ---------------------------------------------------------------------------------- the root


def _root_fields(
    main: AppDoc | None,
    settings: Settings,
    defaults: dict[str, Any],
    found: list[Finding],
    source: str,
) -> tuple[dict[str, Any], dict[str, Any]]:
    top: dict[str, Any] = {
        "repoURL": settings.repoURL,
        "targetRevision": settings.targetRevision,
        "bootstrapPath": "bootstrap",
        "argocdNamespace": settings.argocdNamespace,
        "project": settings.project,
        "destinationServer": settings.destinationServer,
    }
    if main is None:
        msg = (
            "no root Application (one whose source directory holds the others) was found; "
            "the catalog's root takes kfboot's defaults"
        )
        found.append(Finding(source, 0, 0, "warning", DEFAULTED, msg))
        return top, {
            "name": "kubeflow-app-of-apps",
            "namespace": settings.argocdNamespace,
            "syncOptions": ["CreateNamespace=true"],
        }
    path = _git_paths(main)[0]
    if path.endswith(APPS_SUFFIX) and len(path) > len(APPS_SUFFIX):
        top["bootstrapPath"] = path.removesuffix(APPS_SUFFIX)
    else:
        msg = f"kfboot's root reads bootstrap{APPS_SUFFIX} (bootstrapPath: bootstrap), not {path}"
        found.append(main.finding(("spec", "source"), DEFAULTED, msg))
    options, notes = import_rules.sync_options(main, root=True)
    found.extend(notes)
    from kfboot.import_component import automated_of, retry_of

    sync = mapping(main.spec.get("syncPolicy"))
    quiet: list[Finding] = []
    own = {
        "automated": automated_of(main, sync, quiet),
        "retry": retry_of(main, sync, quiet),
        "finalizers": finalizers(main),
    }
    for key, value in own.items():
        if value is not None and value != defaults[key]:
            msg = f"the root's {key} differs from the components'; the root takes the defaults'"
            found.append(main.finding(("metadata", "name"), NOT_CARRIED, msg))
    labels = {
        k: v
        for k, v in mapping(main.metadata.get("labels")).items()
        if fits(Component, "labels", {k: v})
    }
    ns = mapping(main.spec.get("destination")).get("namespace")
    ns = ns if fits(Component, "namespace", ns) else settings.argocdNamespace
    root: dict[str, Any] = {"name": main.name, "namespace": ns, "syncOptions": options}
    extra = {
        k: v for k, v in labels.items() if isinstance(v, str) and defaults["labels"].get(k) != v
    }
    if extra:
        root["labels"] = extra
    return top, root
