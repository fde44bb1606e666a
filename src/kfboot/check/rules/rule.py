"""The shape of one rule: the unit of the registry (``kfboot.check.rules.registry``).

A rule is data plus, where one function computes it, the dotted name of that function
(``module:function``). The name is resolved on demand so that the registry stays importable from
the catalog models (which validate ``ignore:`` against it) without importing the rules' code.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Rule:
    """One rule: what it catches, why it matters (with the upstream link), and the fix.

    ``ignorable``: may a component switch it off with ``ignore:``? ``check``: the function that
    computes it, as ``"package.module:function"`` ("" when no single function does, e.g. drift).
    """

    id: str
    severity: Severity
    what: str
    why: str
    link: str
    fix: str
    ignorable: bool = True
    check: str = ""

    def function(self) -> Callable[..., Any] | None:
        """The function that checks this rule, imported now (None when there is none)."""
        if not self.check:
            return None
        module, _, name = self.check.partition(":")
        found: Any = importlib.import_module(module)
        for part in name.split("."):  # a method: "module:Class.method"
            found = getattr(found, part)
        checker: Callable[..., Any] = found
        return checker

    def summary(self) -> dict[str, str]:
        """What the JSON report says about a rule that fired."""
        return {"severity": self.severity, "what": self.what, "link": self.link}

    def as_json(self) -> dict[str, object]:
        """Everything about the rule, for ``check --list-rules --format json``."""
        return {
            "id": self.id,
            "severity": self.severity,
            "ignorable": self.ignorable,
            "what": self.what,
            "why": self.why,
            "link": self.link,
            "fix": self.fix,
        }
