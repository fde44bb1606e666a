"""``--manifests DIR``: build every component from the real manifests and prove the waves.

One concern per module: ``paths`` (existence, kind, suggestions), ``inputs`` (what a build reads),
``cache`` (the XDG build cache), ``build`` (kustomize, wrappers, parallel runs), ``objects``
(kustomize output reduced to what matters), ``analysis`` (the ordering rules, pure) and
``crosscheck`` (shared objects, ``dependsOn``), ``suggest`` (lowest waves), ``report`` (the
summary), ``locate`` (catalog positions), ``run`` (the whole).
"""

from __future__ import annotations

from kfboot.manifests.run import check_manifests, manifest_findings

__all__ = ["check_manifests", "manifest_findings"]
