"""The one rule registry: every rule id the code can emit is registered, and documented."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys

import pytest

from kfboot.check.rules.application import jq_every_item
from kfboot.check.rules.registry import BY_ID, IGNORABLE, RULES
from tests.conftest import REPO_ROOT

SRC = REPO_ROOT / "src" / "kfboot"
_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")
_FAMILIES = ("manifests-", "import-", "plan-", "git-")
# Calls that take a rule id (findings, hits and what builds them): the argument's position.
_FINDING_CALLS = {"Finding": -2, "Hit": 0, "finding": 1, "defect": 2, "add": 1, "PathProblem": 0}
_RULE_DOCS = {
    "registry.py",
    "manifests_rules.py",
    "import_rules.py",
    "day2_rules.py",
    "plan_object_rules.py",
}


def _name(node: ast.expr) -> str:
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def _names_a_rule(node: ast.AST) -> bool:
    """``rule=...`` or ``rule = ...``: a keyword or an assignment named after a rule."""
    if isinstance(node, ast.keyword):
        return node.arg == "rule"
    return isinstance(node, ast.Assign) and any("rule" in _name(t).lower() for t in node.targets)


def _ids_in(tree: ast.AST) -> set[str]:
    """String literals that a finding carries as its rule id, by where they stand."""
    found: set[str] = set()
    for node in ast.walk(tree):
        values: list[ast.expr] = []
        if isinstance(node, ast.Call) and _name(node.func) in _FINDING_CALLS:
            at = _FINDING_CALLS[_name(node.func)]
            values = [node.args[at]] if -len(node.args) <= at < len(node.args) else []
        elif _names_a_rule(node):
            values = [node.value]  # type: ignore[attr-defined]
        elif isinstance(node, ast.Constant) and str(node.value).startswith(_FAMILIES):
            values = [node]
        found |= {
            leaf.value
            for value in values
            for leaf in ast.walk(value)
            if isinstance(leaf, ast.Constant)
            and isinstance(leaf.value, str)
            and _ID.match(leaf.value)
            and leaf.value not in ("error", "warning")
        }
    return found


def _ids_used_in_src() -> set[str]:
    used: set[str] = set()
    for path in SRC.rglob("*.py"):
        if path.name not in _RULE_DOCS:
            used |= _ids_in(ast.parse(path.read_text(encoding="utf-8")))
    return used


def test_every_rule_id_used_in_the_code_is_registered() -> None:
    used = _ids_used_in_src()
    assert used - set(BY_ID) == set(), "rule ids used in src/ but not in the registry"
    assert set(BY_ID) - used == set(), "registered rules no code emits"


def test_list_rules_json_lists_every_rule() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "kfboot", "check", "--list-rules", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    listed = json.loads(out)["rules"]
    assert [rule["id"] for rule in listed] == [rule.id for rule in RULES]
    assert _ids_used_in_src() <= {rule["id"] for rule in listed}
    for rule in listed:
        assert set(rule) == {"id", "severity", "ignorable", "what", "why", "link", "fix"}
        assert all(rule[key] for key in ("what", "why", "link", "fix")), rule["id"]


def test_rules_are_unique_and_their_checks_resolve() -> None:
    assert len(BY_ID) == len(RULES)
    for rule in RULES:
        assert rule.severity in ("error", "warning")
        if rule.check:
            assert callable(rule.function()), rule.id
    assert set(IGNORABLE) == {rule.id for rule in RULES if rule.ignorable}
    assert not [r for r in IGNORABLE if r.startswith("import-")]


@pytest.mark.parametrize(
    ("pointer", "expected"),
    [
        ("/webhooks/0/clientConfig/caBundle", ".webhooks[]?.clientConfig.caBundle"),
        ("/spec/env/0/value-from", '.spec.env[]?."value-from"'),
        ("/a~1b/3/c~0d", '."a/b"[]?."c~d"'),
        ("/0/name", ".[]?.name"),
        ("/spec/replicas", None),
        ("spec/0", None),
    ],
)
def test_one_jq_path_for_a_json_pointer(pointer: str, expected: str | None) -> None:
    assert jq_every_item(pointer) == expected


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_jq_accepts_the_suggested_paths() -> None:
    doc = {"spec": {"env": [{"value-from": 1}, {"value-from": 2}]}, "a/b": [{"c~d": 3}]}
    for pointer, values in (("/spec/env/0/value-from", [1, 2]), ("/a~1b/0/c~0d", [3])):
        expr = jq_every_item(pointer)
        assert expr is not None
        out = subprocess.run(
            ["jq", "-c", expr], input=json.dumps(doc), capture_output=True, text=True, check=True
        )
        assert [json.loads(line) for line in out.stdout.split()] == values
