"""The trees ``kfboot import`` reads: only what is inside, each directory once, bounded sizes,
and nothing in a file's name ever becomes YAML in the written catalog."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from kfboot.errors import KfbootError
from kfboot.importing.tree import read_file
from tests.adversarial.harness import assert_one_line_error, bounded, run_cli


def application(name: str, helm: str = "") -> str:
    return f"""\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {name}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://charts.example.com
    chart: {name}
    targetRevision: 1.0.0
{helm}  destination:
    server: https://kubernetes.default.svc
    namespace: {name}
"""


def components(catalog: Path) -> list[str]:
    return [c["name"] for c in yaml.safe_load(catalog.read_text())["components"]]


# A component in kube-system, written into the file's name: each line break ends the comment
# kfboot writes above the component ("# From NAME.") in a YAML 1.1 reader.
_EVIL = (
    "  - name: evil{0}    wave: 0{0}    namespace: kube-system{0}    helm: {{repoURL: "
    '"https:\\x2f\\x2fcharts.example.com", chart: evil, targetRevision: "1"}}{0}  #'
)


@pytest.mark.parametrize("brk", ["\r", "\n", "\x85", "\u2028", "\u2029"])
def test_a_line_break_in_a_file_name_never_injects_yaml(tmp_path: Path, brk: str) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / f"web.yaml{brk}{_EVIL.format(brk)}.yaml").write_text(application("web"))
    catalog = tmp_path / "waves.yaml"
    result = run_cli("import", str(tree), "-o", str(catalog))
    assert result.exit_code == 0, result
    assert components(catalog) == ["web"]
    if brk != "\n":  # a line feed starts another comment line ("# From" spans lines)
        assert f"\\u{ord(brk):04x}" in catalog.read_text()
    assert run_cli("check", "--catalog", str(catalog), "--format", "json").exit_code in (0, 1)


def test_a_control_character_in_the_imported_path_stays_in_its_comment(tmp_path: Path) -> None:
    tree = tmp_path / "tr\ree\x1b]0;x\x07"
    tree.mkdir()
    (tree / "web.yaml").write_text(application("web"))
    catalog = tmp_path / "waves.yaml"
    assert run_cli("import", str(tree), "-o", str(catalog)).exit_code == 0
    text = catalog.read_text()
    assert "\r" not in text and "\x1b" not in text and "\x07" not in text
    assert components(catalog) == ["web"]


def _tree(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    (tree / "apps").mkdir(parents=True)
    (tree / "apps" / "web.yaml").write_text(application("web"))
    return tree


def test_a_symlinked_directory_out_of_the_tree_is_not_read(tmp_path: Path) -> None:
    """Its Application (with an adminPassword) was copied into waves.yaml."""
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = "    helm:\n      values: |\n        adminPassword: hunter2\n"
    (outside / "leak.yaml").write_text(application("leak", secret))
    (outside / "kustomization.yaml").write_text("resources: [leak.yaml]\n")
    tree = _tree(tmp_path)
    (tree / "apps" / "ext").symlink_to(outside, target_is_directory=True)
    (tree / "apps" / "leak.yaml").symlink_to(outside / "leak.yaml")
    (tree / "kustomization.yaml").write_text("resources: [apps/web.yaml, apps/ext]\n")
    catalog = tmp_path / "waves.yaml"
    for args in ([str(tree / "apps")], [str(tree)]):
        result = run_cli("import", *args, "-o", str(catalog), "--force")
        assert result.exit_code == 0, result
        assert components(catalog) == ["web"]
        assert "hunter2" not in catalog.read_text() + result.stdout + result.stderr
        assert "ext: [warning] import-not-carried-over: leads out of the imported tree" in (
            result.stdout
        )


def test_a_symlink_loop_is_a_finding_not_a_traceback(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    (tree / "apps" / "loop").symlink_to("..", target_is_directory=True)
    (tree / "apps" / "self").symlink_to("self")
    catalog = tmp_path / "waves.yaml"
    result = bounded("import", str(tree), "-o", str(catalog), cwd=tmp_path)
    assert result.exit_code == 0, result
    assert "Traceback" not in result.stderr
    assert components(catalog) == ["web"]
    assert (
        "tree/apps/loop: [warning] import-not-carried-over: is a symlink to a directory read "
        "already; not read twice" in result.stdout
    )
    assert (
        "tree/apps/self: [warning] import-not-carried-over: is a symlink that does not "
        "resolve; not read" in result.stdout
    )


def test_a_chain_of_directory_symlinks_is_read_once(tmp_path: Path) -> None:
    """Fifty levels, each linking twice to the next and back to the first: 2**50 paths through
    the tree (past 60 s and 1 GB), each directory read once."""
    tree = _tree(tmp_path)
    for i in range(50):
        level = tree / f"d{i}"
        level.mkdir()
        for link in ("a", "b"):
            (level / link).symlink_to(f"../d{i + 1}", target_is_directory=True)
        (level / "top").symlink_to("..", target_is_directory=True)
    (tree / "d50").mkdir()
    catalog = tmp_path / "waves.yaml"
    result = bounded("import", str(tree), "-o", str(catalog), cwd=tmp_path)
    assert result.exit_code == 0, result
    assert components(catalog) == ["web"]


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """24 MB cost 45 s and 2.8 GB; the harness allows 1 GB."""
    tree = _tree(tmp_path)
    with (tree / "apps" / "big.yaml").open("w") as big:
        big.write(application("big") + "---\n")
        line = "k: argoproj.io " + "x" * 100 + "\n"
        big.write(line * (24_000_000 // len(line)))
    result = bounded("import", str(tree), "-o", str(tmp_path / "waves.yaml"), cwd=tmp_path)
    assert_one_line_error(result, "tree/apps/big.yaml: larger than 10 MB; kfboot does not read it")
    assert not (tmp_path / "waves.yaml").exists()


@pytest.mark.parametrize("special", ["fifo", "device", "link"])
def test_import_reads_regular_files_only(tmp_path: Path, special: str) -> None:
    """The one reader import's modules use (kustomizations, values files, Applications): a FIFO
    would block, /dev/zero never end; a values file is never read through a symlink (its
    values would be copied into the catalog from anywhere)."""
    path = tmp_path / "values.yaml"
    if special == "fifo":
        os.mkfifo(path)
    elif special == "device":
        path.symlink_to("/dev/zero")
    else:
        (tmp_path / "real.yaml").write_text("a: 1\n")
        path.symlink_to(tmp_path / "real.yaml")
        assert read_file(path) == b"a: 1\n"
    with pytest.raises(KfbootError, match=r"values\.yaml: (is not a regular file|cannot read)"):
        read_file(path, follow=special != "link")
