"""The rules reference (a table, then one section per rule), generated from the rule registry.

It fills the ``rules`` generated section of a README or a docs page, so the documentation of a
rule is written once, in :mod:`kfboot.check.rules.registry`.
"""

from __future__ import annotations

from kfboot.check.rules.registry import RULES
from kfboot.check.rules.rule import Rule
from kfboot.check.rules.scopes import commands


def _runs(rule: Rule) -> str:
    return ", ".join(f"`{c}`" for c in commands(rule.id))


def _section(rule: Rule) -> str:
    fix = rule.fix if rule.ignorable else f"{rule.fix} Cannot be switched off with `ignore:`."
    return (
        f"#### {rule.id}\n\n*{rule.severity}.* {rule.what}\n\n**Runs in:** {_runs(rule)}\n\n"
        f"**Why:** {rule.why} ([upstream]({rule.link}))\n\n**Fix:** {fix}\n"
    )


def rules_markdown() -> str:
    """The table of every rule and a section per rule, in registry order."""
    rows = [f"| [`{r.id}`](#{r.id}) | {r.severity} | {_runs(r)} | {r.what} |\n" for r in RULES]
    table = "| id | severity | runs in | what it catches |\n|---|---|---|---|\n" + "".join(rows)
    return table + "".join("\n" + _section(rule) for rule in RULES)
