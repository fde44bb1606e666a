"""Cluster answers are bounded in time and size, whatever kubectl does.

No timing deadline here: the harness kills a run after two minutes, and the fake's lingering
child sleeps an hour, so a kfboot that waits on its pipes fails the test instead of passing late.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kfboot.cluster.kubectl import Kubectl
from kfboot.errors import KfbootError
from tests.adversarial.harness import TIME_LIMIT, assert_one_line_error, bounded
from tests.conftest import DEFAULT_CATALOG
from tests.fakekube import FakeKube, items, load

APPS = ["get", "applications.argoproj.io", "-n", "argocd", "-o", "json"]
CATALOG = ["--catalog", str(DEFAULT_CATALOG)]


@pytest.fixture
def kube(tmp_path: Path) -> FakeKube:
    return FakeKube(tmp_path / "bin")


@pytest.fixture
def orphans(tmp_path: Path) -> Iterator[Path]:
    """The file the fake kubectl names its lingering children in; they are ended afterwards."""
    pids = tmp_path / "orphans"
    yield pids
    for line in pids.read_text().split() if pids.exists() else []:
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(line), signal.SIGKILL)


def test_a_child_holding_the_pipes_does_not_outlive_the_timeout(
    kube: FakeKube, tmp_path: Path, orphans: Path
) -> None:
    """kubectl hangs after starting a child in a new session that holds stderr open: killing
    kubectl's group leaves the child, and waiting on the pipes waited for it (121 s, or here an
    hour)."""
    env = {"PATH": str(kube.bin_dir), "FAKE_KUBECTL_HANG": "1", "FAKE_KUBECTL_ORPHAN": str(orphans)}
    start = time.monotonic()
    result = bounded("status", "--timeout", "1s", *CATALOG, cwd=tmp_path, env=env)
    assert_one_line_error(result, "kubectl get: no answer within 1s; gave up")
    assert time.monotonic() - start < TIME_LIMIT / 2  # bounded, with a generous margin
    assert orphans.read_text().split()  # the child really lingered


def test_an_answer_is_read_when_kubectl_exits_leaving_a_child(
    kube: FakeKube, tmp_path: Path, orphans: Path
) -> None:
    """kubectl answers and exits; its lingering child holds the pipes: the answer counts."""
    kube.on(APPS, items(load("application-jupyter.json")))
    env = {"PATH": str(kube.bin_dir), "FAKE_KUBECTL_ORPHAN": str(orphans)}
    result = bounded("status", "--timeout", "30s", *CATALOG, cwd=tmp_path, env=env)
    assert "no answer" not in result.stderr, result
    assert "Traceback" not in result.stderr
    assert "jupyter" in result.stdout, result


def test_an_endless_answer_is_cut_off(kube: FakeKube, tmp_path: Path) -> None:
    """An answer larger than the limit (64 MiB) stops with a clear error, within the memory
    limit the harness sets (a 266 MB answer grew kfboot to 2.9 GB)."""
    env = {"PATH": str(kube.bin_dir), "FAKE_KUBECTL_FLOOD": "1"}
    result = bounded("status", "--timeout", "60s", *CATALOG, cwd=tmp_path, env=env)
    assert_one_line_error(result, "kubectl get: answer larger than 64 MiB; gave up")


def test_the_output_limit_holds_for_stderr_too(kube: FakeKube) -> None:
    (kube.bin_dir / "kubectl").write_text(
        "#!/bin/sh\nhead -c 3000000 /dev/zero | tr '\\0' x >&2\nexit 1\n"
    )
    kubectl = Kubectl(binary=str(kube.bin_dir / "kubectl"), output_limit=1 << 20)
    with pytest.raises(KfbootError, match=r"^kubectl get: answer larger than 1 MiB; gave up$"):
        kubectl.call("get", "pods")


def test_an_answer_under_the_limit_is_whole(kube: FakeKube) -> None:
    doc = {"items": ["y" * 1000] * 900}
    (kube.bin_dir / "answer.json").write_text(json.dumps(doc))
    (kube.bin_dir / "kubectl").write_text(f"#!/bin/sh\ncat {kube.bin_dir / 'answer.json'}\n")
    kubectl = Kubectl(binary=str(kube.bin_dir / "kubectl"), output_limit=1 << 20)
    assert json.loads(kubectl.run("get", "pods")) == doc
