"""Cross-field rules of the options real bootstraps use: destinations, source options, extra
resources. Each yields ``(loc, message)`` as :mod:`kfboot.catalog.crossfield`'s rules do."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from kfboot.catalog.models import Catalog
from kfboot.layout import CLUSTER_LABEL, WAVE_LABEL

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str]
# Names render writes into the root's directory; an extra resource must not take one. kustomize
# reads any of its recognised names as the directory's kustomization (konfig
# RecognizedKustomizationFileNames), and a case-insensitive file system folds case.
_GENERATED = ("kustomization.yaml", "kustomization.yml", "kustomization", "wave-")
# Keys kfboot writes on every Application: a catalog value would silently override them (a
# component syncing before its dependency, an Application dropped from its RollingSync step).
_RESERVED_KEYS = frozenset(["argocd.argoproj.io/sync-wave", CLUSTER_LABEL, WAVE_LABEL])


def _destinations(catalog: Catalog) -> Iterator[Problem]:
    # Argo CD refuses an Application whose destination has both a server and a name.
    if catalog.destinationName and "destinationServer" in catalog.model_fields_set:
        yield (
            ("destinationName",),
            "give destinationServer or destinationName, not both (Argo CD takes exactly one)",
        )
    for i, comp in enumerate(catalog.components):
        if comp.destinationServer and comp.destinationName:
            yield (
                ("components", i, "destinationName"),
                "give destinationServer or destinationName, not both (Argo CD takes exactly one)",
            )


def _source_options(catalog: Catalog) -> Iterator[Problem]:
    for i, comp in enumerate(catalog.components):
        if comp.source is None:
            continue
        if not comp.paths:
            yield (
                ("components", i, "source"),
                "source options apply only to components with paths (a chart has its own in helm)",
            )
        elif comp.needs_wrapper:
            yield (
                ("components", i, "source"),
                "source options need the paths to be the Application's sources, but this "
                "component renders a wrapper kustomization (several paths of the catalog's "
                "repository, or kustomize settings); give it its own repoURL or one path",
            )


def _extra_resources(catalog: Catalog) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, extra in enumerate(catalog.extraResources):
        loc: Loc = ("extraResources", i, "path")
        if extra.path in seen:
            yield loc, f"path {extra.path!r} is listed twice"
        seen.add(extra.path)
        first = extra.path.split("/")[0].lower()
        if first.startswith("wave-") or first in _GENERATED:
            yield loc, f"path {extra.path!r} is one kfboot render writes; choose another"


def _reserved_keys(catalog: Catalog) -> Iterator[Problem]:
    owners: list[tuple[Loc, object]] = [(("defaults",), catalog.defaults)]
    owners.append((("appOfApps",), catalog.appOfApps))
    owners.extend((("components", i), comp) for i, comp in enumerate(catalog.components))
    for loc, owner in owners:
        for field in ("labels", "annotations"):
            for key in getattr(owner, field, None) or {}:
                if key in _RESERVED_KEYS or key.startswith("kfboot.io/"):
                    yield (
                        (*loc, field, key),
                        f"{key!r} is set by kfboot on every Application; it cannot be overridden",
                    )


MORE_RULES: tuple[Callable[[Catalog], Iterator[Problem]], ...] = (
    _destinations,
    _source_options,
    _extra_resources,
    _reserved_keys,
)
