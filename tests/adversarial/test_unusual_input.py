"""Issue 21, crashes: valid but unusual catalogs (timestamps in chart values, manual sync,
multi-source components) work in every command instead of ending in a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfboot.catalog.load import parse_catalog
from kfboot.cluster.rootapp import sync_body as root_sync_body
from kfboot.cluster.waiting import sync_body
from tests.adversarial.harness import run_cli
from tests.conftest import DEFAULT_CATALOG

EXTRA = """
  - name: extra-ms
    description: two paths of another repository, synced by hand
    wave: 5
    namespace: kubeflow
    repoURL: https://github.com/example/other.git
    targetRevision: v2
    paths: [a/b, c/d]
    automated: false

  - name: chart-dated
    description: a chart whose values hold YAML timestamps
    wave: 5
    namespace: kubeflow
    helm:
      repoURL: https://charts.example.com
      chart: x
      targetRevision: 1.0.0
      values:
        startDate: 2024-01-01
        when: 2024-01-01T10:00:00Z
"""


def _unusual(project: Path) -> Path:
    project.mkdir(exist_ok=True)
    text = DEFAULT_CATALOG.read_text() + EXTRA
    (project / "waves.yaml").write_text(
        text.replace("\nappOfApps:\n", "\nappOfApps:\n  automated: false\n", 1)
    )
    return project


def test_timestamps_in_chart_values_stay_strings_through_render_and_check(tmp_path: Path) -> None:
    project = _unusual(tmp_path / "p")
    result = run_cli("render", cwd=project)
    assert result.exit_code == 0, result
    text = (project / "bootstrap/apps/kubeflow/wave-5/chart-dated.yaml").read_text()
    # Go's YAML reader (sigs.k8s.io/yaml, so Helm) keeps these as strings: so does kfboot.
    assert 'startDate: "2024-01-01"' in text and 'when: "2024-01-01T10:00:00Z"' in text
    for fmt in ("text", "json", "github"):
        assert run_cli("check", "--format", fmt, cwd=project).exit_code == 0, fmt


def test_sync_of_a_manual_or_multi_source_application_is_an_operation(tmp_path: Path) -> None:
    catalog = parse_catalog((_unusual(tmp_path) / "waves.yaml").read_text())
    comp = next(c for c in catalog.components if c.name == "extra-ms")
    body = sync_body(catalog, comp)["operation"]["sync"]
    assert body["prune"] is False and body["revisions"] == ["v2", "v2"]
    assert "revision" not in body
    root = root_sync_body(catalog)["operation"]["sync"]
    assert root["prune"] is False


@pytest.mark.parametrize("dry_run", [["--dry-run"], []])
def test_set_repo_retargets_a_catalog_with_a_multi_source_component(
    tmp_path: Path, dry_run: list[str]
) -> None:
    project = _unusual(tmp_path / "p")
    assert run_cli("render", cwd=project).exit_code == 0
    result = run_cli("set-repo", "https://github.com/me/fork.git", *dry_run, cwd=project)
    assert result.exit_code == 0, result


@pytest.mark.parametrize(
    ("field", "entry"),
    [
        ("resourceWaves", "[{group: '', kind: Service, wave: 9223372036854775808}]"),
        ("extraResources", None),
    ],
)
def test_a_wave_beyond_int64_is_refused(tmp_path: Path, field: str, entry: str | None) -> None:
    text = DEFAULT_CATALOG.read_text()
    if entry is None:
        text += "\nextraResources:\n  - path: extra/ns.yaml\n    wave: -9223372036854775809\n"
    else:
        anchor = "    dependsOn: [argocd]\n"
        text = text.replace(anchor, f"{anchor}    {field}: {entry}\n", 1)
    tmp_path.joinpath("waves.yaml").write_text(text)
    result = run_cli("render", cwd=tmp_path)
    assert result.exit_code == 1 and "wave" in result.stderr, result
    assert not (tmp_path / "bootstrap").exists()


def test_a_key_over_1024_characters_is_written_as_an_explicit_key(tmp_path: Path) -> None:
    """YAML limits implicit keys to 1,024 characters: the rendered values no longer parsed."""
    import yaml

    key = "k" * 1100
    chart = (
        "\n  - name: chart-long\n    wave: 5\n    namespace: kubeflow\n    helm:\n"
        "      repoURL: https://charts.example.com\n      chart: x\n"
        f"      targetRevision: 1.0.0\n      values:\n        ? {key}\n        : {{a: [1]}}\n"
    )
    tmp_path.joinpath("waves.yaml").write_text(DEFAULT_CATALOG.read_text() + chart)
    assert run_cli("render", cwd=tmp_path).exit_code == 0
    app = yaml.safe_load((tmp_path / "bootstrap/apps/kubeflow/wave-5/chart-long.yaml").read_text())
    assert yaml.safe_load(app["spec"]["source"]["helm"]["values"]) == {key: {"a": [1]}}
    assert run_cli("check", cwd=tmp_path).exit_code == 0
