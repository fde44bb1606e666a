"""jq for ``check --manifests``: real jq (libjq, through the optional ``jq`` package) in a
worker process, under Argo CD's time budget and a memory bound.

Argo CD compiles every ``jqPathExpressions`` entry as ``del(EXPR)`` with gojq; a parse error
fails the Application's whole comparison, a run-time error (or a timeout: 1 s by default,
``ignore.normalizer.jq.timeout``) skips only that patch (argo-cd v3.4.7
``util/argo/normalizers/diff_normalizer.go`` L23-24, L72-101, L160-178, L210-216). Argo CD
added the timeout after a crafted expression exhausted its memory (GHSA-9m6p-x4h2-6frq); here
each evaluation has :data:`TIMEOUT` seconds of wall-clock time and the worker an address space
of :data:`MEMORY_BOUND` bytes. An expression over either bound kills the worker, which the next
request restarts.

jq and gojq agree on the path expressions ``ignoreDifferences`` uses (``.a``, ``.a[]?``,
``select``, comparisons, ``length``, ``|``). Where they differ, kfboot follows gojq: a parse
error is judged on ``del(EXPR)`` as gojq parses it, and gojq-only refusals are named in
docs/converge.md.

The ``jq`` package is imported by the worker only, so ``check`` and ``render`` never need it.
"""

from __future__ import annotations

import importlib.util
import json
import re
import selectors
import subprocess
import sys
from pathlib import Path
from types import TracebackType
from typing import IO, Any

TIMEOUT = 1.0  # seconds: Argo CD's DefaultJQExecutionTimeout
STARTUP = 60.0  # seconds for the worker to load jq (not part of any expression's budget)
MEMORY_BOUND = 1 << 30  # bytes of address space for the worker (Python, libjq and the data)
INSTALL = "pip install 'kfboot[manifests]'"
# itchyny/gojq README, "Difference to jq": not implemented, so a parse (compile) error there.
_NOT_IN_GOJQ = re.compile(
    r"\$__loc__|\b(?:input_line_number|get_search_list|get_jq_origin|get_prog_origin)\b"
)


class JqParseError(ValueError):
    """``del(EXPR)`` does not compile: Argo CD fails the whole comparison."""


class JqRuntimeError(ValueError):
    """Running the expression failed (an error, a timeout, the memory bound): Argo CD skips it."""


class JqUnavailable(RuntimeError):
    """The worker cannot run jq (the ``jq`` package is missing)."""


def gojq_refusal(expression: str) -> str | None:
    """Why gojq, unlike libjq, does not compile ``expression``, or None."""
    found = _NOT_IN_GOJQ.search(expression)
    if found is None:
        return None
    return f"{found.group(0)} is not in gojq, the jq Argo CD runs"


def worker_command(memory: int) -> list[str]:
    """The worker, run as a file: ``-m kfboot.manifests.jq_worker`` would import the
    ``kfboot.manifests`` package first (pydantic, the catalog), most of a second of every start,
    and the worker restarts after each expression it kills. ``-P`` keeps the script's directory
    off ``sys.path``, where ``jq.py`` would shadow the ``jq`` package."""
    worker = Path(__file__).with_name("jq_worker.py")
    return [sys.executable, "-P", str(worker), str(memory)]


def available() -> bool:
    """Whether the ``jq`` package is installed (without importing it)."""
    return importlib.util.find_spec("jq") is not None


class Jq:
    """One worker process, started on first use and restarted after it is killed."""

    def __init__(self, timeout: float = TIMEOUT, memory: int = MEMORY_BOUND) -> None:
        self.timeout, self.memory = timeout, memory
        self._proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Jq:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.stdin is not None:
                proc.stdin.close()
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()

    def _worker(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None:
            self.close()
            proc = subprocess.Popen(
                worker_command(self.memory),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            self._proc = proc
            assert proc.stdout is not None
            if not _readable(proc.stdout, STARTUP) or not proc.stdout.readline():
                self.close()
                raise JqUnavailable(f"the jq worker did not start; {INSTALL}")
        return self._proc

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        proc = self._worker()
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(json.dumps(request, default=str).encode() + b"\n")
            proc.stdin.flush()
        except BrokenPipeError:
            return self._died()
        if not _readable(proc.stdout, self.timeout):
            self.close()
            raise JqRuntimeError(
                f"timed out after {self.timeout:g}s (Argo CD's ignore.normalizer.jq.timeout)"
            )
        line = proc.stdout.readline()
        if not line:
            return self._died()
        reply: dict[str, Any] = json.loads(line)
        return reply

    def _died(self) -> dict[str, Any]:
        self.close()
        raise JqRuntimeError(f"exceeded the memory bound of {self.memory >> 20} MiB")

    def parse_error(self, expression: str) -> str | None:
        """Why ``del(expression)`` does not compile in gojq, or None."""
        refused = gojq_refusal(expression)
        if refused is not None:
            return refused
        try:
            reply = self._ask({"expr": expression})
        except JqRuntimeError as exc:
            return str(exc)
        parse = reply.get("parse")
        return str(parse) if parse is not None else None

    def delete(self, expression: str, document: Any) -> Any:
        """``document`` after ``del(expression)``."""
        refused = gojq_refusal(expression)
        if refused is not None:
            raise JqParseError(refused)
        reply = self._ask({"expr": expression, "doc": document})
        if "parse" in reply:
            raise JqParseError(str(reply["parse"]))
        if "error" in reply:
            raise JqRuntimeError(str(reply["error"]))
        return reply["doc"]


def _readable(stream: IO[bytes], timeout: float) -> bool:
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        return bool(selector.select(timeout))
