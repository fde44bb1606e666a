"""``check`` over ``extraResources``: the user-owned file is there and carries its wave; render
lists it in the root's kustomization and never writes, rewrites or deletes it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_CATALOG, run_cli

ENTRY = "\nextraResources:\n  - path: extra/ns.yaml\n    wave: -1\n\nwaves:\n"
NAMESPACE = """\
apiVersion: v1
kind: Namespace
metadata:
  name: team
  annotations:
    argocd.argoproj.io/sync-wave: "{wave}"
"""


def _project(tmp_path: Path, wave: str) -> Path:
    shutil.copy(DEFAULT_CATALOG, tmp_path / "waves.yaml")
    text = (tmp_path / "waves.yaml").read_text().replace("\nwaves:\n", ENTRY, 1)
    (tmp_path / "waves.yaml").write_text(text)
    user = tmp_path / "bootstrap/apps/kubeflow/extra/ns.yaml"
    user.parent.mkdir(parents=True)
    user.write_text(NAMESPACE.format(wave=wave))
    assert run_cli("render", cwd=tmp_path).exit_code == 0
    return user


def test_an_extra_resource_in_its_wave_is_clean_and_untouched(tmp_path: Path) -> None:
    user = _project(tmp_path, "-1")
    assert user.read_text() == NAMESPACE.format(wave="-1")  # render never writes it
    root = (tmp_path / "bootstrap/apps/kubeflow/kustomization.yaml").read_text()
    assert "  - extra/ns.yaml\n" in root
    res = run_cli("check", cwd=tmp_path)
    assert (res.exit_code, res.stdout) == (0, "no findings\n")


def test_an_extra_resource_in_another_wave_is_reported(tmp_path: Path) -> None:
    _project(tmp_path, "3")
    res = run_cli("check", cwd=tmp_path)
    assert res.exit_code == 0
    assert (
        "[warning] extra-resource-wave: Namespace team in bootstrap/apps/kubeflow/extra/ns.yaml "
        "carries sync-wave 3, not -1" in res.stdout
    )


PROJECT = """\
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: team
"""


def _outside(tmp_path: Path, entry: str) -> Path:
    """The default catalog with one extraResources entry, rendered; returns the project."""
    shutil.copy(DEFAULT_CATALOG, tmp_path / "waves.yaml")
    text = (tmp_path / "waves.yaml").read_text()
    (tmp_path / "waves.yaml").write_text(
        text.replace("\nwaves:\n", f"\nextraResources:\n  - {entry}\n\nwaves:\n", 1)
    )
    projects = tmp_path / "platform/projects"
    projects.mkdir(parents=True)
    (projects / "team.yaml").write_text(PROJECT)
    return tmp_path


def test_a_kustomization_directory_elsewhere_in_the_repository_is_listed_relative(
    tmp_path: Path,
) -> None:
    project = _outside(tmp_path, "repoPath: platform/projects")
    (project / "platform/projects/kustomization.yaml").write_text("resources: [team.yaml]\n")
    assert run_cli("render", cwd=project).exit_code == 0
    root = (project / "bootstrap/apps/kubeflow/kustomization.yaml").read_text()
    assert "  - ../../../platform/projects\n" in root
    res = run_cli("check", cwd=project)
    assert (res.exit_code, res.stdout) == (0, "no findings\n")


def test_a_file_or_plain_directory_outside_the_root_is_unbuildable(tmp_path: Path) -> None:
    project = _outside(tmp_path, "repoPath: platform/projects")
    assert run_cli("render", cwd=project).exit_code == 0
    res = run_cli("check", cwd=project)
    assert res.exit_code == 1
    assert (
        "[error] extra-resource-unbuildable: platform/projects is a directory without a "
        "kustomization outside the root's directory: kustomize builds only a directory holding "
        "a kustomization from there" in res.stdout
    )
    text = (
        (project / "waves.yaml")
        .read_text()
        .replace("platform/projects", "platform/projects/team.yaml")
    )
    (project / "waves.yaml").write_text(text)
    assert run_cli("render", cwd=project).exit_code == 0
    res = run_cli("check", cwd=project)
    assert "platform/projects/team.yaml is a single file outside the root's directory" in res.stdout


def test_an_extra_resource_through_a_symlink_out_of_the_repository_is_not_read(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.yaml").write_text(NAMESPACE.format(wave="7"))
    project = tmp_path / "repo"
    project.mkdir()
    shutil.copy(DEFAULT_CATALOG, project / "waves.yaml")
    text = (project / "waves.yaml").read_text().replace("\nwaves:\n", ENTRY, 1)
    (project / "waves.yaml").write_text(text)
    link = project / "bootstrap/apps/kubeflow/extra/ns.yaml"
    link.parent.mkdir(parents=True)
    link.symlink_to(outside / "secret.yaml")
    assert run_cli("render", cwd=project).exit_code == 0
    res = run_cli("check", cwd=project)
    assert res.exit_code == 1
    assert "extra-resource-outside: bootstrap/apps/kubeflow/extra/ns.yaml leads out of the " in (
        res.stdout
    )
    assert "Namespace team" not in res.stdout  # the outside object is never named


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("repoPath: bootstrap", "repoPath 'bootstrap' contains the root's own directory"),
        ("repoPath: bootstrap/apps", "contains the root's own directory bootstrap/apps/kubeflow"),
        (
            "repoPath: bootstrap/apps/kubeflow/extra",
            "lies in the root's directory bootstrap/apps/kubeflow: write it as path: extra",
        ),
        ("repoPath: bootstrap/argocd", "is a directory kfboot render writes"),
        ("{path: a.yaml, repoPath: platform}", "exactly one of them"),
        ("{wave: 1}", "exactly one of them"),
    ],
)
def test_a_repo_path_that_cannot_build_is_refused_at_its_line(
    entry: str, message: str, tmp_path: Path
) -> None:
    project = _outside(tmp_path, entry)
    res = run_cli("render", cwd=project)
    assert res.exit_code == 1
    assert message in res.stderr
    assert "waves.yaml:" in res.stderr and not (project / "bootstrap").exists()
