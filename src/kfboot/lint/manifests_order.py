"""``lint --manifests``: ``check --manifests``' ordering and convergence analysis, per Application.

Each Application is one unit of :func:`kfboot.manifests.analysis.analyse`, as a catalog
component is under ``check --manifests``: its sync wave, destination namespace,
``CreateNamespace=true``, ignoreDifferences and ``RespectIgnoreDifferences=true``, and the
objects :mod:`kfboot.lint.manifests` built for it. So lint reports a CRD or a namespace used
before an earlier wave provides it (``manifests-crd-order``, ``manifests-namespace-missing``,
...), drift loops and webhook races, at the Application they are about (the messages call it a
component, as check's do). An Application none of whose sources lint builds (a Helm chart,
another repository) is a unit not analysed, as check treats a component it cannot verify
offline. The analysis' shared-object rule is left to
:func:`kfboot.lint.manifests_rules.duplicates`, which names both Applications.

A git source of this repository whose path exists nowhere gets ``manifests-path-missing`` with
check's "did you mean" (a renamed directory, else the closest kustomization).
"""

from __future__ import annotations

from typing import Any

from kfboot.catalog.models import IgnoreDifference
from kfboot.check.rules.application import Hit, get_path
from kfboot.check.rules.scopes import LINT_MANIFESTS
from kfboot.errors import UsageError
from kfboot.lint.engine import Located, place
from kfboot.lint.manifests import Built
from kfboot.lint.reading import ArgoObject
from kfboot.lint.roots import Roots, source_paths
from kfboot.manifests import jq
from kfboot.manifests.analysis import Unit, analyse
from kfboot.manifests.objects import _obj, sync_wave
from kfboot.manifests.paths import after_rename, suggest


def _ignores(app: dict[str, Any]) -> tuple[IgnoreDifference, ...]:
    entries = get_path(app, "spec", "ignoreDifferences")
    found = []
    for entry in entries if isinstance(entries, list) else []:
        try:  # a malformed entry is application-field-type's finding, not an analysis input
            found.append(IgnoreDifference.model_validate(entry, strict=True))
        except ValueError:
            continue
    return tuple(found)


def _unit(name: str, b: Built) -> Unit:
    doc = b.app.doc
    options = get_path(doc, "spec", "syncPolicy", "syncOptions")
    options = options if isinstance(options, list) else []
    annotations = get_path(doc, "metadata", "annotations")
    # extensions/v1beta1 is a built-in group Kubernetes stopped serving (manifests-removed-api
    # says so), not a custom resource whose CRD is missing
    objects = [
        _obj(obj)
        for _, obj in b.objects
        if not str(obj.get("apiVersion")).startswith("extensions/")
    ]
    return Unit(
        name,
        sync_wave(annotations if isinstance(annotations, dict) else {}),
        str(get_path(doc, "spec", "destination", "namespace") or ""),
        "CreateNamespace=true" in options,
        (),
        bool(b.sources) and not b.failed,
        tuple(o for o in objects if o is not None and o.kind and o.name),
        _ignores(doc),
        "RespectIgnoreDifferences=true" in options,
    )


def ordering(built: list[Built]) -> list[Located]:
    """The ordering and convergence findings over every Application's build."""
    names: dict[str, Built] = {}
    for b in built:
        name = b.app.name if b.app.name not in names else f"{b.app.namespace}/{b.app.name}"
        names.setdefault(name, b)
    units = [_unit(name, b) for name, b in names.items()]
    if any(e.jqPathExpressions for u in units for e in u.ignore) and not jq.available():
        raise UsageError(
            "--manifests simulates Argo CD's jqPathExpressions with jq, which is not "
            f"installed: {jq.INSTALL}"
        )
    where: dict[tuple[str, int, int], ArgoObject] = {}

    def locate(name: str, _dependency: str = "") -> tuple[str, int, int]:
        app = names[name].app
        mark = app.pos.of_value(("metadata", "name"))
        where[app.file, mark.line, mark.col] = app
        return app.file, mark.line, mark.col

    result = analyse(units, locate, locate)
    wanted = LINT_MANIFESTS - {"manifests-duplicate-object"}  # no dependsOn: a catalog's
    return [
        Located(f, where[f.file, f.line, f.col].ident) for f in result.findings if f.rule in wanted
    ]


def missing_paths(objects: list[ArgoObject], roots: Roots) -> list[Located]:
    """``manifests-path-missing`` for a git source of this repository whose path is nowhere."""
    found = []
    for app in objects:
        if app.kind != "Application":
            continue
        for at, source in source_paths(app.doc):
            rel = str(source.get("path")).strip().strip("/").removeprefix("./")
            if not roots.ours(source) or not rel or roots.directories(source, rel):
                continue
            hint = after_rename(roots.repo, rel, []) or suggest(roots.repo, rel, [])
            more = f"; did you mean {hint}?" if hint else ""
            message = f"path {rel} does not exist in the working tree{more}"
            found.append(place(app, Hit("manifests-path-missing", (*at, "path"), message)))
    return found
