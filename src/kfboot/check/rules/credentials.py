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
        for field, values in (("helm", comp.helm), ("argocd", comp.argocd)):
            if values is None:
                continue
            for path in literal_credentials(values.values, ("components", i, field, "values")):
                yield (
                    i,
                    Hit(
                        RULE,
                        path,
                        f"{path[-1]!s} holds a literal value, which would be committed in "
                        "bootstrap/; reference a Secret instead (e.g. the chart's existingSecret)",
                    ),
                )
