"""Every git path the rendered Applications read from this repository exists at its revision.

Argo CD reads ``targetRevision`` from the repository, not the checkout: after a fork merges an
upstream release that moved directories, or with a ``targetRevision`` tag that holds no
``bootstrap/`` (upstream's own ``v1.11.0`` used in a fork), every Application of a missing path
fails with ``app path does not exist``, while the working tree looks fine. This runs only when
the catalog's ``repoURL`` is a remote of the checkout (:func:`kfboot.gitrepo.same_repository`);
it reads git's object store (:mod:`kfboot.gitrepo`): no checkout, no network, no kustomize.

A revision that is the current branch is the working tree (the commit being made). Another
branch is read at its commit and in the working tree (what lands on it when this merges): a
path missing from the working tree is an error, one only missing at the branch a warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kfboot import gitrepo, yamlio
from kfboot.catalog.fleet import fleet
from kfboot.catalog.fleet_models import Cluster
from kfboot.catalog.models import Catalog, Component
from kfboot.check.rules.application import Hit
from kfboot.findings import Finding, shown_path
from kfboot.layout import APPS_DIR, cluster_dir
from kfboot.layout import KUSTOMIZATION_FILES as KUSTOMIZATIONS
from kfboot.render.bootstrap import app_path
from kfboot.render.fleet_view import wrapper_base

Where = tuple[str | int, ...]


@dataclass(frozen=True)
class GitPath:
    """One path an Application reads: from which repository, at which revision, and the
    catalog fields that name the path (``where``) and the revision (``revision_at``)."""

    app: str
    repo: str
    revision: str
    path: str
    where: Where
    revision_at: Where
    # An extraResources repoPath: kustomize builds it only as a directory with a kustomization.
    kustomization: bool = False


def _revision_at(catalog: Catalog, comp: Component | None, cluster: Cluster | None) -> Where:
    if comp is not None and comp.targetRevision is not None:
        return ("components", catalog.components.index(comp), "targetRevision")
    if cluster is not None and cluster.targetRevision is not None:
        assert catalog.clusters is not None
        return ("clusters", catalog.clusters.index(cluster), "targetRevision")
    return ("targetRevision",)


def _component(
    catalog: Catalog, cc: Catalog, comp: Component, cluster: Cluster | None
) -> Iterator[GitPath]:
    own = next(c for c in catalog.components if c.name == comp.name)
    index = catalog.components.index(own)
    name = cluster.application_name(comp.app_name) if cluster else comp.app_name
    repo = comp.repoURL or catalog.repoURL
    revision = comp.targetRevision or cc.targetRevision
    at = _revision_at(catalog, own, cluster)
    base = wrapper_base(catalog, comp, cluster) if cluster else None
    path = app_path(cc, comp, base) if base else app_path(cc, comp)
    if path is not None and path not in comp.paths:  # the wrapper or Argo CD's chart directory
        yield GitPath(name, repo, revision, path, at, at)
    for j, each in enumerate(comp.paths):  # a source each, or the wrapper's resources
        yield GitPath(name, repo, revision, each, ("components", index, "paths", j), at)


def git_paths(catalog: Catalog) -> list[GitPath]:
    """Every (Application, repository, revision, path) the rendered Applications read."""
    found: list[GitPath] = []
    views: list[tuple[Cluster | None, Catalog]] = (
        [(None, catalog)] if catalog.clusters is None else list(fleet(catalog))
    )
    for cluster, cc in views:
        apps = f"{catalog.bootstrapPath}/" + (
            f"{cluster_dir(cluster.name)}/apps" if cluster else APPS_DIR
        )
        root = (
            cluster.application_name(catalog.appOfApps.name) if cluster else catalog.appOfApps.name
        )
        at = _revision_at(catalog, None, cluster)
        if catalog.layout == "app-of-apps" or cluster is None:
            # ApplicationSets are applied from the checkout: no root reads git for them.
            found.append(
                GitPath(root, catalog.repoURL, cc.targetRevision, apps, ("bootstrapPath",), at)
            )
            for i, extra in enumerate(catalog.extraResources):
                field = "path" if extra.repoPath is None else "repoPath"
                found.append(
                    GitPath(
                        root,
                        catalog.repoURL,
                        cc.targetRevision,
                        extra.repository_path(catalog.bootstrapPath),
                        ("extraResources", i, field),
                        at,
                        kustomization=extra.repoPath is not None,
                    )
                )
        for comp in cc.enabled_components():
            if comp.helm is None:
                found += _component(catalog, cc, comp, cluster)
    return found


def _hint(top: Path, path: str) -> str:
    """``; did you mean X?`` from the working tree (upstream's renames, then the closest
    Kustomization directory: the hint of ``check --manifests``)."""
    from kfboot.manifests.paths import after_rename, suggest

    hint = after_rename(top, path, []) or suggest(top, path, [])
    return f"; did you mean {hint}?" if hint and hint != path else ""


def _names(apps: list[str]) -> str:
    shown = ", ".join(apps[:3])
    return shown + (f" and {len(apps) - 3} more" if len(apps) > 3 else "")


def judge_path(
    top: Path,
    reader: gitrepo.PathReader,
    worktree: gitrepo.PathReader,
    item: GitPath,
    apps: list[str],
) -> Hit | None:
    """The problem of one path ``apps`` read at ``reader``'s revision, or None (also used by
    ``kfboot lint`` for hand-written Applications)."""
    rev = reader.revision
    who = f"Application {_names(apps)} reads {item.path}"
    if reader.worktree:
        if worktree.exists(item.path):
            return None
        return Hit(
            "git-path-missing",
            item.where,
            f"{who} at {rev.name} (the current branch), which does not exist in the working tree"
            f"{_hint(top, item.path)}",
        )
    at = f"{rev.name} ({rev.kind} {(rev.commit or '')[:12]})"
    if reader.exists(item.path):
        if rev.kind == "branch" and not worktree.exists(item.path):
            return Hit(
                "git-path-missing",
                item.where,
                f"{who} at {rev.name}: it exists there but not in the working tree, so it is gone "
                f"once this lands on {rev.name}{_hint(top, item.path)}",
            )
        return None
    if rev.kind == "branch" and worktree.exists(item.path):
        return Hit(
            "git-path-not-at-revision",
            item.where,
            f"{who} at {at}, which does not hold it yet: Argo CD cannot sync it until this change "
            f"lands on {rev.name}",
        )
    if worktree.exists(item.path):  # the revision is what is wrong, not the path
        why = (
            ", which does not hold it (it exists in the working tree only): point "
            "targetRevision at a revision that holds it, or commit it there"
        )
    else:
        why = f", which does not exist there{_hint(top, item.path)}"
    return Hit("git-path-missing", item.where, f"{who} at {at}{why}")


Key = tuple[str, str, str, Where, Where, bool]


def _grouped(catalog: Catalog, top: Path) -> dict[Key, list[str]]:
    """The paths of this repository (by remote), each with the Applications that read it."""
    remotes: dict[str, str | None] = {}
    grouped: dict[Key, list[str]] = {}
    for item in git_paths(catalog):
        if item.repo not in remotes:
            remotes[item.repo] = gitrepo.matching_remote(item.repo, top)
        remote = remotes[item.repo]
        if remote is None:
            continue  # another repository: Argo CD reads it, this checkout cannot say
        key = (remote, item.revision, item.path, item.where, item.revision_at, item.kustomization)
        apps = grouped.setdefault(key, [])
        if item.app not in apps:
            apps.append(item.app)
    return grouped


def _absent(revision: str, remote: str, at: Where) -> Hit:
    return Hit(
        "git-revision-absent",
        at,
        f"targetRevision {revision} is not in the local repository, so the paths the "
        f"Applications read at it were not checked: fetch it (git fetch --tags {remote} "
        f"{revision}; in CI, actions/checkout with fetch-depth: 0)",
    )


def _problems(catalog: Catalog, checkout: Path) -> list[Hit]:
    top = gitrepo.toplevel(checkout)
    if top is None:
        return []
    worktree = gitrepo.PathReader(top, gitrepo.Revision("working tree", "worktree"))
    readers: dict[tuple[str, str], gitrepo.PathReader | None] = {}
    found: list[Hit] = []
    absent: set[tuple[str, str]] = set()
    for (remote, revision, path, where, at, kust), apps in _grouped(catalog, top).items():
        if (remote, revision) not in readers:
            readers[(remote, revision)] = gitrepo.paths_at(top, revision, remote)
        reader = readers[(remote, revision)]
        if reader is None:
            if (remote, revision) not in absent:
                absent.add((remote, revision))
                found.append(_absent(revision, remote, at))
            continue
        item = GitPath(apps[0], "", revision, path, where, at, kust)
        if problem := judge_path(top, reader, worktree, item, apps) or _no_kustomization(
            reader, worktree, item, apps
        ):
            found.append(problem)
    return found


def _no_kustomization(
    reader: gitrepo.PathReader, worktree: gitrepo.PathReader, item: GitPath, apps: list[str]
) -> Hit | None:
    """An extraResources ``repoPath`` that exists but holds no kustomization at the revision
    (or, for a branch, in the working tree that lands on it): kustomize cannot build it from
    the root's directory (a plain directory outside it does not build)."""
    if not item.kustomization:
        return None

    def held(where: gitrepo.PathReader) -> bool:
        return any(where.exists(f"{item.path}/{name}") for name in KUSTOMIZATIONS)

    rev = reader.revision
    branch = rev.kind == "branch" and not reader.worktree
    at_rev, in_tree = held(reader), held(worktree) if branch else True
    if at_rev and in_tree:
        return None
    who = f"Application {_names(apps)} reads {item.path}"
    if branch and in_tree:
        return Hit(
            "git-path-not-at-revision",
            item.where,
            f"{who} at {rev.name}, where it holds no kustomization yet: kustomize cannot build "
            f"it from the root's directory until this change lands on {rev.name}",
        )
    where = "the working tree" if at_rev or reader.worktree else rev.name
    return Hit(
        "git-path-missing",
        item.where,
        f"{who} at {rev.name}: it holds no kustomization in {where}, so kustomize cannot "
        "build it from the root's directory; add a kustomization.yaml listing its files",
    )


def git_path_findings(catalog: Catalog, catalog_path: Path) -> list[Finding]:
    """The problems as findings at their catalog lines (the catalog is re-read only then)."""
    from kfboot.check.rules.registry import severity

    problems = _problems(catalog, catalog_path.resolve().parent)
    if not problems:
        return []
    _, pos = yamlio.load_with_positions(catalog_path.read_text(encoding="utf-8"))
    shown = shown_path(catalog_path)
    return [
        Finding(shown, m.line, m.col, severity(p.rule), p.rule, p.message)
        for p in problems
        for m in [pos.of_value(p.path)]
    ]
