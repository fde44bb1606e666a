"""``kfboot upgrade``: the three-way merge of the old preset, the new one and the user's catalog,
written in place (each kind of user edit kept), conflicts refused with nothing written, --force,
--dry-run, an unknown release and a catalog without ``preset:``."""

from __future__ import annotations

from pathlib import Path

import pytest

from kfboot.catalog.load import parse_catalog
from tests.conftest import Result, run_cli

FORK = "https://github.com/acme/manifests.git"

# Each kind of user edit, as (old text, new text) applied to a catalog written by init.
EDITS = [
    # a disabled component, with a comment of the user's
    ("  - name: spark\n", "  # We run no Spark here.\n  - name: spark\n    enabled: false\n"),
    # a label on one component
    (
        "    application: kubeflow-katib\n",
        "    application: kubeflow-katib\n    labels:\n      team: ml  # who to page\n",
    ),
    # a patched path
    (
        "      - common/istio/istio-install/overlays/oauth2-proxy\n",
        "      - overlays/acme/istio-install  # our gateway settings\n",
    ),
    # a path added to a component the new preset changes elsewhere
    (
        "      - common/istio/kubeflow-istio-resources/base\n",
        "      - common/istio/kubeflow-istio-resources/base\n      - overlays/acme/extra-roles\n",
    ),
    # an edited wave
    ("    label: Foundation\n", "    label: Base layer  # our name for it\n"),
]
ADDED = (
    "\n  # Our own tools, installed last.\n  - name: acme-tools\n    wave: 5\n"
    "    namespace: acme\n    paths: [overlays/acme/tools]\n"
)


def _init(directory: Path, release: str) -> str:
    res = run_cli(
        "init", str(directory), "--kubeflow", release, "--repo", FORK, "--revision", "main"
    )
    assert res.exit_code == 0, res.stderr
    return (directory / "waves.yaml").read_text()


def _edited(text: str) -> str:
    for old, new in EDITS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text + ADDED


def _upgrade(directory: Path, *args: str) -> Result:
    catalog = directory / "waves.yaml" if directory.is_absolute() else Path("waves.yaml")
    return run_cli("upgrade", "--catalog", str(catalog), *args)


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes() for p in directory.rglob("*") if p.is_file()
    }


def test_an_untouched_catalog_becomes_the_new_preset_with_its_comments(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    _init(old, "v1.11")
    wanted = _init(new, "26.03")
    res = _upgrade(old, "--kubeflow", "26.03")
    assert res.exit_code == 0, res.stderr
    text = (old / "waves.yaml").read_text()
    assert parse_catalog(text) == parse_catalog(wanted)
    # The new preset's explanations come along with the paths they explain.
    assert (
        "      # Cert-Manager. Since 26.03 one overlay, replacing common/cert-manager/base\n"
        in text
    )
    assert (
        "      # Since 26.03 upstream installs pipelines from this overlay; the v1.11 path\n"
        in text
    )
    assert 'preset: "26.03"  # the kubeflow/manifests layout' in text
    assert res.stdout.startswith(
        f"upgrade {old / 'waves.yaml'}: preset v1.11 -> 26.03\n"
        "  changes components: common-services (paths)\n"
        "  changes components: pipelines (paths)\n"
        f"wrote     {old / 'waves.yaml'}\n"
    )
    assert res.stdout.endswith(
        f"next: kfboot plan --manifests {old} (what the upgrade does to the cluster, object "
        "by object), then commit and push, and watch kfboot status\n"
    )
    # It rendered: bootstrap/ is what a fresh init of 26.03 renders.
    assert (old / "bootstrap").is_dir()
    for rel, data in _snapshot(new / "bootstrap").items():
        assert (old / "bootstrap" / rel).read_bytes() == data, rel


def test_every_kind_of_user_edit_is_kept(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    mine = _edited(_init(old, "v1.11"))
    (old / "waves.yaml").write_text(mine)
    wanted = _edited(_init(new, "26.03"))
    res = _upgrade(old, "--kubeflow", "26.03")
    assert res.exit_code == 0, res.stderr
    text = (old / "waves.yaml").read_text()
    assert parse_catalog(text) == parse_catalog(wanted)
    for _, edit in EDITS:
        assert edit in text  # the edit and its comments, byte for byte
    assert text.endswith(ADDED)
    # repoURL and targetRevision are the user's.
    assert f"repoURL: {FORK}\ntargetRevision: main\n" in text


def test_a_conflict_is_located_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _init(tmp_path, "v1.11")
    monkeypatch.chdir(tmp_path)
    catalog = Path("waves.yaml")
    catalog.write_text(
        catalog.read_text().replace(
            "      - common/cert-manager/base\n", "      - overlays/acme/cert-manager\n"
        )
    )
    before = _snapshot(tmp_path)
    res = _upgrade(tmp_path, "--kubeflow", "26.03")
    assert res.exit_code == 1
    assert res.stdout == ""
    assert res.stderr == (
        f"{catalog}:121:9: components[1].paths[0]: changed both in the catalog and in preset "
        '26.03: yours ["overlays/acme/cert-manager", "common/cert-manager/kubeflow-issuer/base"], '
        'preset 26.03 ["common/cert-manager/overlays/kubeflow"], was '
        '["common/cert-manager/base", "common/cert-manager/kubeflow-issuer/base"] in v1.11\n'
        f"upgrade: 1 conflict(s) between {catalog} and preset 26.03; nothing written "
        "(edit the catalog, or --force to keep yours)\n"
    )
    assert _snapshot(tmp_path) == before


def test_force_keeps_the_users_side_and_lists_each_conflict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _init(tmp_path, "v1.11")
    monkeypatch.chdir(tmp_path)
    catalog = Path("waves.yaml")
    catalog.write_text(
        catalog.read_text().replace(
            "      - common/cert-manager/base\n", "      - overlays/acme/cert-manager\n"
        )
    )
    res = _upgrade(tmp_path, "--kubeflow", "26.03", "--force")
    assert res.exit_code == 0, res.stderr
    assert res.stderr.startswith(f"warning: {catalog}:121:9: components[1].paths[0]: changed both")
    assert "; kept yours (--force)\n" in res.stderr
    paths = {c.name: c.paths for c in parse_catalog(catalog.read_text()).components}
    assert paths["common-services"][:2] == [
        "overlays/acme/cert-manager",
        "common/cert-manager/kubeflow-issuer/base",
    ]
    assert "common/networkpolicies/base" not in paths["common-services"]  # the rest merged
    assert paths["pipelines"] == ["applications/pipeline/overlays"]


def test_dry_run_prints_the_catalog_diff_and_writes_nothing(tmp_path: Path) -> None:
    _init(tmp_path, "v1.11")
    before = _snapshot(tmp_path)
    res = _upgrade(tmp_path, "--kubeflow", "26.03", "--dry-run")
    assert res.exit_code == 0, res.stderr
    assert "  would change components: pipelines (paths)\n" in res.stdout
    assert "--- a/waves.yaml\n+++ b/waves.yaml\n" in res.stdout
    assert "-      - common/networkpolicies/base\n" in res.stdout
    assert "+      - applications/pipeline/overlays\n" in res.stdout
    assert res.stdout.endswith("dry run: nothing written\n")
    assert _snapshot(tmp_path) == before


def test_an_unknown_release_is_a_usage_error(tmp_path: Path) -> None:
    _init(tmp_path, "v1.11")
    res = _upgrade(tmp_path, "--kubeflow", "27.01")
    assert res.exit_code == 2
    assert res.stderr == "unknown Kubeflow release '27.01'; known releases: v1.11, 26.03\n"


def test_a_catalog_without_preset_needs_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _init(tmp_path, "v1.11")
    monkeypatch.chdir(tmp_path)
    catalog = Path("waves.yaml")
    text = catalog.read_text().replace(
        "preset: v1.11  # the kubeflow/manifests layout of the paths (kfboot init --list)\n", ""
    )
    catalog.write_text(text)
    res = _upgrade(tmp_path, "--kubeflow", "26.03")
    assert res.exit_code == 2
    assert res.stderr == (
        f"{catalog}: no 'preset:' says which release the catalog was written from; pass "
        "--from RELEASE (one of v1.11, 26.03) to name the preset to merge against\n"
    )
    assert catalog.read_text() == text
    res = _upgrade(tmp_path, "--kubeflow", "26.03", "--from", "v1.11")
    assert res.exit_code == 0, res.stderr
    new = catalog.read_text()
    assert 'bootstrapPath: bootstrap\npreset: "26.03"\n' in new
    assert parse_catalog(new).preset == "26.03"


def test_an_unknown_recorded_preset_is_located(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _init(tmp_path, "v1.11")
    monkeypatch.chdir(tmp_path)
    catalog = Path("waves.yaml")
    catalog.write_text(catalog.read_text().replace("preset: v1.11", "preset: v1.9"))
    res = _upgrade(tmp_path, "--kubeflow", "26.03")
    assert res.exit_code == 2
    assert res.stderr == (
        f"{catalog}:14:9: preset: unknown Kubeflow release 'v1.9'; known releases: v1.11, "
        "26.03; pass --from RELEASE\n"
    )
