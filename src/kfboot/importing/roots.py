"""The root Application of an imported tree, and the catalog-wide settings it supplies.

A root is an Application whose source directory holds other imported Applications. Source paths
are repository-relative and the repository's root is unknown, so a path names a local directory
when that directory's absolute path ends with it. The main root (over the most Applications)
supplies ``appOfApps``, the repository, revision and ``bootstrapPath``; without one, the
commonest values among the Applications do.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from kfboot.catalog.accepts import fits
from kfboot.catalog.models import Catalog, Component
from kfboot.check.rules.argocd import WAVE_ANNOTATION
from kfboot.findings import Finding
from kfboot.importing import fixes as import_rules
from kfboot.importing.app_files import AppDoc, mapping
from kfboot.importing.fixes import DEFAULTED, NOT_CARRIED
from kfboot.importing.sources import Settings, git_paths
from kfboot.importing.sync_policy import automated_of, finalizers, retry_of

APPS_SUFFIX = "/apps/kubeflow"  # where kfboot's root Application points, under bootstrapPath


def local_dirs(root: Path) -> list[Path]:
    """The imported directory, its parent and every directory below it, deepest first."""
    top = root.resolve() if root.is_dir() else root.resolve().parent
    below = [p for p in top.rglob("*") if p.is_dir()] if root.is_dir() else []
    return sorted([top.parent, top, *below], key=lambda p: (-len(p.parts), p))


def roots(root: Path, apps: list[AppDoc]) -> tuple[AppDoc | None, list[AppDoc]]:
    """The main root Application (the one over most others) and any further roots.

    A source path is repository-relative and the repository root is unknown, so a path names a
    local directory when that directory's absolute path ends with it.
    """
    top = root.resolve() if root.is_dir() else root.resolve().parent
    files = {a.file: (top / a.rel if root.is_dir() else root.resolve()) for a in apps}
    # Every directory from the imported one's parent down to each Application file.
    dirs = sorted({d for f in files.values() for d in f.parents if top.parent in (d, *d.parents)})
    over: list[tuple[int, int, AppDoc]] = []
    for index, app in enumerate(apps):
        under: set[str] = set()
        for path in git_paths(app):
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


def most(values: list[Any], fallback: Any) -> Any:
    """The most common value (first seen wins a tie); works for lists and mappings too."""
    if not values:
        return fallback
    keys = [json.dumps(v, sort_keys=True) for v in values]
    counts = Counter(keys)
    best = max(range(len(keys)), key=lambda i: (counts[keys[i]], -keys.index(keys[i])))
    return values[best]


def settings(main: AppDoc | None, apps: list[AppDoc]) -> Settings:
    pool = [main] if main is not None else apps
    sources = [s for a in pool for _, s in import_rules.sources(a) if "chart" not in s]
    repos = _valid("repoURL", [s.get("repoURL") for s in sources])
    repo = most(repos, _default("repoURL"))
    revisions = [s.get("targetRevision") for s in sources if s.get("repoURL") == repo]
    destinations = [mapping(a.spec.get("destination")) for a in pool]
    return Settings(
        repoURL=repo,
        targetRevision=most(_valid("targetRevision", revisions), "HEAD"),
        argocdNamespace=most(
            _valid("argocdNamespace", [a.metadata.get("namespace") for a in pool]), "argocd"
        ),
        project=most(_valid("project", [a.spec.get("project") for a in pool]), "default"),
        destinationServer=most(
            _valid("destinationServer", [d.get("server") for d in destinations]),
            _default("destinationServer"),
        ),
        namespace=most(
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
        repo_defaulted=not repos,
    )


def _valid(field: str, values: list[Any]) -> list[Any]:
    return [v for v in values if v is not None and fits(Catalog, field, v)]


def _default(field: str) -> Any:
    return Catalog.model_fields[field].default


def _default_root(
    settings: Settings, found: list[Finding], source: str, taken: set[str]
) -> dict[str, Any]:
    """The catalog's root when no imported Application is one."""
    msg = (
        "no root Application (one whose source directory holds the others) was found; "
        "the catalog's root takes kfboot's defaults"
    )
    found.append(Finding(source, 0, 0, "warning", DEFAULTED, msg))
    # The root's name must not be one an imported Application already has.
    names = ("kubeflow-app-of-apps", "kfboot-app-of-apps", "kfboot-root")
    return {
        "name": next(n for n in names if n not in taken),
        "namespace": settings.argocdNamespace,
        "syncOptions": ["CreateNamespace=true"],
    }


def _not_carried(main: AppDoc, defaults: dict[str, Any]) -> list[Finding]:
    """What the root sets that the catalog's root cannot: its own policies and annotations."""
    found: list[Finding] = []
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
    annotations = [k for k in mapping(main.metadata.get("annotations")) if k != WAVE_ANNOTATION]
    if annotations:
        msg = f"the root's annotations ({', '.join(map(str, annotations))}) are not carried over"
        found.append(main.finding(("metadata", "annotations"), NOT_CARRIED, msg))
    return found


def root_fields(
    main: AppDoc | None,
    settings: Settings,
    defaults: dict[str, Any],
    found: list[Finding],
    source: str,
    taken: set[str],
) -> tuple[dict[str, Any], dict[str, Any]]:
    top: dict[str, Any] = {
        "repoURL": settings.repoURL,
        "targetRevision": settings.targetRevision,
        "bootstrapPath": "bootstrap",
        "argocdNamespace": settings.argocdNamespace,
        "project": settings.project,
        "destinationServer": settings.destinationServer,
    }
    if settings.repo_defaulted:
        msg = (
            f"no git repository to take repoURL from; the catalog reads {settings.repoURL}: "
            "point it at yours with kfboot set-repo"
        )
        found.append(Finding(source, 0, 0, "warning", DEFAULTED, msg))
    if main is None:
        return top, _default_root(settings, found, source, taken)
    path = git_paths(main)[0]
    if path.endswith(APPS_SUFFIX) and len(path) > len(APPS_SUFFIX):
        top["bootstrapPath"] = path.removesuffix(APPS_SUFFIX)
    else:
        msg = f"kfboot's root reads bootstrap{APPS_SUFFIX} (bootstrapPath: bootstrap), not {path}"
        found.append(main.finding(("spec", "source"), DEFAULTED, msg))
    options, notes = import_rules.sync_options(main, root=True)
    found.extend(notes)
    found.extend(_not_carried(main, defaults))
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
