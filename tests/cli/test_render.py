"""``kfboot render``: the committed bootstrap/ is the golden output of the default catalog, and
the writer is deterministic, atomic, and never touches files it did not generate."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from kfboot.catalog.load import load_catalog, parse_catalog
from kfboot.layout import is_generated
from kfboot.render.bootstrap import render
from tests.conftest import DEFAULT_CATALOG, REPO_ROOT, run_cli, snapshot

EXPECTED_APPS = {
    # component: (Application, wave, destination namespace)
    "argocd": ("argocd", -1, "argocd"),
    "common-services": ("kubeflow-common-services", 0, "kubeflow"),
    "profiles": ("kubeflow-profiles", 1, "kubeflow"),
    "admission-webhook": ("kubeflow-admission-webhook", 1, "kubeflow"),
    "pipelines": ("kubeflow-pipelines", 2, "kubeflow"),
    "katib": ("kubeflow-katib", 2, "kubeflow"),
    "jupyter": ("kubeflow-jupyter", 2, "kubeflow"),
    "kserve": ("kubeflow-kserve", 3, "kubeflow"),
    "trainer": ("kubeflow-trainer", 3, "kubeflow-system"),
    "web-apps": ("kubeflow-web-apps", 4, "kubeflow"),
    "pvcviewer-controller": ("kubeflow-pvcviewer-controller", 4, "kubeflow"),
    "spark": ("kubeflow-spark", 5, "kubeflow"),
    "model-registry": ("kubeflow-model-registry", 5, "kubeflow"),
    "user-namespace": ("kubeflow-user-namespace", 5, "kubeflow"),
}


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    return render(load_catalog(DEFAULT_CATALOG))


def test_committed_bootstrap_is_the_golden_output(files: dict[str, str]) -> None:
    on_disk = {
        p.relative_to(REPO_ROOT / "bootstrap").as_posix(): p.read_text()
        for p in (REPO_ROOT / "bootstrap").rglob("*")
        if p.is_file() and is_generated(p.read_text())
    }
    assert on_disk == files


def test_rendering_is_deterministic(files: dict[str, str]) -> None:
    again = render(parse_catalog(DEFAULT_CATALOG.read_text()))
    assert again == files
    assert all(str(REPO_ROOT) not in text for text in files.values())


def _apps(files: dict[str, str]) -> dict[str, dict]:
    apps = {}
    for path, text in files.items():
        if not path.endswith(".yaml"):
            continue  # the Makefile
        doc = yaml.safe_load(text)
        if path.startswith("apps/kubeflow/wave-") and doc["kind"] == "Application":
            apps[path.rsplit("/", 1)[1].removesuffix(".yaml")] = doc
    return apps


def test_the_fourteen_components(files: dict[str, str]) -> None:
    apps = _apps(files)
    assert {
        name: (
            a["metadata"]["name"],
            int(a["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"]),
            a["spec"]["destination"]["namespace"],
        )
        for name, a in apps.items()
    } == EXPECTED_APPS


AGGREGATED = ("rbac.authorization.k8s.io", "ClusterRole")
CRD = ("apiextensions.k8s.io", "CustomResourceDefinition")
# Each Application ignores only the drift its own objects have (issue 11), nothing by default.
EXPECTED_IGNORED = {
    "common-services": {
        AGGREGATED,
        ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
    },
    "profiles": {CRD},
    "admission-webhook": {
        AGGREGATED,
        ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"),
    },
    "pipelines": {AGGREGATED},
    "katib": {AGGREGATED},
    "jupyter": {AGGREGATED, CRD},
    "kserve": {AGGREGATED},
    "trainer": {AGGREGATED},
}


def test_application_shape(files: dict[str, str]) -> None:
    for name, app in _apps(files).items():
        meta, spec = app["metadata"], app["spec"]
        assert meta["namespace"] == "argocd"
        wave = meta["annotations"]["argocd.argoproj.io/sync-wave"]
        assert isinstance(wave, str) and wave == str(EXPECTED_APPS[name][1])
        assert meta["labels"]["app.kubernetes.io/part-of"] == "kubeflow"
        assert spec["project"] == "default"
        assert spec["destination"]["server"] == "https://kubernetes.default.svc"
        assert spec["source"]["repoURL"] == "https://github.com/kubeflow/manifests.git"
        assert spec["source"]["targetRevision"] == "v1.11.0"
        policy = spec["syncPolicy"]
        assert policy["automated"] == {"prune": True, "selfHeal": True}
        assert policy["retry"] == {
            "limit": -1,
            "refresh": True,
            "backoff": {"duration": "5s", "factor": 2, "maxDuration": "3m"},
        }
        assert "ServerSideApply=true" in policy["syncOptions"]
        assert "RespectIgnoreDifferences=true" in policy["syncOptions"]
        assert not {"Force=true", "Replace=true"} & set(policy["syncOptions"])
        ignored = {(d["group"], d["kind"]) for d in spec.get("ignoreDifferences", [])}
        assert ignored == EXPECTED_IGNORED.get(name, set()), name
        if name == "argocd":
            # Deleting the argocd Application must never uninstall Argo CD.
            assert "finalizers" not in meta
            assert spec["source"]["path"] == "bootstrap/argocd"
        else:
            assert meta["finalizers"] == ["resources-finalizer.argocd.argoproj.io"]


def test_paths_and_wrappers(files: dict[str, str]) -> None:
    apps = _apps(files)
    assert apps["profiles"]["spec"]["source"]["path"] == "applications/profiles/pss"
    assert apps["jupyter"]["spec"]["source"]["path"] == "bootstrap/apps/base/jupyter"
    wrappers = sorted(p.split("/")[2] for p in files if p.startswith("apps/base/"))
    # trainer has one path, but its resourceWaves need a wrapper to carry the patch.
    assert wrappers == [
        "common-services",
        "jupyter",
        "kserve",
        "model-registry",
        "trainer",
        "web-apps",
    ]
    jupyter = yaml.safe_load(files["apps/base/jupyter/kustomization.yaml"])
    assert jupyter["resources"] == [
        "../../../../applications/jupyter/notebook-controller/upstream/overlays/kubeflow",
        "../../../../applications/jupyter/jupyter-web-app/upstream/overlays/istio",
    ]
    registry = yaml.safe_load(files["apps/base/model-registry/kustomization.yaml"])
    assert registry["namespace"] == "kubeflow"
    common = yaml.safe_load(files["apps/base/common-services/kustomization.yaml"])
    assert len(common["resources"]) == 13
    # No Pod Security downgrade by default; resourceWaves become annotation patches.
    issuer, certificate = common["patches"]
    assert issuer["target"] == {"group": "cert-manager.io", "kind": "ClusterIssuer"}
    assert yaml.safe_load(issuer["patch"]) == {
        "kind": "ClusterIssuer",
        "metadata": {"name": "any", "annotations": {"argocd.argoproj.io/sync-wave": "1"}},
    }
    assert certificate["target"]["group"] == "networking.internal.knative.dev"
    trainer = yaml.safe_load(files["apps/base/trainer/kustomization.yaml"])
    assert trainer["resources"] == ["../../../../applications/trainer/overlays"]
    assert trainer["patches"][0]["target"] == {
        "group": "trainer.kubeflow.org",
        "kind": "ClusterTrainingRuntime",
    }
    assert yaml.safe_load(files["app-of-apps.yaml"])["metadata"].get("finalizers") is None


def test_wrapper_paths_follow_bootstrap_location() -> None:
    text = DEFAULT_CATALOG.read_text().replace(
        "bootstrapPath: bootstrap", "bootstrapPath: deploy/argo/bootstrap"
    )
    files = render(parse_catalog(text))
    jupyter = yaml.safe_load(files["apps/base/jupyter/kustomization.yaml"])
    assert jupyter["resources"][0].startswith("../../../../../../applications/")
    root = yaml.safe_load(files["app-of-apps.yaml"])
    assert root["spec"]["source"]["path"] == "deploy/argo/bootstrap/apps/kubeflow"


def test_root_app_of_apps(files: dict[str, str]) -> None:
    root = yaml.safe_load(files["app-of-apps.yaml"])
    assert root["metadata"]["name"] == "kubeflow-app-of-apps"
    assert root["metadata"]["namespace"] == "argocd"
    assert root["spec"]["source"]["path"] == "bootstrap/apps/kubeflow"
    assert root["spec"]["destination"]["namespace"] == "argocd"
    # argo-cd#13320: ServerSideApply on the root makes Argo CD ignore its children's waves.
    assert "ServerSideApply=true" not in root["spec"]["syncPolicy"]["syncOptions"]


def test_app_kustomization_lists_waves_in_order(files: dict[str, str]) -> None:
    text = files["apps/kubeflow/kustomization.yaml"]
    assert yaml.safe_load(text)["resources"] == [
        "wave-minus-1",
        "wave-0",
        "wave-1",
        "wave-2",
        "wave-3",
        "wave-4",
        "wave-5",
    ]
    assert "  # Wave 2: ML Platform - pipelines, katib, jupyter\n  - wave-2\n" in text
    wave2 = yaml.safe_load(files["apps/kubeflow/wave-2/kustomization.yaml"])
    assert wave2["resources"] == ["pipelines.yaml", "katib.yaml", "jupyter.yaml"]


def test_argocd_values_make_waves_wait(files: dict[str, str]) -> None:
    values = yaml.safe_load(files["argocd/values.yaml"])
    cm = values["configs"]["cm"]
    assert cm["kustomize.buildOptions"] == "--enable-helm"
    assert (
        "obj.status.health.status" in cm["resource.customizations.health.argoproj.io_Application"]
    )
    repos = values["configs"]["repositories"]
    assert repos["kubeflow-manifests"]["url"] == "https://github.com/kubeflow/manifests.git"
    kustomization = yaml.safe_load(files["argocd/kustomization.yaml"])
    (chart,) = kustomization["helmCharts"]
    assert (chart["name"], chart["repo"], chart["version"]) == (
        "argo-cd",
        "https://argoproj.github.io/argo-helm",
        "10.1.1",
    )
    assert chart["valuesFile"] == "values.yaml"
    assert "namespace.yaml" in kustomization["resources"]


def test_disabled_component_produces_no_files(files: dict[str, str]) -> None:
    text = DEFAULT_CATALOG.read_text().replace(
        "    application: kubeflow-spark\n", "    application: kubeflow-spark\n    enabled: false\n"
    )
    without = render(parse_catalog(text))
    assert set(files) - set(without) == {"apps/kubeflow/wave-5/spark.yaml"}
    assert "spark.yaml" not in without["apps/kubeflow/wave-5/kustomization.yaml"]


def test_a_wave_with_only_disabled_components_is_left_out() -> None:
    text = DEFAULT_CATALOG.read_text()
    for app in ("kubeflow-spark", "kubeflow-model-registry", "kubeflow-user-namespace"):
        text = text.replace(
            f"    application: {app}\n", f"    application: {app}\n    enabled: false\n"
        )
    files = render(parse_catalog(text))
    assert not any(p.startswith("apps/kubeflow/wave-5/") for p in files)
    assert "wave-5" not in yaml.safe_load(files["apps/kubeflow/kustomization.yaml"])["resources"]


def test_helm_chart_component() -> None:
    text = (
        DEFAULT_CATALOG.read_text()
        + """
  - name: gpu-operator
    application: gpu-operator
    wave: 5
    namespace: gpu-operator
    helm:
      repoURL: https://helm.ngc.nvidia.com/nvidia
      chart: gpu-operator
      targetRevision: v24.9.0
      values:
        driver:
          enabled: false
        toolkit:
          version: "1.10"
"""
    )
    files = render(parse_catalog(text))
    app = yaml.safe_load(files["apps/kubeflow/wave-5/gpu-operator.yaml"])
    source = app["spec"]["source"]
    assert source["repoURL"] == "https://helm.ngc.nvidia.com/nvidia"
    assert source["chart"] == "gpu-operator"
    assert source["targetRevision"] == "v24.9.0"
    assert "path" not in source
    assert yaml.safe_load(source["helm"]["values"]) == {
        "driver": {"enabled": False},
        "toolkit": {"version": "1.10"},
    }


# ------------------------------------------------------------------------------ the writer


def test_render_command_summary_and_idempotence(project: Path) -> None:
    first = run_cli("render", cwd=project)
    assert first.exit_code == 0, first.stderr
    assert "WAVE  LABEL" in first.stdout
    assert "2     ML Platform         pipelines, katib, jupyter" in first.stdout
    assert first.stdout.endswith(
        "wrote     waves.schema.json\n"
        "34 written, 0 unchanged, 0 removed in bootstrap, waves.schema.json\n"
    )
    before = snapshot(project)
    second = run_cli("render", cwd=project)
    assert second.stdout.endswith(
        "0 written, 34 unchanged, 0 removed in bootstrap, waves.schema.json\n"
    )
    assert snapshot(project) == before


def test_render_from_another_directory(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    result = run_cli("render", "--catalog", str(project / "waves.yaml"), cwd=elsewhere)
    assert result.exit_code == 0, result.stderr
    assert (project / "bootstrap" / "app-of-apps.yaml").is_file()
    assert not any(elsewhere.iterdir())


def test_stale_generated_files_are_removed_and_hand_written_kept(project: Path) -> None:
    assert run_cli("render", cwd=project).exit_code == 0
    hand = project / "bootstrap" / "apps" / "kubeflow" / "wave-5" / "NOTES.md"
    hand.write_text("# my notes\n")
    handmade_yaml = project / "bootstrap" / "extra.yaml"
    handmade_yaml.write_text("apiVersion: v1\nkind: ConfigMap\n")
    catalog = project / "waves.yaml"
    catalog.write_text(
        catalog.read_text().replace(
            "    application: kubeflow-spark\n",
            "    application: kubeflow-spark\n    enabled: false\n",
        )
    )
    result = run_cli("render", cwd=project)
    assert result.exit_code == 0
    assert "removed   bootstrap/apps/kubeflow/wave-5/spark.yaml" in result.stdout
    assert not (project / "bootstrap/apps/kubeflow/wave-5/spark.yaml").exists()
    assert hand.read_text() == "# my notes\n"
    assert handmade_yaml.exists()


def test_emptied_generated_directories_are_pruned(project: Path) -> None:
    assert run_cli("render", cwd=project).exit_code == 0
    catalog = project / "waves.yaml"
    catalog.write_text(
        catalog.read_text().replace(
            "    application: kubeflow-jupyter\n",
            "    application: kubeflow-jupyter\n    enabled: false\n",
        )
    )
    assert run_cli("render", cwd=project).exit_code == 0
    assert not (project / "bootstrap/apps/base/jupyter").exists()


def test_failed_write_leaves_old_files_whole(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_cli("render", cwd=project).exit_code == 0
    target = project / "bootstrap" / "app-of-apps.yaml"
    old = target.read_bytes()
    catalog = project / "waves.yaml"
    catalog.write_text(
        catalog.read_text().replace("targetRevision: v1.11.0", "targetRevision: release-2")
    )

    def boom(self: Path, other: Path) -> None:
        raise OSError(28, "No space left on device", str(other))

    monkeypatch.setattr(Path, "replace", boom)
    result = run_cli("render", cwd=project)
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr
    assert target.read_bytes() == old
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]


def test_out_option(project: Path) -> None:
    result = run_cli("render", "--out", "elsewhere", cwd=project)
    assert result.exit_code == 0
    assert (project / "elsewhere" / "app-of-apps.yaml").is_file()
    assert not (project / "bootstrap").exists()


def test_python_dash_m_and_version() -> None:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "kfboot", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "kfboot, version 0.1.0"


def test_templates_are_found_outside_the_repository(tmp_path: Path) -> None:
    shutil.copy(DEFAULT_CATALOG, tmp_path / "waves.yaml")
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "kfboot", "render"], cwd=tmp_path, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "bootstrap/argocd/values.yaml").is_file()


def test_all_components_disabled_still_builds() -> None:
    text = """
repoURL: https://github.com/acme/manifests.git
waves: [{wave: 0, label: Only}]
components:
  - name: a
    wave: 0
    namespace: x
    enabled: false
    paths: [a]
"""
    files = render(parse_catalog(text))
    assert sorted(files) == ["Makefile", "app-of-apps.yaml", "apps/kubeflow/kustomization.yaml"]
    assert yaml.safe_load(files["apps/kubeflow/kustomization.yaml"])["resources"] == []
