"""Which Applications are roots (apps of apps), and which objects of the tree each one syncs.

A source path is relative to its repository. The repository is the git checkout holding the
linted path (the nearest directory with ``.git``), else the first linted directory. A source
whose ``repoURL`` is one of the checkout's remotes (:func:`kfboot.gitrepo.remotes`) names
``repo/path``; any other names, as ``kfboot import`` reads it, the linted directories whose
path ends with it (a copy of a bootstrap, linted outside its own repository). What a root syncs
at its path is what Argo CD reads there (:func:`kfboot.importing.tree.synced_by`: a
kustomization's resources, or the directory's own files, those below only with
``directory.recurse``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kfboot import gitrepo
from kfboot.importing.tree import synced_by, top_of
from kfboot.lint.reading import ArgoObject


def repository_root(start: Path) -> Path:
    """The nearest directory at or above ``start`` holding ``.git``; ``start`` itself if none."""
    start = top_of(start if start.is_dir() else start.parent)
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    return start


def git_sources(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The git sources of an Application (single or multiple; not Helm charts)."""
    spec = doc.get("spec") if isinstance(doc.get("spec"), dict) else {}
    assert isinstance(spec, dict)
    single, many = spec.get("source"), spec.get("sources")
    for source in [single, *(many if isinstance(many, list) else [])]:
        if isinstance(source, dict) and not source.get("chart") and "path" in source:
            yield source


def source_paths(doc: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    """Each git source of an Application with its YAML path (``spec.source[s]``)."""
    spec = doc.get("spec") if isinstance(doc.get("spec"), dict) else {}
    assert isinstance(spec, dict)
    many = spec.get("sources")
    for source in git_sources(doc):
        if isinstance(many, list) and any(source is s for s in many):
            yield ("spec", "sources", next(i for i, s in enumerate(many) if s is source)), source
        else:
            yield ("spec", "source"), source


class Roots:
    """Each Application that syncs other objects of the tree, with the objects it syncs."""

    def __init__(self, objects: list[ArgoObject], repo: Path, linted: list[Path]) -> None:
        self.repo = repo
        self.known = {gitrepo.normalise_url(url) for url in gitrepo.remotes(repo).values()}
        self.linted = [top_of(p) for p in linted if p.is_dir()]
        self._dirs: list[Path] | None = None
        by_path: dict[Path, list[ArgoObject]] = {}
        for obj in objects:
            by_path.setdefault(obj.path, []).append(obj)
        self.children: dict[int, list[ArgoObject]] = {}
        for i, obj in enumerate(objects):
            if obj.kind != "Application":
                continue
            found = [c for f in self._reached(obj.doc) for c in by_path.get(f, []) if c is not obj]
            if found:
                self.children[i] = found

    def ours(self, source: dict[str, Any]) -> bool:
        url = source.get("repoURL")
        return isinstance(url, str) and gitrepo.normalise_url(url) in self.known

    def directories(self, source: dict[str, Any], path: str) -> list[Path]:
        """The local directories a git source's path names (see the module docstring)."""
        rel = path.strip().strip("/").removeprefix("./")
        if self.ours(source) or not rel or rel == ".":
            directory = top_of(self.repo / rel)
            inside = self.repo in (directory, *directory.parents)
            return [directory] if inside and directory.is_dir() else []
        if self._dirs is None:
            self._dirs = sorted(
                {Path(d) for top in self.linted for d, _, _ in os.walk(top)}
                | {top.parent for top in self.linted}
            )
        return [d for d in self._dirs if d.as_posix().endswith("/" + rel)]

    def _reached(self, doc: dict[str, Any]) -> set[Path]:
        files: set[Path] = set()
        for source in git_sources(doc):
            path = source.get("path")
            if not isinstance(path, str):
                continue
            for directory in self.directories(source, path):
                files |= self.synced(source, directory)
        return files

    def synced(self, source: dict[str, Any], directory: Path) -> set[Path]:
        """The files Argo CD reads for ``source`` at ``directory``."""
        options = source.get("directory")
        recurse = isinstance(options, dict) and options.get("recurse") is True
        top = next((t for t in self.linted if t in (directory, *directory.parents)), self.repo)
        return {top_of(p) for p in synced_by(directory, top, recurse)}
