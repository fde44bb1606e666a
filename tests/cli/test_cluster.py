"""``kfboot status / wait / sync / logs / verify`` against a fake kubectl answering from fixtures.

Each test asserts the output, the exit code and the exact kubectl calls. Waiting uses a fake clock
whose ``sleep`` only advances time, so timeouts are reached instantly.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from kfboot.cli import cli
from kfboot.cluster import waiting
from tests.conftest import DEFAULT_CATALOG, Result, run_cli
from tests.fakekube import FakeKube, fixture, items, load

APPS = ["get", "applications.argoproj.io", "-n", "argocd", "-o", "json"]
CATALOG = ["--catalog", str(DEFAULT_CATALOG)]
NOW = datetime(2026, 11, 26, 5, 0, 0, tzinfo=UTC)


class FakeClock(waiting.Clock):
    """Time stands still except when something sleeps; sleeps are recorded."""

    def __init__(self, interrupt_after: int | None = None) -> None:
        self.t = 1000.0
        self.slept: list[float] = []
        self.interrupt_after = interrupt_after
        super().__init__(now=lambda: self.t, sleep=self._sleep, wall=lambda: NOW)

    def _sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        if self.interrupt_after is not None and len(self.slept) >= self.interrupt_after:
            raise KeyboardInterrupt
        self.t += seconds


@pytest.fixture
def kube(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeKube:
    fake = FakeKube(tmp_path / "bin")
    monkeypatch.setenv("PATH", str(fake.bin_dir))
    return fake


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(waiting, "CLOCK", fake)
    return fake


def kfboot(*args: str) -> Result:
    return run_cli(*args, *CATALOG)


def with_operation(doc: dict, name: str) -> dict:
    """``doc`` (a List) where ``name`` has a requested operation not yet picked up."""
    doc = copy.deepcopy(doc)
    for app in doc["items"]:
        if app["metadata"]["name"] == name:
            app["operation"] = {"sync": {"revision": "main"}}
    return {"stdout": json.dumps(doc)}


# --- status -------------------------------------------------------------------------------

STATUS_WAVE1 = """\
APPLICATION                      SYNC       HEALTH       LAST SYNC  MESSAGE
app of apps
  kubeflow-app-of-apps           Synced     Progressing  Succeeded
wave -1: Argo CD
  argocd                         Synced     Healthy      Succeeded
wave 0: Foundation
  kubeflow-common-services       Synced     Healthy      Succeeded
wave 1: Core
  kubeflow-profiles              Synced     Healthy      Succeeded
  kubeflow-admission-webhook     OutOfSync  Progressing  Running    Waiting for rollout to finish: \
0 of 1 updated replicas are available...
wave 2: ML Platform
  kubeflow-pipelines             Missing    Missing
  kubeflow-katib                 Missing    Missing
  kubeflow-jupyter               Missing    Missing
wave 3: Serving & Training
  kubeflow-kserve                Missing    Missing
  kubeflow-trainer               Missing    Missing
wave 4: Web Apps
  kubeflow-web-apps              Missing    Missing
  kubeflow-pvcviewer-controller  Missing    Missing
wave 5: Additional
  kubeflow-spark                 Missing    Missing
  kubeflow-model-registry        Missing    Missing
  kubeflow-user-namespace        Missing    Missing
not in the catalog
  kubeflow-extra-dashboards      Synced     Healthy      Succeeded

waves -1, 0 complete; wave 1 (Core) in progress: kubeflow-admission-webhook is \
OutOfSync/Progressing (sync Running): Waiting for rollout to finish: 0 of 1 updated replicas are \
available...
"""


def test_status_table_groups_by_wave_and_names_the_blocker(kube: FakeKube) -> None:
    kube.on(APPS[:4], fixture("applications-wave1.json"))
    result = kfboot("status")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == STATUS_WAVE1
    # other-team-app lacks the catalog's part-of label: not ours, not shown
    assert "other-team-app" not in result.stdout
    assert kube.calls == [APPS]


def test_status_json(kube: FakeKube) -> None:
    kube.on(APPS[:4], fixture("applications-degraded.json"))
    result = kfboot("status", "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["summary"]["complete"] == [-1, 0, 1, 3, 4, 5]
    assert doc["summary"]["inProgress"] == 2
    assert doc["summary"]["blockedBy"] == ["kubeflow-pipelines", "kubeflow-katib"]
    pipelines = doc["waves"][3]["applications"][0]
    assert pipelines == {
        "name": "kubeflow-pipelines",
        "present": True,
        "sync": "OutOfSync",
        "health": "Missing",
        "operation": "Failed",
        "operating": False,
        "ready": False,
        "message": "one or more objects failed to apply, reason: Internal error occurred: failed "
        'calling webhook "webhook.cert-manager.io": connect: connection refused (retried 5 times).',
    }
    assert doc["unknown"] == []


def test_status_all_complete(kube: FakeKube) -> None:
    kube.on(APPS[:4], fixture("applications-healthy.json"))
    result = kfboot("status")
    assert result.stdout.endswith("\n\nall 7 waves complete: 14 Applications Synced and Healthy\n")
    assert "Missing" not in result.stdout


def test_status_without_the_app_of_apps(kube: FakeKube) -> None:
    kube.on(APPS[:4], items())
    result = kfboot("status")
    assert result.stdout.endswith(
        "no wave complete; wave -1 (Argo CD) in progress: argocd is missing (the app of apps has "
        "not created it). The app of apps kubeflow-app-of-apps is missing "
        "(make deploy-app-of-apps)\n"
    )


def test_context_and_kubeconfig_are_passed_to_kubectl(kube: FakeKube) -> None:
    kube.on(APPS[:4], fixture("applications-healthy.json"))
    result = kfboot("status", "--context", "kind-kf", "--kubeconfig", "/tmp/kc")
    assert result.exit_code == 0
    assert kube.calls == [["--kubeconfig", "/tmp/kc", "--context", "kind-kf", *APPS]]


def test_kubectl_missing_is_one_line_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    for args in (["status"], ["wait"], ["sync"], ["verify"], ["logs", "argocd"]):
        result = kfboot(*args)
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == "kubectl: not found on PATH; kfboot needs kubectl\n"


def test_unreachable_cluster_is_one_line_exit_1(kube: FakeKube) -> None:
    stderr = (
        'E1126 05:01:02.123456   4242 memcache.go:265] "Unhandled Error" err="couldn\'t get '
        'current server API group list: Get \\"https://127.0.0.1:6443/api\\": dial tcp '
        '127.0.0.1:6443: connect: connection refused"\n'
        "The connection to the server 127.0.0.1:6443 was refused - did you specify the right host "
        "or port?\n"
    )
    kube.on(["get"], {"rc": 1, "stderr": stderr})
    result = kfboot("status")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "kubectl get: cannot reach the cluster: The connection to the server 127.0.0.1:6443 was "
        "refused - did you specify the right host or port?\n"
    )


def test_missing_crd_is_reported_as_kubectl_says(kube: FakeKube) -> None:
    kube.on(["get"], {"rc": 1, "stderr": 'error: the server doesn\'t have a resource type "x"\n'})
    result = kfboot("status")
    assert result.exit_code == 1
    assert result.stderr == 'kubectl get: error: the server doesn\'t have a resource type "x"\n'


def test_watch_redraws_until_interrupted(kube: FakeKube, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeClock(interrupt_after=3)
    monkeypatch.setattr(waiting, "CLOCK", fake)
    kube.on(APPS[:4], fixture("applications-wave1.json"), fixture("applications-healthy.json"))
    # color=True: as on a terminal, where click keeps the escape codes that redraw in place
    res = CliRunner().invoke(cli, ["status", "--watch", "2", *CATALOG], color=True)
    assert res.exit_code == 0
    frames = res.stdout.split("\x1b[H\x1b[2J")
    assert frames[0] == "" and len(frames) == 4
    assert all(f.startswith("every 2s, Ctrl-C to stop\n\n") for f in frames[1:])
    assert "wave 1 (Core) in progress" in frames[1]
    assert "all 7 waves complete" in frames[2] and "all 7 waves complete" in frames[3]
    assert fake.slept == [2.0, 2.0, 2.0]
    assert kube.calls == [APPS] * 3


def test_watch_piped_prints_frames_without_escape_codes(
    kube: FakeKube, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(waiting, "CLOCK", FakeClock(interrupt_after=2))
    kube.on(APPS[:4], fixture("applications-healthy.json"))
    result = kfboot("status", "--watch", "1")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout
    assert result.stdout.count("every 1s, Ctrl-C to stop\n") == 2


def test_watch_defaults_to_five_seconds(kube: FakeKube, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeClock(interrupt_after=1)
    monkeypatch.setattr(waiting, "CLOCK", fake)
    kube.on(APPS[:4], fixture("applications-healthy.json"))
    assert kfboot("status", "--watch").exit_code == 0
    assert fake.slept == [5.0]


# --- wait ---------------------------------------------------------------------------------


def test_wait_reports_progress_until_the_wave_is_ready(kube: FakeKube, clock: FakeClock) -> None:
    kube.on(
        APPS[:4],
        fixture("applications-wave1.json"),
        fixture("applications-wave1.json"),
        fixture("applications-healthy.json"),
    )
    result = kfboot("wait", "--wave", "1", "--interval", "10")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "wave -1 (Argo CD): complete (1 Applications)\n"
        "wave 0 (Foundation): complete (1 Applications)\n"
        "wave 1 (Core): 1/2 ready; waiting for kubeflow-admission-webhook "
        "(OutOfSync/Progressing, sync Running)\n"
        "wave 1 (Core): complete (2 Applications)\n"
        "ready: wave 1 and every wave before it are Synced and Healthy\n"
    )
    assert clock.slept == [10.0, 10.0]
    assert kube.calls == [APPS] * 3


def test_wait_timeout_names_the_blocker(kube: FakeKube, clock: FakeClock) -> None:
    kube.on(APPS[:4], fixture("applications-wave1.json"))
    result = kfboot("wait", "--timeout", "1m")
    assert result.exit_code == 1
    assert result.stderr == (
        "timed out after 1m00s waiting for wave 1 (Core): kubeflow-admission-webhook is "
        "OutOfSync/Progressing (sync Running): Waiting for rollout to finish: 0 of 1 updated "
        "replicas are available...\n"
    )
    assert sum(clock.slept) == 60.0
    assert len(kube.calls) == 13


def test_wait_usage_errors(kube: FakeKube) -> None:
    result = kfboot("wait", "--wave", "9")
    assert result.exit_code == 2
    assert result.stderr == "--wave 9: not a wave of the catalog (-1, 0, 1, 2, 3, 4, 5)\n"
    result = kfboot("wait", "--timeout", "soon")
    assert result.exit_code == 2
    assert result.stderr == "invalid duration 'soon': use seconds, or e.g. 90s, 30m, 1h\n"
    assert kube.calls == []


# --- sync ---------------------------------------------------------------------------------


def patch_call(name: str, body: dict) -> list[str]:
    text = json.dumps(body, separators=(",", ":"), sort_keys=True)
    return [
        "patch",
        "applications.argoproj.io",
        name,
        "-n",
        "argocd",
        "--type",
        "merge",
        "-p",
        text,
    ]


RETRY = {
    "limit": -1,
    "refresh": True,
    "backoff": {"duration": "5s", "factor": 2, "maxDuration": "3m"},
}
OPTIONS = ["CreateNamespace=true", "ServerSideApply=true", "RespectIgnoreDifferences=true"]


def body(revision: str = "v1.11.0") -> dict:
    return {
        "operation": {
            "initiatedBy": {"username": "kfboot"},
            "retry": RETRY,
            "sync": {"prune": True, "revision": revision, "syncOptions": OPTIONS},
        }
    }


def test_sync_patches_wave_by_wave_waiting_for_each(kube: FakeKube, clock: FakeClock) -> None:
    healthy = load("applications-healthy.json")
    kube.on(APPS[:4], fixture("applications-healthy.json"))
    kube.on(["patch"], {"stdout": "application.argoproj.io/x patched\n"})
    result = kfboot("sync", "--wave", "1")
    assert (result.exit_code, result.stderr) == (0, "")
    patches = [c for c in kube.calls if c[0] == "patch"]
    assert patches == [
        patch_call(name, body())
        for name in [
            "argocd",
            "kubeflow-common-services",
            "kubeflow-profiles",
            "kubeflow-admission-webhook",
        ]
    ]
    # the exact body of one patch, spelled out
    assert json.loads(patches[0][-1]) == {
        "operation": {
            "initiatedBy": {"username": "kfboot"},
            "retry": RETRY,
            "sync": {
                "prune": True,
                "revision": "v1.11.0",
                "syncOptions": [
                    "CreateNamespace=true",
                    "ServerSideApply=true",
                    "RespectIgnoreDifferences=true",
                ],
            },
        }
    }
    # per wave: one get to find the Applications, the patches, one get to see the wave ready
    kinds = [c[0] for c in kube.calls]
    assert kinds == ["get", "patch", "get", "get", "patch", "get", "get", "patch", "patch", "get"]
    assert result.stdout.splitlines()[-1] == "synced: 4 Applications, Synced and Healthy"
    assert healthy["items"]  # fixture sanity


def test_sync_waits_for_the_operation_to_finish(kube: FakeKube, clock: FakeClock) -> None:
    healthy = load("applications-healthy.json")
    kube.on(
        APPS[:4],
        fixture("applications-healthy.json"),
        with_operation(healthy, "kubeflow-katib"),
        with_operation(healthy, "kubeflow-katib"),
        fixture("applications-healthy.json"),
    )
    kube.on(["patch"])
    result = kfboot("sync", "kubeflow-katib", "--interval", "3")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "sync requested: kubeflow-katib\n"
        "wave 2 (ML Platform): 0/1 ready; waiting for kubeflow-katib "
        "(Synced/Healthy, sync Requested)\n"
        "wave 2 (ML Platform): complete (1 Applications)\n"
        "synced: 1 Applications, Synced and Healthy\n"
    )
    assert clock.slept == [3.0, 3.0]
    assert [c for c in kube.calls if c[0] == "patch"] == [patch_call("kubeflow-katib", body())]


def test_sync_uses_the_components_own_revision(
    kube: FakeKube, clock: FakeClock, tmp_path: Path
) -> None:
    text = DEFAULT_CATALOG.read_text().replace(
        "      - applications/katib/upstream/installs/katib-with-kubeflow\n",
        "      - applications/katib/upstream/installs/katib-with-kubeflow\n"
        "    targetRevision: v1.10.0\n",
    )
    (tmp_path / "waves.yaml").write_text(text)
    kube.on(APPS[:4], fixture("applications-healthy.json"))
    kube.on(["patch"])
    result = run_cli("sync", "kubeflow-katib", "--catalog", str(tmp_path / "waves.yaml"))
    assert result.exit_code == 0, result.stderr
    assert [c for c in kube.calls if c[0] == "patch"] == [
        patch_call("kubeflow-katib", body("v1.10.0"))
    ]


def test_sync_unknown_application_is_a_usage_error(kube: FakeKube) -> None:
    result = kfboot("sync", "kubeflow-katib", "katib")
    assert result.exit_code == 2
    assert result.stderr.startswith("unknown Application katib; the catalog's are: argocd, ")
    assert kube.calls == []


def test_sync_times_out_when_an_application_never_appears(kube: FakeKube, clock: FakeClock) -> None:
    kube.on(APPS[:4], fixture("applications-wave1.json"))
    result = kfboot("sync", "kubeflow-katib", "--timeout", "20s")
    assert result.exit_code == 1
    assert result.stderr == (
        "timed out after 20s: kubeflow-katib never appeared (is the app of apps deployed? "
        "make deploy-app-of-apps)\n"
    )
    assert not [c for c in kube.calls if c[0] == "patch"]


# --- logs ---------------------------------------------------------------------------------

JUPYTER = ["get", "applications.argoproj.io", "kubeflow-jupyter", "-n", "argocd", "-o", "json"]


def test_logs_follow_the_workloads_in_status_resources(kube: FakeKube) -> None:
    kube.on(JUPYTER, fixture("application-jupyter.json"))
    kube.on(
        ["get", "deployments.apps", "jupyter-web-app-deployment"],
        fixture("deployment-jupyter-web-app.json"),
    )
    kube.on(
        ["get", "deployments.apps", "notebook-controller-deployment"],
        fixture("deployment-notebook-controller.json"),
    )
    jwa = "--selector=app=jupyter-web-app,kustomize.component=jupyter-web-app"
    kube.on(["logs", "-n", "kubeflow", jwa], {"stdout": "[pod/jwa/jwa] serving on :5000\n"})
    kube.on(["logs"], {"stdout": "[pod/nc/manager] starting manager\n"})
    result = kfboot("logs", "kubeflow-jupyter", "--tail", "20")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "==> Deployment kubeflow/jupyter-web-app-deployment <==\n"
        "[pod/jwa/jwa] serving on :5000\n"
        "==> Deployment kubeflow/notebook-controller-deployment <==\n"
        "[pod/nc/manager] starting manager\n"
    )
    tail = ["--all-containers", "--prefix", "--tail", "20", "--max-log-requests", "20"]
    assert kube.calls == [
        JUPYTER,
        [
            "get",
            "deployments.apps",
            "jupyter-web-app-deployment",
            "-n",
            "kubeflow",
            "--ignore-not-found",
            "-o",
            "json",
        ],
        ["logs", "-n", "kubeflow", jwa, *tail],
        [
            "get",
            "deployments.apps",
            "notebook-controller-deployment",
            "-n",
            "kubeflow",
            "--ignore-not-found",
            "-o",
            "json",
        ],
        # a selector with matchExpressions: let kubectl pick the workload's pod
        ["logs", "deployments.apps/notebook-controller-deployment", "-n", "kubeflow", *tail],
    ]
    # As kubectl received them: every name after "--", so none can be read as an option.
    for call in kube.raw_calls:
        assert "--" in call, call
    assert kube.raw_calls[-1][-2:] == ["--", "deployments.apps/notebook-controller-deployment"]


def test_logs_failures(kube: FakeKube) -> None:
    app = load("application-jupyter.json")
    kube.on(JUPYTER, {"stdout": json.dumps(app)})
    kube.on(["get", "deployments.apps"], {"stdout": ""})
    kube.on(
        ["logs"],
        {
            "rc": 1,
            "stderr": 'Error from server (BadRequest): container "x" is '
            "waiting to start: ContainerCreating\n",
        },
    )
    result = kfboot("logs", "kubeflow-jupyter")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        'kubectl logs: Error from server (BadRequest): container "x" is waiting to start: '
        "ContainerCreating",
    ] * 2 + ["2 of 2 workloads had no logs to show"]

    assert kfboot("logs", "jupyter").exit_code == 2
    app["status"]["resources"] = app["status"]["resources"][:4]
    kube.rules.clear()
    kube.on(JUPYTER, {"stdout": json.dumps(app)})
    result = kfboot("logs", "kubeflow-jupyter")
    assert (result.exit_code, result.stderr) == (
        1,
        "kubeflow-jupyter manages no Deployment, StatefulSet, DaemonSet or Job\n",
    )


# --- verify -------------------------------------------------------------------------------

NAMESPACES = [
    "cert-manager",
    "istio-system",
    "auth",
    "oauth2-proxy",
    "knative-serving",
    "kubeflow",
    "kubeflow-system",
    "argocd",
]


def verify_cluster(
    kube: FakeKube, apps: str, namespaces: str, bad_kubeflow: bool, gateway: bool = True
) -> None:
    kube.on(APPS[:4], fixture(apps))
    kube.on(["get", "namespaces"], fixture(namespaces))
    if bad_kubeflow:
        kube.on(["get", "pods", "-n", "kubeflow"], fixture("pods-kubeflow.json"))
        kube.on(["get", "events", "-n", "kubeflow"], fixture("events-kubeflow.json"))
    kube.on(["get", "pods"], fixture("pods-running.json"))
    kube.on(["get", "events"], items())
    gw = fixture("service-istio-ingressgateway.json") if gateway else {"stdout": ""}
    kube.on(["get", "service", "istio-ingressgateway"], gw)


def test_verify_all_pass(kube: FakeKube, clock: FakeClock) -> None:
    verify_cluster(kube, "applications-healthy.json", "namespaces-all.json", bad_kubeflow=False)
    result = kfboot("verify")
    assert (result.exit_code, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[0] == "PASS  Applications Synced and Healthy: 14/14"
    assert lines[1:4] == [
        "PASS  namespace cert-manager exists",
        "PASS  pods in cert-manager: 1 pods, none failing",
        "PASS  Pod Security in cert-manager: no rejected workloads",
    ]
    assert lines[-2:] == [
        "PASS  service istio-system/istio-ingressgateway exists",
        "all 26 checks passed",
    ]
    expected = [["get", "namespaces", "-o", "json"]]
    for ns in NAMESPACES:
        expected += [
            ["get", "pods", "-n", ns, "-o", "json"],
            ["get", "events", "-n", ns, "-o", "json"],
        ]
    expected.append(
        [
            "get",
            "service",
            "istio-ingressgateway",
            "-n",
            "istio-system",
            "--ignore-not-found",
            "-o",
            "json",
        ]
    )
    assert kube.calls == [APPS, *expected]


def test_verify_failures_and_the_pod_security_fix(kube: FakeKube, clock: FakeClock) -> None:
    verify_cluster(kube, "applications-degraded.json", "namespaces.json", True, gateway=False)
    result = kfboot("verify", "--grace", "10m")
    assert result.exit_code == 1
    assert result.stderr == "verify: some checks failed\n"
    out = result.stdout
    assert out.startswith(
        "FAIL  Applications Synced and Healthy: 12/14\n"
        "        kubeflow-pipelines is OutOfSync/Missing: one or more objects failed to apply, "
        'reason: Internal error occurred: failed calling webhook "webhook.cert-manager.io": '
        "connect: connection refused (retried 5 times).\n"
        '        kubeflow-katib is Synced/Degraded: Deployment "katib-controller" exceeded its '
        "progress deadline\n"
    )
    assert (
        "FAIL  pods in kubeflow: 8 pods, 5 failing\n"
        "        metadata-grpc-deployment-6f8d9c7b5-l9m2n: ImagePullBackOff (container metadata)\n"
        "        minio-7b8c9d6f5-ab3cd: Pending for 60m\n"
        "        ml-pipeline-7c9d5b8f6-x2k4p: CrashLoopBackOff (container ml)\n"
        "        profiles-deployment-8d7c6b5a4-zz9yx: Error (container profiles)\n"
        "        workflow-controller-6c5b4a3d2-pp0oo: Failed (Error)\n"
    ) in out
    assert "model-registry-db-0" not in out  # Pending for 1.5 minutes: within the grace period
    assert (
        "FAIL  Pod Security in kubeflow: 2 rejected workloads\n"
        "        ReplicaSet/centraldashboard-6b9d8f7c5: Error creating: pods "
        '"centraldashboard-6b9d8f7c5-k2x9p" is forbidden: violates PodSecurity "restricted:latest"'
    ) in out
    # The default catalog no longer downgrades Pod Security: the hint names the opt-in.
    assert (
        "        fix: make the rejected workload comply (upstream runs Kubeflow under "
        "'restricted'); or, knowingly, in waves.yaml add a kustomize patch labelling Namespace "
        "kubeflow with pod-security.kubernetes.io/enforce: baseline"
    ) in out
    assert "FAIL  namespace kubeflow-system exists\n" in out
    assert "pods in kubeflow-system" not in out
    assert out.endswith(
        "FAIL  service istio-system/istio-ingressgateway exists\n5 of 24 checks failed\n"
    )


# --- pure helpers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90", 90.0),
        ("90s", 90.0),
        ("30m", 1800.0),
        ("1h30m", 5400.0),
        ("1.5s", 1.5),
        ("250ms", 0.25),
    ],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert waiting.parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "m", "5x", "1h 30m", "-5s", "5s5"])
def test_parse_duration_rejects(text: str) -> None:
    from kfboot.errors import UsageError

    with pytest.raises(UsageError):
        waiting.parse_duration(text)


def test_pod_security_fix_without_a_catalog_patch() -> None:
    from kfboot.catalog.load import parse_catalog
    from kfboot.cluster.verify import podsecurity_fix

    text = DEFAULT_CATALOG.read_text()
    catalog = parse_catalog(text)
    assert podsecurity_fix(catalog, "kubeflow-system", "waves.yaml") == (
        "fix: make the rejected workload comply (upstream runs Kubeflow under 'restricted'); or, "
        "knowingly, in waves.yaml add a kustomize patch labelling Namespace kubeflow-system with "
        "pod-security.kubernetes.io/enforce: baseline to the component that creates it "
        "(docs/converge.md, Pod Security), then 'kfboot render'; a kubectl patch would be "
        "reverted by selfHeal"
    )


def test_pod_security_fix_names_the_opt_in_patch() -> None:
    from kfboot.catalog.load import parse_catalog
    from kfboot.cluster.verify import podsecurity_fix

    opt_in = (
        "    kustomize:\n      patches:\n        - target: {version: v1, kind: Namespace, "
        "name: kubeflow}\n          patch: |-\n            apiVersion: v1\n            kind: "
        "Namespace\n            metadata:\n              name: kubeflow\n              labels:\n"
        "                pod-security.kubernetes.io/enforce: baseline\n"
    )
    text = DEFAULT_CATALOG.read_text().replace(
        "      - common/istio/kubeflow-istio-resources/base\n",
        "      - common/istio/kubeflow-istio-resources/base\n" + opt_in,
        1,
    )
    fix = podsecurity_fix(parse_catalog(text), "kubeflow", "waves.yaml")
    assert fix.startswith("fix: waves.yaml sets pod-security.kubernetes.io/enforce on namespace")


def test_namespaces_to_check_come_from_the_catalog() -> None:
    from kfboot.catalog.load import parse_catalog
    from kfboot.cluster.verify import namespaces_to_check

    default = parse_catalog(DEFAULT_CATALOG.read_text())
    assert namespaces_to_check(default) == NAMESPACES
    custom = parse_catalog(
        DEFAULT_CATALOG.read_text() + "verifyNamespaces: [kubeflow, istio-system]\n"
    )
    assert namespaces_to_check(custom) == ["kubeflow", "istio-system", "argocd", "kubeflow-system"]


def test_verify_namespaces_must_be_names(tmp_path: Path) -> None:
    path = tmp_path / "waves.yaml"
    path.write_text(DEFAULT_CATALOG.read_text() + "verifyNamespaces: [Kubeflow]\n")
    result = run_cli("check", "--catalog", str(path))
    assert result.exit_code == 1
    assert "] catalog: verifyNamespaces[0]: 'Kubeflow' is not a valid name" in result.stdout


# --- the root against the catalog (issue 11) -----------------------------------------------


def with_old_root(doc: dict) -> dict:
    """``doc`` where the cluster's root still reads the repository before a set-repo."""
    doc = copy.deepcopy(doc)
    for app in doc["items"]:
        if app["metadata"]["name"] == "kubeflow-app-of-apps":
            app["spec"]["source"]["repoURL"] = "https://github.com/old/manifests.git"
            app["spec"]["source"]["targetRevision"] = "main"
    return {"stdout": json.dumps(doc)}


ROOT_FIX = f"kubectl apply -f {DEFAULT_CATALOG.parent / 'bootstrap/app-of-apps.yaml'}"


def test_status_says_when_the_clusters_root_lags_the_catalog(kube: FakeKube) -> None:
    kube.on(APPS[:4], with_old_root(load("applications-healthy.json")))
    result = kfboot("status")
    assert result.exit_code == 0
    assert result.stdout.endswith(
        "root kubeflow-app-of-apps in the cluster reads repoURL "
        "'https://github.com/old/manifests.git' (catalog: 'https://github.com/kubeflow/manifests"
        ".git'), targetRevision 'main' (catalog: 'v1.11.0'); after committing and pushing "
        f"bootstrap/, fix it with: {ROOT_FIX}\n"
    )
    doc = json.loads(kfboot("status", "--format", "json").stdout)
    assert doc["root"][0].endswith(ROOT_FIX)


def test_status_says_nothing_more_when_the_root_matches(kube: FakeKube) -> None:
    kube.on(APPS[:4], fixture("applications-healthy.json"))
    result = kfboot("status", "--format", "json")
    assert json.loads(result.stdout)["root"] == []


def test_sync_refuses_while_the_clusters_root_lags(kube: FakeKube, clock: FakeClock) -> None:
    kube.on(APPS[:4], with_old_root(load("applications-healthy.json")))
    result = kfboot("sync")
    assert result.exit_code == 1
    assert result.stderr.startswith("root kubeflow-app-of-apps in the cluster reads repoURL")
    assert [c for c in kube.calls if c[0] == "patch"] == []


def test_sync_does_not_replace_a_running_root_operation(kube: FakeKube, clock: FakeClock) -> None:
    kube.on(APPS[:4], with_operation(load("applications-healthy.json"), "kubeflow-app-of-apps"))
    kube.on(["patch"], {"stdout": "patched\n"})
    result = kfboot("sync")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("sync already running: kubeflow-app-of-apps\n")
    patched = [c[2] for c in kube.calls if c[0] == "patch"]
    assert "kubeflow-app-of-apps" not in patched
