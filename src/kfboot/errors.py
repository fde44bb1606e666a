"""The one error type the core raises, and the exit codes it carries.

The CLI converts a :class:`KfbootError` into its message on stderr and its exit code in exactly one
place (``cli.py``); nothing else in the package prints errors or calls ``sys.exit``.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_FINDINGS = 1  # invalid catalog, drift, failed checks
EXIT_USAGE = 2


@dataclass(frozen=True, order=True)
class Located:
    """One problem at a position: ``file:line:col: dotted.path: message`` (line/col 1-based)."""

    file: str
    line: int
    col: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class KfbootError(Exception):
    """An expected failure with a user-facing message and an exit code."""

    exit_code = EXIT_FINDINGS

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code

    @property
    def message(self) -> str:
        return str(self.args[0])


class CatalogError(KfbootError):
    """The catalog is invalid: one or more located problems, reported sorted by position."""

    def __init__(self, problems: list[Located]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(KfbootError):
    """The command line itself is wrong (exit 2)."""

    exit_code = EXIT_USAGE
