"""The pure parts of ``--manifests``: output reduction, error cleaning, suggestions, waves."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfboot.errors import KfbootError
from kfboot.manifests.build import _go_env, clean_error
from kfboot.manifests.inputs import Inputs, is_remote, walk_dir
from kfboot.manifests.objects import Obj, parse_build, sync_wave
from kfboot.manifests.paths import suggest as suggest_path
from kfboot.manifests.suggest import suggest
from tests import manifests_tree as tree

KUBECTL_ERROR = (
    'E1126 05:17:31.161581   10012 run.go:72] "command failed" err=<\n'
    "\ttrouble configuring builtin PatchTransformer with config: `\n"
    "\tpath: p.yaml\n"
    "\t`: failed to get the patch file\n"
    " >\n"
)


def test_kustomize_output_reduced_to_what_matters() -> None:
    output = "\n---\n".join(
        [
            tree.crd("widgets", "example.com", "Widget", "Cluster"),
            tree.obj("v1", "Namespace", "mesh", labels="istio-injection: enabled"),
            tree.deployment("app", "mesh"),
        ]
    )
    assert parse_build(output) == [
        Obj(
            "apiextensions.k8s.io/v1",
            "CustomResourceDefinition",
            "",
            "widgets.example.com",
            (),
            ("example.com", "Widget", "Cluster"),
            detail='{"spec":{"names":{"kind":"Widget","plural":"widgets"},'
            '"versions":[{"name":"v1","served":true,"storage":true}]}}',
        ),
        Obj("v1", "Namespace", "", "mesh", (("istio-injection", "enabled"),)),
        Obj(
            "apps/v1",
            "Deployment",
            "mesh",
            "app",
            detail='{"spec":{"selector":{"matchLabels":{"app":"app"}},'
            '"template":{"metadata":{"labels":{"app":"app"}}}}}',
        ),
    ]


def test_objects_keep_their_sync_wave_and_what_convergence_reads() -> None:
    webhook = """apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: v
  annotations:
    argocd.argoproj.io/sync-wave: "-2"
webhooks:
  - name: w.example.com
    failurePolicy: Fail
"""
    crd = tree.crd("gadgets", "example.com", "Gadget").replace(
        "spec:\n  group:", "spec:\n  preserveUnknownFields: false\n  group:", 1
    )
    found = parse_build("\n---\n".join([webhook, crd]))
    assert found[0].wave == -2
    assert found[0].data()["webhooks"] == [{"name": "w.example.com", "failurePolicy": "Fail"}]
    assert found[1].data()["spec"]["preserveUnknownFields"] is False
    # Each version's name, served and storage (plan compares them); the schema stays unparsed.
    assert found[1].data()["spec"]["versions"] == [{"name": "v1", "served": True, "storage": True}]


@pytest.mark.parametrize(
    ("annotations", "wave"),
    [
        ({"argocd.argoproj.io/sync-wave": "+5"}, 5),
        ({"argocd.argoproj.io/sync-wave": " 5"}, 0),  # Atoi refuses whitespace
        ({"argocd.argoproj.io/sync-wave": "1.5", "helm.sh/hook-weight": "3"}, 3),
        ({"argocd.argoproj.io/sync-wave": str(2**63)}, 0),  # out of range
        ({}, 0),
    ],
)
def test_sync_wave_follows_argo_cds_parsing(annotations: dict[str, str], wave: int) -> None:
    assert sync_wave(annotations) == wave


def test_objects_round_trip_through_the_cache_format() -> None:
    obj = Obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", "", "a.b", (), ("b", "A", "X"))
    assert Obj.from_json(obj.to_json()) == obj


def test_kubectl_errors_lose_their_log_prefix() -> None:
    assert clean_error(KUBECTL_ERROR, 1) == (
        "trouble configuring builtin PatchTransformer with config: ` path: p.yaml `: "
        "failed to get the patch file"
    )
    assert clean_error(
        'E1126 05:17:31.251386 1 run.go:72] "command failed" err="a \\"b\\""', 1
    ) == ('a "b"')
    assert clean_error("Error: no kustomization\n", 1) == "no kustomization"
    assert clean_error("", 3) == "exit status 3"


@pytest.mark.parametrize(
    ("entry", "remote"),
    [
        ("https://github.com/kubeflow/pipelines/manifests?ref=2.5.0", True),
        ("github.com/kubeflow/trainer/manifests/overlays/manager?ref=v2.0.0", True),
        ("git@github.com:acme/x.git", True),
        ("../base", False),
        ("crd.yaml", False),
    ],
)
def test_remote_resources(entry: str, remote: bool) -> None:
    assert is_remote(entry) is remote


def test_lowest_waves_follow_the_catalog_wave_numbers() -> None:
    edges = {"argocd": set(), "common": {"argocd"}, "app": {"common"}, "late": {"app"}}
    assert suggest(edges, [-1, 0]) == {"argocd": -1, "common": 0, "app": 1, "late": 2}


def test_suggest_reports_a_cycle() -> None:
    with pytest.raises(KfbootError, match="cycle: a -> b -> a"):
        suggest({"a": {"b"}, "b": {"a"}}, [0])


@pytest.mark.parametrize(
    ("missing", "suggestion"),
    [
        ("common/cert-manager/kubeflow-issuer/base", "common/cert-manager/overlays/kubeflow"),
        ("common/networkpolicies/base", None),
    ],
)
def test_upstream_renames_are_suggested(
    shared: Path, tmp_path: Path, missing: str, suggestion: str | None
) -> None:
    """Against the real directory list of kubeflow/manifests 26.03 (../shared/reference)."""
    listing = shared / "reference/kubeflow-manifests/kustomize-dirs-26.03.txt"
    for rel in listing.read_text().split():
        (tmp_path / rel).mkdir(parents=True, exist_ok=True)
        (tmp_path / rel / "kustomization.yaml").write_text("resources: []\n")
    already = ["common/cert-manager/base", missing]
    assert suggest_path(tmp_path, missing, already) == suggestion


def test_inputs_follow_local_references_and_collect_remote_ones(tmp_path: Path) -> None:
    tree.write_dir(tmp_path, "base", {"cm.yaml": tree.obj("v1", "ConfigMap", "a")})
    tree.write_dir(tmp_path, "comp", {"cm.yaml": tree.obj("v1", "ConfigMap", "b")})
    (tmp_path / "patch.yaml").write_text(tree.obj("v1", "ConfigMap", "a"))
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "kustomization.yaml").write_text(
        "resources:\n  - ../base\n  - https://example.com/remote.yaml\n"
        "components:\n  - ../comp\n"
        "patches:\n  - path: ../patch.yaml\n  - patch: |-\n      inline: true\n"
        "helmCharts:\n  - name: chart\n    repo: https://charts.example.com\n"
    )
    found = Inputs()
    walk_dir(overlay, found)
    assert found.roots == {overlay, tmp_path / "base", tmp_path / "comp"}
    files = {tmp_path / "patch.yaml", tmp_path / "base/cm.yaml", tmp_path / "comp/cm.yaml"}
    assert found.files == files
    assert found.remote == ["https://example.com/remote.yaml"]
    assert found.helm == ["chart from https://charts.example.com"]


def test_kustomize_runs_with_a_lazier_go_collector_unless_told(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GOGC", raising=False)
    monkeypatch.setenv("GOMEMLIMIT", "512MiB")
    env = _go_env()
    assert (env["GOGC"], env["GOMEMLIMIT"]) == ("400", "512MiB")
