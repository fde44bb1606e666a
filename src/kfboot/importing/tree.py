"""Which files of an imported tree can hold Applications: the ones Argo CD would read.

A directory with a kustomization is read the way kustomize reads it: only the files and
directories its ``resources`` and ``components`` select, so patch files and unselected
alternatives are never taken for Applications. A directory holding a Helm chart (``Chart.yaml``)
is a chart: its templates are not Applications. Everything else is walked, skipping hidden
directories. Reading a kustomization costs a YAML parse, so this module parses nothing else;
callers skip files without ``argoproj.io`` before parsing them.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from kfboot import yamlio
from kfboot.errors import KfbootError
from kfboot.findings import shown_path

KUSTOMIZATIONS = ("kustomization.yaml", "kustomization.yml", "Kustomization")
YAML_SUFFIXES = (".yaml", ".yml")
# kustomize fields naming patch files: their content is a patch, never a resource.
_PATCH_FIELDS = ("patches", "patchesStrategicMerge", "patchesJson6902")
# kustomize fields that change the objects a kustomization selects (its ``namespace`` only sets
# where an Application lives, which the catalog decides anyway).
TRANSFORMS = (
    *_PATCH_FIELDS,
    "replacements",
    "namePrefix",
    "nameSuffix",
    "commonLabels",
    "labels",
    "commonAnnotations",
    "transformers",
)


# kustomize takes a resource for a git repository before it looks for a local directory
# (api/loader/loader.go ``NewLoader`` calls ``git.NewRepoSpecFromURL`` first;
# api/internal/git/repospec.go): any URL scheme, go-getter's ``git::``, scp-like ``git@host:``,
# and, without a scheme, only GitHub's host ``github.com/org/repo/path?ref=v1``
# (``isStandardGithubHost``: another bare host is a local directory to kustomize).
_REMOTE = re.compile(r"^([a-z][a-z0-9+.-]*://|git::|[\w.-]+@[\w.-]+:|github\.com[/:])", re.I)


def is_remote(item: str) -> bool:
    """Whether a kustomization's resource names a remote base (every form kustomize reads as
    one), never a local directory: ``github.com/kubeflow/manifests/common/x?ref=v1.2.0``."""
    return bool(_REMOTE.match(item))


# bytes: a larger file is refused. Argo CD itself refuses a directory Application whose files
# add up to more than 10M (cmd/argocd-repo-server/commands/argocd_repo_server.go:255@v3.4.7,
# --max-combined-directory-manifests-size); a 24 MB file cost import 45 s and 2.8 GB.
MAX_FILE = 10_000_000


def read_file(path: Path, shown: str | None = None, *, follow: bool = True) -> bytes:
    """The bytes of ``path``, a regular file of at most :data:`MAX_FILE` bytes; else an error
    naming it (``shown``; a FIFO would block, ``/dev/zero`` never end, a huge file exhaust
    memory). Without ``follow``, a symlink is refused too."""
    name = shown if shown is not None else shown_path(path)
    # O_NONBLOCK: opening a FIFO with no writer must not block; a regular file ignores it.
    flags = os.O_RDONLY | os.O_NONBLOCK | (0 if follow else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise KfbootError(f"{name}: cannot read: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise KfbootError(f"{name}: is not a regular file; kfboot never reads one")
        data = handle.read(MAX_FILE + 1)
    if len(data) > MAX_FILE:
        raise KfbootError(
            f"{name}: larger than {MAX_FILE // 1_000_000} MB; kfboot does not read it "
            "(Argo CD refuses a directory Application of more than 10M)"
        )
    return data


def kustomization(directory: Path) -> dict[str, Any] | None:
    """The kustomization of ``directory``, or None (none there, or not a YAML mapping)."""
    for name in KUSTOMIZATIONS:
        file = directory / name
        if file.is_file():
            try:
                # The C loader when present: a fork of kubeflow/manifests has hundreds of these.
                text = read_file(file).decode("utf-8")
                _refuse_hostile(file, text)
                data = yaml.load(text, Loader=yamlio.FastSafeLoader)
            except (yaml.YAMLError, OSError, UnicodeDecodeError):
                return None
            return data if isinstance(data, dict) else None
    return None


def _refuse_hostile(file: Path, text: str) -> None:
    """A kustomization with a custom tag, an alias bomb, deep nesting or NUL is an error, not
    "no kustomization": read as a plain directory instead, the tree would not be what Argo CD
    builds. Invalid YAML stays lenient (None), as it always was."""
    try:
        yamlio.guard(text)
    except yamlio.YamlSyntaxError as exc:
        if not str(exc).startswith("invalid YAML"):
            where = f"{shown_path(file)}:{exc.mark.line}:{exc.mark.col}"
            raise KfbootError(f"{where}: {exc}") from None


class _Walk:
    def __init__(self, top: Path) -> None:
        self.top = top  # nothing outside it is read
        self.real_top = Path(os.path.realpath(top))
        self.files: list[Path] = []
        self.patches: set[Path] = set()
        self.seen: set[Path] = set()  # real paths: a directory is read once, however reached
        self.charts: list[Path] = []  # Helm chart directories met
        self.kustomized: list[Path] = []  # directories whose kustomization was followed
        # kustomization directory -> the fields by which it changes what it selects
        self.transforms: dict[Path, list[str]] = {}
        self.skipped: list[tuple[Path, str]] = []  # symlinks not followed, and why

    def inside(self, path: Path) -> bool:
        return path == self.top or self.top in path.parents

    def allowed(self, path: Path) -> bool:
        """Whether ``path`` may be read: it resolves inside the tree (a symlink on the way may
        point anywhere) and, for a symlink to a directory, that directory was not read already
        (a symlink loop, two links to one place). Argo CD refuses a source with a symlink out of
        its repository (util/app/path/path.go:48@v3.4.7, ``CheckOutOfBoundsSymlinks``)."""
        real = Path(os.path.realpath(path))
        if real != self.real_top and self.real_top not in real.parents:
            self.skipped.append((path, "leads out of the imported tree (a symlink); not read"))
            return False
        try:
            linked_dir = path.is_symlink() and path.is_dir()
        except OSError:  # ELOOP: a symlink to itself
            linked_dir = False
        if linked_dir and real in self.seen:
            self.skipped.append((path, "is a symlink to a directory read already; not read twice"))
            return False
        return True

    def directory(self, directory: Path) -> None:
        real = Path(os.path.realpath(directory))
        if real in self.seen:
            return
        self.seen.add(real)
        # A Helm chart: only its templates/ hold Helm templates, never Applications (Helm
        # renders nothing else); the files beside Chart.yaml are plain YAML, read as any.
        chart = (directory / "Chart.yaml").is_file()
        if chart:
            self.charts.append(directory)
        data = None if chart else kustomization(directory)
        if data is not None:
            self.follow(directory, data)
            return
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if entry.is_symlink() and not self.allowed(path):
                continue
            try:
                is_dir, is_file = entry.is_dir(), entry.is_file()
            except OSError:  # a symlink loop (ELOOP) or a dangling one
                self.skipped.append((path, "is a symlink that does not resolve; not read"))
                continue
            if is_dir and not (chart and entry.name == "templates"):
                self.directory(path)
            elif entry.name.endswith(YAML_SUFFIXES) and is_file:
                self.files.append(path)
            elif entry.name.endswith(YAML_SUFFIXES) and not is_dir:
                self.skipped.append((path, _NOT_REGULAR))

    def follow(self, directory: Path, data: dict[str, Any]) -> None:
        self.kustomized.append(directory)
        self.patches.update(_patch_files(directory, data))
        changes = [f for f in TRANSFORMS if data.get(f)]
        if changes:
            self.transforms[directory] = changes
        for field in ("resources", "components", "bases"):
            items = data.get(field)
            for item in items if isinstance(items, list) else []:
                if not isinstance(item, str) or is_remote(item):
                    continue  # a remote resource: not in this tree
                path = Path(os.path.normpath(directory / item))
                if not self.inside(path) or not self.allowed(path):
                    continue
                if path.is_dir():
                    self.directory(path)
                elif path.is_file() and path.name.endswith(YAML_SUFFIXES):
                    self.files.append(path)


def _patch_files(directory: Path, data: dict[str, Any]) -> set[Path]:
    found = set()
    for field in _PATCH_FIELDS:
        items = data.get(field)
        for item in items if isinstance(items, list) else []:
            name = item.get("path") if isinstance(item, dict) else item
            if isinstance(name, str) and name.endswith(YAML_SUFFIXES):
                found.add(Path(os.path.normpath(directory / name)))
    return found


def top_of(root: Path) -> Path:
    """``root`` as an absolute path without ``..``: what :func:`application_files` lists under."""
    return Path(os.path.normpath(root.absolute()))


def walked(root: Path, within: Path | None = None) -> _Walk:
    """The walk of directory ``root`` as Argo CD reads it (see :func:`application_files`)."""
    start = top_of(root)
    walk = _Walk(top_of(within) if within is not None else start)
    walk.directory(start)
    return walk


def skipped(root: Path) -> list[tuple[Path, str]]:
    """The symlinks the walk of ``root`` did not follow, each once, with why."""
    return [] if root.is_file() else list(dict.fromkeys(walked(root).skipped))


# A FIFO, socket or device named *.yaml: reading a FIFO blocks for ever.
_NOT_REGULAR = (
    "is not a regular file (a FIFO, a socket or a device); git stores none, so Argo CD never "
    "reads one: not read"
)


def application_files(root: Path, within: Path | None = None) -> list[Path]:
    """The files Argo CD reads from ``root`` (a file or directory), in a stable order; resources
    a kustomization reaches outside ``within`` (default: ``root``) are not read."""
    if root.is_file():
        return [root]
    return walk_files(walked(root, within))


def walk_files(walk: _Walk) -> list[Path]:
    """The files of a finished walk (:func:`application_files`)."""
    ordered = dict.fromkeys(f for f in walk.files if f not in walk.patches)
    return sorted(ordered, key=lambda p: p.relative_to(walk.top).as_posix())


def chart_templates(root: Path) -> list[Path]:
    """The ``templates/`` directories of the Helm charts under ``root`` that hold Applications
    (text naming ``argoproj.io`` and ``Application``): Applications only a render makes."""
    if root.is_file():
        return []
    found = []
    for chart in walked(root).charts:
        templates = chart / "templates"
        files = sorted(templates.rglob("*")) if templates.is_dir() else []
        for file in files:
            if file.is_file() and _mentions_application(file):
                found.append(templates)
                break
    return found


def _mentions_application(file: Path) -> bool:
    try:
        text = read_file(file)
    except KfbootError:
        return False
    return b"argoproj.io" in text and b"Application" in text


def synced_by(directory: Path, top: Path, recurse: bool) -> list[Path]:
    """The YAML files Argo CD reads for a source path at ``directory``: what its kustomization
    selects, else the directory's own files, and those below only with ``directory.recurse``
    (``reposerver/repository/repository.go``, ``findManifests``)."""
    if kustomization(directory) is not None:
        return application_files(directory, within=top)
    if recurse:
        return [p for p in application_files(directory) if p.name not in KUSTOMIZATIONS]
    real_top = Path(os.path.realpath(top))
    return sorted(
        p
        for p in directory.iterdir()
        if p.suffix in YAML_SUFFIXES and p.is_file() and _within(p, real_top)
    )


def _within(path: Path, real_top: Path) -> bool:
    real = Path(os.path.realpath(path))
    return real == real_top or real_top in real.parents


def beside_files(root: Path) -> list[Path]:
    """The YAML files beside a kustomization under directory ``root`` (its own, or one nested
    below: ``clusters/prod/root.yaml`` beside ``clusters/prod/kustomization.yaml``) that no
    kustomization selects nor uses as patches: a root applied by hand is often there."""
    if not root.is_dir():
        return []
    walk = walked(root)
    used = set(walk.files) | walk.patches
    found: list[Path] = []
    for directory in sorted(set(walk.kustomized)):
        own = (p for p in sorted(directory.iterdir()) if p.name.endswith(YAML_SUFFIXES))
        found += [p for p in own if p.is_file() and p not in used and p.name not in KUSTOMIZATIONS]
    return found
