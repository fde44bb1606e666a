"""A fake ``kubectl`` for the cluster and Makefile tests: no cluster is needed.

:class:`FakeKube` writes an executable ``kubectl`` into a directory the tests put first on PATH.
It answers from rules (an argv prefix -> a list of responses, the last one repeating, so a test
can make an Application progress from one poll to the next) and logs every argv as a JSON line.
Connection flags (``--context``, ``--kubeconfig``) are ignored for matching but logged.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "data" / "fixtures" / "kube"

SCRIPT = """#!{python}
import fcntl, json, os, sys
base = os.path.dirname(os.path.abspath(__file__))
raw = sys.argv[1:]
def canonical(argv):
    # kfboot writes `VERB FLAGS... -- NAMES...`; rules and logs read `VERB NAMES... FLAGS...`.
    if "--" not in argv:
        return argv
    cut, head = argv.index("--"), 0
    while head < cut and argv[head] in ("--context", "--kubeconfig"):
        head += 2
    return [*argv[: head + 1], *argv[cut + 1 :], *argv[head + 1 : cut]]
argv = canonical(raw)
if os.environ.get("FAKE_KUBECTL_ORPHAN"):
    # A child in a session of its own (out of kubectl's process group) holding both pipes open;
    # its pid goes to the named file so the test can end it.
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            with open(os.environ["FAKE_KUBECTL_ORPHAN"], "a") as pids:
                pids.write(str(os.getpid()) + "\\n")
            import time
            time.sleep(3600)
        os._exit(0)
    os.wait()
if os.environ.get("FAKE_KUBECTL_FLOOD"):
    chunk = "x" * 65536
    while True:
        sys.stdout.write(chunk)
if os.environ.get("FAKE_KUBECTL_HANG"):
    import time
    time.sleep(3600)
# Pipelines (kustomize | apply) run two of these at once: one at a time through the state.
lock = open(os.path.join(base, "lock"), "w")
fcntl.flock(lock, fcntl.LOCK_EX)
with open(os.path.join(base, "calls.log"), "a") as log:
    log.write(json.dumps(argv) + "\\n")
with open(os.path.join(base, "raw-calls.log"), "a") as log:
    log.write(json.dumps(raw) + "\\n")
plain, skip = [], False
for arg in argv:
    if skip:
        skip = False
    elif arg in ("--context", "--kubeconfig"):
        skip = True
    else:
        plain.append(arg)
with open(os.path.join(base, "rules.json")) as handle:
    rules = json.load(handle)
state_file = os.path.join(base, "state.json")
state = {{}}
if os.path.exists(state_file):
    with open(state_file) as handle:
        state = json.load(handle)
for index, rule in enumerate(rules):
    if plain[: len(rule["argv"])] == rule["argv"]:
        count = state.get(str(index), 0)
        state[str(index)] = count + 1
        with open(state_file, "w") as handle:
            json.dump(state, handle)
        answer = rule["responses"][min(count, len(rule["responses"]) - 1)]
        fcntl.flock(lock, fcntl.LOCK_UN)
        if "file" in answer:
            with open(answer["file"]) as handle:
                sys.stdout.write(handle.read())
        sys.stdout.write(answer.get("stdout", ""))
        sys.stderr.write(answer.get("stderr", ""))
        sys.exit(answer.get("rc", 0))
sys.stderr.write("fake kubectl: no rule for " + " ".join(plain) + "\\n")
sys.exit(99)
"""


def fixture(name: str) -> dict[str, Any]:
    """A response printing a recorded JSON fixture."""
    return {"file": str(FIXTURES / name)}


def items(*docs: dict[str, Any]) -> dict[str, Any]:
    """A response printing a ``List`` of ``docs`` (as ``kubectl get -o json`` does)."""
    return {"stdout": json.dumps({"apiVersion": "v1", "kind": "List", "items": list(docs)})}


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


@dataclass
class FakeKube:
    """The fake's directory; :meth:`on` adds rules, :attr:`calls` reads the log."""

    bin_dir: Path
    rules: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.bin_dir.mkdir(parents=True, exist_ok=True)
        script = self.bin_dir / "kubectl"
        script.write_text(SCRIPT.format(python=sys.executable))
        script.chmod(0o755)
        self._save()

    def on(self, argv: str | list[str], *responses: dict[str, Any]) -> FakeKube:
        """Answer kubectl calls starting with ``argv`` with ``responses`` in turn (last repeats)."""
        words = argv.split() if isinstance(argv, str) else argv
        self.rules.append({"argv": words, "responses": list(responses) or [{}]})
        self._save()
        return self

    def _save(self) -> None:
        (self.bin_dir / "rules.json").write_text(json.dumps(self.rules))

    def _log(self, name: str) -> list[list[str]]:
        log = self.bin_dir / name
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    @property
    def calls(self) -> list[list[str]]:
        return self._log("calls.log")

    @property
    def raw_calls(self) -> list[list[str]]:
        """The argv as kubectl received it (``calls`` moves ``-- NAMES`` back after the verb)."""
        return self._log("raw-calls.log")

    def env(self, *extra: Path) -> dict[str, str]:
        """An environment whose PATH finds this kubectl first, then ``extra``, then the system."""
        path = os.pathsep.join([str(self.bin_dir), *map(str, extra), "/usr/bin", "/bin"])
        return {**os.environ, "PATH": path}
