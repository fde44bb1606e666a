"""Where a component, one of its paths, or one of its ``dependsOn`` entries sits in the catalog."""

from __future__ import annotations

from pathlib import Path

from kfboot import yamlio
from kfboot.catalog.models import Catalog
from kfboot.findings import shown_path


class Locator:
    """Maps catalog entries to ``(file, line, col)`` using the catalog text's parse positions."""

    def __init__(self, catalog: Catalog, catalog_path: Path) -> None:
        # The same file naming as catalog errors (catalog.load_catalog).
        self.file = shown_path(catalog_path)
        self._index = {c.name: i for i, c in enumerate(catalog.components)}
        self._comps = {c.name: c for c in catalog.components}
        try:
            _, self._pos = yamlio.load_with_positions(catalog_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._pos = yamlio.Positions({}, {})
        names = [c.name for c in catalog.components]
        self._owners = {
            (mark.line, mark.col): names[path[1]]
            for path, mark in self._pos.values.items()
            if len(path) >= 2 and path[0] == "components" and isinstance(path[1], int)
            if path[1] < len(names)
        }

    def owner(self, line: int, col: int) -> str | None:
        """The component whose part of the catalog sits at ``line:col`` (None: not one)."""
        return self._owners.get((line, col))

    def at(self, path: tuple[str | int, ...]) -> tuple[str, int, int]:
        """Where the catalog value at ``path`` sits."""
        return self._at(path)

    def _at(self, path: tuple[str | int, ...]) -> tuple[str, int, int]:
        mark = self._pos.of_value(path)
        return self.file, mark.line, mark.col

    def component(self, name: str) -> tuple[str, int, int]:
        return self._at(("components", self._index.get(name, 0), "name"))

    def path(self, name: str, rel: str) -> tuple[str, int, int]:
        paths = self._comps[name].paths
        index = paths.index(rel) if rel in paths else 0
        return self._at(("components", self._index[name], "paths", index))

    def depends_on(self, name: str, dep: str) -> tuple[str, int, int]:
        deps = self._comps[name].dependsOn
        if dep not in deps:
            return self.component(name)
        return self._at(("components", self._index[name], "dependsOn", deps.index(dep)))
