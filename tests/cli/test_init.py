"""``kfboot init``: presets as package data, each rendering and passing check, each path existing
at its upstream release, and the default catalog being exactly the v1.11 preset."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from importlib import resources
from pathlib import Path

import pytest
import yaml

from kfboot.catalog import presets
from kfboot.catalog.load import load_catalog, parse_catalog
from tests.conftest import DEFAULT_CATALOG, REPO_ROOT, run_cli, snapshot

# The default catalog names upstream at the release its paths follow, and no personal repository.
DEFAULT_REPO = "https://github.com/kubeflow/manifests.git"
FORK = "https://github.com/acme/manifests.git"
IDS = [p.id for p in presets.PRESETS]


def _paths(text: str) -> dict[str, list[str]]:
    return {c.name: list(c.paths) for c in parse_catalog(text).components}


def test_list_shows_every_preset() -> None:
    res = run_cli("init", "--list")
    assert res.exit_code == 0
    assert res.stdout == (
        "v1.11  kubeflow/manifests v1.11.0 (2025-12-15): the layout of kfboot's default catalog\n"
        "26.03  kubeflow/manifests 26.03 (2026-03-21): calendar versions; one cert-manager "
        "overlay, no common/networkpolicies, pipelines from applications/pipeline/overlays "
        "(default)\n"
    )


def test_every_preset_file_is_registered_and_ships_inside_the_package() -> None:
    # hatchling packages src/kfboot whole, so data beside the module is in the wheel.
    shipped = sorted(
        p.name
        for p in resources.files("kfboot.catalog.presets").iterdir()
        if p.name.endswith(".yaml")
    )
    assert shipped == sorted(f"{i}.yaml" for i in IDS)


def test_the_wheel_carries_the_presets(tmp_path: Path) -> None:
    pytest.importorskip("hatchling")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    )
    (built,) = tmp_path.glob("kfboot-*.whl")
    names = zipfile.ZipFile(built).namelist()
    assert sorted(n for n in names if n.startswith("kfboot/catalog/presets/")) == sorted(
        ["kfboot/catalog/presets/__init__.py", *(f"kfboot/catalog/presets/{i}.yaml" for i in IDS)]
    )


def test_the_default_catalog_is_the_v1_11_preset(tmp_path: Path) -> None:
    res = run_cli(
        "init",
        str(tmp_path),
        "--kubeflow",
        "v1.11",
        "--repo",
        DEFAULT_REPO,
        "--revision",
        "v1.11.0",
    )
    assert res.exit_code == 0, res.stderr
    assert (tmp_path / "waves.yaml").read_bytes() == DEFAULT_CATALOG.read_bytes()
    assert load_catalog(DEFAULT_CATALOG).preset == "v1.11"


@pytest.mark.parametrize("release", IDS)
def test_init_renders_and_passes_check(tmp_path: Path, release: str) -> None:
    res = run_cli("init", str(tmp_path), "--kubeflow", release, "--repo", FORK)
    assert res.exit_code == 0, res.stderr
    assert res.stdout.startswith(
        f"wrote     {tmp_path / 'waves.yaml'} (preset {release}, repoURL {FORK})\n"
    )
    catalog = load_catalog(tmp_path / "waves.yaml")
    assert catalog.preset == release
    assert catalog.repoURL == FORK
    assert len(catalog.components) == 14
    check = run_cli("check", "--catalog", str(tmp_path / "waves.yaml"))
    assert check.exit_code == 0, check.stdout + check.stderr


@pytest.mark.parametrize("release", IDS)
def test_every_path_exists_at_its_release(shared: Path, release: str) -> None:
    text = presets.resolve(release)[0].text()
    tag = yaml.safe_load(text)["targetRevision"]
    listing = shared / "reference" / "kubeflow-manifests" / f"kustomize-dirs-{tag}.txt"
    upstream = set(listing.read_text().split())
    for component, paths in _paths(text).items():
        for path in paths:
            assert path in upstream, f"{release}: {component}: {path}"
            # kind: Component kustomizations cannot be an Application's path.
            assert "/components/" not in f"/{path}/", f"{release}: {component}: {path}"


def test_what_moved_at_26_03(shared: Path) -> None:
    """Of the v1.11 layout, exactly the paths the 26.03 preset replaces are gone at 26.03."""
    upstream = set(
        (shared / "reference/kubeflow-manifests/kustomize-dirs-26.03.txt").read_text().split()
    )
    v111 = {p for paths in _paths(presets.resolve("v1.11")[0].text()).values() for p in paths}
    assert v111 - upstream == {
        "common/cert-manager/kubeflow-issuer/base",
        "common/networkpolicies/base",
    }


def test_26_03_differs_from_v1_11_only_as_documented() -> None:
    old = _paths(presets.resolve("v1.11")[0].text())
    new = _paths(presets.resolve("26.03")[0].text())
    assert old.keys() == new.keys()
    changed = {name: (old[name], new[name]) for name in old if old[name] != new[name]}
    assert set(changed) == {"common-services", "pipelines"}
    assert new["pipelines"] == ["applications/pipeline/overlays"]
    removed = set(old["common-services"]) - set(new["common-services"])
    added = set(new["common-services"]) - set(old["common-services"])
    assert removed == {
        "common/cert-manager/base",
        "common/cert-manager/kubeflow-issuer/base",
        "common/networkpolicies/base",
    }
    assert added == {"common/cert-manager/overlays/kubeflow"}
    a = parse_catalog(presets.resolve("v1.11")[0].text())
    b = parse_catalog(presets.resolve("26.03")[0].text())
    for x, y in zip(a.components, b.components, strict=True):
        assert x.model_copy(update={"paths": []}) == y.model_copy(update={"paths": []})
    assert a.model_copy(update={"components": [], "preset": None, "targetRevision": "x"}) == (
        b.model_copy(update={"components": [], "preset": None, "targetRevision": "x"})
    )


@pytest.mark.parametrize(
    ("given", "preset", "revision"),
    [
        ("v1.11", "v1.11", "v1.11.0"),
        ("1.11", "v1.11", "v1.11.0"),
        ("v1.11.1", "v1.11", "v1.11.1"),
        ("26.03", "26.03", "26.03"),
        ("26.03.2", "26.03", "26.03.2"),
    ],
)
def test_releases_and_patch_releases(
    tmp_path: Path, given: str, preset: str, revision: str
) -> None:
    res = run_cli("init", str(tmp_path), "--kubeflow", given, "--repo", FORK)
    assert res.exit_code == 0, res.stderr
    catalog = load_catalog(tmp_path / "waves.yaml")
    assert (catalog.preset, catalog.targetRevision) == (preset, revision)


def test_repo_and_revision_keep_every_comment(tmp_path: Path) -> None:
    res = run_cli(
        "init",
        str(tmp_path),
        "--kubeflow",
        "26.03",
        "--repo",
        "git@github.com:acme/kf.git",
        "--revision",
        "release/26.03",
    )
    assert res.exit_code == 0, res.stderr
    text = (tmp_path / "waves.yaml").read_text()
    original = presets.resolve("26.03")[0].text()
    assert text == original.replace(
        'repoURL: https://github.com/kubeflow/manifests.git\ntargetRevision: "26.03"\n',
        # The quoted revision stays quoted: set-repo's splice keeps each scalar's style.
        'repoURL: git@github.com:acme/kf.git\ntargetRevision: "release/26.03"\n',
    )
    app = yaml.safe_load((tmp_path / "bootstrap/apps/kubeflow/wave-1/profiles.yaml").read_text())
    assert app["spec"]["source"]["repoURL"] == "git@github.com:acme/kf.git"


def test_unknown_release_lists_the_known_ones(tmp_path: Path) -> None:
    res = run_cli("init", str(tmp_path), "--kubeflow", "1.10")
    assert (res.exit_code, res.stdout) == (2, "")
    assert res.stderr == "unknown Kubeflow release '1.10'; known releases: v1.11, 26.03\n"
    assert not list(tmp_path.iterdir())


def test_bad_repo_is_a_usage_error(tmp_path: Path) -> None:
    res = run_cli("init", str(tmp_path), "--repo", "https://tok@github.com/a/b.git")
    assert res.exit_code == 2
    assert res.stderr.startswith("--repo: repository URL must not carry a user name")
    assert not list(tmp_path.iterdir())


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    (tmp_path / "waves.yaml").write_text("# mine\n")
    res = run_cli("init", str(tmp_path))
    assert (res.exit_code, res.stdout) == (1, "")
    assert (
        res.stderr == f"{tmp_path / 'waves.yaml'}: already exists; pass --force to overwrite it\n"
    )
    assert snapshot(tmp_path) == {"waves.yaml": b"# mine\n"}
    assert run_cli("init", str(tmp_path), "--force", "--repo", FORK).exit_code == 0
    assert load_catalog(tmp_path / "waves.yaml").preset == presets.DEFAULT


def _git(directory: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(directory), *args], check=True, capture_output=True)


def test_without_repo_init_takes_the_git_remote_origin(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "remote", "add", "origin", "git@github.com:acme/kf.git")
    res = run_cli("init", str(tmp_path / "deploy"))
    assert res.exit_code == 0, res.stderr
    assert load_catalog(tmp_path / "deploy" / "waves.yaml").repoURL == "git@github.com:acme/kf.git"


def test_without_repo_or_origin_init_refuses_naming_both_ways(tmp_path: Path) -> None:
    res = run_cli("init", str(tmp_path))
    assert (res.exit_code, res.stdout) == (2, "")
    assert res.stderr.startswith("init: no repository for repoURL: pass --repo URL")
    assert "remote 'origin'" in res.stderr
    assert not list(tmp_path.iterdir())


def test_an_origin_with_a_token_is_never_copied(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "remote", "add", "origin", "https://x:tok@github.com/acme/kf.git")
    res = run_cli("init", str(tmp_path))
    assert res.exit_code == 2
    assert "must not carry a user name or password" in res.stderr
    assert "tok" not in res.stderr.replace("token", "")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".git"]


@pytest.mark.parametrize("release", IDS)
def test_presets_pass_yamllint(release: str, tmp_path: Path) -> None:
    # In a subprocess: importing yamllint's rules adds an int resolver to PyYAML's Resolver
    # class for the whole process (yamllint rules/quoted_strings.py), which changed what the
    # yaml-hygiene tests running later in the same worker saw.
    path = tmp_path / f"{release}.yaml"
    path.write_text(presets.resolve(release)[0].text())
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "yamllint",
            "-s",
            "-c",
            str(REPO_ROOT / ".yamllint.yaml"),
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "")
