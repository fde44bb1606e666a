"""Running kustomize: which command, where wrappers are materialised, and builds in parallel.

A multi-path component builds from the wrapper kustomization kfboot renders now. Kustomize rejects
absolute resource paths, and ``DIR`` must not be modified, so wrappers are written into a temporary
mirror of ``DIR``: real directories along each wrapper's path, and every other entry of ``DIR`` a
symlink. The wrapper's ``../../../../common/...`` then reaches ``DIR`` through the symlinks
exactly as it would in the repository. Files beside a committed wrapper (patch files) are copied,
not linked: kustomize's load restrictor rejects a symlink whose target lies outside the
kustomization's directory.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kfboot.cluster import kubectl
from kfboot.errors import UsageError
from kfboot.layout import KUSTOMIZATION_FILES
from kfboot.manifests import cache
from kfboot.manifests.objects import Obj, parse_build

# Seconds one build may take (``check --build-timeout``): the largest Kubeflow component builds
# in well under a minute; a remote base on a dead network would otherwise hang CI.
BUILD_TIMEOUT = 300.0
# Bytes a build may print (stdout, and stderr, each). Argo CD's repo server cannot send more
# manifests than 100 MiB by default (ARGOCD_GRPC_MAX_SIZE_MB, reposerver/apiclient/
# clientset.go:26@v3.4.7), so past this the build is a failed one, not a process grown without
# bound.
OUTPUT_LIMIT = 100 << 20


def kustomize_command(override: str | None) -> list[str]:
    """``--kustomize CMD`` split like a shell would, else ``kustomize build``, else kubectl's."""
    if override is not None:
        command = shlex.split(override)
        if not command:
            raise UsageError("--kustomize: the command is empty")
        return command
    if shutil.which("kustomize"):
        return ["kustomize", "build"]
    if shutil.which("kubectl"):
        return ["kubectl", "kustomize"]
    raise UsageError("neither kustomize nor kubectl is on PATH; pass --kustomize CMD")


@dataclass(frozen=True)
class Job:
    """One build: a directory of the checkout, or a wrapper materialised at ``target``."""

    component: str
    target: str  # relative to the checkout
    wrapper: str | None
    key: str
    weight: int = 0


@dataclass(frozen=True)
class Outcome:
    ok: bool
    error: str
    objects: tuple[Obj, ...]
    cached: bool
    timed_out: bool = False

    def record(self) -> dict[str, Any]:
        return {"ok": self.ok, "error": self.error, "objects": [o.to_json() for o in self.objects]}

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> Outcome | None:
        """The outcome :meth:`record` stored, or None (a miss) for a truncated or foreign entry."""
        ok, error, objects = data.get("ok"), data.get("error"), data.get("objects")
        if not (isinstance(ok, bool) and isinstance(error, str) and isinstance(objects, list)):
            return None
        try:
            return cls(ok, error, tuple(Obj.from_json(o) for o in objects), cached=True)
        except ValueError:
            return None


def run_all(
    jobs: list[Job],
    root: Path,
    command: list[str],
    use_cache: bool,
    timeout: float = BUILD_TIMEOUT,
) -> dict[str, Outcome]:
    """Every job's outcome by component: from the cache when allowed, else built in parallel."""
    outcomes: dict[str, Outcome] = {}
    todo = []
    for job in jobs:
        record = cache.load(job.key) if use_cache else None
        hit = Outcome.from_record(record) if record is not None else None
        if hit is not None:
            outcomes[job.component] = hit
        else:
            todo.append(job)
    if not todo:
        return outcomes
    # Longest first: a big wrapper started last would leave the other workers idle at the end.
    todo.sort(key=lambda j: -j.weight)
    with _mirror(root, {j.target: j.wrapper for j in todo if j.wrapper is not None}) as mirror:
        workers = min(len(todo), _cpus())
        with ThreadPoolExecutor(max_workers=workers) as pool:
            built = pool.map(lambda j: _build(j, root, mirror, command, timeout), todo)
            for job, outcome in zip(todo, built, strict=True):
                if not outcome.timed_out:  # a slow machine must not fail later runs
                    cache.store(job.key, outcome.record())
                outcomes[job.component] = outcome
    return outcomes


def _cpus() -> int:
    """CPUs this process may run on (a container's limit, not the host's count)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _go_env() -> dict[str, str]:
    """The environment for kustomize (a Go program), with a lazier garbage collector.

    A build is a short burst of allocation; Go's default GOGC=100 spends about a quarter of it
    collecting garbage that the process exit frees anyway. GOGC=400 builds ~25% faster, and
    GOMEMLIMIT caps the heap so that a huge build still collects before it runs out of memory.
    The output is the same. Values the user set are kept.
    """
    env = dict(os.environ)
    env.setdefault("GOGC", "400")
    env.setdefault("GOMEMLIMIT", "1GiB")
    return env


def _build(job: Job, root: Path, mirror: Path, command: list[str], timeout: float) -> Outcome:
    directory = (mirror if job.wrapper is not None else root) / job.target
    try:
        proc = subprocess.Popen(
            [*command, str(directory)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=_go_env(),
            start_new_session=True,  # a timeout kills kustomize and the helm or git it started
        )
    except OSError as exc:
        raise UsageError(f"--kustomize: cannot run {shlex.join(command)}: {exc.strerror}") from None
    # kubectl's bounded reader: never wait on pipes that a helm or git child in a session of
    # its own holds (communicate() after the kill waited for it), and never hold more than
    # OUTPUT_LIMIT of what a build prints.
    try:
        out, err = kubectl.collect(proc, time.monotonic() + timeout, OUTPUT_LIMIT)
    except subprocess.TimeoutExpired:
        message = f"the build did not finish within {timeout:g}s (check --build-timeout)"
        return Outcome(False, message, (), cached=False, timed_out=True)
    except kubectl.Overflow:
        message = f"the build printed more than {OUTPUT_LIMIT >> 20} MiB; gave up"
        return Outcome(False, message, (), cached=False)
    finally:
        kubectl.kill_group(proc)
    stdout, stderr = (data.decode("utf-8", errors="replace") for data in (out, err))
    if proc.returncode != 0:
        message = clean_error(stderr, proc.returncode)
        # Paths relative to the checkout: readable, and the same wherever it is checked out.
        for prefix in (mirror.resolve(), mirror, root.resolve(), root):
            message = message.replace(f"{prefix}/", "")
        return Outcome(False, message, (), cached=False)
    try:
        return Outcome(True, "", tuple(parse_build(stdout)), cached=False)
    except yaml.YAMLError as exc:
        return Outcome(False, f"kustomize printed invalid YAML: {exc}", (), cached=False)


_KLOG = re.compile(r'\A[EWIF]\d{4} \S+\s+\d+ \S+\] "command failed" err=(.*)\Z', re.S)


def clean_error(stderr: str, code: int) -> str:
    """Kustomize's own message, on one line, without kubectl's log prefix or quoting."""
    text = stderr.strip()
    match = _KLOG.match(text)
    if match:
        text = match.group(1).strip()
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1]
        elif text.startswith('"'):
            with suppress(ValueError):
                text = json.loads(text)
    text = text.removeprefix("Error: ")
    return " ".join(text.split()) or f"exit status {code}"


@contextmanager
def _mirror(root: Path, wrappers: dict[str, str]) -> Iterator[Path]:
    """A temporary mirror of ``root`` holding ``wrappers`` ({relative dir: kustomization})."""
    with tempfile.TemporaryDirectory(prefix="kfboot-") as tmp:
        mirror = Path(tmp)
        if not wrappers:
            yield mirror
            return
        real = {"."} | {str(p) for w in wrappers for p in Path(w).parents} | set(wrappers)
        for rel in sorted(real):
            _populate(root / rel, mirror / rel, real, rel, copy=rel in wrappers)
        for rel, text in wrappers.items():
            (mirror / rel / "kustomization.yaml").write_text(text, encoding="utf-8")
        yield mirror


def _populate(source: Path, target: Path, real: set[str], rel: str, copy: bool) -> None:
    target.mkdir(parents=True, exist_ok=True)
    if not source.is_dir():
        return
    for entry in source.iterdir():
        child = os.path.normpath(f"{rel}/{entry.name}")
        if child in real:
            continue
        if not copy:
            (target / entry.name).symlink_to(entry.absolute())
        elif entry.is_dir():
            shutil.copytree(entry, target / entry.name)
        elif entry.name not in KUSTOMIZATION_FILES:
            shutil.copy2(entry, target / entry.name)
