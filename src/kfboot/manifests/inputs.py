"""What a build reads: the kustomization directories it follows, and whether it needs the network.

Starting from a component's kustomization, every local ``resources``/``bases``/``components``
(and generator, transformer, validator, patch, CRD and configuration file) reference is followed
recursively. Remote references (URLs, ``github.com/...``, ``?ref=``) and ``helmCharts`` are
collected instead: such a build needs the network and is not verified offline.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kfboot.manifests.paths import kustomization_file, read_kustomization

_DIR_KEYS = ("resources", "bases", "components", "generators", "transformers", "validators")
_FILE_KEYS = ("crds", "configurations", "patchesStrategicMerge")
_PATCH_KEYS = ("patches", "patchesJson6902", "replacements")
_REMOTE_PREFIXES = ("github.com/", "gitlab.com/", "bitbucket.org/", "git@", "git::")


@dataclass
class Inputs:
    """Directories (whole trees) and single files a build reads, and what it needs remotely."""

    roots: set[Path] = field(default_factory=set)
    files: set[Path] = field(default_factory=set)
    remote: list[str] = field(default_factory=list)
    helm: list[str] = field(default_factory=list)


def is_remote(entry: str) -> bool:
    # Host names are case-insensitive: kustomize fetches GitHub.com/org/repo//dir too.
    lower = entry.lower()
    return "://" in lower or lower.startswith(_REMOTE_PREFIXES) or "?ref=" in lower


def walk_dir(directory: Path, inputs: Inputs) -> None:
    """Record ``directory`` (a kustomization root) and everything it references."""
    if directory in inputs.roots:
        return
    inputs.roots.add(directory)
    found = kustomization_file(directory)
    data = read_kustomization(found) if found else None
    if data is not None:
        walk(data, directory, inputs)


def walk(data: dict[str, Any], base: Path, inputs: Inputs) -> None:
    """Follow the references of one kustomization whose directory is ``base``."""
    for key in _DIR_KEYS + _FILE_KEYS:
        for entry in _strings(data.get(key)):
            _follow(entry, base, inputs)
    for key in _PATCH_KEYS:
        for item in data.get(key) or []:
            if isinstance(item, dict) and isinstance(item.get("path"), str):
                _follow(item["path"], base, inputs)
    openapi = data.get("openapi")
    if isinstance(openapi, dict) and isinstance(openapi.get("path"), str):
        _follow(openapi["path"], base, inputs)
    for chart in data.get("helmCharts") or []:
        if isinstance(chart, dict):
            repo = chart.get("repo", "a local chart")
            inputs.helm.append(f"{chart.get('name', '?')} from {repo}")


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _follow(entry: str, base: Path, inputs: Inputs) -> None:
    if "\n" in entry:  # an inline patch, not a path
        return
    # Lexical: kustomize resolves '../' against the path as written, like Argo CD's checkout.
    target = Path(os.path.normpath(base / entry))
    if target.is_dir():
        walk_dir(target, inputs)
    elif target.is_file():
        inputs.files.add(target)
    elif is_remote(entry):
        inputs.remote.append(entry)
