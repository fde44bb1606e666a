"""``check`` over ``extraResources``: the user-owned file is there and carries its wave; render
lists it in the root's kustomization and never writes, rewrites or deletes it."""

from __future__ import annotations

import shutil
from pathlib import Path

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
