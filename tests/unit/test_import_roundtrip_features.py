"""Each catalog feature real bootstraps need survives render -> import: the import of a rendered
bootstrap gives the catalog back (the same components, and the same rendered Applications)."""

from __future__ import annotations

from typing import Any

import pytest

from kfboot import yamlio
from kfboot.catalog.load import parse_catalog
from kfboot.importing import importer
from kfboot.output import apply, plan
from kfboot.render.bootstrap import render

CATALOG = """\
repoURL: https://github.com/acme/platform.git
targetRevision: main
destinationName: prod
appOfApps:
  automated: false
  finalizers: []
defaults:
  automated:
    prune: false
    selfHeal: true
  syncOptions: [CreateNamespace=true, Validate=false, PruneLast=false]
  finalizers: []
extraResources:
  - path: extra/namespaces.yaml
    wave: -1
    description: Namespace kubeflow
waves:
  - {wave: 0, label: Zero}
  - {wave: 1, label: One}
components:
  - name: manual
    wave: 0
    namespace: kubeflow
    paths: [apps/manual]
    automated: false
    project: platform
  - name: cluster-wide
    wave: 0
    paths: [apps/crds]
    destinationServer: https://10.0.0.1:6443
  - name: chart
    wave: 1
    namespace: gpu
    helm:
      repoURL: https://helm.example.com/charts
      chart: gpu-operator
      targetRevision: 1.2.3
      releaseName: gpu
      valueFiles: [values-prod.yaml]
      ignoreMissingValueFiles: true
      parameters:
        - {name: driver.enabled, value: "false"}
        - {name: tag, value: "1.0", forceString: true}
      values: {operator: {runtime: containerd}}
  - name: local-chart
    wave: 1
    namespace: dash
    paths: [charts/dashboard]
    source:
      helm:
        valueFiles: [values.yaml]
        parameters: [{name: replicas, value: "2"}]
  - name: tuned
    wave: 1
    namespace: kubeflow
    paths: [apps/jupyter]
    source:
      kustomize:
        namePrefix: team-
        commonLabels: {team: ml}
        images: [ghcr.io/kubeflow/notebook:v1]
        patches:
          - target: {kind: Deployment, name: web}
            patch: "- op: replace\\n  path: /spec/replicas\\n  value: 2\\n"
  - name: upstream
    wave: 1
    namespace: cert-manager
    repoURL: https://github.com/kubeflow/manifests.git
    targetRevision: v1.10.0
    paths: [common/cert-manager/base, common/cert-manager/kubeflow-issuer/base]
"""
NAMESPACES = """\
apiVersion: v1
kind: Namespace
metadata:
  name: kubeflow
  annotations:
    argocd.argoproj.io/sync-wave: "-1"
"""


def _applications(files: dict[str, str]) -> dict[str, Any]:
    docs = [yamlio.parse_back(t)[0] for rel, t in files.items() if rel.endswith(".yaml")]
    return {d["metadata"]["name"]: d for d in docs if d.get("kind") == "Application"}


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any, Any]:
    before = parse_catalog(CATALOG)
    files = render(before)
    boot = tmp_path_factory.mktemp("repo") / "bootstrap"
    apply(plan(boot, files))
    extra = boot / "apps/kubeflow/extra/namespaces.yaml"
    extra.parent.mkdir(parents=True)
    extra.write_text(NAMESPACES)
    result = importer.import_path(boot, source="bootstrap")
    return before, parse_catalog(result.text), result


def test_rendered_applications_are_the_same(round_trip: tuple[Any, Any, Any]) -> None:
    before, after, _ = round_trip
    assert _applications(render(after)) == _applications(render(before))


def test_import_reports_only_the_other_repository_and_health(
    round_trip: tuple[Any, Any, Any],
) -> None:
    *_, result = round_trip
    assert [(f.file, f.rule) for f in result.findings] == [
        # No component installs Argo CD with its health check: check says so too.
        ("bootstrap/app-of-apps.yaml", "no-application-health-check"),
        ("bootstrap/apps/kubeflow/wave-1/upstream.yaml", "import-repo-url-mismatch"),
    ]


@pytest.mark.parametrize(
    "field",
    ["namespace", "automated", "project", "helm", "source", "repoURL", "paths",
     "destinationServer", "destinationName"],
)  # fmt: skip
def test_component_fields_come_back(round_trip: tuple[Any, Any, Any], field: str) -> None:
    before, after, _ = round_trip
    effective = {c.name: getattr(c, field) for c in after.components}
    assert effective == {c.name: getattr(c, field) for c in before.components}


def test_catalog_fields_come_back(round_trip: tuple[Any, Any, Any]) -> None:
    before, after, _ = round_trip
    assert after.destinationName == "prod"
    assert after.extraResources == before.extraResources
    assert after.appOfApps.automated is False
    assert after.appOfApps.finalizers in ([], None)
