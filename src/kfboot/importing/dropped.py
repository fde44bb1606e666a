"""Application fields the catalog has no place for: import names each one, never drops it
silently.

Everything else an Application says is carried (sources, destination, sync policy, metadata) or
named where it is read. These fields are valid Argo CD (``pkg/apis/application/v1alpha1/types.go``
in argoproj/argo-cd) but the catalog cannot express them, so the rendered Application lacks them.
"""

from __future__ import annotations

from kfboot.findings import Finding
from kfboot.importing.app_files import AppDoc, dotted, mapping, shown
from kfboot.importing.fixes import NOT_CARRIED

# (field, what the rendered Application does without it)
_FIELDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("spec", "revisionHistoryLimit"), "Argo CD keeps its default of 10 revisions"),
    (("spec", "info"), "the Argo CD UI no longer shows these items"),
    (("spec", "sourceHydrator"), "nothing hydrates its manifests"),
    (
        ("spec", "syncPolicy", "managedNamespaceMetadata"),
        "a namespace Argo CD creates gets no such labels or annotations",
    ),
)


def dropped(app: AppDoc) -> list[Finding]:
    """A finding for each field of ``app`` the catalog cannot hold."""
    found = []
    for path, without in _FIELDS:
        parent = app.data
        for part in path[:-1]:
            parent = mapping(parent.get(part))
        value = parent.get(path[-1])
        if value is None or value in ("", [], {}):
            continue
        msg = (
            f"{dotted(path)} is {shown(value)}; the catalog has no such field, so the rendered "
            f"Application does not have it: {without}"
        )
        found.append(app.finding(path, NOT_CARRIED, msg))
    return found
