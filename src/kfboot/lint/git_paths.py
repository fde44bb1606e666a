"""Rule 2 for hand-written trees: each path an Application reads from this repository exists at
its ``targetRevision``.

The same judgement as ``check`` (:func:`kfboot.check.git_paths.judge_path`, over
:mod:`kfboot.gitrepo`: the local object store, never the network): a source whose ``repoURL`` is
a remote of the checkout, read at its revision (the working tree for the current branch or an
empty ``targetRevision``, which Argo CD reads as ``HEAD``). The root's path is one of them.
``git-path-missing`` where the path is not there, ``git-path-not-at-revision`` where only the
working tree has it yet, ``git-revision-absent`` where the revision is not in the local
repository.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kfboot import gitrepo
from kfboot.check.rules.application import Hit
from kfboot.lint.engine import Located, place
from kfboot.lint.reading import ArgoObject
from kfboot.lint.roots import source_paths


def path_findings(objects: list[ArgoObject], repo: Path) -> Iterator[Located]:
    top = gitrepo.toplevel(repo)
    if top is None:
        return
    worktree = gitrepo.PathReader(top, gitrepo.Revision("working tree", "worktree"))
    remote_of: dict[str, str | None] = {}
    readers: dict[tuple[str, str], gitrepo.PathReader | None] = {}
    for obj in objects:
        if obj.kind != "Application":
            continue
        for at, source in source_paths(obj.doc):
            url, path = source.get("repoURL"), source.get("path")
            revision = source.get("targetRevision") or "HEAD"
            if not (isinstance(url, str) and isinstance(path, str) and isinstance(revision, str)):
                continue
            if url not in remote_of:
                remote_of[url] = gitrepo.matching_remote(url, top)
            remote = remote_of[url]
            if remote is None:
                continue  # another repository: Argo CD reads it, this checkout cannot say
            first = (remote, revision) not in readers
            if first:
                readers[(remote, revision)] = gitrepo.paths_at(top, revision, remote)
            reader = readers[(remote, revision)]
            where = (*at, "targetRevision") if "targetRevision" in source else at
            if reader is None:
                if first:
                    yield place(obj, _absent(revision, remote, where))
                continue
            # check's judgement, imported only now: it brings the catalog and render modules.
            from kfboot.check.git_paths import GitPath, judge_path

            item = GitPath(obj.name, url, revision, path, (*at, "path"), where)
            if problem := judge_path(top, reader, worktree, item, [obj.name]):
                yield place(obj, problem)


def _absent(revision: str, remote: str, at: tuple[str | int, ...]) -> Hit:
    return Hit(
        "git-revision-absent",
        at,
        f"targetRevision {revision} is not in the local repository, so the paths read at it were "
        f"not checked: fetch it (git fetch --tags {remote} {revision}; in CI, actions/checkout "
        "with fetch-depth: 0)",
    )
