"""Helm --set parameters as values (issue 20, item 8: nothing of Argo CD's chart is lost)."""

from __future__ import annotations

from typing import Any

import pytest

from kfboot.importing import helm_set


@pytest.mark.parametrize(
    ("name", "value", "force", "expected"),
    [
        ("server.insecure", "true", False, {"server": {"insecure": True}}),
        ("server.insecure", "true", True, {"server": {"insecure": "true"}}),
        (
            r"configs.params.server\.insecure",
            "true",
            False,
            {"configs": {"params": {"server.insecure": True}}},
        ),
        (
            "server.extraArgs[1]",
            "--insecure",
            False,
            {"server": {"extraArgs": [None, "--insecure"]}},
        ),
        ("a[0].b", "1", False, {"a": [{"b": 1}]}),
        ("tag", "012", False, {"tag": "012"}),
        ("n", "0", False, {"n": 0}),
        ("n", "-3", False, {"n": -3}),
        ("x", "null", False, {"x": None}),
        ("l", "{a,b}", False, {"l": ["a", "b"]}),
        ("s", r"a\,b", False, {"s": "a,b"}),
    ],
)
def test_set(name: str, value: str, force: bool, expected: dict[str, Any]) -> None:
    values: dict[str, Any] = {}
    helm_set.apply(values, name, value, force)
    assert values == expected


def test_set_merges_into_existing_values() -> None:
    values: dict[str, Any] = {"server": {"replicas": 2, "extraArgs": ["--a"]}}
    helm_set.apply(values, "server.extraArgs[0]", "--b", False)
    helm_set.apply(values, "server.service.type", "NodePort", False)
    assert values == {
        "server": {"replicas": 2, "extraArgs": ["--b"], "service": {"type": "NodePort"}}
    }


@pytest.mark.parametrize("name", ["", "[0]", "a..b", "a[x]", "a[0"])
def test_names_helm_refuses(name: str) -> None:
    with pytest.raises(ValueError):
        helm_set.apply({}, name, "v", False)
