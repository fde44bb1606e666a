"""Presets: one commented catalog per supported kubeflow/manifests layout, shipped as package data.

Each ``<id>.yaml`` beside this module is a complete catalog whose paths exist at that upstream
release (the tests check every path against the release's list of kustomize directories).
``kfboot init`` copies one, replacing only ``repoURL`` and ``targetRevision`` in place (with
``kfboot.yamledit``, as ``set-repo`` does), so the preset's comments (which explain why each path
is there) reach the user's ``waves.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from kfboot import yamledit
from kfboot.catalog import gitrefs
from kfboot.errors import UsageError


@dataclass(frozen=True)
class Preset:
    """A supported kubeflow/manifests layout."""

    id: str
    summary: str

    def text(self) -> str:
        return resources.files(__name__).joinpath(f"{self.id}.yaml").read_text(encoding="utf-8")


# Oldest first; the last is the default for ``kfboot init``.
PRESETS = (
    Preset(
        "v1.11", "kubeflow/manifests v1.11.0 (2025-12-15): the layout of kfboot's default catalog"
    ),
    Preset(
        "26.03",
        "kubeflow/manifests 26.03 (2026-03-21): calendar versions; one cert-manager overlay, "
        "no common/networkpolicies, pipelines from applications/pipeline/overlays",
    ),
)
DEFAULT = PRESETS[-1].id
_PATCH = re.compile(r"\.[0-9]+\Z")


def known() -> str:
    return ", ".join(p.id for p in PRESETS)


def resolve(release: str) -> tuple[Preset, str | None]:
    """The preset for ``release`` and, for a patch release (``26.03.1``), its tag as revision.

    ``v1.11``, ``1.11`` and ``v1.11.0`` all name the v1.11 layout; upstream keeps a layout for
    every patch of a release, so ``YY.MM.P`` selects ``YY.MM`` pinned to that patch's tag.
    """
    wanted = release.strip()
    for preset in PRESETS:
        bare, given = preset.id.lstrip("v"), wanted.lstrip("v")
        if given == bare:
            return preset, None
        if given.startswith(bare) and _PATCH.match(given[len(bare) :]):
            return preset, ("v" if preset.id.startswith("v") else "") + given
    raise UsageError(f"unknown Kubeflow release {release!r}; known releases: {known()}")


def listing() -> str:
    """What ``kfboot init --list`` prints: one preset a line, the default marked."""
    width = max(len(p.id) for p in PRESETS)
    lines = []
    for preset in PRESETS:
        mark = " (default)" if preset.id == DEFAULT else ""
        lines.append(f"{preset.id.ljust(width)}  {preset.summary}{mark}")
    return "\n".join(lines)


def catalog_text(release: str, repo: str | None, revision: str | None) -> tuple[Preset, str]:
    """The preset's catalog text with ``repoURL``/``targetRevision`` replaced where given."""
    preset, patch_tag = resolve(release)
    for option, value, problem in (
        ("--repo", repo, gitrefs.repo_url_problem),
        ("--revision", revision, gitrefs.revision_problem),
    ):
        if value is not None and (why := problem(value)):
            raise UsageError(f"{option}: {why}")
    changes = {"repoURL": repo, "targetRevision": revision or patch_tag}
    return preset, set_top_level(preset.text(), {k: v for k, v in changes.items() if v})


def set_top_level(text: str, values: dict[str, str]) -> str:
    """Replace top-level scalar values in place (kfboot.yamledit), keeping every comment."""
    edits = [yamledit.Edit((key,), value) for key, value in values.items()]
    new, _ = yamledit.apply(text, edits)
    yamledit.verify(text, new, edits)
    return new
