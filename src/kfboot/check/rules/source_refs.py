"""Rules ``values-ref-missing`` and ``values-ref-unused``: ``$name/...`` value files and ``ref:``.

A multi-source Application lends a source's files to a Helm source through ``ref: name`` and a
value file (or file parameter) ``$name/path``. Argo CD resolves only the first segment, and
only among ``spec.sources``: an unknown ``$name`` fails the manifest generation ("source
referenced ..., which is not one of the available sources", reposerver/repository/
repository.go:564-572@v3.4.7), and in a single ``spec.source`` a ``$name`` value file is not
resolved at all (``resolveReferencedSources`` returns at once without multiple sources,
repository.go:548). A ``ref:`` nobody names lends nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kfboot.check.rules.application import Context, Hit, get_path
from kfboot.yamlio import Path_


def _value_files(source: Any, base: Path_) -> Iterator[tuple[Path_, str]]:
    helm = source.get("helm") if isinstance(source, dict) else None
    if not isinstance(helm, dict):
        return
    files = helm.get("valueFiles")
    for i, name in enumerate(files if isinstance(files, list) else []):
        if isinstance(name, str) and name.startswith("$"):
            yield (*base, "helm", "valueFiles", i), name
    params = helm.get("fileParameters")
    for i, param in enumerate(params if isinstance(params, list) else []):
        name = param.get("path") if isinstance(param, dict) else None
        if isinstance(name, str) and name.startswith("$"):
            yield (*base, "helm", "fileParameters", i, "path"), name


def values_refs(app: Any, ctx: Context) -> Iterator[Hit]:
    single = get_path(app, "spec", "source")
    for path, name in _value_files(single, ("spec", "source")):
        yield Hit(
            "values-ref-missing",
            path,
            f"{name!r} names a ref: source, but Argo CD resolves $refs only among spec.sources; "
            "in a single spec.source it is read as a plain file path",
        )
    sources = get_path(app, "spec", "sources")
    items = list(enumerate(sources)) if isinstance(sources, list) else []
    refs = {s["ref"]: i for i, s in items if isinstance(s, dict) and isinstance(s.get("ref"), str)}
    used: set[str] = set()
    for i, source in items:
        for path, name in _value_files(source, ("spec", "sources", i)):
            ref = name.split("/", 1)[0][1:]
            used.add(ref)
            if ref not in refs:
                known = ", ".join(sorted(refs)) or "none"
                yield Hit(
                    "values-ref-missing",
                    path,
                    f"{name!r} names ref {ref!r}, which no source of this Application has "
                    f"(refs: {known}); Argo CD fails to generate the manifests",
                )
    for ref, i in refs.items():
        if ref not in used:
            yield Hit(
                "values-ref-unused",
                ("spec", "sources", i, "ref"),
                f"ref {ref!r} is named by no $ref value file or file parameter of this "
                "Application; it lends nothing",
            )
