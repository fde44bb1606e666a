"""``import --manifests DIR``: ``dependsOn`` from what the manifests themselves need.

The imported Applications say nothing about dependencies (Argo CD has no such field), so a fresh
catalog would fire ``manifests-depends-on-missing`` at its first ``check --manifests``. The
analysis ``waves --suggest`` runs (a CRD before its custom resources, a namespace before what
runs in it) derives them; import adds each one that points at an earlier wave.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from kfboot.catalog.load import parse_catalog


def derived_needs(
    text: str, manifests_dir: Path, kustomize_cmd: str | None, use_cache: bool
) -> dict[str, set[str]]:
    """Component name -> the components its objects need, for the catalog ``text``."""
    from kfboot.manifests import manifest_findings

    catalog = parse_catalog(text)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "waves.yaml"
        path.write_text(text, encoding="utf-8")
        _, summary = manifest_findings(catalog, path, manifests_dir, kustomize_cmd, use_cache)
    return {name: set(needs) for name, needs in summary.needs.items()}
