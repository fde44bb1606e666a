"""Findings: the one shape of a problem at a position, and the reporters that print them.

A finding is ``file:line:col: [severity] rule-id: message``; a catalog problem (the ``catalog``
rule, as render and load report it) also carries the dotted path at fault and prints as
``file:line:col: dotted.path: message``. Reporters are classes chosen by name
(:data:`REPORTER_BY_NAME`, as check-jsonschema does): human ``text``, a stable ``json``
document, and ``github`` workflow-command annotations (the default when ``GITHUB_ACTIONS=true``).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Literal

Severity = Literal["error", "warning"]

# A URL whose authority carries user-info: any user in http(s)/oci (GitHub takes a token as the
# user name), a password anywhere. ``ssh://git@host`` and ``git@host:org/repo`` are not secrets.
# RFC 3986 user-info may hold any sub-delim, ``'`` included (``https://bot:pa'ss@host``).
USERINFO_URL = re.compile(
    r"(?i)\b(?:(?:https?|oci|git\+https?)://[^/\s@\"]+@|[a-z][a-z0-9+.-]*://[^/\s@:\"]*:[^/\s@\"]*@)"
)
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)([^/\s@\"]+)@")
_TOKEN_PARAM = re.compile(
    r"(?i)([?&#](?:[a-z0-9_.-]*(?:token|secret|password|passwd|key|signature|sig|credential|auth)"
    r"[a-z0-9_.-]*|code)=)[^&#\s'\"]+"
)


# What a terminal or a CI log would act on rather than show: C0 controls but tab and line feed,
# DEL and C1 (ESC/CSI/OSC retitle or clear a terminal), bidi overrides and isolates, zero-width
# characters (they reorder or hide text, as in "Trojan Source", CVE-2021-42574).
UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)


def neutral(text: str, *, one_line: bool = False) -> str:
    """``text`` with every unprintable character shown as an escape (``\\u202e``); with
    ``one_line`` line feeds too, so a message cannot start a line of its own (``::error``)."""
    pattern = UNPRINTABLE if not one_line else _ONE_LINE
    return pattern.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_ONE_LINE = re.compile(UNPRINTABLE.pattern[:-1] + "\n]")


def shown_path(path: Path) -> str:
    """How messages name a file: relative to the current directory, however it was given (an
    absolute ``--catalog`` once showed as ``waves.yaml:9:1``, naming the wrong file)."""
    if not path.is_absolute():
        return str(path)
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)


def redact(text: str) -> str:
    """``text`` with URL user-info and token-like query parameters replaced by ``***``.

    Every message kfboot prints passes through here, so a credential a user pasted by mistake
    (into set-repo, an imported Application, a catalog value) is never echoed to a CI log.
    """
    text = _USERINFO.sub(
        lambda m: m.group(1) + ("git" if m.group(2) == "git" else "***") + "@", text
    )
    return _TOKEN_PARAM.sub(r"\1***", text)


JSON_SCHEMA_VERSION = 1


@dataclass(frozen=True, order=True)
class Finding:
    """One problem. ``line``/``col`` are 1-based; 0 means the file as a whole.

    ``path``: the dotted path in the catalog at fault, for catalog problems ("" otherwise).
    """

    file: str
    line: int
    col: int
    severity: Severity
    rule: str
    message: str
    path: str = ""

    @property
    def where(self) -> str:
        return self.file if self.line == 0 else f"{self.file}:{self.line}:{self.col}"

    @property
    def shown(self) -> str:
        """The message with the dotted path in front, when there is one."""
        shown = f"{self.path}: {self.message}" if self.path else self.message
        return neutral(shown, one_line=True)

    def __str__(self) -> str:
        """``file:line:col: dotted.path: message``: how render and load report catalog problems."""
        return f"{self.file}:{self.line}:{self.col}: {self.shown}"

    def text(self) -> str:
        return f"{self.where}: [{self.severity}] {self.rule}: {self.shown}"

    def github(self) -> str:
        props = [f"file={_gh_prop(self.file)}"]
        if self.line:
            props += [f"line={self.line}", f"col={self.col}"]
        props.append(f"title={_gh_prop(self.rule)}")
        return f"::{self.severity} {','.join(props)}::{_gh_data(self.shown)}"

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "rule": self.rule,
            "message": self.shown,
        }


def located(file: str, line: int, col: int, path: str, message: str) -> Finding:
    """A catalog problem at ``file:line:col`` (``path``: dotted, "" for the file itself)."""
    return Finding(file, line, col, "error", "catalog", message, path)


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


def drift(file: str, old: str | None, new: str | None, differs: str) -> Finding:
    """The one ``drift`` finding for a generated file: missing (``old`` None), stale (``new``
    None: generated earlier, no longer), or differing (``differs`` says how, at the first line
    that differs)."""
    if new is None:
        message = "stale: generated by kfboot but no longer rendered; run 'kfboot render'"
        return Finding(file, 0, 0, "error", "drift", message)
    if old is None:
        return Finding(file, 0, 0, "error", "drift", "missing; run 'kfboot render'")
    return Finding(file, first_difference(old, new), 1, "error", "drift", differs)


def counts(findings: Iterable[Finding]) -> tuple[int, int]:
    items = list(findings)
    errors = sum(1 for f in items if f.severity == "error")
    return errors, len(items) - errors


def summary_line(findings: list[Finding]) -> str:
    errors, warnings = counts(findings)
    if not findings:
        return "no findings"
    return f"{errors} error(s), {warnings} warning(s)"


# ------------------------------------------------------------------------------------ reporters


@dataclass
class Report:
    """What a command reports: findings, plus a diff and a preamble for the human formats and
    extra top-level keys for the JSON document."""

    findings: list[Finding]
    diff: str = ""
    preamble: str = ""
    extra: Mapping[str, object] = field(default_factory=dict)


class Reporter:
    """Turns a :class:`Report` into the text a command prints."""

    name: ClassVar[str]

    def render(self, report: Report) -> str:
        # Findings and diffs quote what they found, URLs included: never echo a credential.
        return redact(neutral(self.format(report)))

    def format(self, report: Report) -> str:
        raise NotImplementedError


class TextReporter(Reporter):
    name = "text"

    def lines(self, findings: list[Finding]) -> list[str]:
        return [f.text() for f in findings]

    def diff(self, diff: str) -> str:
        return diff

    def format(self, report: Report) -> str:
        ordered = sorted(report.findings)
        lines = [*self.lines(ordered), summary_line(ordered)]
        return self.diff(report.diff) + report.preamble + "\n".join(lines) + "\n"


class GithubReporter(TextReporter):
    name = "github"

    def lines(self, findings: list[Finding]) -> list[str]:
        return [f.github() for f in findings]

    def diff(self, diff: str) -> str:
        # A collapsible group keeps a long diff out of the way of the annotations.
        return f"::group::what 'kfboot render' would change\n{diff}::endgroup::\n" if diff else ""


class JsonReporter(Reporter):
    name = "json"

    def format(self, report: Report) -> str:
        ordered = sorted(report.findings)
        errors, warnings = counts(ordered)
        doc: dict[str, object] = {
            "version": JSON_SCHEMA_VERSION,
            "findings": [f.as_json() for f in ordered],
            "summary": {"errors": errors, "warnings": warnings},
            **report.extra,
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


REPORTER_BY_NAME: dict[str, type[Reporter]] = {
    cls.name: cls for cls in (TextReporter, JsonReporter, GithubReporter)
}
FORMATS = tuple(REPORTER_BY_NAME)


def reporter(name: str | None) -> Reporter:
    """The reporter called ``name``; by default github in a GitHub workflow, else text."""
    if name is None:
        name = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    return REPORTER_BY_NAME[name]()
