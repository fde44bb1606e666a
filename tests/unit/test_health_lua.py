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
        (
            {
                "status": {
                    "health": {"status": "Healthy"},
                    "operationState": {"phase": "Succeeded", "message": "successfully synced"},
                }
            },
            ("Healthy", ""),
        ),
        (
            {
                "status": {
                    "health": {"status": "Degraded", "message": "crash loop"},
                    "operationState": {"phase": "Running"},
                }
            },
            ("Degraded", "crash loop"),
        ),
        (
            {
                "status": {
                    "health": {"status": "Missing"},
                    "operationState": {"phase": "Running", "message": "waiting"},
                }
            },
            ("Missing", ""),
        ),
    ],
)
def test_health_passes_the_child_status_through(
    obj: dict[str, Any], expected: tuple[str, str]
) -> None:
    assert health(obj) == expected


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        (
            {"phase": "Running", "message": "one or more tasks failed. Retrying attempt #3"},
            "sync operation running: one or more tasks failed. Retrying attempt #3",
        ),
        ({"phase": "Running"}, "sync operation running: "),
    ],
)
def test_a_healthy_child_whose_operation_runs_is_progressing(
    operation: dict[str, Any], message: str
) -> None:
    # Since Argo CD 3.4.0 (#25962) a child whose wave-1 objects failed to apply and are being
    # retried is Healthy; its operation stays Running between retries (argo-cd v3.4.7
    # controller/appcontroller.go L1579-1589), so the next wave must wait on that.
    obj = {"status": {"health": {"status": "Healthy"}, "operationState": operation}}
    assert health(obj) == ("Progressing", message)
