"""Issue 21, injection: catalog content never becomes structure kfboot owns (its own keys, the
root's kustomization, a second destination for one cluster)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adversarial.harness import assert_one_line_error, rendered_project, run_cli
from tests.conftest import DEFAULT_CATALOG, snapshot
from tests.fleet_catalogs import THREE_CLUSTERS, default_text

ANCHOR = "    dependsOn: [argocd]\n"


@pytest.mark.parametrize(
    ("field", "key"),
    [
        ("annotations", "argocd.argoproj.io/sync-wave"),
        ("labels", "kfboot.io/wave"),
        ("labels", "kfboot.io/cluster"),
        ("annotations", "kfboot.io/anything"),
    ],
)
@pytest.mark.parametrize("where", ["component", "defaults"])
def test_kfboot_s_own_keys_are_refused_in_the_catalog(
    tmp_path: Path, field: str, key: str, where: str
) -> None:
    text = DEFAULT_CATALOG.read_text()
    if where == "component":
        text = text.replace(ANCHOR, f'{ANCHOR}    {field}: {{"{key}": "w5"}}\n', 1)
    elif field == "labels":
        part_of = "    app.kubernetes.io/part-of: kubeflow\n"
        text = text.replace(part_of, f'{part_of}    "{key}": w5\n', 1)
    else:
        text = text.replace("\ndefaults:\n", f'\ndefaults:\n  {field}: {{"{key}": "w5"}}\n', 1)
    project = rendered_project(tmp_path / "p")
    (project / "waves.yaml").write_text(text)
    before = snapshot(project / "bootstrap")
    assert_one_line_error(run_cli("render", cwd=project), key, "set by kfboot")
    assert snapshot(project / "bootstrap") == before


def test_check_reports_a_hand_edited_sync_wave(tmp_path: Path) -> None:
    project = rendered_project(tmp_path / "p")
    app = project / "bootstrap/apps/kubeflow/wave-1/profiles.yaml"
    text = app.read_text()
    assert 'argocd.argoproj.io/sync-wave: "1"' in text
    app.write_text(text.replace('sync-wave: "1"', 'sync-wave: "-5"'))
    result = run_cli("check", cwd=project)
    assert result.exit_code == 1 and "profiles.yaml" in result.stdout, result


@pytest.mark.parametrize(
    "server",
    [
        "https://Kubernetes.default.svc/",
        "https://kubernetes.default.svc:443",  # the default port
        "https://kubernetes.default.svc./",  # a fully qualified host's trailing dot
        "https://KUBERNETES.default.svc:443//",
    ],
)
def test_two_clusters_with_one_api_server_are_refused(tmp_path: Path, server: str) -> None:
    fleet = THREE_CLUSTERS.replace("  - name: dev\n", f"  - name: dev\n    server: {server}\n")
    (tmp_path / "waves.yaml").write_text(default_text() + fleet)
    line = assert_one_line_error(run_cli("render", cwd=tmp_path), "clusters[1].server", "'hub'")
    assert "same server" in line
    assert not (tmp_path / "bootstrap").exists()


@pytest.mark.parametrize(
    "path", ["Kustomization", "kustomization.yml", "KUSTOMIZATION.YAML", "Wave-1/x.yaml"]
)
def test_an_extra_resource_named_like_a_kustomization_is_refused(tmp_path: Path, path: str) -> None:
    text = DEFAULT_CATALOG.read_text() + f"\nextraResources:\n  - path: {path}\n"
    (tmp_path / "waves.yaml").write_text(text)
    assert_one_line_error(run_cli("render", cwd=tmp_path), "is one kfboot render writes")


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('description: "safe\\u202eevil"', "U+202E"),
        ('description: "zero\\u200bwidth"', "U+200B"),
        ('description: "title\\e]0;pwned\\a"', "U+001B"),
        ('description: "c1\\x9b31m"', "U+009B"),
        ('description: "back\\rspace"', "U+000D"),
    ],
)
def test_control_bidi_and_zero_width_characters_are_refused_in_the_catalog(
    tmp_path: Path, text: str, needle: str
) -> None:
    catalog = DEFAULT_CATALOG.read_text().replace(ANCHOR, f"{ANCHOR}    {text}\n", 1)
    (tmp_path / "waves.yaml").write_text(
        catalog.replace("\n    description: Shared", "\n    x-d: Shared", 1)
    )
    line = assert_one_line_error(run_cli("render", cwd=tmp_path), needle)
    assert "\x1b" not in line and "\u202e" not in line


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_a_wave_label_cannot_forge_an_annotation(tmp_path: Path, fmt: str) -> None:
    catalog = DEFAULT_CATALOG.read_text().replace(
        "label: Argo CD", 'label: "Argo CD\\n::error file=x::forged"', 1
    )
    (tmp_path / "waves.yaml").write_text(catalog)
    result = run_cli("check", "--format", fmt, cwd=tmp_path)
    assert result.exit_code == 1
    assert not any(line.startswith("::error file=x") for line in result.stdout.splitlines())


def test_messages_show_unprintable_characters_as_escapes() -> None:
    from kfboot.errors import KfbootError
    from kfboot.findings import Finding

    finding = Finding("f", 1, 1, "error", "catalog", "a\nb\x1b]0;t\x07\u202ec\u200b")
    for out in (finding.text(), finding.github(), str(finding)):
        assert "\n" not in out and "\x1b" not in out and "\u202e" not in out, out
    assert "\u202e" not in KfbootError("x\u202ey\x9b").message
