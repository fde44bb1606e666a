"""No stale generated files in any layout: render removes what the catalog no longer produces,
check reports it as drift, and nothing kfboot could not have generated is ever removed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kfboot.output import could_generate
from kfboot.render.tree import render
from tests.conftest import run_cli
from tests.fleet_catalogs import THREE_CLUSTERS, default_text, fleet_text

SINGLE = default_text()
APP_OF_APPS = fleet_text()
APPLICATIONSET = fleet_text(layout="applicationset")
TWO_CLUSTERS = fleet_text("clusters:\n  - name: hub\n    hub: true\n  - name: dev\n")


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _dirs(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir()}


def _fresh(text: str, where: Path) -> Path:
    where.mkdir()
    (where / "waves.yaml").write_text(text)
    result = run_cli("render", cwd=where)
    assert result.exit_code == 0, result.stderr
    return where / "bootstrap"


def test_every_layout_transition_ends_as_a_fresh_render(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    steps = [SINGLE, APP_OF_APPS, APPLICATIONSET, TWO_CLUSTERS, APP_OF_APPS, SINGLE]
    for number, text in enumerate(steps):
        (project / "waves.yaml").write_text(text)
        before = set(_tree(project / "bootstrap")) if number else set()
        result = run_cli("render", cwd=project)
        assert result.exit_code == 0, result.stderr
        fresh = _fresh(text, tmp_path / f"fresh-{number}")
        after = _tree(project / "bootstrap")
        assert after == _tree(fresh), f"step {number}"
        assert _dirs(project / "bootstrap") == _dirs(fresh), f"step {number}"
        gone = sorted(before - set(after))
        assert f", {len(gone)} removed in bootstrap" in result.stdout
        for rel in gone:
            assert f"removed   bootstrap/{rel}\n" in result.stdout
        assert run_cli("check", cwd=project).stdout == "no findings\n"
    assert not (project / "bootstrap" / "clusters").exists()
    assert not (project / "bootstrap" / "applicationsets").exists()


@pytest.mark.parametrize("text", [SINGLE, APP_OF_APPS, APPLICATIONSET])
def test_every_rendered_path_is_one_kfboot_could_generate(text: str) -> None:
    from kfboot.catalog.load import parse_catalog

    files = render(parse_catalog(text))
    assert [rel for rel in files if not could_generate(rel)] == []


def test_a_removed_cluster_leaves_nothing_and_check_sees_leftovers(tmp_path: Path) -> None:
    project = tmp_path / "p"
    boot = _fresh(APP_OF_APPS, project)
    old = _tree(boot)
    (project / "waves.yaml").write_text(fleet_text(THREE_CLUSTERS.split("  - name: prod")[0]))
    result = run_cli("render", cwd=project)
    assert result.exit_code == 0, result.stderr
    assert not (boot / "clusters" / "prod").exists()
    assert "removed   bootstrap/clusters/prod/app-of-apps.yaml\n" in result.stdout
    # A leftover put back (a branch merged after the render): check reports it as drift.
    leftover = boot / "clusters" / "prod" / "app-of-apps.yaml"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(old["clusters/prod/app-of-apps.yaml"])
    check = run_cli("check", cwd=project)
    assert check.exit_code == 1
    assert "bootstrap/clusters/prod/app-of-apps.yaml: [error] drift: stale: " in check.stdout


def test_leftover_applicationset_is_drift(tmp_path: Path) -> None:
    project = tmp_path / "p"
    boot = _fresh(APPLICATIONSET, project)
    saved = {rel: data for rel, data in _tree(boot).items() if rel.startswith("applicationsets/")}
    (project / "waves.yaml").write_text(APP_OF_APPS)
    assert run_cli("render", cwd=project).exit_code == 0
    for rel, data in saved.items():
        (boot / rel).parent.mkdir(parents=True, exist_ok=True)
        (boot / rel).write_bytes(data)
    out = run_cli("check", cwd=project).stdout
    for rel in saved:
        assert f"bootstrap/{rel}: [error] drift: stale: " in out


def test_only_headed_files_at_generated_paths_are_removed(tmp_path: Path) -> None:
    project = tmp_path / "p"
    boot = _fresh(APP_OF_APPS, project)
    headed = (boot / "clusters/prod/app-of-apps.yaml").read_text()
    keep = {
        "clusters/prod/NOTES.md": "# my notes\n",  # no header
        "clusters/prod/apps/wave-1/mine.yaml": "kind: ConfigMap\n",  # no header
        "clusters/prod/extra/app.yaml": headed,  # a header, at a path render never writes
        "applicationsets/Mine.yaml": headed,  # not a name render could produce
    }
    for rel, text in keep.items():
        (boot / rel).parent.mkdir(parents=True, exist_ok=True)
        (boot / rel).write_text(text)
    (project / "waves.yaml").write_text(SINGLE)
    assert run_cli("render", cwd=project).exit_code == 0
    assert {rel: (boot / rel).read_text() for rel in keep} == keep
    assert not (boot / "clusters/prod/app-of-apps.yaml").exists()
    assert not (boot / "clusters/hub").exists()


def test_a_copied_tree_is_not_touched_outside_bootstrap(tmp_path: Path) -> None:
    project = tmp_path / "p"
    boot = _fresh(APP_OF_APPS, project)
    shutil.copytree(boot, project / "copy")
    (project / "waves.yaml").write_text(SINGLE)
    assert run_cli("render", cwd=project).exit_code == 0
    assert (project / "copy/clusters/prod/app-of-apps.yaml").exists()


def test_render_names_every_hand_written_file_at_once_and_force_names_each(tmp_path: Path) -> None:
    project = tmp_path / "p"
    boot = _fresh(SINGLE, project)
    hand = ["Makefile", "app-of-apps.yaml", "apps/kubeflow/wave-2/jupyter.yaml"]
    for rel in hand:
        (boot / rel).write_text("# mine\n")
    result = run_cli("render", cwd=project)
    assert result.exit_code == 1
    assert result.stderr == "".join(
        f"bootstrap/{rel}: exists without kfboot's header (written by hand?)\n"
        for rel in sorted(hand)
    ) + (
        "render: kfboot would overwrite these 3 files; nothing written: move them away, or "
        "run 'kfboot render --force'\n"
    )
    assert all((boot / rel).read_text() == "# mine\n" for rel in hand)
    forced = run_cli("render", "--force", cwd=project)
    assert forced.exit_code == 0
    for rel in hand:
        assert f"replaced  bootstrap/{rel} (it had no kfboot header; --force)\n" in forced.stdout


def test_going_to_a_fleet_renames_nothing_on_the_hub(tmp_path: Path) -> None:
    project = tmp_path / "p"
    _fresh(SINGLE, project)
    (project / "waves.yaml").write_text(APP_OF_APPS)
    result = run_cli("render", cwd=project)
    assert result.exit_code == 0, result.stderr
    assert "renames" not in result.stderr


def test_render_warns_of_each_renamed_application(tmp_path: Path) -> None:
    project = tmp_path / "p"
    _fresh(SINGLE, project)
    prefixed = APP_OF_APPS.replace(
        "    hub: true\n", "    hub: true\n    prefixApplicationNames: true\n"
    )
    assert prefixed != APP_OF_APPS
    (project / "waves.yaml").write_text(prefixed)
    result = run_cli("render", cwd=project)
    assert result.exit_code == 0
    assert (
        "warning: renames Application kubeflow-jupyter -> hub-kubeflow-jupyter: Argo CD deletes "
        "the old one (with every object it manages, when it has the resources finalizer) and "
        "creates the new one; run 'kfboot plan' first (docs/fleet.md, 'Moving a live install')\n"
    ) in result.stderr
    again = run_cli("render", cwd=project)
    assert "renames" not in again.stderr  # nothing renamed any more


def test_an_application_field_change_is_a_rename(tmp_path: Path) -> None:
    project = tmp_path / "p"
    _fresh(SINGLE, project)
    (project / "waves.yaml").write_text(
        SINGLE.replace("application: kubeflow-jupyter\n", "application: notebooks\n", 1)
    )
    result = run_cli("render", cwd=project)
    assert "renames Application kubeflow-jupyter -> notebooks: " in result.stderr
