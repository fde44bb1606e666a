"""Item 1 and the hostile-input refusals: alias bombs, deep nesting, tags, NUL, waves, paths."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.adversarial.harness import assert_one_line_error, bounded
from tests.conftest import DEFAULT_CATALOG, run_cli, snapshot


def alias_bomb(levels: int = 9) -> str:
    """Nine levels of nine aliases: a few hundred bytes standing for 9**9 strings."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def shared_anchors(components: int = 300) -> str:
    """A real catalog's use of aliases: every component shares four anchored settings."""
    text = DEFAULT_CATALOG.read_text().replace(
        "\ndefaults:\n",
        "\nx-anchors:\n  syncOptions: &sync [CreateNamespace=true, ServerSideApply=true]\n"
        "  labels: &labels {team: ml, tier: platform, owner: kubeflow, cost-center: c42,\n"
        "    app.kubernetes.io/part-of: kubeflow, env: prod, region: eu, backup: daily}\n"
        "  retry: &retry {limit: 5, backoff: {duration: 5s, factor: 2, maxDuration: 3m}}\n"
        "  ignore: &ignore [{group: apps, kind: Deployment, jsonPointers: [/spec/replicas]}]\n"
        "\ndefaults:\n",
        1,
    )
    extra = "".join(
        f"  - name: extra-{i}\n    wave: 5\n    namespace: kubeflow\n    paths: [x/{i}]\n"
        "    syncOptions: *sync\n    labels: *labels\n    retry: *retry\n"
        "    ignoreDifferences: *ignore\n"
        for i in range(components)
    )
    return text + "\n" + extra


def deep(levels: int = 600) -> str:
    return "x: " + "[" * levels + "]" * levels + "\n"


@pytest.fixture
def rendered(tmp_path: Path) -> Path:
    shutil.copy(DEFAULT_CATALOG, tmp_path / "waves.yaml")
    assert run_cli("render", cwd=tmp_path).exit_code == 0
    return tmp_path


def _catalog_with(project: Path, extra: str) -> None:
    # An extra top-level key is read (and refused) by YAML loading before the models see it.
    (project / "waves.yaml").write_text(DEFAULT_CATALOG.read_text() + extra)


@pytest.mark.parametrize("command", ["render", "check"])
@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (alias_bomb(), "excessive aliasing"),
        (deep(), "nested deeper than"),
        ("x: !custom 1\n", "YAML tag '!custom' is not supported"),
        ("x: !!python/name:os.system 1\n", "YAML tag '!!python/name:os.system'"),
        ('x: !!int "zz"\n', "'zz' is not a valid !!int"),
        ("x: &a [1, *a]\n", "refers to a value that contains it"),
        ('x: "a\\0b"\n', "a NUL character in a value"),
        ("x: a\x00b\n", "character #x0000 is not allowed"),
    ],
)
def test_hostile_catalog_is_a_located_error(
    rendered: Path, command: str, extra: str, message: str
) -> None:
    _catalog_with(rendered, extra)
    before = snapshot(rendered / "bootstrap")
    result = bounded(command, cwd=rendered)
    if command == "render":
        line = assert_one_line_error(result, "waves.yaml:", message)
        assert line.startswith("waves.yaml:")
    else:
        assert result.exit_code == 1
        assert "Traceback" not in result.stdout + result.stderr
        assert message in result.stdout
    assert snapshot(rendered / "bootstrap") == before


def test_a_catalog_sharing_anchors_across_300_components_loads() -> None:
    """The old cap (10,000 expanded values) refused this; go-yaml v3's ratio accepts it."""
    from kfboot.yamlio import load_with_positions

    data, _ = load_with_positions(shared_anchors())
    assert len(data["components"]) > 300
    assert data["components"][-1]["labels"]["backup"] == "daily"


def test_an_alias_bomb_fails_at_its_first_thousand_values() -> None:
    """Fast: the bomb is refused within its first few aliases, not after building anything."""
    from kfboot.yamlguard import YamlSyntaxError, guard

    with pytest.raises(YamlSyntaxError, match="excessive aliasing") as caught:
        guard(alias_bomb(levels=30))
    assert caught.value.mark.line <= 5


def test_alias_bomb_in_a_hand_written_bootstrap_file(rendered: Path) -> None:
    (rendered / "bootstrap" / "extra").mkdir()
    (rendered / "bootstrap" / "extra" / "bomb.yaml").write_text(alias_bomb())
    result = bounded("check", cwd=rendered)
    assert result.exit_code == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "bootstrap/extra/bomb.yaml:4:15: [error] yaml-hygiene: " in result.stdout
    assert "excessive aliasing" in result.stdout


@pytest.mark.parametrize("text", [alias_bomb(), deep(), "kind: !custom Application\n"])
def test_hostile_file_in_an_imported_tree(tmp_path: Path, text: str) -> None:
    (tmp_path / "tree").mkdir()
    # import skips files that never mention argoproj.io before parsing them: this one does.
    (tmp_path / "tree" / "app.yaml").write_text("# apiVersion: argoproj.io/v1alpha1\n" + text)
    result = bounded("import", "tree", cwd=tmp_path)
    assert_one_line_error(result, "app.yaml:")
    assert not (tmp_path / "waves.yaml").exists()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  - wave: 0\n", "  - wave: 9223372036854775808\n", "less than or equal to"),
        ("  - wave: 0\n", "  - wave: -9223372036854775809\n", "greater than or equal to"),
        ("  - wave: 1\n", "  - wave: 010\n", "write the integer '010' in decimal"),
        ("  - wave: 1\n", "  - wave: 0x10\n", "write the integer '0x10' in decimal"),
        ("  - wave: 1\n", "  - wave: 1:00\n", "write the integer '1:00' in decimal"),
        # a bool the tag cannot hold was a KeyError traceback
        ("  - wave: 1\n", "  - wave: !!bool maybe\n", "'maybe' is not a valid !!bool"),
        ("bootstrapPath: bootstrap\n", f"bootstrapPath: {'b' * 256}\n", "longer than 255 bytes"),
        ("bootstrapPath: bootstrap\n", 'bootstrapPath: "boot\\0strap"\n', "NUL"),
    ],
)
def test_out_of_range_and_non_decimal_values(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    text = DEFAULT_CATALOG.read_text()
    if old not in text:
        text = old + text  # bootstrapPath is optional: add it
    (tmp_path / "waves.yaml").write_text(text.replace(old, new, 1))
    result = run_cli("render", cwd=tmp_path)
    assert_one_line_error(result, "waves.yaml:", message)
    assert not (tmp_path / "bootstrap").exists()


@pytest.mark.parametrize("text", [alias_bomb(), deep(), "resources: !custom [app.yaml]\n"])
def test_hostile_kustomization_in_an_imported_tree(tmp_path: Path, text: str) -> None:
    """It was taken for "no kustomization" and the directory read as a plain one."""
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "kustomization.yaml").write_text(text)
    result = bounded("import", "tree", cwd=tmp_path)
    assert_one_line_error(result, "tree/kustomization.yaml:")
    assert not (tmp_path / "waves.yaml").exists()
