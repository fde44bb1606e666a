"""``kfboot plan``: what Argo CD will do, read from the base catalog in git (never checked out)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.fleet_catalogs import THREE_CLUSTERS, default_text, fleet_text

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(where: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(where), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "waves.yaml").write_text(default_text())
    assert run_cli("render", cwd=tmp_path).exit_code == 0
    git(tmp_path, "add", "-A")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "base")
    return tmp_path


def edit(repo: Path, old: str, new: str) -> None:
    text = (repo / "waves.yaml").read_text()
    assert old in text, old
    (repo / "waves.yaml").write_text(text.replace(old, new, 1))


def items(repo: Path, *args: str) -> list[dict[str, object]]:
    result = run_cli("plan", "--format", "json", *args, cwd=repo)
    assert result.exit_code in (0, 1), result.stderr
    found: list[dict[str, object]] = json.loads(result.stdout)["items"]
    return found


def test_no_change_is_an_empty_plan(repo: Path) -> None:
    result = run_cli("plan", cwd=repo)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("No changes: Argo CD has nothing to do.\n")


def test_disabling_a_component_is_a_cascading_deletion(repo: Path) -> None:
    edit(
        repo,
        "    application: kubeflow-jupyter\n",
        "    application: kubeflow-jupyter\n    enabled: false\n",
    )
    result = run_cli("plan", cwd=repo)
    assert result.exit_code == 1
    assert (
        "  - wave 2   kubeflow-jupyter: deleted with resources-finalizer.argocd.argoproj.io: "
        "Argo CD deletes every object it manages  [destructive]\n"
    ) in result.stdout
    assert "Plan: 0 to create, 0 to change, 1 to delete (1 cascading)" in result.stdout
    assert run_cli("plan", "--allow-destructive", cwd=repo).exit_code == 0
    assert git(repo, "status", "--porcelain") == "M waves.yaml"


def test_a_deletion_without_the_finalizer_is_not_destructive(repo: Path) -> None:
    edit(
        repo,
        "    application: kubeflow-jupyter\n",
        "    application: kubeflow-jupyter\n    finalizers: []\n",
    )
    git(repo, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qam", "no finalizer")
    edit(
        repo,
        "    application: kubeflow-jupyter\n    finalizers: []\n",
        "    application: kubeflow-jupyter\n    finalizers: []\n    enabled: false\n",
    )
    result = run_cli("plan", cwd=repo)
    assert result.exit_code == 0, result.stdout
    assert "kubeflow-jupyter: deleted without the resources finalizer" in result.stdout


def test_a_fleet_keeps_the_hubs_names_and_roots_are_applied_by_hand(repo: Path) -> None:
    (repo / "waves.yaml").write_text(default_text() + THREE_CLUSTERS)
    found = items(repo)
    kinds = {(i["kind"], i["application"]) for i in found}
    assert not any(kind == "plan-application-renamed" for kind, _ in kinds)
    assert not any(kind == "plan-cascading-deletion" for kind, _ in kinds)
    assert ("plan-application-created", "dev-kubeflow-katib") in kinds
    by_hand = [i for i in found if i["kind"] == "plan-apply-by-hand"]
    # The hub's root keeps its name: applying its new file updates the one in the cluster.
    assert {i["command"] for i in by_hand} == {
        "kubectl apply -n argocd -f bootstrap/clusters/hub/app-of-apps.yaml",
        "kubectl apply -n argocd -f bootstrap/clusters/dev/app-of-apps.yaml",
        "kubectl apply -n argocd -f bootstrap/clusters/prod/app-of-apps.yaml",
    }


def test_a_fleet_that_prefixes_the_hub_renames_and_roots_are_applied_by_hand(repo: Path) -> None:
    hub = "    hub: true\n"
    (repo / "waves.yaml").write_text(
        default_text() + THREE_CLUSTERS.replace(hub, hub + "    prefixApplicationNames: true\n")
    )
    found = items(repo)
    kinds = {(i["kind"], i["application"]) for i in found}
    assert ("plan-application-renamed", "hub-kubeflow-jupyter") in kinds
    assert ("plan-cascading-deletion", "kubeflow-jupyter") in kinds
    assert ("plan-application-created", "dev-kubeflow-katib") in kinds
    by_hand = [i for i in found if i["kind"] == "plan-apply-by-hand"]
    assert {i["command"] for i in by_hand} == {
        "kubectl apply -n argocd -f bootstrap/clusters/hub/app-of-apps.yaml",
        "kubectl apply -n argocd -f bootstrap/clusters/dev/app-of-apps.yaml",
        "kubectl apply -n argocd -f bootstrap/clusters/prod/app-of-apps.yaml",
        "kubectl delete -n argocd application kubeflow-app-of-apps",
    }
    jupyter = next(i for i in found if i["application"] == "hub-kubeflow-jupyter")
    assert jupyter == {
        "kind": "plan-application-renamed",
        "cluster": "hub",
        "application": "hub-kubeflow-jupyter",
        "wave": 2,
        "destructive": False,
        "message": "renamed from kubeflow-jupyter (created from jupyter.yaml): a rename is a "
        "delete of kubeflow-jupyter plus a create of hub-kubeflow-jupyter",
        "command": None,
        "names": [],
    }


def test_a_revision_change_names_the_fields(repo: Path) -> None:
    edit(repo, "targetRevision: v1.11.0\n", "targetRevision: v1.11.1\n")
    result = run_cli("plan", cwd=repo)
    assert result.exit_code == 0
    assert "kubeflow-katib: changed: revision v1.11.0 -> v1.11.1\n" in result.stdout
    assert (
        "kubeflow-app-of-apps: Application kubeflow-app-of-apps changed: revision " in result.stdout
    )
    assert "      kubectl apply -n argocd -f bootstrap/app-of-apps.yaml\n" in result.stdout


def test_a_wave_change_and_an_argocd_upgrade(repo: Path) -> None:
    edit(repo, "version: 10.1.1\n", "version: 10.2.0\n")
    found = items(repo)
    assert any(
        i["kind"] == "plan-argocd-upgrade"
        and "argo-cd 10.1.1 -> argo-cd 10.2.0" in str(i["message"])
        for i in found
    ), found


def test_a_base_that_is_not_a_revision_is_a_usage_error(repo: Path) -> None:
    result = run_cli("plan", "--base", "nope", cwd=repo)
    assert result.exit_code == 2
    assert "--base nope: not a revision of this repository" in result.stderr


def test_a_catalog_new_at_the_base_creates_everything(repo: Path) -> None:
    git(repo, "mv", "waves.yaml", "old.yaml")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "moved")
    shutil.copy(repo / "old.yaml", repo / "waves.yaml")
    found = items(repo)
    assert {i["kind"] for i in found} == {"plan-application-created", "plan-apply-by-hand"}


def test_markdown_and_github(repo: Path) -> None:
    edit(
        repo,
        "    application: kubeflow-jupyter\n",
        "    application: kubeflow-jupyter\n    enabled: false\n",
    )
    md = run_cli("plan", "--format", "markdown", cwd=repo).stdout
    assert "| `-` | `kubeflow-jupyter` | wave 2 | deleted with " in md
    assert "> [!CAUTION]" in md
    gh = run_cli("plan", "--format", "github", cwd=repo).stdout
    assert gh.startswith("::group::kfboot plan\n")
    assert (
        "::error file=waves.yaml,title=plan-cascading-deletion::"
        "the catalog's cluster: kubeflow-jupyter: " in gh
    )


def test_a_base_is_any_revision_git_names(repo: Path) -> None:
    """``--base origin/main`` (the CI usage the docs give) and ``HEAD~1`` were refused as 'not
    a revision': only branch, tag and commit names were resolved."""
    edit(repo, "targetRevision: v1.11.0\n", "targetRevision: v1.11.1\n")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qam", "bump")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD~1")
    for ref in ("origin/main", "HEAD~1"):
        result = run_cli("plan", "--base", ref, cwd=repo)
        assert result.exit_code == 0, result.stderr
        assert "kubeflow-katib: changed: revision v1.11.0 -> v1.11.1\n" in result.stdout


def test_an_applicationset_retired_keeps_its_applications(repo: Path) -> None:
    """Leaving ``layout: applicationset``: ``kubectl delete applicationset NAME`` deletes every
    Application it generated (owner references), and their resources finalizer every object:
    the command plan printed would have uninstalled Kubeflow (argo-cd
    docs/operator-manual/applicationset/Application-Deletion.md@v3.4.7). It orphans them."""
    (repo / "waves.yaml").write_text(fleet_text(layout="applicationset"))
    assert run_cli("render", cwd=repo).exit_code == 0
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "appsets")
    (repo / "waves.yaml").write_text(fleet_text(layout="app-of-apps"))
    found = items(repo)
    retired = [i for i in found if str(i["message"]).startswith("ApplicationSet ")]
    assert retired, found
    for item in retired:
        assert str(item["command"]).startswith("kubectl delete -n argocd applicationset ")
        assert str(item["command"]).endswith(" --cascade=orphan"), item
        assert "its Applications stay" in str(item["message"]), item


def _commit_fleet(repo: Path, layout: str) -> None:
    (repo / "waves.yaml").write_text(fleet_text(layout=layout))
    assert run_cli("render", cwd=repo).exit_code == 0
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", layout)


def _without_dev(layout: str) -> str:
    dev = (
        "  - name: dev\n    labels: {env: dev}\n    components:\n      jupyter: {enabled: false}\n"
    )
    text = fleet_text(layout=layout)
    assert dev in text
    return text.replace(dev, "")


@pytest.mark.parametrize("layout", ["app-of-apps", "applicationset"])
def test_a_removed_clusters_applications_stay_with_their_retired_root(
    repo: Path, layout: str
) -> None:
    """A cluster removed: its root (or ApplicationSet) is applied by hand, so nothing in git
    deletes it, nor the Applications it created: plan said Argo CD deletes every object they
    manage. They stay until deleted by hand; plan says so and how (their finalizer first, to
    keep the objects), and stays destructive (deleting them as they are cascades)."""
    _commit_fleet(repo, layout)
    (repo / "waves.yaml").write_text(_without_dev(layout))
    result = run_cli("plan", "--format", "json", cwd=repo)
    assert result.exit_code == 1, result.stdout
    found = json.loads(result.stdout)["items"]
    katib = next(i for i in found if i["application"] == "dev-kubeflow-katib")
    assert katib["kind"] == "plan-cascading-deletion"
    assert katib["destructive"] is True
    assert "Argo CD deletes every object" not in katib["message"], katib
    assert "stays until deleted" in katib["message"], katib
    assert katib["command"] == (
        "kubectl patch -n argocd application dev-kubeflow-katib --type merge -p "
        '\'{"metadata":{"finalizers":null}}\' && '
        "kubectl delete -n argocd application dev-kubeflow-katib"
    )
    if layout == "applicationset":
        # Nothing of it is rendered any more: deleting it (not orphaning) is the uninstall.
        appset = next(i for i in found if i["application"] == "kubeflow-app-of-apps-dev")
        assert (
            appset["command"] == "kubectl delete -n argocd applicationset kubeflow-app-of-apps-dev"
        )
        assert "deletes every Application it generated" in appset["message"], appset


def test_a_rename_prints_the_patch_that_keeps_the_objects(repo: Path) -> None:
    """An ``application:`` change: the root prunes the old Application, whose finalizer deletes
    every object before the new one recreates them. Dropping the finalizer before the merge
    (docs/fleet.md, 'Moving a live install') keeps them: plan printed no command for it."""
    edit(repo, "    application: kubeflow-jupyter\n", "    application: team-jupyter\n")
    result = run_cli("plan", "--format", "markdown", cwd=repo)
    assert result.exit_code == 1
    patch = (
        "kubectl patch -n argocd application kubeflow-jupyter --type merge -p "
        '\'{"metadata":{"finalizers":null}}\''
    )
    before = result.stdout.split("Run before this merges:", 1)
    assert len(before) == 2, result.stdout
    assert patch + "\n" in before[1], result.stdout


def test_a_retired_roots_applications_are_deleted_once_it_lands(repo: Path) -> None:
    """With the old root still live, an Application deleted before the merge is recreated by
    it: the patch and delete of a prefixed hub's old names are run once the change lands."""
    hub = "    hub: true\n"
    (repo / "waves.yaml").write_text(
        default_text() + THREE_CLUSTERS.replace(hub, hub + "    prefixApplicationNames: true\n")
    )
    md = run_cli("plan", "--format", "markdown", cwd=repo).stdout
    after = md.split("Run by hand once this merges:", 1)
    assert len(after) == 2, md
    assert "kubectl delete -n argocd application kubeflow-jupyter\n" in after[1], md
    assert "Run before this merges:" not in md, md
