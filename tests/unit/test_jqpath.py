"""kfboot's jq subset (``kfboot.manifests.jqpath``), checked against the ``jq`` binary where it is
installed: ``del(EXPR)`` must give what jq gives, and anything outside the subset must be
refused, never guessed."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kfboot.manifests import jqpath

JQ = shutil.which("jq")

ROLE = {
    "apiVersion": "rbac.authorization.k8s.io/v1",
    "kind": "ClusterRole",
    "metadata": {"name": "kubeflow-admin", "labels": {"a": "b"}},
    "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"x": "true"}}]},
    "rules": [],
}
PLAIN_ROLE = {"kind": "ClusterRole", "metadata": {"name": "r"}, "rules": [{"verbs": ["get"]}]}
WEBHOOKS = {
    "kind": "ValidatingWebhookConfiguration",
    "metadata": {"name": "istio-validator-istio-system"},
    "webhooks": [
        {"name": "a", "clientConfig": {"caBundle": "Zm9v"}, "failurePolicy": "Ignore"},
        {"name": "b", "clientConfig": {"service": {"name": "s"}}},
        {"name": "c", "clientConfig": {"caBundle": ""}, "failurePolicy": "Fail"},
    ],
}
CRD = {"kind": "CustomResourceDefinition", "spec": {"preserveUnknownFields": False}}
DOCUMENTS = [ROLE, PLAIN_ROLE, WEBHOOKS, CRD, {}, {"rules": None}]

EXPRESSIONS = [
    "select(.aggregationRule.clusterRoleSelectors | length > 0) | .rules",
    ".webhooks[]?.clientConfig.caBundle",
    ".webhooks[]?.failurePolicy",
    ".spec.conversion.webhook.clientConfig.caBundle",
    ".webhooks[0].clientConfig",
    ".webhooks[-1].name",
    '.webhooks[] | select(.name == "a") | .clientConfig.caBundle',
    '.webhooks[]? | select(.failurePolicy != "Fail") | .failurePolicy',
    '.metadata.labels["a"]',
    '."metadata".name',
    ".rules[]?",
    '.webhooks[]? | select(.name == "b" or .name == "c") | .clientConfig',
    '.webhooks[]? | select((.clientConfig | length) >= 1 and .name != "a") | .name',
    "select(.rules == null) | .rules",
    'select(.kind == "ClusterRole" and (.rules | length) == 0) | .rules',
    ".",
    ".spec.preserveUnknownFields",
    "select(. and .kind) | .rules",
    '. "metadata" .name',
]


def _jq_delete(expression: str, document: Any) -> Any:
    assert JQ is not None
    done = subprocess.run(
        [JQ, "-c", f"del({expression})"],
        input=json.dumps(document),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return "error"
    return json.loads(done.stdout)


def _ours(expression: str, document: Any) -> Any:
    try:
        return jqpath.delete(expression, document)
    except jqpath.JqError:
        return "error"


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_the_subset_agrees_with_hand_checked_results(expression: str) -> None:
    for document in DOCUMENTS:
        _ours(expression, document)  # never raises NotEvaluable inside the subset


def test_argo_cds_three_expressions_remove_exactly_their_field() -> None:
    aggregated = EXPRESSIONS[0]
    assert "rules" not in jqpath.delete(aggregated, ROLE)
    assert jqpath.delete(aggregated, PLAIN_ROLE) == PLAIN_ROLE  # null | length is 0
    no_ca = jqpath.delete(EXPRESSIONS[1], WEBHOOKS)
    assert [h["clientConfig"] for h in no_ca["webhooks"]] == [{}, {"service": {"name": "s"}}, {}]
    assert jqpath.delete(EXPRESSIONS[1], {"kind": "X"}) == {"kind": "X"}  # []? on null: nothing
    policy = jqpath.delete(EXPRESSIONS[2], WEBHOOKS)
    assert all("failurePolicy" not in h for h in policy["webhooks"])


@pytest.mark.skipif(JQ is None, reason="the jq binary is not installed")
@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_del_matches_the_jq_binary(expression: str) -> None:
    for document in DOCUMENTS:
        assert _ours(expression, document) == _jq_delete(expression, document), document


@pytest.mark.parametrize(
    "expression",
    [".a // .b", "map(.x)", ".a, .b", "..", "del(.a)", ".a |= 1", ".[1:2]", "[.a]", "{a: 1}",
     ".a + 1", "$x", "select(.a | test(\"x\"))", "select(.rules == [])", ".0",
     ".a . b", "select(.kind) | . rules"],
)  # fmt: skip
def test_outside_the_subset_is_not_evaluable(expression: str) -> None:
    with pytest.raises(jqpath.NotEvaluable):
        jqpath.delete(expression, ROLE)


@pytest.mark.parametrize("expression", [".metadata.name[]", "length", ".kind.x"])
def test_runtime_errors_are_errors_not_guesses(expression: str) -> None:
    with pytest.raises(jqpath.JqError):
        jqpath.delete(expression, ROLE)


keys = st.sampled_from(["a", "b", "rules", "name"])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["", "x", "Fail"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
    max_leaves=8,
)
paths = st.lists(
    st.sampled_from([".a", ".b", ".name", ".rules", "[]?", "[0]", "[-1]"]), min_size=1, max_size=4
).map("".join)


@pytest.mark.skipif(JQ is None, reason="the jq binary is not installed")
@given(document=st.dictionaries(keys, json_values, max_size=3), path=paths)
def test_random_paths_match_the_jq_binary(document: dict[str, Any], path: str) -> None:
    expression = path if path.startswith(".") else "." + path
    assert _ours(expression, document) == _jq_delete(expression, document)
