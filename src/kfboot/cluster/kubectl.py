"""The one way kfboot talks to a cluster: the ``kubectl`` on PATH, reading ``-o json``.

kubectl already honours ``KUBECONFIG`` from the environment; ``--context`` and ``--kubeconfig``
are passed through. Every failure becomes a one-line :class:`~kfboot.errors.KfbootError` (exit 1):
kubectl missing, cluster unreachable, or any other error kubectl reports.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from typing import Any

from kfboot.errors import KfbootError

APPLICATION = "applications.argoproj.io"


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str


_UNREACHABLE = re.compile(
    r"connection to the server|Unable to connect to the server|dial tcp|no such host|i/o timeout"
)


def one_line(text: str) -> str:
    """kubectl's last stderr line: client-go logs its retries first, its verdict last."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    line = lines[-1] if lines else "(no message)"
    return f"cannot reach the cluster: {line}" if _UNREACHABLE.search(line) else line


@dataclass(frozen=True)
class Kubectl:
    """A kubectl invocation prefix: the binary and the connection flags."""

    context: str | None = None
    kubeconfig: str | None = None
    binary: str = "kubectl"

    def argv(self, *args: str) -> list[str]:
        argv = [self.binary]
        if self.kubeconfig:
            argv += ["--kubeconfig", self.kubeconfig]
        if self.context:
            argv += ["--context", self.context]
        return [*argv, *args]

    def call(self, *args: str) -> Result:
        """Run kubectl; a missing binary is an error, a failing command is a Result."""
        try:
            done = subprocess.run(
                self.argv(*args),
                capture_output=True,
                text=True,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except FileNotFoundError:
            raise KfbootError(f"{self.binary}: not found on PATH; kfboot needs kubectl") from None
        except OSError as exc:
            raise KfbootError(f"{self.binary}: cannot run: {exc.strerror}") from None
        return Result(done.returncode, done.stdout, done.stderr)

    def run(self, *args: str) -> str:
        """Run kubectl and return its stdout; any failure is a one-line error."""
        result = self.call(*args)
        if result.returncode != 0:
            raise KfbootError(f"kubectl {args[0]}: {one_line(result.stderr)}")
        return result.stdout

    def get_json(self, *args: str) -> Any:
        """``kubectl get ARGS -o json``, parsed; None when ``--ignore-not-found`` found nothing."""
        out = self.run("get", *args, "-o", "json")
        if not out.strip():
            return None
        try:
            return json.loads(out)
        except ValueError:
            raise KfbootError(f"kubectl get {' '.join(args)}: output is not JSON") from None

    def items(self, *args: str) -> list[dict[str, Any]]:
        """The ``items`` of a list ``kubectl get``."""
        doc = self.get_json(*args)
        return list(doc.get("items", [])) if isinstance(doc, dict) else []

    def applications(self, namespace: str) -> list[dict[str, Any]]:
        return self.items(APPLICATION, "-n", namespace)

    def patch_merge(self, kind: str, name: str, namespace: str, body: dict[str, Any]) -> None:
        text = json.dumps(body, separators=(",", ":"), sort_keys=True)
        self.run("patch", kind, name, "-n", namespace, "--type", "merge", "-p", text)
