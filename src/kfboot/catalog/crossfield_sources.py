"""Cross-field rules of the options real bootstraps use: destinations, source options, extra
resources. Each yields ``(loc, message)`` as :mod:`kfboot.catalog.crossfield`'s rules do."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator

from kfboot.catalog import gitrefs
from kfboot.catalog.models import Catalog
from kfboot.catalog.source_list_models import Source, value_file_ref
from kfboot.layout import APPS_DIR, ARGOCD_DIR, BASE_DIR, CLUSTER_LABEL, WAVE_LABEL

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
        if (extra.path is None) == (extra.repoPath is None):
            yield (
                ("extraResources", i),
                "give path (in the root's directory) or repoPath (a directory of the repository "
                "holding a kustomization), exactly one of them",
            )
            continue
        where = extra.repository_path(catalog.bootstrapPath)
        field = "path" if extra.repoPath is None else "repoPath"
        loc: Loc = ("extraResources", i, field)
        if where in seen:
            yield loc, f"{field} {extra.path or extra.repoPath!r} is listed twice"
        seen.add(where)
        if extra.path is not None:
            first = extra.path.split("/")[0].lower()
            if first.startswith("wave-") or first in _GENERATED:
                yield loc, f"path {extra.path!r} is one kfboot render writes; choose another"
        else:
            yield from _repo_path(catalog.bootstrapPath, where, loc)


def _repo_path(boot: str, where: str, loc: Loc) -> Iterator[Problem]:
    """A ``repoPath`` may not contain the root's directory (kustomize: "cycle detected:
    candidate root contains visited root"), lie in it (that is ``path``'s), or be a directory
    kfboot render writes."""
    apps = posixpath.normpath(f"{boot}/{APPS_DIR}")
    if apps == where or apps.startswith(f"{where}/"):
        yield (
            loc,
            f"repoPath {where!r} contains the root's own directory {apps}: kustomize refuses "
            "the cycle and the root cannot build; name a directory beside it",
        )
    elif where.startswith(f"{apps}/"):
        rel = posixpath.relpath(where, apps)
        yield (
            loc,
            f"repoPath {where!r} lies in the root's directory {apps}: write it as path: {rel}",
        )
    elif any(where == d or where.startswith(f"{d}/") for d in _written(boot)):
        yield loc, f"repoPath {where!r} is a directory kfboot render writes; choose another"


def _written(boot: str) -> list[str]:
    return [posixpath.normpath(f"{boot}/{d}") for d in (ARGOCD_DIR, BASE_DIR)]


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


_CHART_REPO = re.compile(r"(https?|oci)://\S+\Z")


def _source_list(catalog: Catalog) -> Iterator[Problem]:
    """A ``sources:`` list as Argo CD needs it: each source a path, a chart or a ``ref``; a
    chart from a chart repository; ``ref`` names unique; every ``$name/...`` value file
    naming a ``ref`` of the list (Argo CD otherwise fails the whole Application)."""
    for i, comp in enumerate(catalog.components):
        if comp.sources and catalog.layout == "applicationset":
            yield (
                ("components", i, "sources"),
                (
                    "a sources: list renders only in the app-of-apps layout (the ApplicationSet "
                    "template has one source per component)"
                ),
            )
        refs: dict[str, int] = {}
        for j, source in enumerate(comp.sources):
            loc: Loc = ("components", i, "sources", j)
            yield from _one_source(loc, source)
            if source.ref is not None:
                if source.ref in refs:
                    yield (
                        (*loc, "ref"),
                        (
                            f"ref {source.ref!r} is also sources[{refs[source.ref]}]'s; "
                            "each ref names one source"
                        ),
                    )
                refs.setdefault(source.ref, j)
        for j, source in enumerate(comp.sources):
            for k, value_file in enumerate(source.helm.valueFiles if source.helm else []):
                name = value_file_ref(value_file)
                if name is not None and name not in refs:
                    known = ", ".join(sorted(refs)) or "none"
                    yield (
                        ("components", i, "sources", j, "helm", "valueFiles", k),
                        (
                            f"{value_file!r} reads the source with ref: {name}, which this "
                            f"component's sources do not have (their refs: {known}); add "
                            f"{{ref: {name}}} with the repository holding the file"
                        ),
                    )


def _one_source(loc: Loc, source: Source) -> Iterator[Problem]:
    if source.path is not None and source.chart is not None:
        yield loc, "a source has a path or a chart, not both"
    elif source.path is None and source.chart is None and source.ref is None:
        yield loc, "a source needs a path, a chart or a ref"
    if source.chart is not None:
        if source.repoURL is None or not _CHART_REPO.match(source.repoURL):
            yield (
                (*loc, "repoURL"),
                (
                    "a chart source needs its chart repository as repoURL (https://, http:// or "
                    "oci://)"
                ),
            )
    elif source.repoURL is not None:
        problem = gitrefs.repo_url_problem(source.repoURL)
        if problem is not None:
            yield (*loc, "repoURL"), problem


MORE_RULES: tuple[Callable[[Catalog], Iterator[Problem]], ...] = (
    _destinations,
    _source_options,
    _extra_resources,
    _reserved_keys,
    _source_list,
)
