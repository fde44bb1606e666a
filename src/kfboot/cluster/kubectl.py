"""The one way kfboot talks to a cluster: the ``kubectl`` on PATH, reading ``-o json``.

kubectl already honours ``KUBECONFIG`` from the environment; ``--context`` and ``--kubeconfig``
are passed through. Every failure becomes a one-line :class:`~kfboot.errors.KfbootError` (exit 1):
kubectl missing, cluster unreachable, no answer in time, or any other error kubectl reports.

Every call is bounded: by the command's remaining deadline (``--timeout``) and by a default per
call, so a hung kubectl (or API server) cannot keep a CI job running. Arguments that name
objects come after ``--`` and are validated (:mod:`kfboot.cluster.untrusted`), and every string
kubectl returns is stripped of terminal control sequences.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import selectors
import signal
import subprocess
import time
from dataclasses import dataclass
from typing import Any

from kfboot.cluster import untrusted
from kfboot.errors import KfbootError

APPLICATION = "applications.argoproj.io"
CALL_TIMEOUT = 60.0  # seconds: no single kubectl call of kfboot's takes this long when healthy
# bytes: an answer past this is refused rather than held (a 266 MB answer grew kfboot to 2.9 GB).
# The API server stores objects of at most 1.5 MiB (etcd's default request limit); a list of a
# thousand Applications with their status.resources stays far below.
OUTPUT_LIMIT = 64 << 20


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
    line = untrusted.clean(lines[-1]) if lines else "(no message)"
    return f"cannot reach the cluster: {line}" if _UNREACHABLE.search(line) else line


@dataclass(frozen=True)
class Kubectl:
    """A kubectl invocation prefix: the binary and the connection flags, and the time limits."""

    context: str | None = None
    kubeconfig: str | None = None
    binary: str = "kubectl"
    deadline: float | None = None  # time.monotonic() by which every call must have ended
    call_timeout: float = CALL_TIMEOUT
    output_limit: int = OUTPUT_LIMIT  # bytes of stdout, and of stderr, kept from one call

    def argv(self, *args: str) -> list[str]:
        argv = [self.binary]
        if self.kubeconfig:
            argv += ["--kubeconfig", self.kubeconfig]
        if self.context:
            argv += ["--context", self.context]
        return [*argv, *args]

    def _limit(self) -> float:
        limit = self.call_timeout
        if self.deadline is not None:
            limit = min(limit, self.deadline - time.monotonic())
        return max(limit, 0.0)

    def call(self, *args: str) -> Result:
        """Run kubectl; a missing binary or no answer in time is an error, a failure a Result."""
        limit = self._limit()
        if limit <= 0:
            raise KfbootError(f"kubectl {args[0]}: the time limit (--timeout) ran out")
        try:
            proc = subprocess.Popen(
                self.argv(*args),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # so a timeout can kill kubectl and all it started
            )
        except FileNotFoundError:
            raise KfbootError(f"{self.binary}: not found on PATH; kfboot needs kubectl") from None
        except OSError as exc:
            raise KfbootError(f"{self.binary}: cannot run: {exc.strerror}") from None
        try:
            out, err = collect(proc, time.monotonic() + limit, self.output_limit)
        except Overflow:
            raise KfbootError(
                f"kubectl {args[0]}: answer larger than {self.output_limit >> 20} MiB; gave up"
            ) from None
        except subprocess.TimeoutExpired:
            raise KfbootError(
                f"kubectl {args[0]}: no answer within {limit:.0f}s; gave up "
                "(is the cluster reachable? raise --timeout for a slow one)"
            ) from None
        finally:
            kill_group(proc)
        return Result(proc.returncode, _text(out), _text(err))

    def run(self, *args: str) -> str:
        """Run kubectl and return its stdout; any failure is a one-line error."""
        result = self.call(*args)
        if result.returncode != 0:
            raise KfbootError(f"kubectl {args[0]}: {one_line(result.stderr)}")
        return result.stdout

    def get_json(self, *names: str, namespace: str | None = None, missing_ok: bool = False) -> Any:
        """``kubectl get NAMES -o json``, parsed and cleaned; None if ``missing_ok`` and absent."""
        flags = ["-n", untrusted.namespace(namespace)] if namespace else []
        flags += ["--ignore-not-found"] if missing_ok else []
        positional = [untrusted.name(n) for n in names]
        out = self.run("get", *flags, "-o", "json", "--", *positional)
        if not out.strip():
            return None
        try:
            return untrusted.cleaned(json.loads(out))
        except (ValueError, RecursionError):
            raise KfbootError(f"kubectl get {' '.join(names)}: output is not JSON") from None

    def items(self, resource: str, namespace: str | None = None) -> list[dict[str, Any]]:
        """The ``items`` of a list ``kubectl get``, each a mapping with a named ``metadata``."""
        doc = self.get_json(resource, namespace=namespace)
        found = doc.get("items") if isinstance(doc, dict) else None
        if not isinstance(found, list) or not all(_has_metadata(item) for item in found):
            raise KfbootError(
                f"kubectl get {resource}: unexpected answer (not a list of objects with "
                "metadata.name)"
            )
        return found

    def applications(self, namespace: str) -> list[dict[str, Any]]:
        return self.items(APPLICATION, namespace)

    def patch_merge(self, kind: str, name: str, namespace: str, body: dict[str, Any]) -> None:
        text = json.dumps(body, separators=(",", ":"), sort_keys=True)
        flags = ["-n", untrusted.namespace(namespace), "--type", "merge", "-p", text]
        self.run("patch", *flags, "--", untrusted.name(kind), untrusted.name(name))


def _has_metadata(item: Any) -> bool:
    meta = item.get("metadata") if isinstance(item, dict) else None
    return isinstance(meta, dict) and isinstance(meta.get("name"), str)


class Overflow(Exception):
    """The process wrote more than the output limit."""


def collect(proc: subprocess.Popen[bytes], deadline: float, cap: int) -> tuple[bytes, bytes]:
    """kubectl's stdout and stderr, read until it exits (then what it wrote before exiting).

    kustomize's too (:mod:`kfboot.manifests.build`), which runs helm and git. Never waits on
    the pipes alone: a child started in a session of its own (an exec credential plugin, a
    port-forward, helm) can hold them open long after kubectl has exited, and
    ``communicate()`` waited for that child. Raises TimeoutExpired past ``deadline`` and
    :class:`Overflow` past ``cap`` bytes on either pipe.
    """
    chunks: dict[int, list[bytes]] = {}
    sizes: dict[int, int] = {}
    with selectors.DefaultSelector() as selector:
        for pipe in (proc.stdout, proc.stderr):
            assert pipe is not None
            os.set_blocking(pipe.fileno(), False)
            selector.register(pipe.fileno(), selectors.EVENT_READ)
            chunks[pipe.fileno()], sizes[pipe.fileno()] = [], 0
        while selector.get_map():
            # Once kubectl has exited, everything it wrote is in the pipes: drain, then stop.
            exited = proc.poll() is not None
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                if exited:  # what a lingering child keeps writing is not kubectl's answer
                    break
                raise subprocess.TimeoutExpired(proc.args, 0)
            ready = selector.select(0 if exited else min(remaining, 0.2))
            for key, _ in ready:
                _read(key.fd, selector, chunks[key.fd], sizes, cap)
            if exited and not ready:
                break
    if proc.poll() is None:  # closed its pipes but still running
        proc.wait(max(deadline - time.monotonic(), 0))
    assert proc.stdout is not None and proc.stderr is not None
    return b"".join(chunks[proc.stdout.fileno()]), b"".join(chunks[proc.stderr.fileno()])


def _read(
    fd: int, selector: selectors.BaseSelector, into: list[bytes], sizes: dict[int, int], cap: int
) -> None:
    try:
        data = os.read(fd, 1 << 16)
    except BlockingIOError:
        return
    if not data:
        selector.unregister(fd)
        return
    sizes[fd] += len(data)
    if sizes[fd] > cap:
        raise Overflow
    into.append(data)


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill the process group (kubectl and what it started there) and close the pipes;
    never wait on a pipe a child in another session may hold."""
    if proc.poll() is None:
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    for pipe in (proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()
