"""Rule ``unknown-finalizer``: an Argo CD finalizer name Argo CD does not know.

A finalizer stays until its controller removes it; Argo CD removes only the names it defines
(pkg/apis/application/v1alpha1/application_defaults.go:9-22@v3.4.7, and the pre/post-delete
stages of types.go:3398-3434), so a misspelt one keeps the deleted object in Terminating for
ever. Only names in the ``argoproj.io`` domain are judged: other controllers own the rest.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from kfboot.check.rules.application import Context, Hit, get_path
from kfboot.yamlio import Path_

RESOURCES = "resources-finalizer.argocd.argoproj.io"
KNOWN = (RESOURCES, f"{RESOURCES}/foreground", f"{RESOURCES}/background")
# A hook stage may follow: pre-delete-finalizer.argocd.argoproj.io/cleanup
STAGED = ("pre-delete-finalizer.argocd.argoproj.io", "post-delete-finalizer.argocd.argoproj.io")


def known(name: str, kind: str = "Application") -> bool:
    if kind == "AppProject":
        return name == RESOURCES  # app_project_types.go:437-443
    return name in KNOWN or any(name == s or name.startswith(s + "/") for s in STAGED)


def finalizer_hits(finalizers: Any, base: Path_, kind: str = "Application") -> Iterator[Hit]:
    for i, name in enumerate(finalizers if isinstance(finalizers, list) else []):
        if not isinstance(name, str) or "argoproj.io" not in name or known(name, kind):
            continue
        choices = [RESOURCES] if kind == "AppProject" else [*KNOWN, *STAGED]
        close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        yield Hit(
            "unknown-finalizer",
            (*base, i),
            f"{name!r} is not a finalizer Argo CD removes{hint}; deleting the {kind} leaves it "
            "Terminating for ever",
        )


def unknown_finalizer(app: Any, ctx: Context) -> Iterator[Hit]:
    path = ("metadata", "finalizers")
    yield from finalizer_hits(get_path(app, *path), path)
