"""The trees ``kfboot import`` reads: only what is inside, each directory once, bounded sizes,
and nothing in a file's name ever becomes YAML in the written catalog."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.adversarial.harness import run_cli


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
