"""``kfboot plan --manifests``: both revisions built with the real kustomize, the base from a git
archive (the user's tree untouched), and each object-level hazard found (or not)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import manifests_tree as tree
from tests.conftest import run_cli, snapshot

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="needs git"),
    pytest.mark.skipif(
        shutil.which("kustomize") is None and shutil.which("kubectl") is None,
        reason="neither kustomize nor kubectl is installed: builds cannot run",
    ),
]

SECRET = tree.obj("v1", "Secret", "token", "infra")


def git(where: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(where), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", message)


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A fork holding the catalog beside the manifests it builds (the clean tree)."""
    root = tmp_path / "fork"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    tree.clean_tree(root)
    tree.write_dir(
        root, "infra/more", {"cm.yaml": tree.obj("v1", "ConfigMap", "more"), "s.yaml": SECRET}
    )
    (root / "waves.yaml").write_text(tree.clean_catalog())
    commit(root, "base")
    return root


def plan(repo: Path, *args: str) -> tuple[int, list[dict[str, object]]]:
    result = run_cli("plan", "--manifests", "--format", "json", *args, cwd=repo)
    assert result.exit_code in (0, 1), result.stderr
    found: list[dict[str, object]] = json.loads(result.stdout)["items"]
    return result.exit_code, found


def kinds(found: list[dict[str, object]]) -> set[tuple[object, object]]:
    return {(i["kind"], i["application"]) for i in found}


def test_no_change_builds_both_and_finds_nothing(repo: Path) -> None:
    before = snapshot(repo)
    result = run_cli("plan", "--manifests", cwd=repo)
    assert result.exit_code == 0, result.stderr
    assert "objects: the base built from . at HEAD (git archive), the working tree from" in (
        result.stdout
    )
    assert result.stdout.endswith("No changes: Argo CD has nothing to do.\n")
    # Nothing written to the user's tree, no worktree registered.
    assert snapshot(repo) == before
    assert git(repo, "worktree", "list").count("\n") == 0


def test_an_object_dropped_from_a_build_is_pruned(repo: Path) -> None:
    tree.write_dir(repo, "infra/more", {"cm.yaml": tree.obj("v1", "ConfigMap", "more")})
    code, found = plan(repo)
    assert code == 0
    (item,) = found
    assert item == {
        "kind": "plan-objects-pruned",
        "cluster": None,
        "application": "foundation",
        "wave": 0,
        "destructive": False,
        "message": "1 object no longer in its build: automated prune deletes them",
        "command": None,
        "names": ["Secret infra/token"],
    }
    text = run_cli("plan", "--manifests", cwd=repo).stdout
    assert "  - wave 0   foundation: 1 object no longer in its build" in text
    assert "Secret infra/token" not in text  # counted; -v names them
    assert "      (1 objects; -v lists them)\n" in text
    assert "      Secret infra/token\n" in run_cli("plan", "--manifests", "-v", cwd=repo).stdout


def test_a_crd_removed_is_destructive(repo: Path) -> None:
    tree.write_dir(
        repo,
        "infra/crds",
        {"team.yaml": tree.obj("v1", "Namespace", "team", labels="istio-injection: enabled")},
    )
    code, found = plan(repo)
    assert code == 1
    crd = next(i for i in found if i["kind"] == "plan-crd-removed")
    assert crd["destructive"] is True
    assert crd["names"] == ["CustomResourceDefinition gadgets.example.com"]
    assert "deletes every Gadget with it" in str(crd["message"])
    assert crd["command"] == (
        "kubectl annotate customresourcedefinition.apiextensions.k8s.io -- gadgets.example.com "
        "argocd.argoproj.io/sync-options=Prune=false"
    )
    assert {i["kind"] for i in found} == {"plan-crd-removed"}
    assert run_cli("plan", "--manifests", "--allow-destructive", cwd=repo).exit_code == 0


def test_objects_moving_between_applications(repo: Path) -> None:
    tree.write_dir(repo, "infra/more", {"cm.yaml": tree.obj("v1", "ConfigMap", "more")})
    tree.write_dir(
        repo,
        "apps/team",
        {
            "gadget.yaml": tree.obj("example.com/v1", "Gadget", "g1", "team"),
            "deploy.yaml": tree.deployment("team-app", "team"),
            "s.yaml": SECRET,
        },
    )
    code, found = plan(repo)
    assert code == 0
    (item,) = found
    assert item["kind"] == "plan-object-moved"
    assert item["application"] == "team"
    assert item["destructive"] is False
    assert item["names"] == ["Secret infra/token"]
    assert item["command"] == (
        "kubectl annotate -n infra secret -- token argocd.argoproj.io/sync-options=Prune=false"
    )
    md = run_cli("plan", "--manifests", "--format", "markdown", cwd=repo).stdout
    assert "Run before this merges:" in md


def test_a_crd_moving_is_destructive_and_a_rename_is_no_move(repo: Path) -> None:
    text = (repo / "waves.yaml").read_text()
    (repo / "waves.yaml").write_text(
        text.replace("  - name: team\n", "  - name: team\n    application: team-apps\n")
    )
    code, found = plan(repo, "--allow-destructive")
    assert "plan-object-moved" not in {i["kind"] for i in found}
    assert ("plan-application-renamed", "team-apps") in kinds(found)
    (repo / "waves.yaml").write_text(text)
    tree.write_dir(
        repo,
        "infra/crds",
        {"team.yaml": tree.obj("v1", "Namespace", "team", labels="istio-injection: enabled")},
    )
    tree.write_dir(
        repo,
        "apps/team",
        {
            "gadget.yaml": tree.obj("example.com/v1", "Gadget", "g1", "team"),
            "deploy.yaml": tree.deployment("team-app", "team"),
            "crd.yaml": tree.crd("gadgets", "example.com", "Gadget"),
        },
    )
    code, found = plan(repo)
    assert code == 1
    (item,) = found
    assert (item["kind"], item["destructive"]) == ("plan-object-moved", True)
    assert "CustomResourceDefinition gadgets.example.com: deleted with their data" in str(
        item["message"]
    )


def test_an_object_moving_namespace(repo: Path) -> None:
    tree.write_dir(
        repo,
        "infra/more",
        {
            "cm.yaml": tree.obj("v1", "ConfigMap", "more"),
            "s.yaml": SECRET.replace("infra", "vault"),
        },
    )
    code, found = plan(repo)
    assert code == 0
    (item,) = found
    assert item["kind"] == "plan-object-namespace-moved"
    assert item["names"] == ["Secret infra/token -> vault/token"]
    # An object without a namespace lands in the Application's: writing it out is no move.
    tree.write_dir(
        repo,
        "infra/more",
        {"cm.yaml": tree.obj("v1", "ConfigMap", "more", "infra"), "s.yaml": SECRET},
    )
    assert plan(repo) == (0, [])


def test_an_immutable_field_blocks_and_says_how_to_fix(repo: Path) -> None:
    deploy = tree.deployment("team-app", "team")
    tree.write_dir(
        repo,
        "apps/team",
        {
            "gadget.yaml": tree.obj("example.com/v1", "Gadget", "g1", "team"),
            "deploy.yaml": deploy.replace(
                "matchLabels: {app: team-app}", "matchLabels: {app: x}"
            ).replace("labels: {app: team-app}", "labels: {app: x}"),
        },
    )
    result = run_cli("plan", "--manifests", cwd=repo)
    assert result.exit_code == 1
    assert (
        "  ! wave 1   team: Deployment team/team-app: spec.selector "
        '{"matchLabels": {"app": "team-app"}} -> {"matchLabels": {"app": "x"}}: the API server '
        "refuses the change (field is immutable) and the sync fails; annotate it "
        "`argocd.argoproj.io/sync-options: Force=true,Replace=true`"
    ) in result.stdout
    assert "1 immutable" in result.stdout
    gh = run_cli("plan", "--manifests", "--format", "github", cwd=repo).stdout
    assert "::error file=waves.yaml,title=plan-immutable-field::" in gh
    # A new image is a rollout, not a refusal.
    tree.write_dir(
        repo,
        "apps/team",
        {
            "gadget.yaml": tree.obj("example.com/v1", "Gadget", "g1", "team"),
            "deploy.yaml": deploy.replace("team-app:1", "team-app:2"),
        },
    )
    assert plan(repo) == (0, [])


def test_what_cannot_be_built_offline_is_not_compared(repo: Path) -> None:
    text = (repo / "waves.yaml").read_text()
    chart = (
        "  - name: chart\n    wave: 1\n    namespace: chart\n    helm:\n"
        "      repoURL: https://charts.example.com\n      chart: chart\n"
        "      targetRevision: 1.0.0\n"
    )
    (repo / "waves.yaml").write_text(text.replace(tree.TAIL, chart + tree.TAIL))
    commit(repo, "a chart")
    code, found = plan(repo)
    assert code == 0
    (item,) = found
    assert item["kind"] == "plan-objects-not-compared"
    assert item["application"] == "chart"
    assert "base: not-verified-offline, head: not-verified-offline" in str(item["message"])


def test_the_base_is_read_at_ref_not_from_the_tree(repo: Path) -> None:
    """A committed change: HEAD~1 is the base, read from git; the tree holds the new side."""
    tree.write_dir(repo, "infra/more", {"cm.yaml": tree.obj("v1", "ConfigMap", "more")})
    commit(repo, "drop the secret")
    assert plan(repo) == (0, [])
    code, found = plan(repo, "--base", "HEAD~1")
    assert code == 0
    assert [i["names"] for i in found] == [["Secret infra/token"]]


def test_a_manifests_dir_outside_the_repository_builds_both_sides_from_it(
    repo: Path, tmp_path: Path
) -> None:
    other = tmp_path / "upstream"
    tree.clean_tree(other)
    tree.write_dir(other, "infra/more", {"cm.yaml": tree.obj("v1", "ConfigMap", "more")})
    text = (repo / "waves.yaml").read_text()
    (repo / "waves.yaml").write_text(
        text.replace("    paths: [apps/team]\n", "    paths: [apps/team]\n    enabled: false\n")
    )
    result = run_cli("plan", "--manifests", str(other), "--format", "markdown", cwd=repo)
    assert result.exit_code == 1  # team's deletion cascades
    assert "(not in the catalog's repository)" in result.stdout
    assert "plan-objects-pruned" not in result.stdout
    missing = run_cli("plan", "--manifests", str(tmp_path / "nope"), cwd=repo)
    assert missing.exit_code == 2
    assert "is not a directory" in missing.stderr


FLEET = """clusters:
  - name: hub
    hub: true
    server: https://kubernetes.default.svc
  - name: dev
    server: https://dev.example.com
    components:
      team: {enabled: false}
"""


def test_a_fleet_is_compared_per_cluster(repo: Path) -> None:
    (repo / "waves.yaml").write_text(tree.clean_catalog() + FLEET)
    commit(repo, "a fleet")
    tree.write_dir(repo, "infra/more", {"cm.yaml": tree.obj("v1", "ConfigMap", "more")})
    deploy = tree.deployment("team-app", "team").replace("app: team-app}", "app: x}")
    tree.write_dir(
        repo,
        "apps/team",
        {"gadget.yaml": tree.obj("example.com/v1", "Gadget", "g1", "team"), "deploy.yaml": deploy},
    )
    code, found = plan(repo)
    assert code == 1
    # The hub keeps the single-cluster Application names (prefixApplicationNames unset).
    assert {(i["cluster"], i["kind"], i["application"]) for i in found} == {
        ("hub", "plan-objects-pruned", "foundation"),
        ("dev", "plan-objects-pruned", "dev-foundation"),
        # team runs on the hub only: its Deployment's selector blocks there alone.
        ("hub", "plan-immutable-field", "team"),
    }


def test_the_base_reuses_the_builds_of_what_the_change_leaves_alone(
    repo: Path, tmp_path: Path
) -> None:
    """Cache keys name files relative to the checkout: the base, archived elsewhere, hits the
    working tree's entries, so only the changed component is built twice."""
    log = tmp_path / "builds.log"
    real = f"{shutil.which('kustomize')} build" if shutil.which("kustomize") else None
    real = real or f"{shutil.which('kubectl')} kustomize"
    script = tmp_path / "kz.sh"
    script.write_text(f'#!/bin/sh\necho "$1" >> {log}\nexec {real} "$@"\n')
    script.chmod(0o755)
    tree.write_dir(repo, "infra/more", {"cm.yaml": tree.obj("v1", "ConfigMap", "more")})
    code, found = plan(repo, "--kustomize", str(script))
    assert (code, [i["kind"] for i in found]) == (0, ["plan-objects-pruned"])
    built = log.read_text().splitlines()
    # foundation (a wrapper over two paths) at both revisions, team once.
    assert len(built) == 3, built
    log.unlink()
    assert plan(repo, "--kustomize", str(script)) == (code, found)
    assert not log.exists()  # the second run is all cache
