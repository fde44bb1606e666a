"""The one writer: compare rendered files with a directory, then write atomically.

Also the one unified diff (:func:`unified_diff`, paths relative to the repository root so that
``git apply`` takes it) and the one error for a failed write (:class:`WriteError`).

A plan is computed first (what to write, what is unchanged, which stale generated files to
remove) so that ``check`` can report drift without writing and ``render`` writes nothing when
anything failed earlier. Only files that carry kfboot's header are ever removed: a file someone
put under ``bootstrap/`` by hand is left alone.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from kfboot.errors import KfbootError
from kfboot.findings import Finding, drift, shown_path
from kfboot.layout import is_generated


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
        where = path if path is not None else exc.filename
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
    (bytes decoded from UTF-8, so a changed line ending is a change)."""
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _generated_on_disk(root: Path) -> list[str]:
    if not root.is_dir():
        return []
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            text = read_text(path)
            if text is not None and is_generated(text):
                found.append(path.relative_to(root).as_posix())
    return found


def plan(root: Path, files: dict[str, str], beside: list[Sidecar] | None = None) -> Plan:
    result = Plan(root=root, files=files, beside=beside or [])
    for rel, text in files.items():
        old = read_text(root / rel)
        result.current[rel] = old
        (result.unchanged if old == text else result.write).append(rel)
    for rel in sorted(_generated_on_disk(root)):
        if rel not in files:
            result.remove.append(rel)
            result.current[rel] = read_text(root / rel)
    return result


def atomic_write(path: Path, text: str) -> None:
    """Write via a temporary file in the same directory and rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).chmod(path.stat().st_mode & 0o7777 if path.exists() else 0o644)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def apply(p: Plan) -> None:
    """Carry out a plan: write changed files, remove stale generated ones, prune empty dirs,
    then write the stale files beside the catalog."""
    try:
        for rel in p.write:
            atomic_write(p.root / rel, p.files[rel])
        for rel in p.remove:
            target = p.root / rel
            target.unlink(missing_ok=True)
            _prune_empty_dirs(target.parent, p.root)
        for item in p.stale_beside:
            atomic_write(item.path, item.expected)
    except OSError as exc:
        raise WriteError(exc) from None


def _prune_empty_dirs(directory: Path, root: Path) -> None:
    while directory != root and root in directory.parents:
        try:
            directory.rmdir()  # only succeeds when empty
        except OSError:
            return
        directory = directory.parent
