"""A fleet's rendered kustomizations build with the real kustomize: every cluster's apps
directory, and a cluster's own wrapper, whose paths reach the repository root from one level
deeper than a shared wrapper."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from kfboot.catalog.load import parse_catalog
from kfboot.output import apply, plan
from kfboot.render.tree import render
from tests.fleet_catalogs import fleet_text
from tests.unit.test_kustomize import build

pytestmark = pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
COMMON = [
    "common/cert-manager/base",
    "common/cert-manager/kubeflow-issuer/base",
]


def test_every_cluster_builds_and_a_cluster_wrapper_reaches_the_repository(tmp_path: Path) -> None:
    catalog = parse_catalog(fleet_text())
    files = render(catalog)
    wrapper = yaml.safe_load(files["clusters/prod/base/common-services/kustomization.yaml"])
    for path in wrapper["resources"]:
        target = tmp_path / "bootstrap/clusters/prod/base/common-services" / path
        target.mkdir(parents=True, exist_ok=True)
        name = path.rsplit("/", 1)[-1].replace("_", "-")[:50] + f"-{len(path)}"
        cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}}
        (target / "cm.yaml").write_text(yaml.safe_dump(cm))
        (target / "kustomization.yaml").write_text(yaml.safe_dump({"resources": ["cm.yaml"]}))
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "kubeflow"}}
    (tmp_path / "common/kubeflow-namespace/base/ns.yaml").write_text(yaml.safe_dump(ns))
    kustomization = tmp_path / "common/kubeflow-namespace/base/kustomization.yaml"
    kustomization.write_text(yaml.safe_dump({"resources": ["cm.yaml", "ns.yaml"]}))
    apply(plan(tmp_path / "bootstrap", files))
    for cluster, count in (("hub", 14), ("dev", 11), ("prod", 12)):
        docs = build(tmp_path / "bootstrap/clusters" / cluster / "apps")
        assert {d["kind"] for d in docs} == {"Application"}
        prefix = "" if cluster == "hub" else f"{cluster}-"  # the hub keeps its names
        assert all(d["metadata"]["name"].startswith(prefix) for d in docs)
        assert cluster == "hub" or not any(d["metadata"]["name"].startswith("hub-") for d in docs)
        assert len(docs) == count, cluster
    built = build(tmp_path / "bootstrap/clusters/prod/base/common-services")
    labelled = [d for d in built if d["kind"] == "Namespace"]
    assert labelled[0]["metadata"]["labels"]["tier"] == "prod"  # the cluster's own patch
    assert all((tmp_path / p).is_dir() for p in COMMON)
