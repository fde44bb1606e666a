"""The rules as a library: ``application_findings`` on an original hand-written Application,
the YAML 1.1 trap table, and the compact field tree checked against Argo CD's real CRD."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from kfboot import yamlio
from kfboot.catalog.load import load_catalog
from kfboot.check.rules import RULES
from kfboot.check.rules.application_runner import application_findings
from kfboot.check.rules.fields import APPLICATION, SPEC, Tree
from kfboot.check.rules.hygiene import parse_and_check, trap, trap_findings
from kfboot.findings import Finding
from kfboot.render.bootstrap import render
from tests.conftest import DEFAULT_CATALOG, REPO_ROOT

# The shape of the original bootstrap's Applications, with the mistakes kfboot exists to catch.
ORIGINAL = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: kubeflow-katib
  namespace: argocd
  annotations:
    argocd.argoproj.io/sync-wave: "2"
spec:
  dependsOn:
    - kubeflow-profiles
  project: default
  source:
    repoURL: https://github.com/minhhcuongg-theonefour/k8s-inspect.git
    targetRevision: feat/sync-wave
    path: applications/katib/upstream/installs/katib-with-kubeflow
  destination:
    server: https://kubernetes.default.svc
    namespace: kubeflow
  ignoreDifferences:
    - group: admissionregistration.k8s.io
      kind: ValidatingAdmissionWebhook
      jsonPointers:
        - /webhooks/0/clientConfig/caBundle
  syncPolicy:
    syncOptions:
      - CreateNamespace=true
      - ServerSideApply=true
"""


def _finding(line: int, col: int, severity: Any, rule: str, message: str) -> Finding:
    return Finding("katib.yaml", line, col, severity, rule, message)


def test_application_findings_on_a_hand_written_application() -> None:
    docs = yamlio.load_all_with_positions(ORIGINAL)
    found = application_findings("katib.yaml", docs, waves={"kubeflow-profiles": 2})
    assert sorted(found) == [
        _finding(
            9,
            3,
            "error",
            "unknown-field",
            "'dependsOn' is not an Application field in spec; the API server drops it and "
            "Argo CD never sees it",
        ),
        _finding(
            10,
            7,
            "error",
            "dependency-wave-order",
            "'kubeflow-katib' (wave 2) depends on 'kubeflow-profiles' in the same wave; Argo CD "
            "orders Applications only by wave, so the dependency must be in an earlier one",
        ),
        _finding(
            21,
            13,
            "error",
            "ignore-differences-unknown-kind",
            "'ValidatingAdmissionWebhook' is not a kind of 'admissionregistration.k8s.io' (did "
            "you mean 'ValidatingWebhookConfiguration'?); this entry ignores nothing",
        ),
        _finding(
            23,
            11,
            "warning",
            "ignore-differences-list-index",
            "'/webhooks/0/clientConfig/caBundle' ignores one list item only; to cover every item "
            "use jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle']",
        ),
    ]


def test_roots_and_ignore() -> None:
    docs = yamlio.load_all_with_positions(ORIGINAL)
    found = application_findings(
        "katib.yaml",
        docs,
        roots={"kubeflow-katib"},
        ignore={"unknown-field", "ignore-differences-list-index"},
    )
    assert [f.rule for f in sorted(found)] == [
        "ignore-differences-unknown-kind",
        "root-server-side-apply",
    ]


def test_an_app_of_apps_is_known_by_the_directory_it_syncs() -> None:
    text = ORIGINAL.replace(
        "applications/katib/upstream/installs/katib-with-kubeflow", "bootstrap/apps/kubeflow/"
    )
    docs = yamlio.load_all_with_positions(text)
    found = application_findings("x.yaml", docs, root_paths={"bootstrap/apps/kubeflow"})
    assert [(f.line, f.rule) for f in found if f.rule == "root-server-side-apply"] == [
        (27, "root-server-side-apply")
    ]
    assert not any(f.rule == "root-server-side-apply" for f in application_findings("x", docs))


def test_other_kinds_and_unknown_groups_are_not_judged() -> None:
    text = ORIGINAL.replace("admissionregistration.k8s.io", "example.com").replace(
        "kind: Application", "kind: ApplicationSet"
    )
    assert application_findings("x.yaml", yamlio.load_all_with_positions(text)) == []
    text = ORIGINAL.replace("admissionregistration.k8s.io", "example.com")
    rules = {f.rule for f in application_findings("x.yaml", yamlio.load_all_with_positions(text))}
    assert "ignore-differences-unknown-kind" not in rules


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("on", "plain 'on' is a boolean in YAML 1.1 but a string in YAML 1.2; quote it"),
        ("y", "plain 'y' is a boolean in YAML 1.1 but a string in YAML 1.2; quote it"),
        ("Off", "plain 'Off' is a boolean in YAML 1.1 but a string in YAML 1.2; quote it"),
        ("0755", "plain '0755' is 493 in YAML 1.1 but 755 in YAML 1.2; quote it"),
        ("0o17", "plain '0o17' is a string in YAML 1.1 but an integer in YAML 1.2; quote it"),
        ("1e3", "plain '1e3' is a string in YAML 1.1 but a number in YAML 1.2; quote it"),
        ("1:30", "plain '1:30' is an integer in YAML 1.1 but a string in YAML 1.2; quote it"),
        (
            "2024-01-01",
            "plain '2024-01-01' is a date in YAML 1.1 but a string in YAML 1.2; quote it",
        ),
    ],
)
def test_yaml_11_traps(text: str, why: str) -> None:
    assert trap(text) == why


@pytest.mark.parametrize(
    "text", ["true", "false", "2", "-1", "26.03", "0x1F", "~", "kubeflow", "5s"]
)
def test_values_every_reader_agrees_on(text: str) -> None:
    assert trap(text) is None


def test_rendered_output_has_no_trap() -> None:
    """check skips hygiene for files identical to the render: this is why that is safe."""
    files = render(load_catalog(DEFAULT_CATALOG))
    yaml_files = {path: text for path, text in files.items() if path.endswith(".yaml")}
    assert len(yaml_files) >= 30
    assert [f for path, text in yaml_files.items() for f in trap_findings(path, text)] == []
    assert trap_findings("x.yaml", "a: on\n")  # and the scan itself does fire


def test_duplicate_keys_and_syntax_errors() -> None:
    found, docs = parse_and_check("f.yaml", "a: 1\nb: 2\na: 3\n")
    assert docs is None
    assert [f.text() for f in found] == [
        "f.yaml:3:1: [error] yaml-hygiene: duplicate key 'a' (first defined at line 1)"
    ]
    found, docs = parse_and_check("f.yaml", "a: [1\n")
    assert docs is None and found[0].rule == "yaml-hygiene" and found[0].line == 2
    found, docs = parse_and_check("f.yaml", "a: 'on'\nb: \"0755\"\n")
    assert found == [] and docs is not None


# ---------------------------------------------------------------- the field tree vs the real CRD


def _tree(schema: dict[str, Any]) -> Tree | None:
    node = schema.get("items", schema) if schema.get("type") == "array" else schema
    props = node.get("properties")
    if not props:
        return None
    return {key: _tree(value) for key, value in props.items()}


def test_field_tree_matches_argo_cds_application_crd(shared: Path) -> None:
    crd = yaml.safe_load((shared / "reference/argo-cd/application-crd.yaml").read_text())
    schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    assert set(APPLICATION) == set(schema["properties"])
    assert _tree(schema["properties"]["spec"]) == SPEC


# ------------------------------------------------------------------ docs and pre-commit hooks


def test_docs_document_every_rule() -> None:
    docs = (REPO_ROOT / "docs" / "rules.md").read_text()
    for rule in RULES:
        section = docs.split(f"\n#### {rule.id}\n", 1)[1].split("\n#### ", 1)[0]
        for text in (rule.what, rule.why, rule.link, rule.fix, f"*{rule.severity}.*"):
            assert text in section, (rule.id, text)


def test_pre_commit_hooks() -> None:
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [(h["id"], h["entry"], h["language"], h["pass_filenames"]) for h in hooks] == [
        ("kfboot-check", "kfboot check", "python", False),
        ("kfboot-render", "kfboot render", "python", False),
        ("kfboot-lint", "kfboot lint", "python", False),
    ]
    assert re.search(hooks[2]["files"], "argocd/apps/app.yml")
    ours = yaml.safe_load((REPO_ROOT / ".pre-commit-config.yaml").read_text())
    (local,) = ours["repos"]
    assert local["repo"] == "local"
    assert [(h["id"], h["entry"]) for h in local["hooks"]] == [
        ("kfboot-check", ".venv/bin/kfboot check")
    ]
    assert re.search(hooks[0]["files"], "waves.yaml")
    assert re.search(hooks[0]["files"], "docs/rules.md")
    assert re.search(hooks[0]["files"], "deploy/bootstrap/apps/kubeflow/wave-0/x.yaml")
    assert not re.search(hooks[0]["files"], "src/app.py")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "",
            "sync wave null is not a string; annotation values must be strings (write a quoted "
            'integer such as "2"), or Argo CD uses wave 0',
        ),
        (
            "2",
            'sync wave 2 is not a string; annotation values must be strings (write "2"), or '
            "Argo CD uses wave 0",
        ),
        ('"+3"', None),
        ('"-1"', None),
        ('" 2"', "sync wave ' 2' is not an integer; Argo CD silently uses wave 0"),
    ],
)
def test_sync_wave_values(value: str, message: str | None) -> None:
    text = ORIGINAL.replace('sync-wave: "2"', f"sync-wave: {value}".rstrip())
    found = application_findings("k.yaml", yamlio.load_all_with_positions(text))
    waves = [f.message for f in found if f.rule == "sync-wave-format"]
    assert waves == ([message] if message else [])


def test_traps_do_not_depend_on_what_else_was_imported() -> None:
    # yamllint adds YAML 1.2 octal to PyYAML's shared Resolver on import; once it had been
    # imported (by another test in the same worker), 0o17 stopped being reported.
    import yamllint.config  # noqa: F401

    assert (
        trap("0o17") == "plain '0o17' is a string in YAML 1.1 but an integer in YAML 1.2; quote it"
    )
    assert trap("on") is not None and trap("0x1F") is None
