"""The root Application of an imported tree, and the catalog-wide settings it supplies.

A root is an Application whose source directory holds other imported Applications. Source paths
are repository-relative and the repository's root is unknown, so a path names a local directory
when that directory's absolute path ends with it. The main root (over the most Applications)
supplies ``appOfApps``, the repository, revision and ``bootstrapPath``; without one, the
commonest values among the Applications do.
"""

from __future__ import annotations

import functools
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

from kfboot.catalog.accepts import fits
from kfboot.catalog.models import Catalog, Component
from kfboot.check.rules.argocd import WAVE_ANNOTATION
from kfboot.findings import Finding
from kfboot.importing import fixes as import_rules
from kfboot.importing.app_files import AppDoc, dotted, mapping, shown
from kfboot.importing.checkout import repository_top
from kfboot.importing.fixes import DEFAULTED, NOT_CARRIED
from kfboot.importing.sources import Settings, git_paths, normalise_path
from kfboot.importing.sync_policy import automated_of, finalizers, retry_of
from kfboot.importing.tree import application_files, kustomization, top_of

APPS_SUFFIX = "/apps/kubeflow"  # where kfboot's root Application points, under bootstrapPath


def local_dirs(root: Path) -> list[Path]:
    """The imported directory, its parent when that is in the repository (never outside it:
    the imported directory is the repository's top), and every directory below it, deepest
    first."""
    top = top_of(root) if root.is_dir() else top_of(root).parent
    below = [Path(d) for d, _, _ in os.walk(top) if Path(d) != top] if root.is_dir() else []
    repo = _repository(top)
    parent = [top.parent] if repo in (top.parent, *top.parent.parents) else []
    return sorted([*parent, top, *below], key=lambda p: (-len(p.parts), p))


@functools.lru_cache(maxsize=16)
def _repository(top: Path) -> Path:
    """The repository's top for the imported directory ``top`` (one git call per directory:
    :func:`local_dirs` is asked for every Application)."""
    return top_of(repository_top(top))


def root_paths(app: AppDoc) -> list[str]:
    """The Application's git source paths, ``.`` (the repository's root) included."""
    dots = [
        "."
        for _, source in import_rules.sources(app)
        if "chart" not in source and str(source.get("path", "")).strip().rstrip("/") in (".", "./")
    ]
    return [*dots, *git_paths(app)]


def _matching(path: str, dirs: list[Path], top: Path, own: Path) -> list[Path]:
    """The local directories a repository path can name. ``.`` is the imported directory (taken
    as the repository's root). A directory holding the Application's own file must match the
    whole path from the imported directory or one of its parents (the repository's root is one
    of them: ``platform/gitops/clusters/prod`` imported as ``gitops``): a short path such as
    ``x`` would otherwise make any directory named x, and the siblings in it, look like a
    root's."""
    if path == ".":
        return [top]
    found = []
    bases = {top, *top.parents}
    for d in dirs:
        if not d.as_posix().endswith("/" + path):
            continue
        if d in own.parents and Path(d.as_posix()[: -len(path) - 1] or "/") not in bases:
            continue
        found.append(d)
    return found


def repos_of(app: AppDoc) -> set[str]:
    """The repositories (normalised as Argo CD compares them) of an Application's git sources."""
    from kfboot.gitrepo import normalise_url

    return {
        normalise_url(str(s["repoURL"]))
        for _, s in import_rules.sources(app)
        if "chart" not in s and isinstance(s.get("repoURL"), str)
    }


def roots(
    root: Path, apps: list[AppDoc], origin: str | None = None
) -> tuple[AppDoc | None, list[AppDoc]]:
    """The main root Application (the one over most others) and any further roots.

    A source path is repository-relative and the repository root is unknown, so a path names a
    local directory when that directory's absolute path ends with it. What a root syncs is what
    Argo CD reads there: the files its kustomization selects (through nested kustomizations),
    or every file below a plain directory. Only a source of this repository reads a local
    directory: with a git ``origin``, the main root reads it (when one does); the other roots
    read the main root's repository (an Application of another repository whose path happens
    to name a local directory is a component).
    """
    top = top_of(root) if root.is_dir() else top_of(root).parent
    files = {a.file: (top / a.rel if root.is_dir() else top_of(root)) for a in apps}
    by_path: dict[Path, list[AppDoc]] = {}
    for a in apps:
        by_path.setdefault(files[a.file], []).append(a)
    dirs = local_dirs(root)
    synced: dict[Path, set[Path]] = {}
    over: list[tuple[int, int, AppDoc]] = []
    for index, app in enumerate(apps):
        under: set[str] = set()
        for path in root_paths(app):
            for d in _matching(path, dirs, top, files[app.file]):
                if d not in synced:
                    synced[d] = _synced(d, top, by_path)
                under |= {a.name for f in synced[d] for a in by_path[f] if a is not app}
        if under:
            over.append((-len(under), index, app))
    if not over:
        return None, []
    ranked = [app for _, _, app in sorted(over, key=lambda t: (t[0], t[1]))]
    if origin is not None:
        from kfboot.gitrepo import normalise_url

        home = [a for a in ranked if normalise_url(origin) in repos_of(a)]
        ranked = home or ranked
    main = ranked[0]
    return main, [a for a in ranked[1:] if repos_of(a) & repos_of(main) or not repos_of(a)]


def app_dirs(root: Path, app: AppDoc) -> list[tuple[Path, str]]:
    """The local directories an Application's git paths name, each with its path."""
    top = top_of(root) if root.is_dir() else top_of(root).parent
    own = top / app.rel if root.is_dir() else top_of(root)
    dirs = local_dirs(root)
    return [(d, path) for path in root_paths(app) for d in _matching(path, dirs, top, own)]


def root_directory(root: Path, main: AppDoc) -> tuple[Path, str] | None:
    """The local directory the root syncs and its repository path (the first that matches)."""
    found = app_dirs(root, main)
    return found[0] if found else None


def _synced(directory: Path, top: Path, by_path: dict[Path, list[AppDoc]]) -> set[Path]:
    if kustomization(directory) is not None:
        return set(application_files(directory, within=top)) & set(by_path)
    return {f for f in by_path if directory in f.parents}


def most(values: list[Any], fallback: Any) -> Any:
    """The most common value (first seen wins a tie); works for lists and mappings too."""
    if not values:
        return fallback
    keys = [json.dumps(v, sort_keys=True) for v in values]
    counts = Counter(keys)
    best = max(range(len(keys)), key=lambda i: (counts[keys[i]], -keys.index(keys[i])))
    return values[best]


def settings(main: AppDoc | None, apps: list[AppDoc], origin: str | None = None) -> Settings:
    """The catalog-wide values: the root's; without one, the checkout's ``origin`` (where
    ``bootstrap/`` will be committed) else the commonest among the Applications."""
    pool = [main] if main is not None else apps
    sources = [s for a in pool for _, s in import_rules.sources(a) if "chart" not in s]
    repos = _valid("repoURL", [s.get("repoURL") for s in sources])
    own = main is None and origin is not None and _valid("repoURL", [origin])
    repo = origin if own and origin else most(repos, UPSTREAM)
    every = [s for a in apps for _, s in import_rules.sources(a) if "chart" not in s]
    revisions = [
        s.get("targetRevision")
        for s in (every if own else sources)
        if isinstance(s.get("repoURL"), str) and _same(s["repoURL"], repo)
    ]
    destinations = [mapping(a.spec.get("destination")) for a in pool]
    root_ns = mapping(main.spec.get("destination")).get("namespace") if main else None
    namespaces = [a.metadata.get("namespace") for a in pool]
    if main is not None and namespaces == [None]:
        # A root applied without a namespace (kubectl -n): its children without one land in
        # its destination namespace, which is Argo CD's own for them to be Applications.
        namespaces = [root_ns]
    return Settings(
        repoURL=repo,
        targetRevision=most(_valid("targetRevision", revisions), "HEAD"),
        argocdNamespace=most(_valid("argocdNamespace", namespaces), "argocd"),
        repo_from="root" if main is not None else ("origin" if own else "commonest"),
        root_namespace=root_ns if isinstance(root_ns, str) and root_ns else None,
        project=most(_valid("project", [a.spec.get("project") for a in pool]), "default"),
        destinationServer=most(
            _valid("destinationServer", [d.get("server") for d in destinations]),
            _default("destinationServer"),
        ),
        destinationName=most(_valid("destinationName", [d.get("name") for d in destinations]), None)
        if not any(d.get("server") for d in destinations)
        else None,
        repo_defaulted=not repos,
    )


def _same(a: str, b: str) -> bool:
    from kfboot.gitrepo import normalise_url

    return normalise_url(a) == normalise_url(b)


# kfboot has no default repository; with none to take, the catalog names upstream (which holds
# no bootstrap/, so nothing deploys from it) and a finding says to set yours.
UPSTREAM = "https://github.com/kubeflow/manifests.git"


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


def _root_policy(main: AppDoc) -> tuple[dict[str, Any], list[Finding]]:
    """The root's own sync policy (the catalog's root carries it where it differs from the
    components'), and its annotations, which it cannot carry. Its finalizers are its own."""
    found: list[Finding] = []
    sync = mapping(main.spec.get("syncPolicy"))
    quiet: list[Finding] = []
    own = {
        "automated": automated_of(main, sync, quiet),
        "retry": retry_of(main, sync, quiet),
    }
    annotations = [k for k in mapping(main.metadata.get("annotations")) if k != WAVE_ANNOTATION]
    if annotations:
        msg = (
            f"metadata.annotations has {', '.join(map(str, annotations))}; the catalog's root "
            "has no annotations, so the rendered root does not have them"
        )
        found.append(main.finding(("metadata", "annotations"), NOT_CARRIED, msg))
    return own, found


def _root_namespace(main: AppDoc, settings: Settings, found: list[Finding]) -> str:
    """The root's destination namespace; the catalog's root always has one (argocdNamespace
    when the root had none, which a component may leave out but appOfApps may not)."""
    ns = mapping(main.spec.get("destination")).get("namespace")
    if isinstance(ns, str) and ns and fits(Component, "namespace", ns):
        return ns
    was = "absent" if ns is None or ns == "" else f"{shown(ns)}, not a DNS-1123 label"
    msg = (
        f"spec.destination.namespace is {was}; the catalog's root needs one and now says "
        f"{settings.argocdNamespace} (argocdNamespace)"
    )
    found.append(main.finding(("spec", "destination"), DEFAULTED, msg))
    return settings.argocdNamespace


def _spath(i: int | None) -> tuple[str | int, ...]:
    return ("spec", "source") if i is None else ("spec", "sources", i)


_ROOT_SOURCE_KEPT = ("repoURL", "targetRevision", "path", "name")


def _root_source_options(main: AppDoc, where: tuple[str | int, ...]) -> list[Finding]:
    """The root's source options (``directory``, ``kustomize.version``, ``helm``, ``plugin``,
    ...) and its other sources: the catalog's root reads kfboot's own kustomization with none."""
    found = []
    for i, source in import_rules.sources(main):
        here = _spath(i)
        if here != where:
            msg = (
                f"{dotted(here)} is another source of the root; the catalog's root has one "
                f"source ({APPS_SUFFIX.lstrip('/')} under bootstrapPath), so the rendered root "
                "does not have it"
            )
            found.append(main.finding(here, NOT_CARRIED, msg))
            continue
        for key, value in source.items():
            if key in _ROOT_SOURCE_KEPT or value in (None, "", {}, []):
                continue
            msg = (
                f"{dotted((*here, key))} is {shown(value)}; the catalog's root reads kfboot's "
                "own kustomization and has no source options, so the rendered root does not "
                "have it"
            )
            found.append(main.finding((*here, key), NOT_CARRIED, msg, key=True))
    return found


def _path_of(app: AppDoc, path: str) -> tuple[str | int, ...]:
    """Where the source path ``path`` sits (a finding on a path is on ``.path``, never on the
    whole source: that would be a finding on every field of it)."""
    for i, source in import_rules.sources(app):
        raw = source.get("path")
        if isinstance(raw, str) and (normalise_path(raw) or ".") in (path, "."):
            return (*_spath(i), "path")
    return ("spec", "source", "path")


def _repo_findings(settings: Settings, source: str) -> list[Finding]:
    """What to say about the repository the catalog's root reads when no root said it."""
    found: list[Finding] = []
    if settings.repo_defaulted:
        msg = (
            f"no git repository to take repoURL from; the catalog reads {settings.repoURL}, "
            "which holds no bootstrap/: point it at yours with kfboot set-repo"
        )
        found.append(Finding(source, 0, 0, "warning", DEFAULTED, msg))
    elif settings.repo_from == "commonest":
        msg = (
            f"the catalog's root reads {settings.repoURL}, the commonest repository of the "
            "Applications (no root, and no git remote 'origin' to take it from); bootstrap/ "
            "must be committed there: if it is not your repository, point it at yours with "
            "kfboot set-repo"
        )
        found.append(Finding(source, 0, 0, "warning", DEFAULTED, msg))
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
    if settings.destinationName:
        del top["destinationServer"]
        top["destinationName"] = settings.destinationName
    found.extend(_repo_findings(settings, source))
    if main is None:
        return top, _default_root(settings, found, source, taken)
    path = root_paths(main)[0]
    if path.endswith(APPS_SUFFIX) and len(path) > len(APPS_SUFFIX):
        top["bootstrapPath"] = path.removesuffix(APPS_SUFFIX)
    else:
        where = _path_of(main, path)
        msg = (
            f"{dotted(where)} is {path!r}; the catalog's root now reads bootstrap{APPS_SUFFIX} "
            "(bootstrapPath: bootstrap), where kfboot render writes the Applications"
        )
        found.append(main.finding(where, DEFAULTED, msg))
    found.extend(_root_source_options(main, _path_of(main, path)[:-1]))
    options, notes = import_rules.sync_options(main, root=True)
    found.extend(notes)
    own, notes = _root_policy(main)
    found.extend(notes)
    labels = {
        k: v
        for k, v in mapping(main.metadata.get("labels")).items()
        if fits(Component, "labels", {k: v})
    }
    ns = _root_namespace(main, settings, found)
    root: dict[str, Any] = {"name": main.name, "namespace": ns, "syncOptions": options}
    if finalizers(main):  # the root has its own (none by default): carried over as they are
        root["finalizers"] = finalizers(main)
    extra = {
        k: v for k, v in labels.items() if isinstance(v, str) and defaults["labels"].get(k) != v
    }
    if extra:
        root["labels"] = extra
    # The root's own sync policy, where it is not the components' defaults.
    root.update({k: v for k, v in own.items() if v != defaults[k]})
    return top, root
