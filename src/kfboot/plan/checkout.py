"""The manifests at the base revision, for ``plan --manifests``: ``git archive`` of REF into a
temporary directory, never a checkout over the user's tree (``git worktree add`` would write
under ``.git/worktrees``; an archive writes nothing to the repository).

``DIR`` inside the catalog's repository (a fork of kubeflow/manifests holding ``waves.yaml``,
the usual case) is read at REF. ``DIR`` in another repository (or none) has no revision that
belongs to REF, so both sides build from ``DIR`` as it is: only the catalog changed.
"""

from __future__ import annotations

import io
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kfboot import gitrepo
from kfboot.errors import UsageError
from kfboot.gitrepo.run import git


@dataclass(frozen=True)
class BaseTree:
    """Where the base revision's manifests are, and how they were obtained (for the header)."""

    path: Path
    how: str


def default_dir(catalog_path: Path) -> Path:
    """``--manifests`` without DIR: the repository holding the catalog (else its directory)."""
    parent = catalog_path.absolute().parent
    return gitrepo.toplevel(parent) or parent


def _extract(top: Path, commit: str, rel: str, into: Path) -> None:
    tree = commit if rel == "." else f"{commit}:{rel}"
    done = git(top, "archive", "--format=tar", tree, timeout=600)
    if done is None or done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip() if done is not None else "no git"
        raise UsageError(f"--manifests: cannot read {tree} with git archive: {why}")
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
        try:
            # The "data" filter refuses absolute paths, escaping links and device files.
            archive.extractall(into, filter="data")
        except tarfile.TarError as exc:
            raise UsageError(f"--manifests: cannot extract {tree}: {exc}") from None


@contextmanager
def base_tree(manifests_dir: Path, catalog_path: Path, ref: str) -> Iterator[BaseTree]:
    """The manifests as they were at ``ref`` (see the module docstring)."""
    here = manifests_dir.resolve()
    catalog_top = gitrepo.toplevel(catalog_path.resolve().parent)
    top = gitrepo.toplevel(here)
    if top is None or catalog_top is None or top.resolve() != catalog_top.resolve():
        yield BaseTree(manifests_dir, f"{manifests_dir} as it is (not in the catalog's repository)")
        return
    rel = here.relative_to(top.resolve()).as_posix()
    commit = gitrepo.commit_of(top, ref)
    with tempfile.TemporaryDirectory(prefix="kfboot-plan-") as tmp:
        if commit is not None:  # else a repository without commits: nothing at the base
            _extract(top, commit, rel, Path(tmp))
        yield BaseTree(Path(tmp), f"{rel} at {ref} (git archive)")
