"""The one writer: compare rendered files with a directory, then write atomically.

Also the one unified diff (:func:`unified_diff`, paths relative to the repository root so that
``git apply`` takes it) and the one error for a failed write (:class:`WriteError`).

A plan is computed first (what to write, what is unchanged, which stale generated files to
remove) so that ``check`` can report drift without writing and ``render`` writes nothing when
anything failed earlier. Only files that carry kfboot's header, at a path kfboot could have
generated, are ever removed: a file someone put under ``bootstrap/`` by hand is left alone, and
a hand-written file where kfboot wants to write is an error (``render --force`` replaces it).

Files are never read or written through a symlink, nor read unless regular: a
``bootstrap/Makefile -> /proc/self/environ`` would otherwise be printed in check's diff, and a
``bootstrap/apps -> ../../elsewhere`` written to. Writing is all or nothing: every new file is
written beside its target first, under a lock, and only then are they all renamed into place.
"""

from __future__ import annotations

import contextlib
import difflib
import fcntl
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kfboot.errors import KfbootError
from kfboot.findings import Finding, drift, shown_path
from kfboot.layout import (
    APPS_DIR,
    APPSETS_DIR,
    ARGOCD_DIR,
    BASE_DIR,
    CLUSTERS_DIR,
    ROOT_FILE,
    is_generated,
)

# Every path render can produce under bootstrap/ in any layout (kfboot.render.bootstrap, .fleet,
# .appset): only these are ever removed as stale, whatever header a file at another path holds.
_NAME = r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?"  # a component, cluster or ApplicationSet name
_WAVE_TREE = rf"kustomization\.yaml|wave-(?:minus-)?[0-9]+/{_NAME}\.yaml"
_GENERATED_PATH = re.compile(
    rf"(?:{re.escape(ROOT_FILE)}|Makefile|{ARGOCD_DIR}/[^/]+"
    rf"|{APPS_DIR}/(?:{_WAVE_TREE})|{BASE_DIR}/{_NAME}/[^/]+"
    rf"|{CLUSTERS_DIR}/{_NAME}/(?:{re.escape(ROOT_FILE)}|apps/(?:{_WAVE_TREE})|base/{_NAME}/[^/]+)"
    rf"|{APPSETS_DIR}/{_NAME}\.yaml)\Z"
)
# What atomic_write's temporary files are called: left behind only by a killed process.
_STRAY_TMP = re.compile(r"\.(.+)\.[A-Za-z0-9_]{8}\.tmp\Z")
MAX_GENERATED = 16 << 20  # bytes: no generated file comes near; /dev/zero would never end


class UnsafePath(KfbootError):
    """A path kfboot must not read or write: a symlink on the way to it, or not a regular file."""


@dataclass(frozen=True)
class Sidecar:
    """A generated file beside the catalog, outside ``bootstrap/`` (``waves.schema.json``, the
    generated sections of the docs): what is on disk and what it should hold."""

    path: Path
    current: str | None
    expected: str
    what: str  # what is out of date, for check's finding
    name: str  # the path relative to the catalog's directory, for the diff

    @property
    def stale(self) -> bool:
        return self.current != self.expected

    def diff(self) -> str:
        return unified_diff(self.name, self.current, self.expected)


_DIFFERS = (
    "differs from what the catalog renders (see the diff); change the catalog and run "
    "'kfboot render'"
)


@dataclass
class Plan:
    """What making ``root`` match the rendered files takes, and the generated files beside the
    catalog (``beside``): one plan that ``render`` applies and ``check`` reports as drift."""

    root: Path
    files: dict[str, str]
    write: list[str] = field(default_factory=list)  # new or changed
    unchanged: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)  # generated earlier, no longer generated
    replaced: list[str] = field(default_factory=list)  # hand-written (no header), overwritten
    current: dict[str, str | None] = field(default_factory=dict)
    beside: list[Sidecar] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.write and not self.remove and not self.stale_beside

    @property
    def stale_beside(self) -> list[Sidecar]:
        return [item for item in self.beside if item.stale]

    def drift(self) -> list[Finding]:
        """Every difference as a ``drift`` finding (what ``check`` reports)."""
        found = [
            drift(shown_path(self.root / rel), self.current.get(rel), self.files.get(rel), _DIFFERS)
            for rel in [*self.write, *self.remove]
        ]
        return found + [
            drift(
                str(i.path), i.current, i.expected, f"{i.what} (see the diff); run 'kfboot render'"
            )
            for i in self.stale_beside
        ]

    def diff(self, prefix: str) -> str:
        """A unified diff from what is on disk to what render would write; ``prefix``: where
        ``root`` is, relative to the repository root (the catalog's directory)."""
        inside = (
            unified_diff(f"{prefix}/{rel}", self.current.get(rel), self.files.get(rel))
            for rel in sorted([*self.write, *self.remove])
        )
        return "".join([*inside, *(item.diff() for item in self.stale_beside)])


class WriteError(KfbootError):
    """A file could not be written: ``cannot write FILE: REASON``."""

    def __init__(self, exc: OSError, path: Path | str | None = None) -> None:
        where = shown_path(Path(path)) if path is not None else exc.filename
        super().__init__(f"cannot write {where}: {exc.strerror or exc}")


def unified_diff(name: str, old: str | None, new: str | None) -> str:
    """The unified diff of one file (``None``: absent), named as ``git diff`` names it."""
    lines = difflib.unified_diff(
        (old or "").splitlines(keepends=True),
        (new or "").splitlines(keepends=True),
        fromfile=f"a/{name}" if old is not None else "/dev/null",
        tofile=f"b/{name}" if new is not None else "/dev/null",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def write_text(path: Path, text: str) -> None:
    """Write one file atomically; :class:`WriteError` when the disk refuses."""
    try:
        atomic_write(path, text)
    except OSError as exc:
        raise WriteError(exc, path) from None


def read_text(path: Path) -> str | None:
    """The one reader of generated files: the text on disk, or None when absent or unreadable
    (bytes decoded from UTF-8, so a changed line ending is a change). Never through a symlink,
    never anything but a regular file: :class:`UnsafePath`."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError:
        if path.is_symlink():
            raise _symlink(path) from None
        return None
    if not stat.S_ISREG((info := os.fstat(fd)).st_mode):
        os.close(fd)
        raise UnsafePath(f"{shown_path(path)}: is not a regular file; kfboot never reads one")
    with os.fdopen(fd, "rb") as handle:  # its size: read(cap) allocates 16 MiB for each file
        data = handle.read(min(info.st_size, MAX_GENERATED) + 1)
        if len(data) > info.st_size:  # it grew since fstat: read on, up to the cap
            data += handle.read(MAX_GENERATED + 1 - len(data))
    if len(data) > MAX_GENERATED:
        raise UnsafePath(f"{shown_path(path)}: is larger than any file kfboot generates")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _symlink(path: Path) -> UnsafePath:
    return UnsafePath(
        f"{shown_path(path)}: is a symlink; kfboot never reads or writes through one "
        "(replace it with the file or directory itself)"
    )


def check_path(path: Path, base: Path) -> None:
    """Refuse ``path`` when a component between ``base`` (the repository) and it is a symlink."""
    try:
        parts = path.relative_to(base).parts
    except ValueError:
        parts = ()
    current = base
    for part in parts:
        current = current / part
        try:
            if stat.S_ISLNK(current.lstat().st_mode):
                raise _symlink(current)
        except FileNotFoundError:
            return


def could_generate(rel: str) -> bool:
    """Whether render could produce ``rel`` (relative to bootstrap/) for some catalog."""
    return bool(_GENERATED_PATH.match(rel))


def regular_files(root: Path) -> Iterator[str]:
    """Regular files under ``root``, relative to it; symlinks are neither followed nor read."""
    for current, dirs, names in os.walk(root, followlinks=False):
        dirs.sort()
        for name in sorted(names):
            path = Path(current, name)
            if stat.S_ISREG(path.lstat().st_mode):
                yield path.relative_to(root).as_posix()


def _generated_on_disk(root: Path) -> list[str]:
    if not root.is_dir():
        return []
    found = []
    for rel in regular_files(root):
        if could_generate(rel):
            text = read_text(root / rel)
            if text is not None and is_generated(text):
                found.append(rel)
    return found


def _hand_written(root: Path, found: list[str], command: str) -> KfbootError:
    """Every header-less file where a rendered file goes, at once (one per run made a migration
    a loop of render, move, render)."""
    way_out = f"move it away, or run 'kfboot {command} --force'"
    if len(found) == 1:
        return KfbootError(
            f"{shown_path(root / found[0])}: exists without kfboot's header (written by hand?); "
            f"kfboot would overwrite it: {way_out}"
        )
    lines = [
        f"{shown_path(root / rel)}: exists without kfboot's header (written by hand?)"
        for rel in found
    ]
    lines.append(
        f"{command}: kfboot would overwrite these {len(found)} files; nothing written: "
        + way_out.replace("move it", "move them")
    )
    return KfbootError("\n".join(lines))


def plan(
    root: Path,
    files: dict[str, str],
    beside: list[Sidecar] | None = None,
    *,
    base: Path | None = None,
    force: bool = False,
    command: str = "render",
) -> Plan:
    """What making ``root`` (inside the repository ``base``) match ``files`` takes.

    A file without kfboot's header where a rendered file goes is refused unless ``force``
    (``kfboot COMMAND --force``, the way out the message names).
    """
    check_path(root, base if base is not None else root.parent)
    result = Plan(root=root, files=files, beside=beside or [])
    for rel, text in files.items():
        check_path(root / rel, root)
        old = read_text(root / rel)
        if old is not None and old != text and not is_generated(old):
            result.replaced.append(rel)
        result.current[rel] = old
        (result.unchanged if old == text else result.write).append(rel)
    if result.replaced and not force:
        raise _hand_written(root, result.replaced, command)
    for rel in sorted(_generated_on_disk(root)):
        if rel not in files:
            result.remove.append(rel)
            result.current[rel] = read_text(root / rel)
    return result


def atomic_write(path: Path, text: str) -> None:
    """Write via a temporary file in the same directory and rename it over ``path``."""
    tmp = _stage(path, text)
    try:
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _stage(path: Path, text: str) -> Path:
    """``text`` written and synced into a temporary file beside ``path``; its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).chmod(path.stat().st_mode & 0o7777 if path.exists() else 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


@contextmanager
def locked(directory: Path) -> Iterator[None]:
    """One writer at a time in ``directory`` (an flock on the directory: no lock file). render
    and set-repo hold it on the catalog's directory from reading the catalog to their last
    write, so a render planned before a concurrent set-repo cannot write stale files over it."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # no such directory: the read that follows says so, located
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def apply(p: Plan, extra: dict[Path, str] | None = None) -> None:
    """Carry out a plan, all or nothing: stage every changed file (and ``extra`` files, such as
    set-repo's catalog) beside its target, move every stale generated file aside, then rename
    the staged files into place and delete what was moved aside. A failure before the first
    rename (a full disk, a read-only directory holding a stale file) changes nothing."""
    targets = {p.root / rel: p.files[rel] for rel in p.write}
    targets.update({item.path: item.expected for item in p.stale_beside})
    targets.update(extra or {})
    p.root.mkdir(parents=True, exist_ok=True)
    with locked(p.root):
        staged: list[tuple[Path, Path]] = []
        aside: list[tuple[Path, Path]] = []  # (where a stale file went, where it was)
        current: Path | None = None
        try:
            for current, text in targets.items():
                staged.append((_stage(current, text), current))
            for rel in p.remove:
                current = p.root / rel
                if current.exists():
                    aside.append((_move_aside(current), current))
            for tmp, current in staged:
                tmp.replace(current)
        except OSError as exc:
            for tmp, _ in staged:
                tmp.unlink(missing_ok=True)
            for moved, original in reversed(aside):
                with contextlib.suppress(OSError):
                    moved.replace(original)
            raise WriteError(exc, current) from None
        for moved, original in aside:
            with contextlib.suppress(OSError):  # left, it is removed as a stray next time
                moved.unlink()
            _prune_empty_dirs(original.parent, p.root)
        _remove_stray_tmp(p.root)


def _move_aside(path: Path) -> Path:
    """Rename ``path`` to a temporary name beside it (as :func:`_stage` names them, so a killed
    render's leftover is removed next time); undone by renaming it back."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        path.replace(tmp)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _remove_stray_tmp(root: Path) -> None:
    """Temporary files a killed render left behind: named as :func:`_stage` names them, for a
    file render could generate (``.app-of-apps.yaml.k3j9x2a1.tmp``); a user's
    ``custom/.db-dump.20240101.tmp`` is left alone. Best effort: a leftover is harmless."""
    for current, _, names in os.walk(root, followlinks=False):
        for name in names:
            match = _STRAY_TMP.match(name)
            rel = Path(current, match.group(1)).relative_to(root).as_posix() if match else ""
            if match and could_generate(rel):
                with contextlib.suppress(OSError):
                    Path(current, name).unlink()


def _prune_empty_dirs(directory: Path, root: Path) -> None:
    while directory != root and root in directory.parents:
        try:
            directory.rmdir()  # only succeeds when empty
        except OSError:
            return
        directory = directory.parent
