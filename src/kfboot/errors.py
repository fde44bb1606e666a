"""The one error type the core raises, the outcome of a command that reports findings, and the
one mapping of both to exit codes (:func:`exit_code`).

The CLI converts a :class:`KfbootError` into its message on stderr, and either into its exit code,
in exactly one place (``cli.py``); nothing else in the package prints errors or calls
``sys.exit``.
"""

from __future__ import annotations

from dataclasses import dataclass

from kfboot.findings import Finding, counts, neutral, redact

EXIT_OK = 0
EXIT_FINDINGS = 1  # invalid catalog, drift, failed checks
EXIT_USAGE = 2


@dataclass(frozen=True)
class Outcome:
    """How a command that printed findings ends: with errors, or warnings under ``--strict``, it
    fails (exit 1); otherwise it passes."""

    findings: tuple[Finding, ...]
    strict: bool = False


class KfbootError(Exception):
    """An expected failure with a user-facing message and an exit code."""

    exit_code = EXIT_FINDINGS

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code

    @property
    def message(self) -> str:
        return redact(neutral(str(self.args[0])))


def _by_position(problem: Finding) -> tuple[str, int, int, str, str]:
    return problem.file, problem.line, problem.col, problem.path, problem.message


class CatalogError(KfbootError):
    """The catalog is invalid: one or more located problems, reported sorted by position."""

    def __init__(self, problems: list[Finding]) -> None:
        self.problems = sorted(
            set(problems), key=lambda p: (p.file, p.line, p.col, p.path, p.message)
        )
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(KfbootError):
    """The command line itself is wrong (exit 2)."""

    exit_code = EXIT_USAGE


def exit_code(result: object) -> int:
    """The exit code of what a command ended with: an error, an :class:`Outcome`, or anything
    else (success)."""
    if isinstance(result, KfbootError):
        return result.exit_code
    if isinstance(result, Outcome):
        errors, warnings = counts(result.findings)
        return EXIT_FINDINGS if errors or (result.strict and warnings) else EXIT_OK
    return EXIT_OK
