"""Generated files beside the catalog, outside ``bootstrap/``: ``waves.schema.json`` always, and
``README.md`` when it carries kfboot's section markers.

``render`` writes them (atomically, only when changed) and counts them in its summary; ``check``
reports a stale one as a ``drift`` finding, with a diff. Files are compared as bytes decoded
from UTF-8, like ``output.plan``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kfboot.docs.schema import SCHEMA_FILE

if TYPE_CHECKING:
    from kfboot.catalog.models import Catalog
    from kfboot.findings import Finding

README = "README.md"


@dataclass(frozen=True)
class Sidecar:
    """One generated file beside the catalog: what is on disk and what it should hold."""

    path: Path
    current: str | None
    expected: str
    what: str  # what is out of date, for check's finding

    @property
    def stale(self) -> bool:
        return self.current != self.expected

    def diff(self) -> str:
        lines = difflib.unified_diff(
            (self.current or "").splitlines(keepends=True),
            self.expected.splitlines(keepends=True),
            fromfile=f"a/{self.path.name}" if self.current is not None else "/dev/null",
            tofile=f"b/{self.path.name}",
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _read(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def sidecars(catalog_path: Path, catalog: Catalog) -> list[Sidecar]:
    """The generated files beside ``catalog_path``, each with its current and expected text."""
    from kfboot.docs import readme_sections as readme
    from kfboot.docs.schema import schema_text

    directory = catalog_path.parent
    schema_path = directory / SCHEMA_FILE
    found = [
        Sidecar(
            schema_path,
            _read(schema_path),
            schema_text(),
            "out of date with kfboot's catalog models",
        )
    ]
    readme_path = directory / README
    text = _read(readme_path)
    # Generating the sections costs a schema and a graph: only for a README that has markers.
    if text is not None and readme.marked_sections(text, file=str(readme_path)):
        sections = readme.generated_sections(catalog)
        stale = readme.stale_sections(text, sections, file=str(readme_path))
        what = ", ".join(f"'{name}'" for name in stale) or "none"
        found.append(
            Sidecar(
                readme_path,
                text,
                readme.refresh(text, sections, file=str(readme_path)),
                f"generated section(s) {what} out of date with the catalog",
            )
        )
    return found


def findings(items: list[Sidecar]) -> list[Finding]:
    """Stale files as ``drift`` findings at their first differing line (for check's report)."""
    from kfboot.findings import Finding, first_difference

    found = []
    for item in items:
        if not item.stale:
            continue
        if item.current is None:
            found.append(
                Finding(str(item.path), 0, 0, "error", "drift", "missing; run 'kfboot render'")
            )
            continue
        line = first_difference(item.current, item.expected)
        message = f"{item.what} (see the diff); run 'kfboot render'"
        found.append(Finding(str(item.path), line, 1, "error", "drift", message))
    return found


def write_stale(items: list[Sidecar]) -> list[Path]:
    """Write every stale file atomically; the paths written (``init`` and ``import`` use it too)."""
    from kfboot.errors import KfbootError
    from kfboot.output import atomic_write

    written = []
    try:
        for item in items:
            if item.stale:
                atomic_write(item.path, item.expected)
                written.append(item.path)
    except OSError as exc:
        raise KfbootError(f"cannot write {exc.filename}: {exc.strerror}") from None
    return written
