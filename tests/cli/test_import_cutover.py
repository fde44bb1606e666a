"""``kfboot import`` ends with the cut-over steps for what it found: each old root retired
without cascading (finalizers dropped, then deleted), then the new root applied once."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.cli.test_import import ORIGINAL, _app, _write
from tests.conftest import run_cli

SRC = {"repoURL": "https://example.com/a/b.git", "targetRevision": "main"}
PATCH = """--type merge -p '{"metadata":{"finalizers":null}}'"""


def _cutover(stderr: str) -> str:
    return stderr[stderr.index("cut-over") :]


def test_a_root_of_the_same_name_is_updated_in_place(tmp_path: Path) -> None:
    shutil.copytree(ORIGINAL, tmp_path / "original")
    res = run_cli("import", "original", cwd=tmp_path)
    assert res.exit_code == 0, res.stderr
    assert _cutover(res.stderr) == (
        "cut-over, once the rendered bootstrap/ is committed and pushed:\n"
        "  1. apply the new root once (it updates the old root kubeflow-app-of-apps in place); "
        "Argo CD does not sync a root from git:\n"
        "       kubectl apply -n argocd -f bootstrap/app-of-apps.yaml\n"
        "  2. watch the Applications converge: kfboot status --watch\n"
    )


def test_a_second_root_syncing_with_recurse_is_retired_without_cascade(tmp_path: Path) -> None:
    root = tmp_path / "in"
    # The main root syncs everything, the second root too (argocd-bootstrap style).
    _write(root, "root.yaml", _app("root", None, source={**SRC, "path": "in"}))
    second = _app(
        "argocd-bootstrap",
        None,
        source={**SRC, "path": "in/apps", "directory": {"recurse": True}},
    )
    second["metadata"]["finalizers"] = ["resources-finalizer.argocd.argoproj.io"]
    second["metadata"]["namespace"] = "gitops"
    _write(root, "bootstrap/second.yaml", second)
    _write(root, "apps/c.yaml", _app("kubeflow-c", "1"))
    _write(root, "apps/sub/d.yaml", _app("kubeflow-d", "2"))
    res = run_cli("import", "in", "-o", "out/waves.yaml", cwd=tmp_path)
    assert res.exit_code == 0, res.stderr
    assert _cutover(res.stderr) == (
        "cut-over, once the rendered bootstrap/ is committed and pushed:\n"
        "  1. retire the old root argocd-bootstrap (in/bootstrap/second.yaml) without cascading "
        "into what it deployed: drop its finalizers, then delete it (its Applications stay)\n"
        f"       kubectl patch -n gitops application argocd-bootstrap {PATCH}\n"
        "       kubectl delete -n gitops application argocd-bootstrap\n"
        "  2. apply the new root once (it updates the old root root in place); Argo CD does not "
        "sync a root from git:\n"
        "       kubectl apply -n argocd -f out/bootstrap/app-of-apps.yaml\n"
        "  3. watch the Applications converge: kfboot status --watch\n"
    )


def test_without_a_root_only_the_new_one_is_applied(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _write(root, "a.yaml", _app("kubeflow-a", "1"), _app("kubeflow-b", "2"))
    res = run_cli("import", "in", cwd=tmp_path)
    assert res.exit_code == 0, res.stderr
    assert _cutover(res.stderr) == (
        "cut-over, once the rendered bootstrap/ is committed and pushed:\n"
        "  1. apply the new root once; Argo CD does not sync a root from git:\n"
        "       kubectl apply -n argocd -f bootstrap/app-of-apps.yaml\n"
        "  2. watch the Applications converge: kfboot status --watch\n"
    )
