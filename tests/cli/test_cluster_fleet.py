"""``status / wait / sync / logs / verify --cluster``: a fleet's Applications by cluster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cluster import APPS, FakeClock, clock, kube  # noqa: F401  (fixtures)
from tests.conftest import Result, run_cli
from tests.fakekube import FakeKube, load
from tests.fleet_catalogs import fleet_text


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    path = tmp_path / "waves.yaml"
    path.write_text(fleet_text())
    return path


def _healthy_fleet() -> dict[str, str]:
    """The healthy fixture's Applications, once per cluster with the fleet's names."""
    healthy = load("applications-healthy.json")["items"]
    docs = []
    for cluster in ("hub", "dev", "prod"):
        for app in healthy:
            copy = json.loads(json.dumps(app))
            copy["metadata"]["name"] = f"{cluster}-{app['metadata']['name']}"
            docs.append(copy)
    return {"stdout": json.dumps({"apiVersion": "v1", "kind": "List", "items": docs})}


def kfboot(catalog: Path, *args: str) -> Result:
    return run_cli(*args, "--catalog", str(catalog))


def test_status_groups_by_cluster(kube: FakeKube, catalog: Path) -> None:  # noqa: F811
    kube.on(APPS[:4], _healthy_fleet())
    result = kfboot(catalog, "status")
    assert result.exit_code == 0, result.stderr
    headings = [line for line in result.stdout.splitlines() if line.startswith("== cluster")]
    assert headings == ["== cluster hub ==", "== cluster dev ==", "== cluster prod =="]
    dev = result.stdout.split("== cluster dev ==")[1].split("== cluster prod ==")[0]
    assert "dev-kubeflow-profiles" in dev
    assert "hub-" not in dev and "prod-" not in dev  # every cluster's Applications are in the hub
    assert "all 6 waves complete: 12 Applications Synced and Healthy" in result.stdout


def test_status_of_one_cluster_as_json(kube: FakeKube, catalog: Path) -> None:  # noqa: F811
    kube.on(APPS[:4], _healthy_fleet())
    result = kfboot(catalog, "status", "--cluster", "prod", "--format", "json")
    doc = json.loads(result.stdout)
    assert list(doc) == ["prod"]
    names = [a["name"] for w in doc["prod"]["waves"] for a in w["applications"]]
    assert "prod-kubeflow-jupyter" in names and "prod-argocd" not in names


def test_an_unknown_cluster_is_a_usage_error(kube: FakeKube, catalog: Path) -> None:  # noqa: F811
    result = kfboot(catalog, "status", "--cluster", "qa")
    assert result.exit_code == 2
    assert "--cluster qa: not a cluster of the catalog (hub, dev, prod)" in result.stderr
    assert kube.calls == []


def test_cluster_without_clusters_is_a_usage_error(kube: FakeKube) -> None:  # noqa: F811
    result = run_cli("status", "--cluster", "hub")
    assert result.exit_code == 2
    assert "the catalog has no clusters:" in result.stderr


def test_wait_goes_cluster_by_cluster(
    kube: FakeKube,  # noqa: F811
    clock: FakeClock,  # noqa: F811
    catalog: Path,
) -> None:
    kube.on(APPS[:4], _healthy_fleet())
    result = kfboot(catalog, "wait", "--cluster", "dev")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == "== cluster dev =="
    assert result.stdout.endswith("ready: wave 5 and every wave before it are Synced and Healthy\n")


def test_sync_names_an_application_of_one_cluster(
    kube: FakeKube,  # noqa: F811
    clock: FakeClock,  # noqa: F811
    catalog: Path,
) -> None:
    kube.on(APPS[:4], _healthy_fleet())
    kube.on(["patch"])
    result = kfboot(catalog, "sync", "prod-kubeflow-profiles")
    assert result.exit_code == 0, result.stderr
    patches = [c for c in kube.calls if c[0] == "patch"]
    assert [c[2] for c in patches] == ["prod-kubeflow-profiles"]
    body = json.loads(patches[0][patches[0].index("-p") + 1])
    assert body["operation"]["sync"]["revision"] == "v1.12.0"


def test_logs_of_a_remote_cluster_read_its_own_context(kube: FakeKube, catalog: Path) -> None:  # noqa: F811
    app = load("application-jupyter.json")
    app["metadata"]["name"] = "prod-kubeflow-jupyter"
    kube.on(
        ["get", "applications.argoproj.io", "prod-kubeflow-jupyter"], {"stdout": json.dumps(app)}
    )
    kube.on(["get", "deployments.apps"], {"stdout": ""})
    kube.on(["logs"], {"stdout": "[pod/x/y] hello\n"})
    result = kfboot(catalog, "logs", "prod-kubeflow-jupyter")
    assert result.exit_code == 0, result.stderr
    assert "[pod/x/y] hello" in result.stdout
    assert all(c[:2] == ["--context", "prod"] for c in kube.calls[1:])


def test_verify_one_remote_cluster_reads_its_pods_through_its_context(
    kube: FakeKube,  # noqa: F811
    catalog: Path,
    clock: FakeClock,  # noqa: F811
) -> None:
    from tests.cli.test_cluster import verify_cluster

    kube.on(APPS[:4], _healthy_fleet())  # the first matching rule answers
    verify_cluster(kube, "applications-healthy.json", "namespaces-all.json", bad_kubeflow=False)
    result = kfboot(catalog, "verify", "--cluster", "dev")
    assert result.exit_code == 0, result.stdout + result.stderr
    hub, workloads = kube.calls[0], kube.calls[1:]
    assert hub[:2] == ["get", "applications.argoproj.io"] and "--context" not in hub
    assert workloads and all(c[:2] == ["--context", "dev"] for c in workloads)


def test_a_missing_application_of_the_applicationset_layout_names_its_creator(
    kube: FakeKube,  # noqa: F811
    tmp_path: Path,
    clock: FakeClock,  # noqa: F811
) -> None:
    from tests.cli.test_cluster import verify_cluster

    path = tmp_path / "waves.yaml"
    path.write_text(fleet_text(layout="applicationset"))
    kube.on(APPS[:4], {"stdout": json.dumps({"apiVersion": "v1", "kind": "List", "items": []})})
    verify_cluster(kube, "applications-healthy.json", "namespaces-all.json", bad_kubeflow=False)
    result = kfboot(path, "verify", "--cluster", "dev")
    assert result.exit_code == 1
    line = "dev-kubeflow-common-services is missing (its ApplicationSet has not created it)"
    assert line in result.stdout
    assert "app of apps" not in result.stdout
