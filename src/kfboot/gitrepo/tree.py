"""What a revision of the local repository holds, read from the object store or the working tree.

A revision is resolved as Argo CD resolves ``targetRevision`` against the remote (a branch, a
tag or a commit; argoproj/argo-cd util/git/client.go ``LsRemote``@v3.4.7), but locally: the
remote-tracking branch of the matching remote first, then a local branch, a tag, a commit. The
current branch is read from the working tree: that is the commit being made.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kfboot.gitrepo.run import existing_dir, git, git_text

Kind = Literal["worktree", "branch", "tag", "commit", "absent"]
_SHA = re.compile(r"^[0-9a-f]{7,64}$")


@dataclass(frozen=True)
class Revision:
    """A ``targetRevision`` resolved in the local repository (``commit`` None: absent)."""

    name: str
    kind: Kind
    commit: str | None = None


def inside(path: Path, top: Path) -> bool:
    """Whether ``path`` lies in ``top`` once symlinks are resolved (a link out of it does not):
    the one test of "inside the repository" for check and import."""
    try:
        real, base = path.resolve(), top.resolve()
    except (OSError, RuntimeError):
        return False
    return real == base or base in real.parents


def toplevel(checkout: Path) -> Path | None:
    """The root of the working tree holding ``checkout``, or None outside a git repository."""
    out = git_text(existing_dir(checkout), "rev-parse", "--show-toplevel")
    return Path(out) if out else None


def current_branch(top: Path) -> str | None:
    return git_text(top, "symbolic-ref", "--quiet", "--short", "HEAD")


def _commit(top: Path, ref: str) -> str | None:
    return git_text(
        top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"
    )


def commit_of(checkout: Path, ref: str) -> str | None:
    """The commit any git revision names (``origin/main``, ``HEAD~1``, a tag), or None."""
    top = toplevel(checkout)
    return _commit(top, ref) if top is not None else None


def _commits(top: Path, refs: list[str]) -> list[str | None]:
    """The commit each of ``refs`` names (None: none), in one ``git cat-file --batch-check``
    rather than a ``git rev-parse`` per candidate: ``check`` resolves on every run."""
    if any("\n" in ref for ref in refs):
        return [None] * len(refs)
    done = git(
        top, "cat-file", "--batch-check", stdin="".join(f"{r}^{{commit}}\n" for r in refs).encode()
    )
    lines = done.stdout.decode("utf-8", "replace").splitlines() if done else []
    if done is None or done.returncode != 0 or len(lines) != len(refs):
        return [_commit(top, ref) for ref in refs]
    # Each line is "<sha> commit <size>", or "<input> missing" / "<input> ambiguous".
    fields = [line.split(" ") for line in lines]
    return [f[0] if len(f) == 3 and f[1] == "commit" else None for f in fields]


def _resolve(top: Path, revision: str, remote: str | None) -> Revision:
    current = current_branch(top)
    candidates: list[tuple[str, Kind]] = [("HEAD", "worktree")]
    if remote is not None:
        candidates.append((f"refs/remotes/{remote}/{revision}", "branch"))
    candidates += [(f"refs/heads/{revision}", "branch"), (f"refs/tags/{revision}", "tag")]
    if _SHA.match(revision.lower()):
        candidates.append((revision, "commit"))
    commits = _commits(top, [ref for ref, _ in candidates])
    if revision in ("HEAD", current):
        return Revision(revision, "worktree", commits[0])
    for (_, kind), commit in zip(candidates[1:], commits[1:], strict=True):
        if commit:
            return Revision(revision, kind, commit)
    return Revision(revision, "absent")


def resolve(checkout: Path, revision: str, remote: str | None = None) -> Revision:
    """``revision`` in the repository holding ``checkout``; ``remote``: whose branches count."""
    top = toplevel(checkout)
    return Revision(revision, "absent") if top is None else _resolve(top, revision, remote)


@dataclass
class PathReader:
    """Which paths (relative to the repository root) exist at one revision, or in the
    working tree (``commit`` None)."""

    top: Path
    revision: Revision
    _paths: set[str] | None = field(default=None, repr=False)

    @property
    def worktree(self) -> bool:
        return self.revision.kind == "worktree"

    def _listing(self) -> set[str]:
        if self._paths is None:
            assert self.revision.commit is not None
            done = git(self.top, "ls-tree", "-r", "-t", "-z", "--name-only", self.revision.commit)
            names = done.stdout.decode("utf-8", "replace").split("\0") if done else []
            self._paths = {n for n in names if n}
        return self._paths

    def exists(self, path: str) -> bool:
        """Whether ``path`` (a file or a directory) exists; ``..`` is resolved, never escapes."""
        rel = posixpath.normpath(path.strip("/"))
        if rel == ".":
            return True
        if rel.startswith("../"):
            return False
        if self.worktree:
            return (self.top / rel).exists()
        return rel in self._listing()


def paths_at(checkout: Path, revision: str, remote: str | None = None) -> PathReader | None:
    """A reader of ``revision`` (the working tree for the current branch), or None when the
    revision (or the repository) is not present locally."""
    top = toplevel(checkout)
    if top is None:
        return None
    resolved = _resolve(top, revision, remote)
    return None if resolved.kind == "absent" else PathReader(top, resolved)


def show(checkout: Path, ref: str, path: str) -> str | None:
    """The text of ``path`` (relative to the repository root) at ``ref``, or None when absent."""
    top = toplevel(checkout)
    commit = _commit(top, ref) if top else None
    if top is None or commit is None:
        return None
    done = git(top, "cat-file", "blob", f"{commit}:{path}")
    if done is None or done.returncode != 0:
        return None
    try:
        return done.stdout.decode("utf-8")
    except UnicodeDecodeError:
        return None
