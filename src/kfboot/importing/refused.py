"""Import's refusals as findings, so ``import --format json|github|...`` reports every error.

A refusal's message holds one ``file:line:col: message`` line per problem when import knows
where (invalid YAML, a placeholder), else one sentence about the imported path.
"""

from __future__ import annotations

import re

from kfboot.findings import Finding

_LOCATED = re.compile(r"(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)\Z")


def refused(message: str, source: str) -> list[Finding]:
    """One ``import-refused`` error per line of ``message``, at its location when it has one."""
    found: list[Finding] = []
    for line in filter(None, (text.strip() for text in message.splitlines())):
        at = _LOCATED.match(line)
        if at:
            found.append(
                Finding(
                    at["file"],
                    int(at["line"]),
                    int(at["col"]),
                    "error",
                    "import-refused",
                    at["message"],
                )
            )
        else:
            found.append(Finding(source, 0, 0, "error", "import-refused", line))
    return found
