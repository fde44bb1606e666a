"""The Application health check kfboot installs into argocd-cm, run in a real Lua interpreter.

Argo CD evaluates it with ``obj`` bound to the child Application; an app of apps only waits for
a wave when this reports Progressing until the child is Healthy.
"""

from __future__ import annotations

from typing import Any

import pytest

from kfboot.render.bootstrap import health_check_lua

lupa = pytest.importorskip("lupa")


def health(obj: dict[str, Any]) -> tuple[str, str]:
    lua = lupa.LuaRuntime(unpack_returned_tuples=True)

    def to_lua(value: Any) -> Any:
        if isinstance(value, dict):
            return lua.table_from({k: to_lua(v) for k, v in value.items()})
        return value

    lua.globals().obj = to_lua(obj)
    result = lua.execute(health_check_lua())
    return result["status"], result["message"]


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        ({}, ("Progressing", "")),
        ({"status": {}}, ("Progressing", "")),
        ({"status": {"health": {"status": "Healthy"}}}, ("Healthy", "")),
        (
            {"status": {"health": {"status": "Degraded", "message": "Back-off pulling image"}}},
            ("Degraded", "Back-off pulling image"),
        ),
        ({"status": {"health": {"status": "Missing"}}}, ("Missing", "")),
    ],
)
def test_health_passes_the_child_status_through(
    obj: dict[str, Any], expected: tuple[str, str]
) -> None:
    assert health(obj) == expected
