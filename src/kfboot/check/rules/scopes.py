"""Which command runs which rule: ``kfboot lint``, ``kfboot check``, and ``--manifests``.

The rules reference (docs/rules.md) shows it per rule. ``check`` runs its catalog rules and,
over the committed files of bootstrap/ that differ from the render, the lint engine, so every
rule ``lint`` applies to one object also fires in ``check``; the rules over a whole hand-written
tree (duplicate names, projects, roots, the health check as a tree-wide fact) are lint's alone
(``check`` knows those from the catalog).
"""

from __future__ import annotations

from kfboot.check.rules.import_rules import IMPORT_RULES
from kfboot.check.rules.lint_rules import LINT_RULES
from kfboot.check.rules.manifests_rules import MANIFEST_RULES

# Rules of one object (the lint engine, kfboot.lint.engine), shared by lint and check.
OBJECT_RULES = frozenset(
    {
        "yaml-hygiene",
        "sync-wave-format",
        "destination-server-name",
        "root-server-side-apply",
        "unknown-sync-option",
        "sync-option-annotation-only",
        "destructive-sync-option",
        "ignore-differences-unknown-kind",
        "ignore-differences-list-index",
        "retry-invalid",
        "unknown-field",
        "dependency-wave-order",
        "helm-unpinned-version",
        "credential-literal",
        "application-field-type",
        "values-ref-missing",
        "values-ref-unused",
        "unknown-finalizer",
        "retry-without-refresh",
    }
)
TREE_RULES = frozenset(
    {
        "duplicate-application",
        "app-project-missing",
        "app-project-scope",
        "application-multiple-roots",
        "no-application-health-check",
        "lint-file-not-read",
    }
)
# The path-at-revision rules (kfboot.lint.git_paths, over check's kfboot.check.git_paths).
GIT_PATH_RULES = frozenset({"git-path-missing", "git-path-not-at-revision", "git-revision-absent"})
LINT = OBJECT_RULES | TREE_RULES | GIT_PATH_RULES
MANIFESTS = frozenset(rule.id for rule in MANIFEST_RULES)
# What lint --manifests runs (kfboot.lint.manifests_rules, and check's analysis through
# kfboot.lint.manifests_order: all of check --manifests but what needs a catalog).
_CATALOG_ONLY = frozenset(
    {
        "manifests-component-dir",
        "manifests-depends-on-contradiction",
        "manifests-depends-on-missing",
        "manifests-jq-parse-error",
        "manifests-resource-wave-unmatched",
    }
)
LINT_MANIFESTS = (MANIFESTS - _CATALOG_ONLY) | {"manifests-hpa-self-heal", "manifests-removed-api"}
IMPORT = frozenset(rule.id for rule in IMPORT_RULES)
_LINT_ONLY = frozenset(rule.id for rule in LINT_RULES) & TREE_RULES


def commands(rule_id: str) -> list[str]:
    """Where a rule runs, as the rules reference names it."""
    if rule_id in IMPORT:
        return ["import"]
    if rule_id in MANIFESTS | LINT_MANIFESTS:
        found = ["check --manifests"] if rule_id in MANIFESTS else []
        return found + (["lint --manifests"] if rule_id in LINT_MANIFESTS else [])
    found = ["lint"] if rule_id in LINT else []
    return found + ([] if rule_id in _LINT_ONLY else ["check"])
