"""The git remote ``origin`` of a directory: where ``kfboot init`` takes repoURL from.

There is no default repository: a catalog that deployed from someone else's repository by
default would do so with exit 0. ``init`` takes ``--repo URL``, else this remote, else refuses.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def origin_url(directory: Path) -> str | None:
    """``git remote get-url origin`` in ``directory`` (or its nearest existing parent), or None
    when there is no git, no repository or no such remote."""
    git = shutil.which("git")
    where = directory
    while not where.is_dir() and where != where.parent:
        where = where.parent
    if git is None or not where.is_dir():
        return None
    try:
        done = subprocess.run(
            [git, "-C", str(where), "remote", "get-url", "origin"],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    url = done.stdout.strip()
    return url if done.returncode == 0 and url else None
