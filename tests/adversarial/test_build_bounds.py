"""``check --manifests`` builds are bounded in time and size, whatever kustomize does.

kustomize runs helm and git; one of them left in a session of its own can hold kustomize's
pipes open long after the build timed out, and a build's output was read whole. As in
``test_cluster_bounds.py`` there is no timing deadline: the fake's lingering child sleeps an
hour, the harness kills a run after two minutes, so waiting on the pipes fails the test.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.adversarial.harness import TIME_LIMIT, _limit_memory

FAKE_KUSTOMIZE = """#!{python}
import os, sys, time
mode = sys.argv[1]
if mode in ("orphan-hang", "orphan-answer"):
    if os.fork() == 0:
        os.setsid()  # out of kustomize's process group, holding both pipes
        if os.fork() == 0:
            with open({orphans!r}, "a") as pids:
                pids.write(str(os.getpid()) + "\\n")
            time.sleep(3600)
        os._exit(0)
    os.wait()
if mode == "orphan-hang":
    time.sleep(3600)
if mode == "flood":
    chunk = "x" * 65536
    while True:
        sys.stdout.write(chunk)
print("apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: built\\n  namespace: kubeflow")
"""

_BUILD = """
import json, sys
from pathlib import Path
from kfboot.manifests import build
build.OUTPUT_LIMIT = 4 << 20
root, script, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
job = build.Job("c", "component", None, key="k")
out = build.run_all([job], root, [script, mode], use_cache=False, timeout=1.0)["c"]
print(json.dumps({"ok": out.ok, "error": out.error, "timed_out": out.timed_out,
                  "objects": [o.name for o in out.objects]}))
"""


@pytest.fixture
def orphans(tmp_path: Path) -> Iterator[Path]:
    pids = tmp_path / "orphans"
    yield pids
    for line in pids.read_text().split() if pids.exists() else []:
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(line), signal.SIGKILL)


def _build(tmp_path: Path, orphans: Path, mode: str) -> dict[str, object]:
    script = tmp_path / "kustomize"
    script.write_text(FAKE_KUSTOMIZE.format(python=sys.executable, orphans=str(orphans)))
    script.chmod(0o755)
    (tmp_path / "component").mkdir()
    (tmp_path / "component" / "kustomization.yaml").write_text("resources: []\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.run(
        [sys.executable, "-c", _BUILD, str(tmp_path), str(script), mode],
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        preexec_fn=_limit_memory,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout)
    return result


def test_a_child_holding_the_pipes_does_not_outlive_the_build_timeout(
    tmp_path: Path, orphans: Path
) -> None:
    """kustomize hangs after starting a child in a new session: killing kustomize's group
    leaves the child, and ``communicate()`` after the kill waited for it (here an hour)."""
    out = _build(tmp_path, orphans, "orphan-hang")
    assert out["timed_out"] is True, out
    assert out["error"] == "the build did not finish within 1s (check --build-timeout)"
    assert orphans.read_text().split()  # the child really lingered


def test_a_build_is_read_when_kustomize_exits_leaving_a_child(
    tmp_path: Path, orphans: Path
) -> None:
    out = _build(tmp_path, orphans, "orphan-answer")
    assert out == {"ok": True, "error": "", "timed_out": False, "objects": ["built"]}


def test_an_endless_build_output_is_cut_off(tmp_path: Path, orphans: Path) -> None:
    """A build printing without end is a failed build, within the harness's memory limit."""
    out = _build(tmp_path, orphans, "flood")
    assert out["ok"] is False and out["timed_out"] is False, out
    assert out["error"] == "the build printed more than 4 MiB; gave up"
