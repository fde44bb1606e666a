"""One case per ``kfboot check`` rule, each with the exact finding it must produce.

Catalog cases edit a copy of the default catalog and re-render, so the finding points back at the
catalog line. Bootstrap cases add a hand-written Application
(``tests/data/check/hand-written.yaml``) to bootstrap/: no drift, and the finding points at the
committed file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kfboot.check.rules.registry import CHECK_RULES
from tests.conftest import DATA, DEFAULT_CATALOG, Result, render_unchecked, run_cli


@pytest.fixture(autouse=True)
def _not_in_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


HAND_WRITTEN = DATA / "check" / "hand-written.yaml"
EXPECTED = DATA / "check" / "expected"
EXTRA = "bootstrap/extra/dashboards.yaml"

IMAGE_TAG = "      values:\n        global:\n          image:\n            tag: v3.4.7\n"
HELM = """
  - name: gpu-operator
    wave: 5
    namespace: gpu-operator
    helm:
      repoURL: https://helm.ngc.nvidia.com/nvidia
      chart: gpu-operator
"""

PVC = "    description: PVC viewer controller, used by the volumes web app.\n    wave: 4\n"
IGNORE = """    ignoreDifferences:
      - group: admissionregistration.k8s.io
        kind: {}
        {}:
          - {}
"""
JQ = ".webhooks[]?.clientConfig.caBundle"
POINTER = "/webhooks/0/clientConfig/caBundle"
KATIB = "    dependsOn: [jupyter]\n    paths:\n      - applications/katib"

# rule -> the edits to waves.yaml that trigger it (expected: check/expected/catalog-RULE.txt)
CATALOG_CASES: dict[str, list[tuple[str, str]]] = {
    "catalog": [("    namespace: kubeflow-system\n", "    namespace: Kubeflow-System\n")],
    "dependency-wave-order": [
        ("    dependsOn: [profiles]\n    paths:\n      - applications/katib", KATIB),
    ],
    "root-server-side-apply": [
        (
            "    - CreateNamespace=true\n\n",
            "    - CreateNamespace=true\n    - ServerSideApply=true\n\n",
        )
    ],
    "no-application-health-check": [
        ("      applicationHealthCheck: true\n", "      applicationHealthCheck: false\n"),
    ],
    "unknown-sync-option": [
        (
            "    - RespectIgnoreDifferences=true\n  # Retry",
            "    - RespectIgnoreDifference=true\n  # Retry",
        )
    ],
    "sync-option-annotation-only": [
        (
            "    - RespectIgnoreDifferences=true\n  # Retry",
            "    - RespectIgnoreDifferences=true\n    - Prune=false\n  # Retry",
        )
    ],
    "destructive-sync-option": [
        (
            "for client-side apply.\n    syncOptions:\n",
            "for client-side apply.\n    syncOptions:\n      - Replace=true\n",
        )
    ],
    "ignore-differences-unknown-kind": [
        (PVC, PVC + IGNORE.format("ValidatingAdmissionWebhook", "jqPathExpressions", JQ)),
    ],
    "ignore-differences-list-index": [
        (PVC, PVC + IGNORE.format("ValidatingWebhookConfiguration", "jsonPointers", POINTER)),
    ],
    "retry-finite": [("    limit: -1\n", "    limit: 5\n")],
    "empty-wave": [("\ncomponents:\n", "  - wave: 6\n    label: Later\n\ncomponents:\n")],
    "extra-resource-missing": [
        ("\nwaves:\n", "\nextraResources:\n  - path: extra/ns.yaml\n\nwaves:\n")
    ],
    "extra-resource-unbuildable": [
        ("\nwaves:\n", "\nextraResources:\n  - repoPath: waves.yaml\n\nwaves:\n")
    ],
    "helm-unpinned-version": [
        ("\n  - name: user-namespace\n", HELM + "\n  - name: user-namespace\n")
    ],
    "credential-literal": [
        (
            "\n  - name: user-namespace\n",
            HELM + "      targetRevision: v25.3.0\n      values:\n        driver:\n"
            "          adminPassword: hunter2\n\n  - name: user-namespace\n",
        )
    ],
    "argocd-unsupported-version": [
        ("      version: 10.1.1\n", "      version: 8.5.9\n"),
        (IMAGE_TAG, ""),  # the chart's own appVersion
    ],
    "argocd-progressive-sync-bugs": [("tag: v3.4.7\n", "tag: v3.4.6\n")],
    "retry-without-refresh": [("    refresh: true\n", "    refresh: false\n")],
    "argocd-too-old-for-applicationset": [
        ("tag: v3.4.7\n", "tag: v3.4.4\n"),
        (
            "\ncomponents:\n",
            "\nlayout: applicationset\nclusters:\n  - {name: in-cluster, hub: true}\n"
            "\ncomponents:\n",
        ),
    ],
}


def _assert_reported(result: Result, case: str, rule: str) -> None:
    expected = (EXPECTED / f"{case}.txt").read_text()
    assert result.stdout == expected
    assert f"] {rule}: " in expected
    assert result.exit_code == (1 if "[error]" in expected else 0)
    assert result.stderr == ""


def _project(tmp_path: Path, edits: list[tuple[str, str]]) -> Path:
    shutil.copy(DEFAULT_CATALOG, tmp_path / "waves.yaml")
    run_cli("render", cwd=tmp_path)
    text = DEFAULT_CATALOG.read_text()
    for old, new in edits:
        assert text.count(old) >= 1, old
        text = text.replace(old, new, 1)
    (tmp_path / "waves.yaml").write_text(text)
    render_unchecked(tmp_path)
    return tmp_path


@pytest.mark.parametrize("rule", sorted(CATALOG_CASES))
def test_catalog_case(rule: str, tmp_path: Path) -> None:
    project = _project(tmp_path, CATALOG_CASES[rule])
    _assert_reported(run_cli("check", cwd=project), f"catalog-{rule}", rule)


INDEXED = """  ignoreDifferences:
    - group: apps
      kind: Deployment
      jqPathExpressions: ['.spec.template.spec.containers[0].image']
"""

# rule -> the edits to the hand-written Application (expected: check/expected/bootstrap-RULE.txt)
BOOTSTRAP_CASES: dict[str, list[tuple[str, str]]] = {
    "yaml-hygiene": [
        ("    namespace: monitoring\n", "    namespace: monitoring\n  info:\n    - name: on\n"),
    ],
    "sync-wave-format": [
        ('sync-wave: "5"', "sync-wave: 5"),
    ],
    "destination-server-name": [
        ("    namespace: monitoring\n", "    namespace: monitoring\n    name: in-cluster\n"),
    ],
    "root-server-side-apply": [
        ("name: extra-dashboards", "name: kubeflow-app-of-apps"),
        ("- CreateNamespace=true", "- ServerSideApply=true"),
    ],
    "unknown-sync-option": [
        ("- CreateNamespace=true", "- CreateNamespace=yes"),
    ],
    "sync-option-annotation-only": [
        ("- CreateNamespace=true", "- Delete=false"),
    ],
    "destructive-sync-option": [
        ("- CreateNamespace=true", "- Force=true"),
    ],
    "ignore-differences-unknown-kind": [
        ("spec:\n", "spec:\n  ignoreDifferences:\n    - group: apps\n      kind: Deployments\n"),
    ],
    "ignore-differences-list-index": [
        ("spec:\n", "spec:\n" + INDEXED),
    ],
    "retry-invalid": [
        ("duration: 5s", "duration: 5 seconds"),
        ("factor: 2", "factor: -2"),
    ],
    "unknown-field": [
        ("  project: default\n", "  project: default\n  dependsOn: [kubeflow-profiles]\n"),
    ],
    "dependency-wave-order": [
        ('sync-wave: "5"', 'sync-wave: "1"'),
        ("  project: default\n", "  project: default\n  dependsOn: [kubeflow-pipelines]\n"),
    ],
    "application-field-type": [
        ("targetRevision: main", "targetRevision: 26.03"),
    ],
    "helm-unpinned-version": [
        ("    path: dashboards\n", "    chart: dashboards\n"),
        ("targetRevision: main", "targetRevision: 1.2.x"),
    ],
}


@pytest.mark.parametrize("rule", sorted(BOOTSTRAP_CASES))
def test_bootstrap_case(rule: str, tmp_path: Path) -> None:
    shutil.copy(DEFAULT_CATALOG, tmp_path / "waves.yaml")
    run_cli("render", cwd=tmp_path)
    text = HAND_WRITTEN.read_text()
    for old, new in BOOTSTRAP_CASES[rule]:
        assert old in text, old
        text = text.replace(old, new, 1)
    (tmp_path / EXTRA).parent.mkdir()
    (tmp_path / EXTRA).write_text(text)
    _assert_reported(run_cli("check", cwd=tmp_path), f"bootstrap-{rule}", rule)


def test_every_rule_has_a_case() -> None:
    # drift: test_check.py; extra-resource-wave (needs a user file): test_check_extras.py;
    # extra-resource-outside (a symlink out): tests/adversarial/test_extra_resources.py
    covered = set(CATALOG_CASES) | set(BOOTSTRAP_CASES)
    covered |= {"drift", "extra-resource-wave", "extra-resource-outside"}
    assert covered == {rule.id for rule in CHECK_RULES}  # manifests-*, import-*: their own tests
    assert sorted(p.stem for p in EXPECTED.glob("*.txt")) == sorted(
        [f"catalog-{r}" for r in CATALOG_CASES] + [f"bootstrap-{r}" for r in BOOTSTRAP_CASES]
    )
