"""Findings: what ``check`` (and ``check --manifests``, ``import``) report, and how they print.

One finding is ``file:line:col: [severity] rule-id: message``. Three formats: human ``text``,
a stable ``json`` document, and ``github`` workflow-command annotations (chosen automatically
when ``GITHUB_ACTIONS=true``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]
FORMATS = ("text", "json", "github")
JSON_SCHEMA_VERSION = 1


@dataclass(frozen=True, order=True)
class Finding:
    """One problem. ``line``/``col`` are 1-based; 0 means the file as a whole."""

    file: str
    line: int
    col: int
    severity: Severity
    rule: str
    message: str

    def text(self) -> str:
        where = self.file if self.line == 0 else f"{self.file}:{self.line}:{self.col}"
        return f"{where}: [{self.severity}] {self.rule}: {self.message}"

    def github(self) -> str:
        level = "error" if self.severity == "error" else "warning"
        props = [f"file={_gh_prop(self.file)}"]
        if self.line:
            props += [f"line={self.line}", f"col={self.col}"]
        props.append(f"title={_gh_prop(self.rule)}")
        return f"::{level} {','.join(props)}::{_gh_data(self.message)}"


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def first_difference(old: str, new: str) -> int:
    """The 1-based line where two versions of a file first differ (where a drift finding points)."""
    a, b = old.splitlines(), new.splitlines()
    for number, (x, y) in enumerate(zip(a, b, strict=False), start=1):
        if x != y:
            return number
    return min(len(a), len(b)) + 1


def counts(findings: Iterable[Finding]) -> tuple[int, int]:
    items = list(findings)
    errors = sum(1 for f in items if f.severity == "error")
    return errors, len(items) - errors


def summary_line(findings: list[Finding]) -> str:
    errors, warnings = counts(findings)
    if not findings:
        return "no findings"
    return f"{errors} error(s), {warnings} warning(s)"


def format_findings(
    findings: list[Finding], fmt: str, extra: dict[str, object] | None = None
) -> str:
    """Render findings in one of :data:`FORMATS`; ``extra`` adds top-level keys to the JSON."""
    ordered = sorted(findings)
    if fmt == "json":
        errors, warnings = counts(ordered)
        doc: dict[str, object] = {
            "version": JSON_SCHEMA_VERSION,
            "findings": [asdict(f) for f in ordered],
            "summary": {"errors": errors, "warnings": warnings},
        }
        if extra:
            doc.update(extra)
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if fmt == "github":
        lines = [f.github() for f in ordered]
        lines.append(summary_line(ordered))
        return "\n".join(lines) + "\n"
    lines = [f.text() for f in ordered]
    lines.append(summary_line(ordered))
    return "\n".join(lines) + "\n"
