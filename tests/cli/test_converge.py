"""Issue 11 through the CLI: render refuses what check calls an error, resourceWaves render as
wrapper patches, the rendered defaults that make a cluster converge, and the presets."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from kfboot.catalog import presets
from kfboot.catalog.load import parse_catalog
from kfboot.render.bootstrap import render
from tests.conftest import DEFAULT_CATALOG, run_cli, snapshot

ROOT_SSA = (
    "  syncOptions:\n    - CreateNamespace=true\n\n",
    "  syncOptions:\n    - CreateNamespace=true\n    - ServerSideApply=true\n\n",
)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_render_refuses_on_an_error_finding_and_writes_nothing(project: Path) -> None:
    assert run_cli("render", cwd=project).exit_code == 0
    _edit(project / "waves.yaml", *ROOT_SSA)
    before = snapshot(project)
    result = run_cli("render", cwd=project)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "waves.yaml:26:7: [error] root-server-side-apply: ServerSideApply=true on the app of "
        "apps, which needs nothing server-side apply gives (before Argo CD 3.0 it made Argo CD "
        "ignore the children's sync waves: argo-cd#13320)\n"
        "render: 1 error(s) in the catalog; nothing written\n"
    )
    assert snapshot(project) == before


def test_render_prints_warnings_and_goes_on(project: Path) -> None:
    _edit(project / "waves.yaml", "    limit: -1\n", "    limit: 5\n")
    result = run_cli("render", cwd=project)
    assert result.exit_code == 0
    assert result.stderr.startswith("waves.yaml:44:12: [warning] retry-finite: the app of apps")
    assert (project / "bootstrap" / "app-of-apps.yaml").is_file()


def test_resource_waves_with_name_and_namespace() -> None:
    text = DEFAULT_CATALOG.read_text().replace(
        "      - applications/pvcviewer-controller/upstream/base\n",
        "      - applications/pvcviewer-controller/upstream/base\n"
        "    resourceWaves:\n"
        "      - {group: '', kind: ConfigMap, name: pvc.viewer, namespace: kubeflow, wave: -2}\n",
    )
    files = render(parse_catalog(text))
    app = yaml.safe_load(files["apps/kubeflow/wave-4/pvcviewer-controller.yaml"])
    assert app["spec"]["source"]["path"] == "bootstrap/apps/base/pvcviewer-controller"
    wrapper = yaml.safe_load(files["apps/base/pvcviewer-controller/kustomization.yaml"])
    (patch,) = wrapper["patches"]
    assert patch["target"] == {
        "group": "",
        "kind": "ConfigMap",
        "name": r"^pvc\.viewer$",
        "namespace": "kubeflow",
    }
    assert yaml.safe_load(patch["patch"])["metadata"]["annotations"] == {
        "argocd.argoproj.io/sync-wave": "-2"
    }


def test_the_default_bootstrap_is_safe_by_default() -> None:
    files = render(parse_catalog(DEFAULT_CATALOG.read_text()))
    root = yaml.safe_load(files["app-of-apps.yaml"])
    assert "finalizers" not in root["metadata"]  # deleting the root cascades nowhere
    assert root["spec"]["syncPolicy"]["retry"]["limit"] == -1
    namespace = yaml.safe_load(files["argocd/namespace.yaml"])
    assert namespace["metadata"]["annotations"] == {
        "argocd.argoproj.io/sync-options": "Prune=false,Delete=false"
    }
    assert (
        "apply --server-side --force-conflicts --field-manager=argocd-controller -f -"
        in files["Makefile"]
    )
    assert "pod-security.kubernetes.io/enforce" not in "".join(files.values())
    assert "minhhcuongg" not in DEFAULT_CATALOG.read_text()


@pytest.mark.parametrize("release", [p.id for p in presets.PRESETS])
def test_presets_carry_the_convergence_settings(release: str) -> None:
    catalog = parse_catalog(presets.resolve(release)[0].text())
    comps = {c.name: c for c in catalog.components}
    assert catalog.defaults.retry.limit == -1
    assert catalog.defaults.ignoreDifferences == []
    waves = {(w.group, w.kind) for c in catalog.components for w in c.resourceWaves}
    assert waves == {
        ("cert-manager.io", "ClusterIssuer"),
        ("networking.internal.knative.dev", "Certificate"),
        ("serving.kserve.io", "ClusterServingRuntime"),
        ("trainer.kubeflow.org", "ClusterTrainingRuntime"),
    }
    assert "applications/model-registry/upstream/options/catalog/base" in (
        comps["model-registry"].paths
    )
    for comp in catalog.components:
        if comp.ignoreDifferences:
            options = comp.syncOptions or catalog.defaults.syncOptions
            assert "RespectIgnoreDifferences=true" in options, comp.name


@pytest.mark.parametrize("release", [p.id for p in presets.PRESETS])
def test_the_model_catalog_path_exists_at_the_release(shared: Path, release: str) -> None:
    text = presets.resolve(release)[0].text()
    tag = yaml.safe_load(text)["targetRevision"]
    listing = shared / "reference" / "kubeflow-manifests" / f"kustomize-dirs-{tag}.txt"
    assert "applications/model-registry/upstream/options/catalog/base" in listing.read_text()


CERT_WEBHOOK = """apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: cert-manager-webhook
webhooks:
  - name: webhook.cert-manager.io
    admissionReviewVersions: [v1]
    sideEffects: None
    clientConfig:
      service: {name: cert-manager-webhook, namespace: cert-manager}
    namespaceSelector:
      matchExpressions:
        - {key: cert-manager.io/disable-validation, operator: NotIn, values: ["true"]}
    rules:
      - operations: [CREATE, UPDATE]
        apiGroups: [cert-manager.io]
        apiVersions: [v1]
        resources: ["*/*"]
"""


def _preset_tree(root: Path, text: str) -> None:
    """Every path of a preset as a kustomization; cert-manager's webhook and the ClusterIssuer it
    validates in the first common-services path, an aggregated ClusterRole in kubeflow-roles."""
    from tests import manifests_tree as tree

    catalog = parse_catalog(text)
    comps = {c.name: c for c in catalog.components}
    first = comps["common-services"].paths[0]
    extra: dict[str, dict[str, str]] = {
        first: {
            "crd.yaml": tree.crd("clusterissuers", "cert-manager.io", "ClusterIssuer", "Cluster"),
            "webhook.yaml": CERT_WEBHOOK,
            "service.yaml": tree.SPROCKET_SERVICE.replace(
                "sprocket-webhook", "cert-manager-webhook"
            ).replace("converge", "cert-manager"),
            "deploy.yaml": tree.deployment("cert-manager-webhook", "cert-manager"),
            "issuer.yaml": tree.obj("cert-manager.io/v1", "ClusterIssuer", "kubeflow-issuer"),
        },
        "common/kubeflow-roles/base": {"roles.yaml": tree.aggregated("kubeflow-admin")},
    }
    for comp in catalog.components:
        for path in comp.paths:
            name = path.replace("/", "-").replace("_", "-")[-50:].strip("-")
            files = extra.get(path, {"cm.yaml": tree.obj("v1", "ConfigMap", name, comp.namespace)})
            tree.write_dir(root, path, files)


CONVERGENCE_RULES = {
    "manifests-drift-aggregated-rules",
    "manifests-drift-ca-bundle",
    "manifests-drift-failure-policy",
    "manifests-drift-preserve-unknown-fields",
    "manifests-webhook-race",
}


@pytest.mark.skipif(
    not shutil.which("kubectl") and not shutil.which("kustomize"), reason="no kustomize"
)
@pytest.mark.parametrize("release", [p.id for p in presets.PRESETS])
def test_presets_converge_over_a_generated_tree(
    release: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kfboot.manifests import manifest_findings

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    text = presets.resolve(release)[0].text()
    root = tmp_path / "fork"
    _preset_tree(root, text)
    path = root / "waves.yaml"
    path.write_text(text)
    found, _ = manifest_findings(parse_catalog(text), path, root, use_cache=False)
    assert {f.rule for f in found} & CONVERGENCE_RULES == set()
    assert not [f for f in found if f.severity == "error"]
    # Without the preset's resource wave and ignore, the same tree races and drifts.
    bare = text.replace(
        "        kind: ClusterIssuer\n        wave: 1\n", "        kind: Other\n        wave: 1\n"
    )
    bare = bare.replace(
        "          - select(.aggregationRule.clusterRoleSelectors | length > 0) | .rules\n",
        "          - .nothing\n",
    )
    path.write_text(bare)
    found, _ = manifest_findings(parse_catalog(bare), path, root, use_cache=False)
    assert {f.rule for f in found} & CONVERGENCE_RULES == {
        "manifests-drift-aggregated-rules",
        "manifests-webhook-race",
    }
