"""Every rendered Application validates strictly against Argo CD's own CRD schema."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from kfboot.catalog.load import parse_catalog
from kfboot.render.bootstrap import render
from tests import argocd_schema
from tests.conftest import DEFAULT_CATALOG

pytestmark = pytest.mark.usefixtures("shared")

HELM_COMPONENT = """
  - name: gpu-operator
    wave: 5
    namespace: gpu-operator
    labels:
      team: ml-platform
    annotations:
      note: "on"
    retry:
      limit: 2
      backoff:
        duration: 10s
        factor: 3
        maxDuration: 1h
    helm:
      repoURL: https://helm.ngc.nvidia.com/nvidia
      chart: gpu-operator
      targetRevision: v24.9.0
      releaseName: gpu-operator
      values:
        driver: {enabled: false}
"""


def _applications(catalog_text: str) -> list[tuple[str, dict]]:
    files = render(parse_catalog(catalog_text))
    docs = [(path, yaml.safe_load(text)) for path, text in files.items() if path.endswith(".yaml")]
    return [(p, d) for p, d in docs if d.get("kind") == "Application"]


@pytest.mark.parametrize("extra", ["", HELM_COMPONENT], ids=["default", "with-helm-chart"])
def test_rendered_applications_validate(extra: str) -> None:
    apps = _applications(DEFAULT_CATALOG.read_text() + extra)
    assert len(apps) == 15 + (1 if extra else 0)
    for path, doc in apps:
        assert argocd_schema.application_errors(doc) == [], path


def test_the_validator_is_strict() -> None:
    apps = dict(_applications(DEFAULT_CATALOG.read_text()))
    doc = apps["apps/kubeflow/wave-1/profiles.yaml"]
    doc["spec"]["dependsOn"] = ["kubeflow-profiles"]  # the original's invented field
    doc["spec"]["syncPolicy"]["retry"]["limit"] = "5"
    doc["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"] = 2
    del doc["spec"]["destination"]
    errors = argocd_schema.application_errors(doc)
    assert any("dependsOn" in e and "Additional properties" in e for e in errors), errors
    assert any(e.startswith("spec.syncPolicy.retry.limit") for e in errors), errors
    assert any("'destination' is a required property" in e for e in errors), errors
    assert any("sync-wave" in e for e in errors), errors


def test_reference_is_read_from_shared_not_the_repo() -> None:
    root = Path(__file__).resolve().parents[2]
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=root, capture_output=True, text=True, check=False
    ).stdout.split()
    assert not [p for p in tracked if p.endswith(("application-crd.yaml", "appproject-crd.yaml"))]
