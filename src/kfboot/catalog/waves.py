"""The components of each wave: the one grouping every feature uses (render, the Makefile, the
summary, status, sync, the graph and the manifests report)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar

from kfboot.catalog.models import Catalog, Component, Wave


class _InAWave(Protocol):
    @property
    def wave(self) -> int: ...


T = TypeVar("T", bound=_InAWave)


def in_wave(items: Iterable[T], wave: int) -> list[T]:
    """The items (components, analysed units) of ``wave``, in their order."""
    return [item for item in items if item.wave == wave]


def wave_members(catalog: Catalog, *, disabled: bool = False) -> list[tuple[Wave, list[Component]]]:
    """Each wave that has components, with them (enabled ones, unless ``disabled``), in wave
    order."""
    shown = catalog.components if disabled else catalog.enabled_components()
    pairs = [(wave, in_wave(shown, wave.wave)) for wave in catalog.waves]
    return [(wave, members) for wave, members in pairs if members]
