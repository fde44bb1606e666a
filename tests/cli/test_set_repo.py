"""``kfboot set-repo``: retarget the catalog, re-render, keep everything else as it was."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import DEFAULT_CATALOG, Result, snapshot

OLD = "https://github.com/kubeflow/manifests.git"
NEW = "https://github.com/acme/kubeflow-manifests.git"
Kfboot = Callable[..., Result]


def _applications(bootstrap: Path) -> dict[str, dict[str, Any]]:
    """Every Argo CD Application under ``bootstrap``, by name."""
    apps = {}
    for path in sorted(bootstrap.rglob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if isinstance(doc, dict) and doc.get("kind") == "Application":
                apps[doc["metadata"]["name"]] = doc
    return apps


@pytest.fixture
def rendered(project: Path, kfboot: Kfboot) -> Path:
    """The default catalog in a temporary project, with bootstrap/ rendered."""
    assert kfboot("render", cwd=project).exit_code == 0
    return project


def test_retargets_catalog_and_every_application(rendered: Path, kfboot: Kfboot) -> None:
    original = (rendered / "waves.yaml").read_bytes()
    res = kfboot("set-repo", NEW, "--revision", "release-1.0", cwd=rendered)
    assert (res.exit_code, res.stderr) == (0, "")
    lines = res.stdout.splitlines()
    assert lines[:3] == [
        f"repoURL: {OLD} -> {NEW}",
        "targetRevision: v1.11.0 -> release-1.0",
        "15 Application(s) retargeted: kubeflow-app-of-apps, argocd, kubeflow-common-services, "
        "kubeflow-profiles, kubeflow-admission-webhook, kubeflow-pipelines, kubeflow-katib, "
        "kubeflow-jupyter, kubeflow-kserve, kubeflow-trainer, kubeflow-web-apps, "
        "kubeflow-pvcviewer-controller, kubeflow-spark, kubeflow-model-registry, "
        "kubeflow-user-namespace",
    ]
    assert lines[3] == "rewrote 17 file(s):"
    assert lines[4:6] == ["  waves.yaml", "  bootstrap/app-of-apps.yaml"]
    assert "  bootstrap/argocd/values.yaml" in lines
    # Byte for byte: only the two values changed.
    expected = original.replace(
        f"repoURL: {OLD}\ntargetRevision: v1.11.0\n".encode(),
        f"repoURL: {NEW}\ntargetRevision: release-1.0\n".encode(),
    )
    assert expected != original
    assert (rendered / "waves.yaml").read_bytes() == expected
    apps = _applications(rendered / "bootstrap")
    assert len(apps) == 15
    for name, app in apps.items():
        assert app["spec"]["source"]["repoURL"] == NEW, name
        assert app["spec"]["source"]["targetRevision"] == "release-1.0", name
    check = kfboot("check", cwd=rendered)
    assert check.exit_code == 0, check.stdout


def test_argocd_repository_entry_follows(rendered: Path, kfboot: Kfboot) -> None:
    values = rendered / "bootstrap" / "argocd" / "values.yaml"
    assert (
        yaml.safe_load(values.read_text())["configs"]["repositories"]["kubeflow-manifests"]["url"]
        == OLD
    )
    assert kfboot("set-repo", NEW, cwd=rendered).exit_code == 0
    repos = yaml.safe_load(values.read_text())["configs"]["repositories"]
    assert repos == {
        "kubeflow-manifests": {"url": NEW, "name": "kubeflow-manifests", "type": "git"}
    }


def test_second_run_changes_nothing_and_says_so(rendered: Path, kfboot: Kfboot) -> None:
    assert kfboot("set-repo", NEW, "--revision", "26.03", cwd=rendered).exit_code == 0
    before = snapshot(rendered)
    res = kfboot("set-repo", NEW, "--revision", "26.03", cwd=rendered)
    assert res == Result(
        0, f"repoURL: already {NEW}\ntargetRevision: already 26.03\nnothing changed\n", ""
    )
    assert snapshot(rendered) == before


def test_tag_like_revision_is_quoted_in_catalog_and_bootstrap(
    rendered: Path, kfboot: Kfboot
) -> None:
    assert kfboot("set-repo", NEW, "--revision", "1.10", cwd=rendered).exit_code == 0
    assert f'repoURL: {NEW}\ntargetRevision: "1.10"\n' in (rendered / "waves.yaml").read_text()
    for app in _applications(rendered / "bootstrap").values():
        assert app["spec"]["source"]["targetRevision"] == "1.10"


def test_dry_run_prints_the_diff_and_writes_nothing(rendered: Path, kfboot: Kfboot) -> None:
    before = snapshot(rendered)
    res = kfboot("set-repo", NEW, "--revision", "v2", "--dry-run", cwd=rendered)
    assert (res.exit_code, res.stderr) == (0, "")
    assert snapshot(rendered) == before
    out = res.stdout
    assert out.startswith("--- a/waves.yaml\n+++ b/waves.yaml\n")
    assert (
        f"-repoURL: {OLD}\n-targetRevision: v1.11.0\n+repoURL: {NEW}\n+targetRevision: v2\n" in out
    )
    assert "+++ b/bootstrap/argocd/values.yaml\n" in out
    assert f"+      url: {NEW}\n" in out
    assert out.count("+++ b/bootstrap/") == 16
    assert "15 Application(s) would be retargeted" in out
    assert "would rewrite 17 file(s):" in out
    assert out.endswith("dry run: nothing written\n")


def test_no_render_edits_only_the_catalog(rendered: Path, kfboot: Kfboot) -> None:
    before = snapshot(rendered / "bootstrap")
    res = kfboot("set-repo", NEW, "--no-render", cwd=rendered)
    assert res.exit_code == 0
    assert res.stdout.endswith(
        "rewrote 1 file(s):\n  waves.yaml\nbootstrap/ not re-rendered (--no-render); "
        "run 'kfboot render'\n"
    )
    assert snapshot(rendered / "bootstrap") == before
    assert kfboot("check", cwd=rendered).exit_code == 1
    # Running it again without --no-render catches bootstrap/ up.
    again = kfboot("set-repo", NEW, cwd=rendered)
    assert again.stdout.startswith(f"repoURL: already {NEW}\n15 Application(s) retargeted: ")
    assert kfboot("check", cwd=rendered).exit_code == 0


def test_without_url_prints_current_repo(project: Path, kfboot: Kfboot) -> None:
    res = kfboot("set-repo", cwd=project)
    assert res == Result(0, f"repoURL: {OLD}\ntargetRevision: v1.11.0\n", "")


def test_defaulted_revision_is_reported_and_inserted_after_repo_url(
    project: Path, kfboot: Kfboot
) -> None:
    catalog = project / "waves.yaml"
    text = catalog.read_text().replace("targetRevision: v1.11.0\n", "")
    catalog.write_text(text)
    assert kfboot("set-repo", cwd=project).stdout == (
        f"repoURL: {OLD}\ntargetRevision: main (the default; waves.yaml does not set it)\n"
    )
    res = kfboot("set-repo", "--revision", "release-1.0", "--no-render", cwd=project)
    assert res.stdout.splitlines()[0] == "targetRevision: main -> release-1.0 (added at line 11)"
    assert catalog.read_text() == text.replace(
        f"repoURL: {OLD}\n", f"repoURL: {OLD}\ntargetRevision: release-1.0\n"
    )


def test_crlf_catalog_keeps_its_line_endings(project: Path, kfboot: Kfboot) -> None:
    catalog = project / "waves.yaml"
    original = DEFAULT_CATALOG.read_bytes().replace(b"\n", b"\r\n")
    catalog.write_bytes(original)
    assert kfboot("set-repo", NEW, "--revision", "v1", cwd=project).exit_code == 0
    assert catalog.read_bytes() == original.replace(
        f"repoURL: {OLD}\r\ntargetRevision: v1.11.0\r\n".encode(),
        f"repoURL: {NEW}\r\ntargetRevision: v1\r\n".encode(),
    )
    assert kfboot("check", cwd=project).exit_code == 0


MIXED = f"""\
# A catalog with a chart component, a component on another repository, one that spells out
# the catalog's own repository, and a multi-path (wrapper) component.
repoURL: {OLD}  # ours
targetRevision: 'main'
waves:
  - wave: 0
    label: Only
components:
  - name: gpu-operator
    wave: 0
    namespace: gpu-operator
    helm:
      repoURL: https://helm.ngc.nvidia.com/nvidia
      chart: gpu-operator
      targetRevision: v24.9.0
  - name: addons
    wave: 0
    namespace: addons
    repoURL: https://github.com/other/addons.git
    targetRevision: v1.2.0
    paths: [deploy/addons]
  - name: spelled-out
    wave: 0
    namespace: kubeflow
    repoURL: https://github.com/kubeflow/manifests   # no .git
    paths: [common/x]
  - name: multi
    wave: 0
    namespace: kubeflow
    paths:
      - common/a
      - common/b
"""


def test_chart_and_other_repository_keep_their_repo_and_version(
    tmp_path: Path, kfboot: Kfboot
) -> None:
    (tmp_path / "waves.yaml").write_text(MIXED)
    assert kfboot("render", cwd=tmp_path).exit_code == 0
    res = kfboot("set-repo", NEW, "--revision", "26.03", cwd=tmp_path)
    assert res.exit_code == 0, res.stderr
    assert res.stdout.splitlines()[:6] == [
        f"repoURL: {OLD} -> {NEW}",
        f"components[2].repoURL: https://github.com/kubeflow/manifests -> {NEW}",
        "targetRevision: main -> 26.03",
        "3 Application(s) retargeted: kubeflow-app-of-apps, spelled-out, multi",
        "left alone: gpu-operator (Helm chart gpu-operator from https://helm.ngc.nvidia.com/nvidia)",
        "left alone: addons (its own repository https://github.com/other/addons.git)",
    ]
    expected = (
        MIXED.replace(f"repoURL: {OLD}  # ours", f"repoURL: {NEW}  # ours")
        .replace("targetRevision: 'main'", "targetRevision: '26.03'")
        .replace(
            "repoURL: https://github.com/kubeflow/manifests   # no .git",
            f"repoURL: {NEW}   # no .git",
        )
    )
    assert (tmp_path / "waves.yaml").read_text() == expected
    sources = {n: a["spec"]["source"] for n, a in _applications(tmp_path / "bootstrap").items()}
    assert sources["gpu-operator"] == {
        "repoURL": "https://helm.ngc.nvidia.com/nvidia",
        "chart": "gpu-operator",
        "targetRevision": "v24.9.0",
    }
    assert sources["addons"] == {
        "repoURL": "https://github.com/other/addons.git",
        "targetRevision": "v1.2.0",
        "path": "deploy/addons",
    }
    for name in ("kubeflow-app-of-apps", "spelled-out", "multi"):
        assert (sources[name]["repoURL"], sources[name]["targetRevision"]) == (NEW, "26.03")
    assert kfboot("check", cwd=tmp_path).exit_code == 0


def test_interrupted_write_leaves_the_old_catalog_whole(
    rendered: Path, kfboot: Kfboot, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(rendered)

    def fail(self: Path, target: Path) -> Path:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(Path, "replace", fail)
    res = kfboot("set-repo", NEW, cwd=rendered)
    assert res == Result(
        1, "", "cannot write bootstrap/app-of-apps.yaml: Input/output error; nothing changed\n"
    )
    assert snapshot(rendered) == before  # whole, and no temporary file left behind


def test_interrupted_render_changes_nothing(
    rendered: Path, kfboot: Kfboot, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(rendered)
    real = Path.replace

    def fail_in_bootstrap(self: Path, target: Path) -> Path:
        if "bootstrap" in Path(target).parts:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        return real(self, target)

    monkeypatch.setattr(Path, "replace", fail_in_bootstrap)
    res = kfboot("set-repo", NEW, cwd=rendered)
    assert res.exit_code == 1
    assert res.stderr == (
        "cannot write bootstrap/app-of-apps.yaml: No space left on device; nothing changed\n"
    )
    monkeypatch.undo()
    assert snapshot(rendered) == before  # the catalog too: all or nothing
    assert kfboot("render", cwd=rendered).exit_code == 0
    assert kfboot("check", cwd=rendered).exit_code == 0


def test_invalid_catalog_is_reported_and_untouched(project: Path, kfboot: Kfboot) -> None:
    catalog = project / "waves.yaml"
    catalog.write_text(
        catalog.read_text().replace("targetRevision: v1.11.0", "targetRevision: 26.03")
    )
    before = snapshot(project)
    res = kfboot("set-repo", NEW, cwd=project)
    assert res == Result(
        1,
        "",
        "waves.yaml:11:17: targetRevision: expected a string, but YAML reads this value as a "
        "float (26.03); quote it\n",
    )
    assert snapshot(project) == before


def test_missing_catalog(tmp_path: Path, kfboot: Kfboot) -> None:
    res = kfboot("set-repo", NEW, "--catalog", str(tmp_path / "nope.yaml"))
    assert (res.exit_code, res.stdout) == (1, "")
    where = os.path.relpath(tmp_path / "nope.yaml")
    assert res.stderr.startswith(f"{where}: catalog not found (looked for {tmp_path}/nope.yaml)")


def test_catalog_elsewhere_with_a_defaulted_revision(tmp_path: Path, kfboot: Kfboot) -> None:
    sub = tmp_path / "gitops"
    sub.mkdir()
    text = DEFAULT_CATALOG.read_text().replace("targetRevision: v1.11.0\n", "")
    (sub / "waves.yaml").write_text(text)
    res = kfboot(
        "set-repo", NEW, "--revision", "v1", "--catalog", "gitops/waves.yaml", cwd=tmp_path
    )
    assert res.exit_code == 0, res.stderr
    assert res.stdout.splitlines()[:2] == [
        f"repoURL: {OLD} -> {NEW}",
        "targetRevision: main -> v1 (added at line 11)",
    ]
    assert (sub / "waves.yaml").read_text() == text.replace(
        f"repoURL: {OLD}\n", f"repoURL: {NEW}\ntargetRevision: v1\n"
    )
    assert not (tmp_path / "bootstrap").exists()
    for app in _applications(sub / "bootstrap").values():
        assert (app["spec"]["source"]["repoURL"], app["spec"]["source"]["targetRevision"]) == (
            NEW,
            "v1",
        )
    assert kfboot("check", "--catalog", "gitops/waves.yaml", cwd=tmp_path).exit_code == 0
    # The cluster's root keeps reading the old repository until it is applied again.
    assert res.stdout.splitlines()[-2].endswith(
        "kubectl apply -f gitops/bootstrap/app-of-apps.yaml"
    )


@pytest.mark.parametrize("junk", ["{{{ not yaml\n", "kind: Application\nmetadata: x\nspec: [1]\n"])
def test_hand_broken_bootstrap_file_is_simply_replaced(
    rendered: Path, kfboot: Kfboot, junk: str
) -> None:
    # Header kept: a generated file broken by hand. Without the header it is a hand-written file,
    # which needs --force (tests/adversarial/test_writer.py).
    (rendered / "bootstrap" / "app-of-apps.yaml").write_text(
        "# Generated by kfboot from waves.yaml\n" + junk
    )
    res = kfboot("set-repo", NEW, cwd=rendered)
    assert (res.exit_code, res.stderr) == (0, "")
    assert "15 Application(s) retargeted: kubeflow-app-of-apps, argocd," in res.stdout
    assert kfboot("check", cwd=rendered).exit_code == 0
