"""Template placeholders in an Application's repository, revision or path stop the import.

A templated bootstrap (deployKF's ``<<__git_repo.url__>>``, a Helm chart's ``{{ .Values.repo }}``,
an envsubst ``${REPO}``) is not what Argo CD reads: imported as is, every component would read the
wrong repository. Import names each one (file, line, field) and writes nothing.
"""

from __future__ import annotations

from kfboot.catalog.gitrefs import placeholder_problem
from kfboot.importing import fixes
from kfboot.importing.app_files import AppDoc

_FIELDS = ("repoURL", "targetRevision", "path", "chart")


def problems(apps: list[AppDoc]) -> list[str]:
    """``file:line:col: spec.source.repoURL: why`` for every placeholder, in file order."""
    found = []
    for app in apps:
        for i, source in fixes.sources(app):
            base: tuple[str | int, ...] = (
                ("spec", "source") if i is None else ("spec", "sources", i)
            )
            for key in _FIELDS:
                value = source.get(key)
                problem = placeholder_problem(value) if isinstance(value, str) else None
                if problem:
                    dotted = ".".join(str(p) for p in (*base, key))
                    found.append(f"{app.where((*base, key))}: {dotted}: {problem}")
    return found
