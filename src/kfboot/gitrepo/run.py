"""The one way kfboot runs ``git``: never prompting, never fetching, never through a pager."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

# No credential prompt, no lazy fetch of a partial clone's missing objects (git 2.44,
# GIT_NO_LAZY_FETCH), no pager, no replace refs rewriting what a revision holds, no system or
# global configuration (an alias or a hook path must not change what kfboot reads).
_ENV = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_NO_LAZY_FETCH": "1",
    "GIT_NO_REPLACE_OBJECTS": "1",
    "GIT_PAGER": "cat",
    "GIT_CONFIG_NOSYSTEM": "1",
    "LC_ALL": "C",
}


def git(
    where: Path, *args: str, timeout: float = 60, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes] | None:
    """``git -C WHERE ARGS`` (bytes out, ``stdin`` in), or None when git is missing or could not
    run."""
    exe = shutil.which("git")
    if exe is None:
        return None
    try:
        return subprocess.run(
            [exe, "-C", str(where), "-c", "core.quotepath=off", *args],
            capture_output=True,
            input=stdin,
            check=False,
            timeout=timeout,
            env={**os.environ, **_ENV},
        )
    except (OSError, subprocess.TimeoutExpired):
        return None


def git_text(where: Path, *args: str) -> str | None:
    """Stripped stdout of a git command that succeeded, else None."""
    done = git(where, *args)
    if done is None or done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace").strip()


def existing_dir(path: Path) -> Path:
    """``path``, or its nearest existing parent directory."""
    where = path
    while not where.is_dir() and where != where.parent:
        where = where.parent
    return where
