"""Real jq for ``check --manifests`` (``kfboot.manifests.jq``): Argo CD's ``del(EXPR)``, its
1 s time budget and a memory bound, proven with the crafted expressions that broke the old
hand-written subset (a 110-byte memory bomb, ``"\\(1)"``, ``01``, 300 nested parentheses)."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kfboot.manifests import jq as jqmod
from kfboot.manifests.jq import Jq, JqParseError, JqRuntimeError, gojq_refusal
from tests.conftest import REPO_ROOT, run_cli

pytest.importorskip("jq")

ROLE = {
    "kind": "ClusterRole",
    "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"x": "true"}}]},
    "rules": [],
}
PLAIN_ROLE = {"kind": "ClusterRole", "rules": [{"verbs": ["get"]}]}
WEBHOOKS = {
    "webhooks": [
        {"name": "a", "clientConfig": {"caBundle": "Zm9v"}, "failurePolicy": "Ignore"},
        {"name": "b", "clientConfig": {"service": {"name": "s"}}},
    ]
}
# 110 bytes: each round doubles a string; 2**99 bytes long before the last round.
BOMB = '.rules as $r | reduce range(99) as $i ("kubeflow-aggregate-to-kubeflow-admin"; . + .) | .'
BOMB += " " * (110 - len(BOMB))
FOREVER = "def f: f; f"


@pytest.fixture(scope="module")
def jq() -> Iterator[Jq]:
    with Jq() as engine:
        yield engine


@pytest.mark.parametrize(
    ("expression", "document", "expected"),
    [
        (
            "select(.aggregationRule.clusterRoleSelectors | length > 0) | .rules",
            ROLE,
            {k: v for k, v in ROLE.items() if k != "rules"},
        ),
        (
            "select(.aggregationRule.clusterRoleSelectors | length > 0) | .rules",
            PLAIN_ROLE,
            PLAIN_ROLE,
        ),
        (
            ".webhooks[]?.clientConfig.caBundle",
            WEBHOOKS,
            {
                "webhooks": [
                    {"name": "a", "clientConfig": {}, "failurePolicy": "Ignore"},
                    WEBHOOKS["webhooks"][1],
                ]
            },
        ),
        (".webhooks[]?.failurePolicy", {"webhooks": None}, {"webhooks": None}),
        # jq's ordering and equality, which the old subset got wrong: [10] < [9] is false,
        # [1.0] == [1] is true.
        ("select([10] < [9]) | .rules", PLAIN_ROLE, PLAIN_ROLE),
        ("select([1.0] == [1]) | .rules", PLAIN_ROLE, {"kind": "ClusterRole"}),
        ("(" * 300 + ".rules" + ")" * 300, PLAIN_ROLE, {"kind": "ClusterRole"}),
    ],
)
def test_del_as_argo_cd_runs_it(
    jq: Jq, expression: str, document: object, expected: object
) -> None:
    assert jq.delete(expression, document) == expected


@pytest.mark.parametrize("expression", ['"\\(1)"', "01"])
def test_crafted_expressions_are_run_time_errors_not_tracebacks(jq: Jq, expression: str) -> None:
    assert jq.parse_error(expression) is None
    with pytest.raises(JqRuntimeError, match="Invalid path expression"):
        jq.delete(expression, PLAIN_ROLE)


def test_a_parse_error_is_named(jq: Jq) -> None:
    assert "syntax error" in (jq.parse_error(".webhooks[") or "")
    with pytest.raises(JqParseError):
        jq.delete(".webhooks[", WEBHOOKS)


def test_no_output_or_several_is_a_run_time_error_as_in_argo_cd(jq: Jq) -> None:
    with pytest.raises(JqRuntimeError, match="no output"):
        jq.delete(".a) | empty | (.b", {})
    with pytest.raises(JqRuntimeError, match="more than one output"):
        jq.delete(".a), (.b", {})


def test_the_memory_bomb_is_stopped_by_the_memory_bound() -> None:
    # A generous time budget, so the memory bound is what stops it, however loaded the machine.
    assert len(BOMB) == 110
    with Jq(timeout=600, memory=256 << 20) as engine:
        with pytest.raises(JqRuntimeError, match="exceeded the memory bound of 256 MiB"):
            engine.delete(BOMB, ROLE)
        # The worker is restarted for the next expression.
        assert engine.delete(".rules", PLAIN_ROLE) == {"kind": "ClusterRole"}


def test_the_memory_bomb_under_the_default_bounds_is_a_run_time_error(jq: Jq) -> None:
    with pytest.raises(JqRuntimeError, match=r"exceeded the memory bound|timed out"):
        jq.delete(BOMB, ROLE)
    assert jq.delete(".rules", PLAIN_ROLE) == {"kind": "ClusterRole"}


def test_an_endless_expression_is_stopped_by_the_time_budget() -> None:
    assert jqmod.TIMEOUT == 1.0  # Argo CD's DefaultJQExecutionTimeout
    with Jq(timeout=0.2) as engine:
        with pytest.raises(JqRuntimeError, match=r"timed out after 0\.2s"):
            engine.delete(FOREVER, ROLE)
        assert engine.delete(".rules", PLAIN_ROLE) == {"kind": "ClusterRole"}


def test_gojq_refusals_are_followed() -> None:
    assert gojq_refusal("$__loc__ | .a") == "$__loc__ is not in gojq, the jq Argo CD runs"
    assert gojq_refusal(".a | input_line_number") is not None
    assert gojq_refusal(".webhooks[]?.clientConfig.caBundle") is None


def test_plain_check_and_render_never_import_jq(tmp_path: Path) -> None:
    # jq made unimportable and no jq worker allowed (git may run): a real render into a copy,
    # then check of it (before, only render --help ran, and a started worker went unnoticed).
    (tmp_path / "waves.yaml").write_text((REPO_ROOT / "waves.yaml").read_text())
    code = (
        "import subprocess, sys\n"
        "sys.modules['jq'] = None\n"
        "popen = subprocess.Popen\n"
        "def no_worker(args, *a, **k):\n"
        "    assert 'jq_worker' not in str(args), 'the jq worker was started'\n"
        "    return popen(args, *a, **k)\n"
        "subprocess.Popen = no_worker\n"
        "from kfboot.cli import main\n"
        "for args in (['render'], ['check'], ['check', '--list-rules']):\n"
        "    try:\n"
        "        sys.argv = ['kfboot', *args]; main()\n"
        "    except SystemExit as exc:\n"
        "        assert exc.code in (0, None), (args, exc.code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "bootstrap" / "app-of-apps.yaml").is_file()


def test_without_the_jq_extra_manifests_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("kfboot.manifests.jq_paths.available", lambda: False)
    (tmp_path / "waves.yaml").write_text((REPO_ROOT / "waves.yaml").read_text())
    res = run_cli("check", "--manifests", str(tmp_path), cwd=tmp_path)
    assert res.exit_code == 2
    assert res.stderr.endswith(
        "--manifests simulates Argo CD's jqPathExpressions with jq, which is not installed: "
        "pip install 'kfboot[manifests]'\n"
    )


def test_gojq_refusals_are_parse_errors_of_the_engine_itself(jq: Jq) -> None:
    # The drift simulation asks the engine, not jq_paths: an expression gojq does not compile
    # fails Argo CD's whole comparison, so it must not be run in libjq as if it were fine.
    assert jq.parse_error("$__loc__ | .rules") == "$__loc__ is not in gojq, the jq Argo CD runs"
    with pytest.raises(JqParseError, match="not in gojq"):
        jq.delete("$__loc__ | .rules", PLAIN_ROLE)


def test_the_worker_starts_without_importing_kfboot() -> None:
    # python -m kfboot.manifests.jq_worker imported the kfboot.manifests package first (pydantic,
    # the catalog): 0.6 s of every start, and the worker restarts after each timeout. Run as a
    # file with -P (no script directory on sys.path: jq.py beside it would shadow the jq package).
    command = jqmod.worker_command(1 << 30)
    assert command[:2] == [sys.executable, "-P"] and command[3] == str(1 << 30)
    worker = Path(command[2])
    assert worker.name == "jq_worker.py" and worker.is_file()
    tree = ast.parse(worker.read_text())
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert "kfboot" not in imported, imported
