"""The build cache: one JSON file per build, keyed by a hash of everything that determines it.

The key covers the kustomize command, the wrapper text (when there is one), and the bytes of every
file under every directory the build reads (see :mod:`kfboot.manifests.inputs`), named relative to
the checkout: a build does not depend on where the checkout is, so the base revision that
``plan --manifests`` extracts into a temporary directory hits the entries of the working tree's
builds for every component the change leaves alone. Failed builds are
cached too, keyed by their local inputs only, so a broken tree is not rebuilt on every run. The
cache lives in ``$XDG_CACHE_HOME/kfboot`` (default ``~/.cache/kfboot``), never in the repository.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Any

from kfboot import __version__
from kfboot.manifests.inputs import Inputs

FORMAT = 3  # 3: objects carry the fields plan --manifests compares (2: sync wave, detail)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kfboot" / "manifests"


def tool_identity(program: str) -> str:
    """Where the kustomize program is and its size and mtime: an upgrade invalidates the cache
    without running it to ask its version (that would cost more than a warm run)."""
    found = shutil.which(program)
    if found is None:
        return program
    stat = Path(found).stat()
    return f"{Path(found).resolve()}:{stat.st_size}:{stat.st_mtime_ns}"


class Hasher:
    """File digests, each file read once per run however many builds share it."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root  # names in the key are relative to it (absolute when None)
        self._files: dict[Path, str] = {}
        self._sizes: dict[Path, int] = {}
        self._trees: dict[Path, list[tuple[str, str]]] = {}

    def file(self, path: Path) -> str:
        digest = self._files.get(path)
        if digest is None:
            digest, self._sizes[path] = _digest(path)
            self._files[path] = digest
        return digest

    def tree(self, root: Path) -> list[tuple[str, str]]:
        found = self._trees.get(root)
        if found is None:
            found = []
            for current, dirs, files in os.walk(root):
                # Kustomize never reads version-control metadata; hashing it would be slow.
                dirs[:] = sorted(d for d in dirs if d not in (".git", ".hg", ".svn"))
                for name in sorted(files):
                    path = Path(current, name)
                    found.append((str(path), self.file(path)))
            self._trees[root] = found
        return found

    def weight(self, inputs: Inputs) -> int:
        """Bytes a build reads: a cost estimate, so the longest builds start first."""
        files = {Path(name) for root in inputs.roots for name, _ in self.tree(root)}
        return sum(self._sizes.get(f, 0) for f in files | inputs.files)

    def key(self, command: list[str], wrapper: str | None, inputs: Inputs) -> str:
        digest = hashlib.sha256()
        head = {
            "kfboot": __version__,
            "format": FORMAT,
            "cmd": command,
            "tool": tool_identity(command[0]),
            "wrapper": wrapper,
        }
        digest.update(json.dumps(head, sort_keys=True).encode())
        entries = {e for root in inputs.roots for e in self.tree(root)}
        entries |= {(str(f), self.file(f)) for f in inputs.files}
        for name, file_digest in sorted(entries):
            shown = os.path.relpath(name, self.root) if self.root is not None else name
            digest.update(f"{shown}\0{file_digest}\n".encode())
        return digest.hexdigest()


# bytes: a file larger than this is keyed by its size and modification time, not read whole.
MAX_HASHED = 64 << 20
_CHUNK = 1 << 20


def _digest(path: Path) -> tuple[str, int]:
    """The digest of a file a build may read, and its size; never more than :data:`MAX_HASHED`
    bytes read, never anything but a regular file (a ``README -> /dev/zero`` exhausted memory,
    a FIFO hung the check). Anything else is keyed by what it is."""
    digest = hashlib.sha256()
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return _marker(f"not a regular file: mode {stat.S_IFMT(info.st_mode):o}"), 0
        if info.st_size > MAX_HASHED:
            return _marker(f"large: {info.st_size} bytes, {info.st_mtime_ns}"), info.st_size
        # O_NONBLOCK: should it have become a FIFO since the stat, opening must not block.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return _marker("unreadable"), 0
    size = 0
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return _marker("not a regular file"), 0
        while size <= MAX_HASHED and (chunk := handle.read(_CHUNK)):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _marker(what: str) -> str:
    return hashlib.sha256(f"\0{what}".encode()).hexdigest()


# A record holds object identities only; anything larger is not ours (or is /dev/zero).
MAX_RECORD = 64 << 20


def _read_regular(path: Path) -> bytes:
    """A regular file's bytes, never through a symlink; OSError for anything else."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_RECORD:
            raise OSError(f"{path}: not a regular cache file")
        return handle.read(MAX_RECORD + 1)


def load(key: str) -> dict[str, Any] | None:
    """The record stored under ``key``, or None: unreadable, truncated or foreign is a miss.

    Records are JSON, never pickle: a restored or shared CI cache must not be able to run code.
    The caller checks the record's shape (:meth:`kfboot.manifests.build.Outcome.from_record`).
    """
    try:
        data = json.loads(_read_regular(cache_dir() / f"{key}.json").decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def store(key: str, record: dict[str, Any]) -> None:
    """Write atomically; a cache that cannot be written only costs speed, never correctness."""
    directory = cache_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(record, handle, separators=(",", ":"))
        Path(tmp).replace(directory / f"{key}.json")
    except OSError:
        return
