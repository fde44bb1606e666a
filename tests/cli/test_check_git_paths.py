"""``check``'s git path rule: every path the rendered Applications read from this repository
exists at the catalog's ``targetRevision`` (read from git's object store, never checked out)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kfboot.catalog.load import parse_catalog
from kfboot.check.git_paths import git_paths
from kfboot.gitrepo import normalise_url, paths_at, resolve, same_repository, show
from tests.conftest import run_cli
from tests.fleet_catalogs import default_text, fleet_text

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
REPO = "https://github.com/kubeflow/manifests.git"


def git(where: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(where), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def commit(where: Path, message: str) -> None:
    git(where, "add", "-A")
    git(where, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", message)


def fork(tmp_path: Path, text: str, *, remote: str = "git@GitHub.com:kubeflow/manifests") -> Path:
    """A fork of the manifests holding every catalog path, rendered, on branch main."""
    project = tmp_path / "fork"
    project.mkdir()
    git(project, "init", "-q", "-b", "main")
    git(project, "remote", "add", "origin", remote)
    for item in git_paths(parse_catalog(text)):
        if not item.path.startswith("bootstrap"):
            (project / item.path).mkdir(parents=True, exist_ok=True)
            (project / item.path / "kustomization.yaml").write_text("resources: []\n")
    (project / "waves.yaml").write_text(text)
    commit(project, "manifests")
    git(project, "tag", "v1.11.0")  # upstream's tag: no bootstrap/
    assert run_cli("render", cwd=project).exit_code == 0
    commit(project, "bootstrap")
    return project


def on_main(text: str) -> str:
    return text.replace("targetRevision: v1.11.0\n", "targetRevision: main\n", 1)


def findings(project: Path, rule: str) -> list[str]:
    out = run_cli("check", cwd=project).stdout
    return [line for line in out.splitlines() if f"] {rule}: " in line]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/Kubeflow/Manifests.git", "github.com/kubeflow/manifests"),
        ("git@github.com:kubeflow/manifests.git", "github.com/kubeflow/manifests"),
        ("ssh://git@GitHub.com:22/kubeflow/manifests/", "github.com/kubeflow/manifests"),
        ("https://GITHUB.COM:443/kubeflow/manifests", "github.com/kubeflow/manifests"),
        ("https://gitlab.example:8443/a/b.git", "gitlab.example:8443/a/b"),
    ],
)
def test_normalise_url(url: str, expected: str) -> None:
    assert normalise_url(url) == expected


def test_a_fork_on_its_branch_is_clean(tmp_path: Path) -> None:
    project = fork(tmp_path, on_main(default_text()))
    assert same_repository(REPO, project)
    assert not same_repository("https://github.com/acme/manifests.git", project)
    assert run_cli("check", cwd=project).stdout == "no findings\n"


def test_a_tag_without_bootstrap_is_an_error(tmp_path: Path) -> None:
    project = fork(tmp_path, default_text())  # targetRevision: v1.11.0, the tag
    lines = findings(project, "git-path-missing")
    assert any(
        "Application kubeflow-app-of-apps reads bootstrap/apps/kubeflow at v1.11.0 (tag " in line
        and line.startswith("waves.yaml:13:")  # bootstrapPath
        for line in lines
    ), lines
    assert any("reads bootstrap/apps/base/" in line for line in lines), lines
    assert not any("reads common/" in line for line in lines), lines  # the tag holds those
    assert run_cli("check", cwd=project).exit_code == 1


def test_a_path_removed_by_an_upstream_merge(tmp_path: Path) -> None:
    project = fork(tmp_path, on_main(default_text()))
    moved = "common/cert-manager/base"
    (project / "common/cert-manager/overlays/kubeflow").parent.mkdir(parents=True, exist_ok=True)
    shutil.move(project / moved, project / "common/cert-manager/overlays/kubeflow")
    commit(project, "merge upstream")
    lines = findings(project, "git-path-missing")
    assert lines == [
        "waves.yaml:121:9: [error] git-path-missing: "
        f"Application kubeflow-common-services reads {moved} at main (the current branch), "
        "which does not exist in the working tree; "
        "did you mean common/cert-manager/overlays/kubeflow?"
    ], lines
    # The merge on a branch of its own: main still holds the path, the working tree (what
    # lands on main) does not.
    git(project, "checkout", "-q", "HEAD~1")
    git(project, "branch", "-qf", "main")
    git(project, "checkout", "-q", "-b", "feature", "main@{1}")
    assert any(
        "it exists there but not in the working tree" in line
        for line in findings(project, "git-path-missing")
    )


def test_a_revision_not_present_locally_is_a_warning(tmp_path: Path) -> None:
    text = default_text().replace("targetRevision: v1.11.0\n", "targetRevision: v9.9.9\n", 1)
    project = fork(tmp_path, text)
    lines = findings(project, "git-revision-absent")
    assert len(lines) == 1 and lines[0].startswith("waves.yaml:11:"), lines
    assert "targetRevision v9.9.9 is not in the local repository" in lines[0]
    result = run_cli("check", cwd=project)
    assert result.exit_code == 0, result.stdout


def test_a_new_component_not_yet_on_the_branch_is_a_warning(tmp_path: Path) -> None:
    project = fork(tmp_path, on_main(default_text()))
    git(project, "checkout", "-qb", "feature")
    (project / "contrib/extra/base").mkdir(parents=True)
    text = (
        (project / "waves.yaml")
        .read_text()
        .replace(
            "      - applications/spark/spark-operator/overlays/kubeflow\n",
            "      - applications/spark/spark-operator/overlays/kubeflow\n"
            "      - contrib/extra/base\n",
        )
    )
    (project / "waves.yaml").write_text(text)
    assert run_cli("render", cwd=project).exit_code == 0
    lines = findings(project, "git-path-not-at-revision")
    assert any("reads contrib/extra/base at main (branch " in line for line in lines), lines
    assert findings(project, "git-path-missing") == []


def test_another_repository_is_not_checked(tmp_path: Path) -> None:
    project = fork(tmp_path, default_text(), remote="https://github.com/acme/other.git")
    assert run_cli("check", cwd=project).stdout == "no findings\n"


def test_a_fleet_reads_each_clusters_root(tmp_path: Path) -> None:
    project = fork(tmp_path, on_main(fleet_text()))
    # prod tracks v1.12.0, which this repository does not hold.
    lines = findings(project, "git-revision-absent")
    assert len(lines) == 1 and "targetRevision v1.12.0 " in lines[0], lines
    assert findings(project, "git-path-missing") == []
    shutil.rmtree(project / "bootstrap/clusters/dev")
    commit(project, "lost dev")
    lines = findings(project, "git-path-missing")
    assert any(
        "Application dev-kubeflow-app-of-apps reads bootstrap/clusters/dev/apps" in line
        for line in lines
    ), lines


def test_the_reader_never_checks_out(tmp_path: Path) -> None:
    project = fork(tmp_path, default_text())
    reader = paths_at(project, "v1.11.0", "origin")
    assert reader is not None and not reader.worktree
    assert reader.exists("common/cert-manager/base")
    assert not reader.exists("bootstrap")
    assert not reader.exists("../fork")
    assert resolve(project, "nope").kind == "absent"
    assert resolve(project, "main").kind == "worktree"
    assert show(project, "v1.11.0", "waves.yaml") == default_text()
    assert show(project, "v1.11.0", "bootstrap/Makefile") is None
    assert git(project, "status", "--porcelain") == ""


def test_an_extra_repo_path_needs_its_kustomization_at_the_revision(tmp_path: Path) -> None:
    text = on_main(default_text()).replace(
        "\nwaves:\n", "\nextraResources:\n  - repoPath: platform/projects\n\nwaves:\n", 1
    )
    project = fork(tmp_path, text)
    assert run_cli("check", cwd=project).stdout == "no findings\n"
    git(project, "checkout", "-q", "-b", "release")
    (project / "platform/projects/kustomization.yaml").unlink()
    (project / "platform/projects/team.yaml").write_text("{}\n")
    commit(project, "no kustomization")
    git(project, "checkout", "-q", "main")
    release = text.replace("targetRevision: main\n", "targetRevision: release\n", 1)
    (project / "waves.yaml").write_text(release)
    assert run_cli("render", cwd=project).exit_code == 0
    [hit] = findings(project, "git-path-not-at-revision")
    assert "reads platform/projects at release, where it holds no kustomization yet" in hit
    git(project, "checkout", "-q", "release")
    (project / "waves.yaml").write_text(release)
    assert run_cli("render", cwd=project).exit_code == 0
    [hit] = findings(project, "git-path-missing")
    assert (
        "reads platform/projects at release: it holds no kustomization in the working tree" in hit
    )


def test_a_path_only_in_the_working_tree_says_so_without_a_guess(tmp_path: Path) -> None:
    """A tag that holds no ``bootstrap/``: the path is there in the working tree, the revision
    is what is wrong. The message guessed a 'did you mean' subdirectory of the very path."""
    project = fork(tmp_path, default_text())  # targetRevision: v1.11.0, the tag
    lines = findings(project, "git-path-missing")
    root = next(line for line in lines if "reads bootstrap/apps/kubeflow at" in line)
    assert "did you mean" not in root, root
    assert "it exists in the working tree only" in root, root
    assert "point targetRevision at a revision that holds it" in root, root
