"""``render``, ``check`` and ``graph`` over a fleet catalog, through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.fleet_catalogs import fleet_text


@pytest.fixture(params=["app-of-apps", "applicationset"])
def project(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    (tmp_path / "waves.yaml").write_text(fleet_text(layout=request.param))
    result = run_cli("render", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    return tmp_path


def test_a_rendered_fleet_checks_clean_and_drift_is_found(project: Path) -> None:
    assert run_cli("check", cwd=project).stdout == "no findings\n"
    makefile = project / "bootstrap" / "Makefile"
    makefile.write_text(makefile.read_text() + "# hand edit\n")
    result = run_cli("check", cwd=project)
    assert result.exit_code == 1
    assert "[error] drift: " in result.stdout


def test_rules_fire_once_at_the_catalog_line(project: Path) -> None:
    text = (project / "waves.yaml").read_text()
    marker = "for client-side apply.\n    syncOptions:\n"
    (project / "waves.yaml").write_text(text.replace(marker, marker + "      - Replace=true\n", 1))
    run_cli("render", cwd=project)
    result = run_cli("check", cwd=project)
    lines = [line for line in result.stdout.splitlines() if "destructive-sync-option" in line]
    assert len(lines) == 1, result.stdout


def test_graph_of_one_cluster(project: Path) -> None:
    result = run_cli("graph", "--cluster", "dev", "--format", "text", cwd=project)
    assert result.exit_code == 0, result.stderr
    assert "pipelines" in result.stdout and "jupyter" not in result.stdout
    assert "argocd" not in result.stdout  # Argo CD runs on the hub only
    unknown = run_cli("graph", "--cluster", "qa", cwd=project)
    assert unknown.exit_code == 2
    assert "not a cluster of the catalog (hub, dev, prod)" in unknown.stderr


def test_app_of_apps_rules_do_not_apply_to_applicationsets(project: Path) -> None:
    text = (project / "waves.yaml").read_text()
    text = text.replace(
        "      applicationHealthCheck: true\n", "      applicationHealthCheck: false\n"
    )
    root = "    - CreateNamespace=true\n\n"
    text = text.replace(root, "    - CreateNamespace=true\n    - ServerSideApply=true\n\n", 1)
    (project / "waves.yaml").write_text(text)
    run_cli("render", cwd=project)
    out = run_cli("check", cwd=project).stdout
    rules = {"no-application-health-check", "root-server-side-apply"}
    fired = {rule for rule in rules if f"] {rule}: " in out}
    appsets = "layout: applicationset" in text
    assert fired == (set() if appsets else rules), out


def test_a_fleet_without_a_hub_has_no_health_check(tmp_path: Path) -> None:
    (tmp_path / "waves.yaml").write_text(fleet_text("clusters:\n  - name: a\n"))
    run_cli("render", cwd=tmp_path)
    out = run_cli("check", cwd=tmp_path).stdout
    assert "[warning] no-application-health-check: " in out, out


def test_render_names_the_clusters(tmp_path: Path) -> None:
    (tmp_path / "waves.yaml").write_text(fleet_text())
    out = run_cli("render", cwd=tmp_path).stdout
    assert "clusters (app-of-apps): hub (hub), dev, prod\n" in out
