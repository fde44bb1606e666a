"""The pure halves of the cluster commands, fed JSON directly: no kubectl, no clock."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from kfboot.catalog.load import parse_catalog
from kfboot.cluster.status import AppState, app_state, build_report, summary
from kfboot.cluster.verify import pod_problem, podsecurity_events
from kfboot.cluster.workloads import Workload, selector, workloads
from tests.conftest import DEFAULT_CATALOG
from tests.fakekube import load

NOW = datetime(2026, 11, 26, 5, 0, 0, tzinfo=UTC)


def test_an_application_argo_cd_has_not_reconciled_yet() -> None:
    state = app_state({"metadata": {"name": "x"}})
    assert state == AppState("x", True, "Unknown", "Unknown", "", False, "")
    assert not state.ready
    assert state.describe() == "x is Unknown/Unknown"


def test_a_requested_operation_is_not_ready_even_when_synced_and_healthy() -> None:
    app = {"metadata": {"name": "x"}, "operation": {"sync": {}}, "status": {
        "sync": {"status": "Synced"}, "health": {"status": "Healthy"},
        "operationState": {"phase": "Succeeded", "message": "old"}}}  # fmt: skip
    state = app_state(app)
    assert (state.phase, state.operating, state.ready) == ("Requested", True, False)
    assert state.message == ""


def test_a_failed_sync_shows_its_message_even_when_healthy() -> None:
    app = {"metadata": {"name": "x"}, "status": {
        "sync": {"status": "Synced"}, "health": {"status": "Healthy"},
        "operationState": {"phase": "Failed", "message": "hook  failed\n  badly"}}}  # fmt: skip
    state = app_state(app)
    assert state.ready and state.message == "hook failed badly"


def test_summary_lists_complete_waves_in_order() -> None:
    catalog = parse_catalog(DEFAULT_CATALOG.read_text())
    apps = load("applications-degraded.json")["items"]
    report = build_report(catalog, apps)
    assert summary(report).startswith(
        "waves -1, 0, 1, 3, 4, 5 complete; wave 2 (ML Platform) in progress: "
        "kubeflow-pipelines is OutOfSync/Missing: "
    )
    only_root = build_report(catalog, [a for a in apps if a["metadata"]["name"] == "argocd"])
    assert summary(only_root).startswith("wave -1 complete; wave 0 (Foundation) in progress: ")


def test_disabled_components_are_not_waited_for() -> None:
    text = DEFAULT_CATALOG.read_text().replace(
        "    paths:\n      - applications/katib/upstream/installs/katib-with-kubeflow\n",
        "    enabled: false\n"
        "    paths:\n      - applications/katib/upstream/installs/katib-with-kubeflow\n",
    )
    apps = load("applications-degraded.json")["items"]
    report = build_report(parse_catalog(text), apps)
    assert [a.name for a in report.waves[3].apps] == ["kubeflow-pipelines", "kubeflow-jupyter"]
    assert [a.name for a in report.unknown] == ["kubeflow-katib"]  # still labelled as ours


def pod(phase: str, created: str = "2026-11-26T04:00:00Z", **status: Any) -> dict[str, Any]:
    return {"metadata": {"name": "p", "creationTimestamp": created},
            "status": {"phase": phase, **status}}  # fmt: skip


@pytest.mark.parametrize(
    ("doc", "problem"),
    [
        (pod("Running"), None),
        (pod("Succeeded"), None),
        (pod("Pending", "2026-11-26T04:56:00Z"), None),
        (pod("Pending"), "Pending for 60m"),
        (pod("Failed", reason="Evicted"), "Failed (Evicted)"),
        (pod("Running", containerStatuses=[
            {"name": "c", "state": {"waiting": {"reason": "ErrImagePull"}}}]),
         "ErrImagePull (container c)"),
        (pod("Running", containerStatuses=[
            {"name": "c", "state": {"waiting": {"reason": "ContainerCreating"}}}]), None),
        (pod("Running", containerStatuses=[
            {"name": "c", "state": {"terminated": {"reason": "Completed"}}}]), None),
    ],
)  # fmt: skip
def test_pod_problem(doc: dict[str, Any], problem: str | None) -> None:
    assert pod_problem(doc, NOW, grace=300) == problem


def test_podsecurity_events_are_deduplicated_per_object() -> None:
    events = load("events-kubeflow.json")["items"]
    found = podsecurity_events(events)
    assert [f.split(":", 1)[0] for f in found] == [
        "ReplicaSet/centraldashboard-6b9d8f7c5",
        "ReplicaSet/jupyter-web-app-deployment-7f6d5c4b3",
    ]


def test_workloads_come_from_status_resources_only_for_workload_kinds() -> None:
    app = load("application-jupyter.json")
    app["status"]["resources"].append(
        {"group": "example.com", "kind": "Deployment", "namespace": "kubeflow", "name": "crd"}
    )
    assert workloads(app) == [
        Workload("kubeflow", "Deployment", "jupyter-web-app-deployment"),
        Workload("kubeflow", "Deployment", "notebook-controller-deployment"),
    ]
    assert workloads({"metadata": {"name": "x"}}) == []


def test_selector() -> None:
    assert selector(load("deployment-jupyter-web-app.json")) == (
        "app=jupyter-web-app,kustomize.component=jupyter-web-app"
    )
    assert selector(load("deployment-notebook-controller.json")) is None
    assert selector({}) is None
