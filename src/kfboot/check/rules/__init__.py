"""Argo CD semantic rules: the rule table, and the rules over parsed Applications.

``application_findings`` (from ``kfboot.check.rules.application_runner``) is the reusable entry
point: ``kfboot
check`` runs it over committed files, ``kfboot import`` over hand-written Applications.
Catalog-level rules live in ``kfboot.check.rules.catalog_wide``. The models import
:mod:`kfboot.check.rules.registry` to validate ``ignore`` entries, so this package imports the rules
themselves only when asked for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kfboot.check.rules.registry import BY_ID, IGNORABLE, RULES, Rule

if TYPE_CHECKING:
    from kfboot.check.rules.application_runner import application_findings, waves_by_name

__all__ = ["BY_ID", "IGNORABLE", "RULES", "Rule", "application_findings", "waves_by_name"]


def __getattr__(name: str) -> Any:
    if name in ("application_findings", "waves_by_name"):
        from kfboot.check.rules import application_runner as runner

        return getattr(runner, name)
    raise AttributeError(f"module 'kfboot.check.rules' has no attribute {name!r}")
