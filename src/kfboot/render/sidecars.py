"""Generated files beside the catalog, outside ``bootstrap/``: ``waves.schema.json`` always, and
``README.md`` and every Markdown file under ``docs/`` that carries kfboot's section markers.

They are entries of the one plan (``kfboot.output.Plan.beside``): ``render`` writes them
(atomically, only when changed) and counts them in its summary; ``check`` reports a stale one as
a ``drift`` finding, with a diff. Files are compared as bytes decoded
from UTF-8, like ``output.plan``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kfboot.docs.schema import SCHEMA_FILE
from kfboot.findings import Finding
from kfboot.output import Plan, Sidecar, read_text

if TYPE_CHECKING:
    from kfboot.catalog.models import Catalog

README = "README.md"
DOCS = "docs"


def markdown_files(directory: Path) -> list[Path]:
    """``README.md`` and the Markdown files under ``docs/`` in ``directory``, in a stable order."""
    docs = directory / DOCS
    return [directory / README, *sorted(docs.rglob("*.md") if docs.is_dir() else ())]


def sidecars(catalog_path: Path, catalog: Catalog) -> list[Sidecar]:
    """The generated files beside ``catalog_path``, each with its current and expected text."""
    from kfboot.docs import readme_sections as readme
    from kfboot.docs.schema import schema_text

    directory = catalog_path.parent
    schema_path = directory / SCHEMA_FILE
    found = [
        Sidecar(
            schema_path,
            read_text(schema_path),
            schema_text(),
            "out of date with kfboot's catalog models",
            SCHEMA_FILE,
        )
    ]
    sections: dict[str, str] | None = None
    for path in markdown_files(directory):
        text = read_text(path)
        # Generating the sections costs a schema and a graph: only for files that have markers.
        if text is None or not readme.marked_sections(text, file=str(path)):
            continue
        sections = sections or readme.generated_sections(catalog)
        stale = readme.stale_sections(text, sections, file=str(path))
        what = ", ".join(f"'{name}'" for name in stale) or "none"
        found.append(
            Sidecar(
                path,
                text,
                readme.refresh(text, sections, file=str(path)),
                f"generated section(s) {what} out of date with the catalog",
                path.relative_to(directory).as_posix(),
            )
        )
    return found


def findings(items: list[Sidecar]) -> list[Finding]:
    """Stale files as ``drift`` findings at their first differing line."""
    return Plan(Path(), {}, beside=items).drift()
