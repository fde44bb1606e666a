"""Argo CD semantic rules: the rule table, and the rules over parsed Applications.

``application_findings`` is the reusable entry point (``kfboot check`` runs it over committed
files, ``kfboot import`` over hand-written Applications). Catalog-level rules live in
``kfboot.rules.catalog`` (it imports the models; this package must not, because the models
validate ``ignore`` entries against :data:`RULES`).
"""

from kfboot.rules.application import application_findings, waves_by_name
from kfboot.rules.registry import BY_ID, IGNORABLE, RULES, Rule

__all__ = ["BY_ID", "IGNORABLE", "RULES", "Rule", "application_findings", "waves_by_name"]
