"""Issue 20, the rest: a root reaching beyond the imported directory, extraResources anywhere in
the repository, argo-helm value files read, and the bounded health-check search."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kfboot.importing.app_files import AppDoc, read_applications
from tests.conftest import DATA

CORPUS = DATA / "import-corpus"


def _own_argocd(tmp_path: Path) -> tuple[Path, tuple[AppDoc, str]]:

    tree = tmp_path / "in"
    shutil.copytree(CORPUS / "own-argocd", tree)
    cm = tree / "platform/argocd/argocd-cm.yaml"
    health = cm.read_text()
    cm.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata: {}\n")
    app = next(a for a in read_applications(tree, "in") if a.name == "argocd")
    return tree, (app, health)


def test_the_health_check_search_reads_no_symlink_out_of_the_tree(tmp_path: Path) -> None:
    from kfboot.importing.own_argocd import has_health_check

    tree, (app, health) = _own_argocd(tmp_path)
    (tmp_path / "outside.yaml").write_text(health)
    (tree / "platform/argocd/linked.yaml").symlink_to(tmp_path / "outside.yaml")
    assert has_health_check(tree, app) is False


def test_the_health_check_search_skips_files_over_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kfboot.importing import own_argocd

    tree, (app, health) = _own_argocd(tmp_path)
    big = tree / "platform/argocd/big.yaml"
    big.write_text(health)
    assert own_argocd.has_health_check(tree, app) is True
    monkeypatch.setattr(own_argocd, "MAX_SEARCHED", big.stat().st_size - 1)
    assert own_argocd.has_health_check(tree, app) is False


def test_the_health_check_search_never_opens_a_fifo(tmp_path: Path) -> None:
    from kfboot.importing.own_argocd import has_health_check

    tree, (app, _) = _own_argocd(tmp_path)
    os.mkfifo(tree / "platform/argocd/pipe.yaml")  # opening it would block for ever
    assert has_health_check(tree, app) is False
