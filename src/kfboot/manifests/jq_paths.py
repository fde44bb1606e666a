"""The catalog's ``jqPathExpressions``, compiled as Argo CD compiles them, before any build.

Argo CD compiles each entry as ``del(EXPR)`` when it builds an Application's normalizer; one
that does not compile fails the whole comparison of that Application (argo-cd v3.4.7
``util/argo/normalizers/diff_normalizer.go`` L160-170), so it is an error at its catalog line.
Where libjq accepts what gojq (Argo CD's jq) refuses, kfboot follows gojq: the builtins gojq
leaves out on purpose (its README, "Difference to jq") are refused here too.
"""

from __future__ import annotations

from collections.abc import Iterator

from kfboot.catalog.models import Catalog
from kfboot.errors import UsageError
from kfboot.findings import Finding
from kfboot.manifests.jq import INSTALL, Jq, available
from kfboot.manifests.locate import Locator

Path_ = tuple[str | int, ...]


def expressions(catalog: Catalog) -> Iterator[tuple[Path_, str]]:
    """(catalog path, expression) of every jq path an enabled component's Application gets."""
    for j, entry in enumerate(catalog.defaults.ignoreDifferences):
        for k, expression in enumerate(entry.jqPathExpressions or []):
            yield ("defaults", "ignoreDifferences", j, "jqPathExpressions", k), expression
    enabled = {c.name for c in catalog.enabled_components()}
    for i, comp in enumerate(catalog.components):
        if comp.name not in enabled:
            continue
        for j, entry in enumerate(comp.ignoreDifferences):
            for k, expression in enumerate(entry.jqPathExpressions or []):
                path = ("components", i, "ignoreDifferences", j, "jqPathExpressions", k)
                yield path, expression


def require_jq(catalog: Catalog) -> None:
    """A usage error naming the extra to install when the catalog has jq paths and no jq."""
    if next(expressions(catalog), None) is not None and not available():
        raise UsageError(
            "--manifests simulates Argo CD's jqPathExpressions with jq, which is not installed: "
            f"{INSTALL}"
        )


def parse_findings(catalog: Catalog, locator: Locator) -> list[Finding]:
    """``manifests-jq-parse-error`` for every expression whose ``del(EXPR)`` does not compile."""
    found = []
    with Jq() as jq:
        for path, expression in expressions(catalog):
            why = jq.parse_error(expression)
            if why is None:
                continue
            message = (
                f"jq path {expression!r} does not compile as del({expression}) "
                f"({_one_line(why)}): Argo CD then fails the whole comparison of the Application"
            )
            found.append(Finding(*locator.at(path), "error", "manifests-jq-parse-error", message))
    return found


def _one_line(message: str) -> str:
    """libjq's first line, without its ``jq: error:`` prefix and the source excerpt."""
    first = message.strip().splitlines()[0] if message.strip() else message
    return first.removeprefix("jq: error: ").strip().rstrip(":")
