"""Rule ``credential-literal``: a secret-looking key with a literal value in chart values.

The values are rendered into committed Application files. Which keys are credentials, and which
only name where one lives (``existingSecret``), is decided in :mod:`kfboot.catalog.credentials`.
"""

from __future__ import annotations

from collections.abc import Iterator

from kfboot.catalog.credentials import literal_credentials
from kfboot.catalog.models import Catalog
from kfboot.check.rules.application import Hit

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
