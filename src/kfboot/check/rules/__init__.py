"""Argo CD semantic rules: the rule table, and the rules over parsed Applications.

``kfboot.check.rules.application_runner.application_findings`` is the reusable entry point:
``kfboot check`` runs it over committed files, ``kfboot import`` over hand-written Applications.
Catalog-level rules live in ``kfboot.check.rules.catalog_wide``. The models import
:mod:`kfboot.check.rules.registry` to validate ``ignore`` entries, and importing it runs this
package first, so this package imports the registry only (never the rules, which import the
models: a cycle).
"""

from __future__ import annotations

from kfboot.check.rules.registry import BY_ID, IGNORABLE, RULES, Rule

__all__ = ["BY_ID", "IGNORABLE", "RULES", "Rule"]
