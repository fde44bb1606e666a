"""``check`` reads ``extraResources`` only inside the repository: a symlink out is refused, and
the outside object's kind and name are never printed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_CATALOG, run_cli

ENTRY = "\nextraResources:\n  - path: extra/ns.yaml\n    wave: -1\n\nwaves:\n"
SECRET = """\
apiVersion: v1
kind: Secret
metadata:
  name: prod-db-credentials
  annotations:
    argocd.argoproj.io/sync-wave: "3"
"""


def _project(tmp_path: Path) -> tuple[Path, Path]:
    project = tmp_path / "repo"
    project.mkdir()
    shutil.copy(DEFAULT_CATALOG, project / "waves.yaml")
    text = (project / "waves.yaml").read_text().replace("\nwaves:\n", ENTRY, 1)
    (project / "waves.yaml").write_text(text)
    (project / "bootstrap/apps/kubeflow/extra").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "ns.yaml").write_text(SECRET)
    return project, outside


@pytest.mark.parametrize("link", ["file", "directory"])
def test_an_extra_resource_through_a_symlink_out_is_refused_unread(
    tmp_path: Path, link: str
) -> None:
    project, outside = _project(tmp_path)
    extra = project / "bootstrap/apps/kubeflow/extra"
    if link == "file":
        (extra / "ns.yaml").symlink_to(outside / "ns.yaml")
    else:
        extra.rmdir()
        extra.symlink_to(outside, target_is_directory=True)
    assert run_cli("render", cwd=project).exit_code == 0
    for fmt in ("text", "json", "github"):
        res = run_cli("check", "--format", fmt, cwd=project)
        assert res.exit_code == 1, res
        assert "prod-db-credentials" not in res.stdout + res.stderr
        assert "Secret" not in res.stdout + res.stderr
        assert "extra-resource-outside" in res.stdout
    res = run_cli("check", cwd=project)
    assert (
        "[error] extra-resource-outside: bootstrap/apps/kubeflow/extra/ns.yaml leads out of the "
        "repository through a symlink" in res.stdout
    )


def test_a_symlink_inside_the_repository_is_read(tmp_path: Path) -> None:
    project, outside = _project(tmp_path)
    shared = project / "shared"
    shared.mkdir()
    (shared / "ns.yaml").write_text((outside / "ns.yaml").read_text())
    link = project / "bootstrap/apps/kubeflow/extra/ns.yaml"
    link.symlink_to("../../../../shared/ns.yaml")
    assert run_cli("render", cwd=project).exit_code == 0
    res = run_cli("check", cwd=project)
    assert "extra-resource-outside" not in res.stdout
    assert (
        "Secret prod-db-credentials in bootstrap/apps/kubeflow/extra/ns.yaml carries sync-wave 3"
        in (res.stdout)
    )


def test_an_extra_resource_that_is_a_fifo_is_never_read(tmp_path: Path) -> None:
    project, _ = _project(tmp_path)
    os.mkfifo(project / "bootstrap/apps/kubeflow/extra/ns.yaml")
    assert run_cli("render", cwd=project).exit_code == 0
    res = run_cli("check", cwd=project)
    assert "Traceback" not in res.stdout + res.stderr
