"""Items 7 and 8: a cluster that hangs or answers with hostile strings and odd shapes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kfboot.cluster.untrusted import clean
from kfboot.manifests.inputs import is_remote
from tests.adversarial.harness import assert_one_line_error, bounded
from tests.conftest import DEFAULT_CATALOG, run_cli
from tests.fakekube import FakeKube, load

APPS = ["get", "applications.argoproj.io", "-n", "argocd", "-o", "json"]
JUPYTER = ["get", "applications.argoproj.io", "kubeflow-jupyter", "-n", "argocd", "-o", "json"]
CATALOG = ["--catalog", str(DEFAULT_CATALOG)]


@pytest.fixture
def kube(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeKube:
    fake = FakeKube(tmp_path / "bin")
    monkeypatch.setenv("PATH", str(fake.bin_dir))
    return fake


@pytest.mark.parametrize(
    "args",
    [
        ["wait", "--timeout", "3s"],
        ["sync", "--timeout", "3s"],
        ["status", "--timeout", "3s"],
        ["verify", "--timeout", "3s"],
        ["logs", "kubeflow-jupyter", "--timeout", "3s"],
    ],
)
def test_a_hanging_kubectl_is_bounded_by_the_timeout(
    kube: FakeKube, tmp_path: Path, args: list[str]
) -> None:
    env = {"PATH": str(kube.bin_dir), "FAKE_KUBECTL_HANG": "1"}
    result = bounded(*args, *CATALOG, cwd=tmp_path, env=env)
    assert_one_line_error(result, "no answer within")


def test_a_hostile_resource_name_never_reaches_kubectl_as_an_option(kube: FakeKube) -> None:
    app = load("application-jupyter.json")
    deployment = next(r for r in app["status"]["resources"] if r["kind"] == "Deployment")
    deployment["name"] = "--server=https://evil.example.com"
    kube.on(JUPYTER, {"stdout": json.dumps(app)})
    kube.on(["get"], {"stdout": ""})
    kube.on(["logs"], {"stdout": ""})
    result = run_cli("logs", "kubeflow-jupyter", *CATALOG)
    assert_one_line_error(result, "invalid name '--server=https://evil.example.com'")
    assert not any("--server=https://evil.example.com" in " ".join(c) for c in kube.raw_calls)


def test_a_hostile_selector_is_refused(kube: FakeKube) -> None:
    app = load("application-jupyter.json")
    kube.on(JUPYTER, {"stdout": json.dumps(app)})
    deployment = {"spec": {"selector": {"matchLabels": {"app": "x,--server=https://evil"}}}}
    kube.on(["get", "deployments.apps"], {"stdout": json.dumps(deployment)})
    kube.on(["logs"], {"stdout": ""})
    result = run_cli("logs", "kubeflow-jupyter", *CATALOG)
    assert_one_line_error(result, "invalid label selector")
    assert not [c for c in kube.raw_calls if c[0] == "logs"]


ESC = "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x1b[0m\x07\x9b1m"


def test_terminal_control_sequences_from_the_cluster_are_stripped(kube: FakeKube) -> None:
    doc = load("applications-healthy.json")
    doc["items"][0]["status"]["health"]["message"] = f"bad {ESC} news"
    kube.on(APPS[:4], {"stdout": json.dumps(doc)})
    result = run_cli("status", *CATALOG)
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\x9b" not in result.stdout


def test_logs_are_stripped_too(kube: FakeKube) -> None:
    kube.on(JUPYTER, {"stdout": json.dumps(load("application-jupyter.json"))})
    kube.on(["get", "deployments.apps"], {"stdout": ""})
    kube.on(["logs"], {"stdout": f"line {ESC}\n"})
    result = run_cli("logs", "kubeflow-jupyter", *CATALOG)
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "line " in result.stdout


def test_clean_keeps_text() -> None:
    assert clean("a\tb\nc é 漢") == "a\tb\nc é 漢"
    assert clean(ESC) == "red"


@pytest.mark.parametrize(
    "stdout",
    [
        json.dumps({"items": None}),
        json.dumps({"items": [{"kind": "Application"}]}),
        json.dumps({"items": [{"metadata": {"name": 5}}]}),
        json.dumps({"items": [1, 2]}),
        json.dumps([]),
        json.dumps({"items": [{"metadata": {"name": "kubeflow-jupyter"}, "status": "Healthy"}]}),
        json.dumps({"items": [{"metadata": {"name": "kubeflow-jupyter"}, "spec": []}]}),
    ],
)
@pytest.mark.parametrize("command", ["status", "wait", "verify"])
def test_unexpected_json_shapes_are_a_one_line_error(
    kube: FakeKube, stdout: str, command: str
) -> None:
    kube.on(["get"], {"stdout": stdout})
    args = [command, "--timeout", "2s", "--interval", "0.5"] if command == "wait" else [command]
    result = run_cli(*args, *CATALOG)
    assert "Traceback" not in result.stdout + result.stderr
    assert len(result.stderr.strip().splitlines()) <= 1, result.stderr
    # status may show an Application of an odd shape as unknown; the others fail on it.
    assert result.exit_code == 1 or (command == "status" and result.exit_code == 0)


@pytest.mark.parametrize(
    "entry",
    [
        "GitHub.com/org/repo//dir",
        "GITLAB.COM/org/repo",
        "HTTPS://example.com/x.yaml",
        "../base?REF=v1",
        "Git@github.com:org/repo",
    ],
)
def test_remote_resources_are_recognised_whatever_their_case(entry: str) -> None:
    assert is_remote(entry)


def test_environment_is_not_mutated() -> None:
    assert "FAKE_KUBECTL_HANG" not in os.environ


@pytest.mark.parametrize("created", ["yesterday", "2024-01-01T00:00:00", 5, "9999-99-99T00:00:00Z"])
def test_a_malformed_pod_creation_timestamp_is_a_new_pod(created: object) -> None:
    from datetime import UTC, datetime

    from kfboot.cluster.verify import pod_problem

    pod = {"metadata": {"creationTimestamp": created}, "status": {"phase": "Pending"}}
    now = datetime(2026, 1, 1, tzinfo=UTC)
    problem = pod_problem(pod, now, grace=60.0)
    assert problem is None or "Pending" in problem


@pytest.mark.parametrize("fmt", [[], ["--format", "json"]])
def test_status_never_prints_a_token_or_bidi_text_from_the_cluster(
    kube: FakeKube, fmt: list[str]
) -> None:
    secret = "ghp_T0KEN0123456789"
    doc = load("applications-healthy.json")
    doc["items"][0]["status"]["health"]["message"] = (
        f"pull https://x.example/r?token={secret} by https://bot:{secret}@git.example"
        " \u202eevil\u200b"
    )
    doc["items"][0]["spec"]["source"]["repoURL"] = f"https://bot:{secret}@github.com/o/r.git"
    kube.on(APPS[:4], {"stdout": json.dumps(doc)})
    result = run_cli("status", *CATALOG, *fmt)
    out = result.stdout + result.stderr
    assert secret not in out and "\u202e" not in out and "\u200b" not in out, out
