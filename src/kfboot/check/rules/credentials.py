"""Rule ``credential-literal``: a secret-looking key with a literal value in chart values.

The values are rendered into committed Application files. Which keys are credentials, and which
only name where one lives (``existingSecret``), is decided in :mod:`kfboot.catalog.credentials`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from kfboot import yamlio
from kfboot.catalog.credentials import literal_credentials, url_problem
from kfboot.check.rules.application import Context, Hit
from kfboot.yamlio import Path_

if TYPE_CHECKING:
    from kfboot.catalog.models import Catalog

RULE = "credential-literal"


def credential_literals(catalog: Catalog) -> Iterator[tuple[int | None, Hit]]:
    for i, comp in enumerate(catalog.components):
        # Everything the component renders: chart values, Helm ``parameters`` (a
        # ``{name: db.password, value: ...}`` pair) and the text of kustomize patches.
        data = comp.model_dump(exclude_unset=True, exclude={"ignore", "description"})
        for path in literal_credentials(data, ("components", i)):
            yield (
                i,
                Hit(
                    RULE,
                    path,
                    f"{_named(data, path[2:])} holds a literal value, which would be committed "
                    "in bootstrap/; reference a Secret instead (e.g. the chart's existingSecret)",
                ),
            )


def _named(data: object, path: tuple[str | int, ...]) -> str:
    """The credential's key, as the message names it (a parameter's name, a patch's key)."""
    for part in path[:-1]:
        data = data[part] if isinstance(data, (dict, list)) else None  # type: ignore[index]
    if isinstance(data, dict) and path[-1] == "value" and "name" in data:
        return str(data["name"])
    if isinstance(data, dict) and path[-1] == "patch":
        return "a patch"
    return str(path[-1])


def _helm_values(source: Any, base: Path_) -> Iterator[tuple[Path_, Any, bool]]:
    """(path, values, inline): ``valuesObject``, and ``values`` parsed (its own keys have no
    position in the file, so hits point at ``values`` itself)."""
    helm = source.get("helm") if isinstance(source, dict) else None
    if not isinstance(helm, dict):
        return
    if isinstance(helm.get("valuesObject"), dict):
        yield (*base, "helm", "valuesObject"), helm["valuesObject"], False
    if isinstance(helm.get("values"), str):
        try:
            parsed = yamlio.load_all(helm["values"])  # guarded: no alias bomb, no custom tag
        except (yamlio.YamlSyntaxError, yamlio.DuplicateKeyError):
            return
        for doc in parsed:
            yield (*base, "helm", "values"), doc, True


def application_credentials(app: Any, ctx: Context) -> Iterator[Hit]:
    """``credential-literal`` in a hand-written Application: a credential-like key with a
    literal value in its Helm values, or a repoURL carrying user-info or a token."""
    spec = app.get("spec") if isinstance(app, dict) else None
    if not isinstance(spec, dict):
        return
    sources: list[tuple[Path_, Any]] = [(("spec", "source"), spec.get("source"))]
    many = spec.get("sources")
    sources += [
        (("spec", "sources", i), s) for i, s in enumerate(many or []) if isinstance(many, list)
    ]
    for base, source in sources:
        url = source.get("repoURL") if isinstance(source, dict) else None
        problem = url_problem(url) if isinstance(url, str) else None
        if problem:
            yield Hit(RULE, (*base, "repoURL"), problem)
        for path, values, inline in _helm_values(source, base):
            for loc in literal_credentials(values, path):
                yield Hit(
                    RULE,
                    path if inline else loc,
                    f"{loc[-1]!s} holds a literal value in the Helm values, committed for everyone "
                    "who reads the repository; reference a Secret instead (e.g. the chart's "
                    "existingSecret)",
                )
