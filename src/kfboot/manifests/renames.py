"""kubeflow/manifests' big directory renames between releases, for ``manifests-path-missing``.

A catalog (or an imported bootstrap) written for an older release points at directories that
moved wholesale; the closest-name search cannot see those, since the first directory already
differs. Each entry rewrites an old prefix to the new one, as the releases' directory lists
show (``/work/shared/reference/kubeflow-manifests/*.txt``; kubeflow/manifests commits
"renamed istio-1-26 to istio only" and "Migrated to Istio 1.26.1 and merged istio and istio
cni", #3153).
"""

from __future__ import annotations

import re

RENAMES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^apps/"), "applications/"),  # v1.6 -> v1.9: apps/ became applications/
    (re.compile(r"^contrib/kserve/"), "applications/kserve/"),  # KServe left contrib/
    (re.compile(r"^common/istio-cni-1-[0-9]+/"), "common/istio/"),  # istio-cni merged into istio
    (re.compile(r"^common/istio-1-[0-9]+/"), "common/istio/"),  # versioned istio dirs dropped
)


def renamed(path: str) -> list[str]:
    """Where ``path`` would be after each rename that applies to it (in the table's order)."""
    return [pattern.sub(new, path, count=1) for pattern, new in RENAMES if pattern.match(path)]
