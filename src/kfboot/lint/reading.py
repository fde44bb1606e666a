"""Reading a tree as Argo CD would: the files, their Argo CD objects, and their positions.

The files are those :func:`kfboot.importing.tree.application_files` selects (a kustomization's
resources, not its patches; no Helm chart's templates; no hidden directory). A file without
``argoproj.io`` cannot hold an Argo CD object and is never parsed; one that holds it is parsed
with positions and judged for YAML hygiene (duplicate keys, YAML 1.1 traps), as ``check`` judges
the files under bootstrap/.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kfboot import output, yamlio
from kfboot.check.rules.hygiene import parse_and_check, trap_findings
from kfboot.findings import Finding, shown_path
from kfboot.importing.tree import YAML_SUFFIXES, application_files, top_of, walk_files, walked

KINDS = ("Application", "ApplicationSet", "AppProject")
NOT_READ = "lint-file-not-read"
# argocd-cm's health check for Applications, as a key of its own or in resource.customizations
# (https://argo-cd.readthedocs.io/en/stable/operator-manual/health/#argocd-app).
_HEALTH = re.compile(r"health\.argoproj\.io_Application\b|argoproj\.io/Application:\s*\n\s+health")


# Every YAML 1.1 trap (:func:`kfboot.check.rules.hygiene.trap`) holds one of these: a 1.1-only
# boolean word, a number with an underscore, an exponent, a sexagesimal colon, a leading zero,
# 0b/0o, a date, or a signed leading dot. A file with none is spared the token scan (a fifth of
# a lint); a property test holds the two together (tests/unit/test_lint_rules.py).
TRAP_HINT = re.compile(
    r"(?=[yYnNoO0-9.+-])"  # the first characters of a match: four times faster a search
    r"(?:(?<![\w.-])(?:[yYnN]|[Yy]es|YES|[Nn]o|NO|[Oo]n|ON|[Oo]ff|OFF)(?![\w.-])"
    r"|(?<![\w.])[-+]?(?:0[0-9bBoO_]|[0-9.][0-9._]*(?:[eE]|:[0-9]|_)|[0-9]{4}-)"
    r"|(?<![\w.])[-+]\.)"
)


class LazyPositions:
    """The positions of one document of a file, computed when a finding first needs them: a
    clean file is parsed once, by libyaml, without the (three times dearer) positions."""

    def __init__(self, text: str, index: int, cache: dict[str, list[yamlio.Positions]]) -> None:
        self.text, self.index, self.cache = text, index, cache

    def _positions(self) -> yamlio.Positions:
        if "docs" not in self.cache:
            self.cache["docs"] = [pos for _, pos in yamlio.load_all_with_positions(self.text)]
        return self.cache["docs"][self.index]

    def of_key(self, path: yamlio.Path_) -> yamlio.Mark:
        return self._positions().of_key(path)

    def of_value(self, path: yamlio.Path_) -> yamlio.Mark:
        return self._positions().of_value(path)


@dataclass(frozen=True)
class ArgoObject:
    """One Application, ApplicationSet or AppProject document of a file."""

    file: str  # as messages show it
    path: Path  # absolute
    doc: dict[str, Any]
    pos: yamlio.Positions | LazyPositions

    @property
    def kind(self) -> str:
        return str(self.doc["kind"])

    @property
    def name(self) -> str:
        meta = self.doc.get("metadata")
        name = meta.get("name") if isinstance(meta, dict) else None
        return str(name) if name is not None else ""

    @property
    def namespace(self) -> str:
        meta = self.doc.get("metadata")
        value = meta.get("namespace") if isinstance(meta, dict) else None
        return str(value) if value is not None else ""

    @property
    def ident(self) -> str:
        """How a baseline names the object: ``Kind/namespace/name`` (stable across edits)."""
        return f"{self.kind}/{self.namespace}/{self.name}"


@dataclass
class Tree:
    """What a lint reads: the objects, hygiene findings, and whether argocd-cm's health check
    for Applications is somewhere in the tree."""

    objects: list[ArgoObject] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    health_check: bool = False


def is_argo_object(doc: Any) -> bool:
    return (
        isinstance(doc, dict)
        and doc.get("kind") in KINDS
        and str(doc.get("apiVersion", "")).startswith("argoproj.io/")
    )


def _parse(shown: str, text: str) -> tuple[list[Finding], list[tuple[Any, Any]] | None]:
    """Hygiene findings and the documents with (lazy) positions. The exact, located parse
    (:func:`kfboot.check.rules.hygiene.parse_and_check`) runs at once for a file it may judge
    otherwise than libyaml: a syntax error, a duplicate key, a trap, a merge key or a
    hexadecimal integer (both refused there)."""
    if "<<" in text or "0x" in text:
        return parse_and_check(shown, text)
    try:
        docs = yamlio.build_all(text)  # a duplicate key raises NotOnePass
    except ValueError:  # NotOnePass or YamlSyntaxError
        return parse_and_check(shown, text)
    traps = trap_findings(shown, text) if TRAP_HINT.search(text) else []
    if traps:
        return parse_and_check(shown, text)
    cache: dict[str, list[yamlio.Positions]] = {}
    return [], [(doc, LazyPositions(text, i, cache)) for i, doc in enumerate(docs)]


def read_file(tree: Tree, path: Path, shown: str, text: str) -> None:
    """Add one file's objects and hygiene findings to ``tree``."""
    tree.health_check = tree.health_check or bool(_HEALTH.search(text))
    problems, docs = _parse(shown, text)
    objects = [ArgoObject(shown, path, d, p) for d, p in docs or [] if is_argo_object(d)]
    if objects or docs is None:
        tree.problems += problems  # hygiene of the files that hold (or may hold) Argo CD objects
    tree.objects += objects
    tree.files.append(path)


def read_tree(paths: list[Path]) -> Tree:
    """Every Argo CD object under ``paths`` (files or directories), each file read once. Only
    regular files: git stores no FIFO or device, and reading a FIFO blocks for ever."""
    tree = Tree()
    seen: set[Path] = set()
    for root in paths:
        walk = walked(root) if root.is_dir() else None
        for path, why in dict.fromkeys(walk.skipped if walk else []):
            tree.problems.append(Finding(shown_path(path), 0, 0, "warning", NOT_READ, why))
        for path in walk_files(walk) if walk else application_files(root):
            path = top_of(path)
            if path in seen or not _regular(path):
                continue
            seen.add(path)
            text = output.read_text(path)
            if text is None or "argoproj.io" not in text:
                continue
            read_file(tree, path, shown_path(path), text)
    return tree


def health_check_anywhere(paths: list[Path]) -> bool:
    """Does any YAML file under ``paths`` give argocd-cm the Application health check? Read only
    when the files Argo CD reads do not: the check often sits in chart values a kustomization's
    ``helmCharts`` inflates (kfboot's own bootstrap/argocd/values.yaml), never a resource. Only
    regular files up to :data:`MAX_SCANNED` bytes are opened: never a symlink out of the tree,
    a FIFO (reading one blocks for ever) or a device."""
    for root in paths:
        for directory, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.endswith(YAML_SUFFIXES) and _mentions_health(Path(directory) / name):
                    return True
    return False


MAX_SCANNED = 4 * 1024 * 1024


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _mentions_health(path: Path) -> bool:
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_SCANNED:
            return False
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return bool(_HEALTH.search(text))
