"""The fields an Argo CD Application has, as a compact tree, for the ``unknown-field`` rule.

Derived from kfboot's description of the CRDs (:mod:`kfboot.check.rules.crd_types`, proved
against argoproj/argo-cd ``manifests/crds/application-crd.yaml`` by a test whenever the shared
reference data is present). A value of ``None`` is free-form (a map of any keys, or a scalar);
lists are transparent (their items follow the tree). ``status`` and ``operation`` are written by
Argo CD, so their content is not judged.
"""

from __future__ import annotations

from kfboot.check.rules.crd_types import BY_KIND, Schema
from kfboot.check.rules.crd_types import METADATA as _METADATA

Tree = dict[str, "Tree | None"]


def tree_of(schema: Schema) -> Tree | None:
    """The field names of ``schema`` (lists see through to their items; scalars are None)."""
    if isinstance(schema, list):
        return tree_of(schema[0])
    if isinstance(schema, dict):
        return {key: tree_of(value) for key, value in schema.items()}
    return None


def _tree(schema: Schema) -> Tree:
    tree = tree_of(schema)
    assert tree is not None
    return tree


APPLICATION: Tree = _tree(BY_KIND["Application"])
SPEC: Tree = _tree(BY_KIND["Application"]["spec"])
METADATA: Tree = _tree(_METADATA)
