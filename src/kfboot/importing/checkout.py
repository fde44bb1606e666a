"""The imported tree's repository on disk: where it starts, and reading its files safely.

A source path, a ``$values/...`` value file and a kustomization's ``../../base`` are all
repository-relative, so import reads them from the repository holding the imported directory:
its git working tree, or the imported directory itself when it is in none. Nothing outside it
is read, not even through a symlink that leaves it, and only regular files of a bounded size.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from kfboot import yamlio
from kfboot.gitrepo.tree import inside
from kfboot.importing.tree import top_of

# A value file or a manifest import reads is small; a FIFO or a multi-GiB file is not input.
MAX_READ = 4 << 20


def repository_top(root: Path) -> Path:
    """The top of the repository holding ``root`` (a file or directory), spelled as ``root``
    is (not resolved): git's working tree, else the imported directory itself."""
    from kfboot.gitrepo import toplevel

    top = top_of(root) if root.is_dir() else top_of(root).parent
    found = toplevel(top)
    if found is None:
        return top
    real = found.resolve()
    for candidate in (top, *top.parents):
        if candidate.resolve() == real:
            return candidate
    return top


def repository_path(top: Path, rel: str) -> Path | None:
    """``rel`` (repository-relative) under ``top``, or None when its ``..`` leave the repository
    (a symlink out of it is :func:`read_mapping`'s to refuse)."""
    path = Path(os.path.normpath(top / rel.lstrip("/")))
    return path if path == top or top in path.parents else None


def read_mapping(path: Path, top: Path) -> tuple[dict[str, Any] | None, str]:
    """The YAML mapping in file ``path`` of the repository at ``top``, or None and why not."""
    if not inside(path, top):
        return None, "it leaves the repository through a symlink"
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return None, "it is not a regular file"
        if info.st_size > MAX_READ:
            return None, f"it is larger than {MAX_READ >> 20} MiB"
        with path.open("rb") as handle:
            raw = handle.read(MAX_READ + 1)
    except FileNotFoundError:
        return None, "it does not exist in the repository"
    except OSError as exc:
        return None, f"it cannot be read ({exc.strerror})"
    if len(raw) > MAX_READ:
        return None, f"it is larger than {MAX_READ >> 20} MiB"
    try:
        data = yamlio.load_with_positions(raw.decode("utf-8"))[0]
    except (ValueError, UnicodeDecodeError) as exc:
        return None, f"it is not valid YAML ({str(exc).splitlines()[0]})"
    if data is None:
        return {}, ""  # empty, or comments only: Helm reads no values from it
    if not isinstance(data, dict):
        return None, "it holds no mapping of values"
    return data, ""
