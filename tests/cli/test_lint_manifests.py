"""``kfboot lint --manifests``: double ownership, HPAs against selfHeal, removed APIs, and
``check --manifests``' ordering and convergence rules (CRDs and namespaces across waves, drift
loops, webhook races, missing paths with "did you mean")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import run_cli

APP = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {{name: {name}, namespace: argocd}}
spec:
  project: default
  source: {{repoURL: https://github.com/example/gitops.git, targetRevision: main, path: {path}}}
  destination: {{server: https://kubernetes.default.svc, namespace: {ns}}}
  syncPolicy:
    automated: {{selfHeal: true}}
    syncOptions: [CreateNamespace=true]
{extra}"""
DEPLOY = """\
apiVersion: {api}
kind: Deployment
metadata: {{name: web}}
spec:
{replicas}  selector: {{matchLabels: {{app: web}}}}
  template: {{metadata: {{labels: {{app: web}}}}, spec: {{containers: [{{name: c, image: x}}]}}}}
"""
HPA = """\
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 5
"""
IGNORE = """\
  ignoreDifferences:
    - group: apps
      kind: Deployment
      jsonPointers: [/spec/replicas]
"""


def _tree(tmp: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp / rel).write_text(text)
    return tmp


def _lint(tmp: Path, *args: str) -> list[str]:
    result = run_cli("lint", "--manifests", *args, ".", cwd=tmp)
    return [line.split("] ", 1)[1].split(":", 1)[0] for line in result.stdout.splitlines()[:-1]]


def _app(name: str, path: str, ns: str = "web", extra: str = "") -> str:
    return APP.format(name=name, path=path, ns=ns, extra=extra)


def test_hpa_against_self_heal_only_when_git_sets_replicas(tmp_path: Path) -> None:
    files = {
        "a.yaml": _app("web", "web"),
        "web/deploy.yaml": DEPLOY.format(api="apps/v1", replicas="  replicas: 2\n"),
        "web/hpa.yaml": HPA,
    }
    assert _lint(_tree(tmp_path / "bad", files)) == ["manifests-hpa-self-heal"]
    files["web/deploy.yaml"] = DEPLOY.format(api="apps/v1", replicas="")
    assert _lint(_tree(tmp_path / "no-replicas", files)) == []
    files["web/deploy.yaml"] = DEPLOY.format(api="apps/v1", replicas="  replicas: 2\n")
    files["a.yaml"] = _app("web", "web", extra=IGNORE)
    assert _lint(_tree(tmp_path / "ignored", files)) == []


def test_two_applications_deploy_one_object(tmp_path: Path) -> None:
    files = {
        "a.yaml": _app("one", "web"),
        "b.yaml": _app("two", "web"),
        "web/deploy.yaml": DEPLOY.format(api="apps/v1", replicas=""),
    }
    result = run_cli("lint", "--manifests", ".", cwd=_tree(tmp_path / "bad", files))
    assert "b.yaml:6:" in result.stdout
    assert (
        "[error] manifests-duplicate-object: Deployment web/web is also deployed by "
        "Application 'one' (a.yaml); the two fight over it"
    ) in result.stdout
    files["b.yaml"] = _app("two", "web", ns="other")  # another namespace: another object
    assert _lint(_tree(tmp_path / "good", files)) == []


def test_removed_apis_with_kube_version(tmp_path: Path) -> None:
    files = {
        "a.yaml": _app("web", "web"),
        "web/deploy.yaml": DEPLOY.format(api="extensions/v1beta1", replicas=""),
        "web/pdb.yaml": "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\n"
        "metadata: {name: web}\nspec: {minAvailable: 1}\n",
    }
    tree = _tree(tmp_path, files)
    assert _lint(tree) == []  # no --kube-version: nothing to judge against
    assert _lint(tree, "--kube-version", "1.24") == ["manifests-removed-api"]
    assert _lint(tree, "--kube-version", "v1.25") == ["manifests-removed-api"] * 2
    out = run_cli("lint", "--manifests", "--kube-version", "1.33", ".", cwd=tree).stdout
    assert (
        "PodDisruptionBudget web/web uses policy/v1beta1, which Kubernetes stopped serving" in out
    )


def test_kube_version_usage(tmp_path: Path) -> None:
    bad = run_cli("lint", "--manifests", "--kube-version", "latest", ".", cwd=tmp_path)
    assert bad.exit_code == 2
    alone = run_cli("lint", "--kube-version", "1.30", ".", cwd=tmp_path)
    assert alone.exit_code == 2 and "--kube-version needs --manifests" in alone.stderr


@pytest.mark.skipif(
    shutil.which("kustomize") is None and shutil.which("kubectl") is None,
    reason="neither kustomize nor kubectl is installed: builds cannot run",
)
def test_kustomizations_are_built(tmp_path: Path) -> None:
    files = {
        "a.yaml": _app("web", "web"),
        "web/kustomization.yaml": "resources: [deploy.yaml, hpa.yaml]\nnamespace: web\n",
        "web/deploy.yaml": DEPLOY.format(api="apps/v1", replicas="  replicas: 2\n"),
        "web/hpa.yaml": HPA,
        "broken.yaml": _app("broken", "broken"),
        "broken/kustomization.yaml": "resources: [missing.yaml]\n",
    }
    found = _lint(_tree(tmp_path, files))
    assert found == ["manifests-hpa-self-heal", "manifests-build-failed"]


CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
  versions: [{name: v1, served: true, storage: true}]
"""
WIDGET = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"
WAVE = "  annotations:\n    argocd.argoproj.io/sync-wave: '{}'\n"


def _waved(name: str, path: str, wave: int, ns: str = "web", options: str = "") -> str:
    text = _app(name, path, ns).replace(
        "metadata: {name: " + name + ", namespace: argocd}",
        f"metadata:\n  name: {name}\n  namespace: argocd\n" + WAVE.format(wave).rstrip("\n"),
    )
    return text if not options else text.replace("[CreateNamespace=true]", options)


def test_check_manifests_ordering_rules_run_per_application(tmp_path: Path) -> None:
    files = {
        "crd.yaml": _waved("crds", "crds", 1, ns="crds"),
        "crds/crd.yaml": CRD,
        "use.yaml": _waved("use", "use", 0),
        "use/widget.yaml": WIDGET,
    }
    result = run_cli("lint", "--manifests", ".", cwd=_tree(tmp_path / "crd", files))
    assert "use.yaml:4:9: [error] manifests-crd-order: Widget web/w in component use (wave 0) " in (
        result.stdout
    )
    assert "which component crds provides only in wave 1, after it" in result.stdout
    quiet = ("--ignore", "no-application-health-check")
    files["use.yaml"] = _waved("use", "use", 2)
    assert _lint(_tree(tmp_path / "crd-ok", files), *quiet) == []
    # no CreateNamespace=true and no Namespace object: the namespace is never created
    files["use.yaml"] = _waved("use", "use", 2, options="[]")
    assert _lint(_tree(tmp_path / "ns", files), *quiet) == ["manifests-namespace-missing"]


def test_a_missing_path_says_what_was_meant(tmp_path: Path) -> None:
    import subprocess

    files = {
        "a.yaml": _app("web", "apps/web-app"),
        "apps/webapp/kustomization.yaml": "resources: [deploy.yaml]\n",
        "apps/webapp/deploy.yaml": DEPLOY.format(api="apps/v1", replicas=""),
    }
    tree = _tree(tmp_path, files)
    subprocess.run(["git", "init", "-q", str(tree)], check=True)
    remote = "https://github.com/example/gitops.git"
    subprocess.run(["git", "-C", str(tree), "remote", "add", "origin", remote], check=True)
    result = run_cli("lint", "--manifests", ".", cwd=tree)
    assert (
        "[error] manifests-path-missing: path apps/web-app does not exist in the "
        "working tree; did you mean apps/webapp?"
    ) in result.stdout


def test_a_drift_loop_is_found_on_an_application(tmp_path: Path) -> None:
    webhook = (
        "apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\n"
        "metadata:\n  name: hook\n  annotations: {cert-manager.io/inject-ca-from: web/cert}\n"
        "webhooks: [{name: a.example.com, clientConfig: {service: {name: s, namespace: web},"
        " caBundle: Cg==}, admissionReviewVersions: [v1], sideEffects: None}]\n"
    )
    files = {"a.yaml": _app("web", "hooks"), "hooks/hook.yaml": webhook}
    assert _lint(_tree(tmp_path, files)) == ["manifests-drift-ca-bundle"]
