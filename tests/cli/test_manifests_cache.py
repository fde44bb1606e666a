"""The build cache (reuse, invalidation, ``--no-cache``), counted through a ``--kustomize``
wrapper script, and the CLI: ``check --manifests`` formats and ``waves --suggest``."""

from __future__ import annotations

import json
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from kfboot.catalog.load import parse_catalog
from kfboot.manifests import manifest_findings
from tests import manifests_tree as tree
from tests.conftest import Result

KUBECTL = shutil.which("kubectl")
KUSTOMIZE = shutil.which("kustomize")
pytestmark = pytest.mark.skipif(
    KUBECTL is None and KUSTOMIZE is None,
    reason="neither kustomize nor kubectl is installed: builds cannot run",
)


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def counting(tmp_path: Path) -> tuple[str, Path]:
    """A kustomize command that logs each build's directory, then builds for real."""
    log = tmp_path / "builds.log"
    real = f"{KUSTOMIZE} build" if KUSTOMIZE else f"{KUBECTL} kustomize"
    script = tmp_path / "kz.sh"
    script.write_text(f'#!/bin/sh\necho "$1" >> {log}\nexec {real} "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script), log


def builds(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_second_run_reuses_and_a_change_rebuilds(
    tmp_path: Path, counting: tuple[str, Path]
) -> None:
    command, log = counting
    root = tmp_path / "repo"
    tree.broken_tree(root)
    text = tree.broken_catalog()
    catalog_path = tmp_path / "waves.yaml"
    catalog_path.write_text(text)
    catalog = parse_catalog(text)

    def once(use_cache: bool = True) -> list[str]:
        found, _ = manifest_findings(catalog, catalog_path, root, command, use_cache)
        return [f.text() for f in found]

    first = once()
    # foundation, widgets, webhook, portal, mesh-apps, extras, broken, converge
    assert builds(log) == 8
    assert once() == first
    assert builds(log) == 8, "nothing changed: every build (the failed one too) is cached"
    (root / "apps/mesh/deploy.yaml").write_text(tree.deployment("mesh-app", "widgets"))
    changed = once()
    assert builds(log) == 9, "one input changed: exactly its component is rebuilt"
    assert not any("manifests-namespace-labels-order" in line for line in changed)
    assert once(use_cache=False) == changed
    assert builds(log) == 17, "--no-cache rebuilds everything"
    assert once() == changed
    assert builds(log) == 17, "--no-cache refreshed the cache"


def test_a_file_reached_through_a_wrapper_path_invalidates(
    tmp_path: Path, counting: tuple[str, Path]
) -> None:
    command, log = counting
    root = tmp_path / "repo"
    tree.clean_tree(root)
    catalog_path = tmp_path / "waves.yaml"
    catalog_path.write_text(tree.clean_catalog())
    catalog = parse_catalog(tree.clean_catalog())
    manifest_findings(catalog, catalog_path, root, command)
    assert builds(log) == 2
    (root / "infra/more/cm.yaml").write_text(tree.obj("v1", "ConfigMap", "renamed", "infra"))
    manifest_findings(catalog, catalog_path, root, command)
    assert builds(log) == 3


@pytest.fixture
def project(tmp_path: Path, kfboot: Callable[..., Result]) -> Path:
    """The broken tree with its catalog at the root and bootstrap/ rendered, as in real use."""
    root = tmp_path / "repo"
    tree.broken_tree(root)
    (root / "waves.yaml").write_text(tree.broken_catalog())
    assert kfboot("render", cwd=root).exit_code == 0
    return root


def test_check_manifests_json(project: Path, kfboot: Callable[..., Result]) -> None:
    res = kfboot("check", "--manifests", ".", "--format", "json", cwd=project)
    assert res.exit_code == 1
    assert res.stderr == ""
    doc = json.loads(res.stdout)
    assert doc["summary"] == {"errors": 14, "warnings": 8}
    assert {f["rule"] for f in doc["findings"]} == {
        "manifests-build-failed",
        "manifests-component-dir",
        "manifests-crd-order",
        "manifests-crd-unverified",
        "manifests-depends-on-contradiction",
        "manifests-depends-on-missing",
        "manifests-drift-aggregated-rules",
        "manifests-drift-ca-bundle",
        "manifests-drift-failure-policy",
        "manifests-drift-preserve-unknown-fields",
        "manifests-duplicate-object",
        "manifests-jq-parse-error",
        "manifests-jq-runtime-error",
        "manifests-namespace-labels-order",
        "manifests-namespace-missing",
        "manifests-namespace-unverified",
        "manifests-not-verified-offline",
        "manifests-path-missing",
        "manifests-resource-wave-unmatched",
        "manifests-webhook-race",
    }
    assert doc["rules"]["manifests-crd-order"] == {
        "severity": "error",
        "what": "A custom resource's CRD arrives in a later wave, or from another same-wave "
        "component.",
        "link": "https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/",
    }
    extras = next(c for c in doc["manifests"]["components"] if c["name"] == "extras")
    assert extras == {
        "name": "extras",
        "wave": 2,
        "status": "built",
        "objects": 3,
        "crds": [],
        "namespaces": ["late", "mesh"],
        "needs": ["foundation"],
    }


def test_check_manifests_github(
    project: Path, kfboot: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")  # chooses --format github by itself
    res = kfboot("check", "--manifests", ".", cwd=project)
    assert res.exit_code == 1
    lines = res.stdout.splitlines()
    assert (
        "::error file=waves.yaml,line=25,col=9,title=manifests-path-missing::component webhook "
        "(wave 1): path apps/webhook/issuer/base does not exist; did you mean "
        "apps/webhook/overlays/issuer?"
    ) in lines
    assert lines[-1] == "14 error(s), 8 warning(s)"


def test_clean_check_and_suggest(tmp_path: Path, kfboot: Callable[..., Result]) -> None:
    root = tmp_path / "repo"
    tree.clean_tree(root)
    text = tree.clean_catalog().replace("    dependsOn: [foundation]\n", "")
    (root / "waves.yaml").write_text(text)
    assert kfboot("render", cwd=root).exit_code == 0
    res = kfboot("check", "--manifests", ".", cwd=root)
    assert (res.exit_code, res.stderr) == (0, "")
    assert res.stdout.endswith(
        "waves.yaml:7:11: [warning] empty-wave: wave 2 (Extras) has no enabled component\n"
        "waves.yaml:14:11: [warning] manifests-depends-on-missing: component team (wave 1) "
        "needs component foundation (wave 0: CustomResourceDefinition for Gadget.example.com, "
        "namespace team), but its dependsOn does not cover it, "
        "directly or transitively; add foundation\n0 error(s), 2 warning(s)\n"
    )
    res = kfboot("waves", "--suggest", "--manifests", ".", cwd=root)
    assert (res.exit_code, res.stderr) == (0, "")
    assert res.stdout == (
        "COMPONENT   WAVE  SUGGESTED  NEEDS (* derived from the objects only)\n"
        "foundation  0     0          -\n"
        "team        1     1          foundation*\n"
        "0 component(s) could move to an earlier wave\n"
    )


def test_usage_errors(tmp_path: Path, kfboot: Callable[..., Result]) -> None:
    root = tmp_path / "repo"
    tree.clean_tree(root)
    (root / "waves.yaml").write_text(tree.clean_catalog())
    assert kfboot("render", cwd=root).exit_code == 0
    res = kfboot("waves", "--suggest", cwd=root)
    assert (res.exit_code, res.stderr) == (2, "--suggest needs --manifests DIR\n")
    res = kfboot("check", "--manifests", "nowhere", cwd=root)
    assert (res.exit_code, res.stderr) == (2, "--manifests: nowhere is not a directory\n")
    res = kfboot("check", "--manifests", ".", "--kustomize", " ", cwd=root)
    assert (res.exit_code, res.stderr) == (2, "--kustomize: the command is empty\n")
    res = kfboot("check", "--manifests", ".", "--kustomize", "/nonexistent/kustomize", cwd=root)
    assert res.exit_code == 2
    assert res.stderr.startswith("--kustomize: cannot run /nonexistent/kustomize: ")


def test_suggest_moves_providers_earlier_and_consumers_later(
    project: Path, kfboot: Callable[..., Result]
) -> None:
    catalog = project / "waves.yaml"
    catalog.write_text(
        catalog.read_text().replace(
            "    dependsOn: [foundation]\n    paths: [apps/widgets]", "    paths: [apps/widgets]"
        )
    )
    res = kfboot("waves", "--suggest", "--manifests", ".", cwd=project)
    assert (res.exit_code, res.stderr) == (0, "")
    assert res.stdout == (
        "COMPONENT   WAVE  SUGGESTED  NEEDS (* derived from the objects only)\n"
        "foundation  0     1          widgets*\n"
        "mesh-apps   1     3          extras*\n"
        "portal      1     3          extras*\n"
        "webhook     1     2          foundation\n"
        "widgets     1     0          -\n"
        "broken      2     0          -\n"
        "chart       2     0          -\n"
        "converge    2     0          -\n"
        "extras      2     2          foundation*\n"
        "feature     2     0          -\n"
        "pipelines   2     0          -\n"
        "6 component(s) could move to an earlier wave\n"
        "not analysed (declared dependsOn only): broken, chart, feature, pipelines\n"
        "13 error(s) in the manifests: see 'kfboot check --manifests'\n"
    )
    catalog.write_text(tree.broken_catalog())
    res = kfboot("waves", "--suggest", "--manifests", ".", cwd=project)
    assert (res.exit_code, res.stderr) == (
        1,
        "cannot suggest waves: the dependencies form a cycle: foundation -> widgets -> "
        "foundation\n",
    )
