"""The fleet's ``bootstrap/Makefile``: ``CLUSTER=`` narrows deploy and delete, and is passed to
the kfboot commands; the applicationset layout deploys and deletes ApplicationSets."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kfboot.render.makefile import target_names
from tests.cli.test_makefile import APP, Project, ok
from tests.fleet_catalogs import fleet_text

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")
APPSET = "applicationsets.argoproj.io"


@pytest.fixture
def fleet(tmp_path: Path) -> Project:
    return Project(tmp_path, fleet_text())


@pytest.fixture
def appsets(tmp_path: Path) -> Project:
    return Project(tmp_path, fleet_text(layout="applicationset"))


@pytest.mark.parametrize("target", target_names())
def test_every_target_dry_runs(fleet: Project, target: str) -> None:
    args = ("APP=dev-kubeflow-katib", "REPO=https://example.com/x.git", "CLUSTER=dev")
    result = fleet.make(target, *args, dry=True)
    assert result.returncode == 0, result.stderr
    assert fleet.kube.calls == []


def test_deploy_one_cluster_or_all(fleet: Project) -> None:
    fleet.kube.on(["apply"])
    ok(fleet.make("deploy-app-of-apps", "CLUSTER=dev"))
    assert fleet.kube.calls == [["apply", "-f", f"{fleet.boot}/clusters/dev/app-of-apps.yaml"]]
    (fleet.kube.bin_dir / "calls.log").unlink()
    ok(fleet.make("deploy-app-of-apps"))
    roots = [c[-1].split("/")[-2] for c in fleet.kube.calls]
    assert roots == ["hub", "dev", "prod"]


def test_an_unknown_cluster_is_refused(fleet: Project) -> None:
    result = fleet.make("deploy-app-of-apps", "CLUSTER=dev;reboot")
    assert result.returncode == 2
    assert "unknown CLUSTER; the catalog has:" in result.stderr
    assert fleet.kube.calls == []


def test_delete_all_apps_of_one_cluster(fleet: Project) -> None:
    fleet.kube.on(["get", APP], {"stdout": "application.argoproj.io/dev-kubeflow-app-of-apps\n"})
    fleet.kube.on(["patch"]).on(["delete"]).on(["wait"])
    out = ok(fleet.make("delete-all-apps", "YES=1", "CLUSTER=dev"))
    names = [arg for call in fleet.kube.calls for arg in call if arg.startswith("dev-")]
    assert names[:3] == ["dev-kubeflow-app-of-apps"] * 3
    assert not [a for c in fleet.kube.calls for a in c if a.startswith(("hub-", "prod-"))]
    assert out.splitlines()[0].startswith("cluster dev, wave 5 (Additional): deleting")


def test_status_passes_the_cluster(fleet: Project) -> None:
    text = (fleet.boot / "Makefile").read_text()
    assert '$(if $(CLUSTER), --cluster "$$CLUSTER")' in text


def test_applicationset_layout_deploys_and_deletes_the_applicationsets(appsets: Project) -> None:
    appsets.kube.on(["apply"]).on(["delete"])
    ok(appsets.make("deploy-app-of-apps", "CLUSTER=prod"))
    assert appsets.kube.calls == [
        ["apply", "-f", f"{appsets.boot}/applicationsets/kubeflow-app-of-apps-prod.yaml"]
    ]
    (appsets.kube.bin_dir / "calls.log").unlink()
    out = ok(appsets.make("delete-all-apps", "YES=1"))
    # The hub's argocd Application is a generated one: deleted with its ApplicationSet (reverse
    # deletion, else ownerReference GC); only Argo CD's own resources stay (no finalizer).
    assert out.splitlines()[-1] == (
        "done; the argocd Application went with its ApplicationSet, Argo CD itself "
        "is left (make uninstall-argocd)"
    )
    deleted = [c[4] for c in appsets.kube.calls]
    assert [c[:2] for c in appsets.kube.calls] == [["delete", APPSET]] * 3
    assert deleted == [f"kubeflow-app-of-apps-{c}" for c in ("hub", "dev", "prod")]
    result = appsets.make("deploy-argocd")
    assert result.returncode == 2
    assert "the ApplicationSet generates the argocd Application" in result.stderr
