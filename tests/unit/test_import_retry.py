"""Import keeps what Argo CD does about retries when an Application has no retry policy."""

from __future__ import annotations

from typing import Any

from kfboot.importing.app_files import AppDoc
from kfboot.importing.sync_policy import retry_of


def _retry(sync: dict[str, Any]) -> dict[str, Any]:
    data = {"metadata": {"name": "a"}, "spec": {"syncPolicy": sync}}
    return retry_of(AppDoc("a.yaml", "a.yaml", data, {}), sync, [])


def test_an_automated_application_without_retry_keeps_argo_cds_five_retries() -> None:
    # argo-cd controller/appcontroller.go: auto-sync's operation carries Limit 5 by default.
    assert _retry({"automated": {}})["limit"] == 5
    assert _retry({"automated": {"enabled": True, "prune": True}})["limit"] == 5


def test_a_manual_application_without_retry_has_none() -> None:
    assert _retry({})["limit"] == 0
    assert _retry({"automated": {"enabled": False}})["limit"] == 0


def test_a_retry_policy_is_carried_as_written() -> None:
    assert _retry({"automated": {}, "retry": {"limit": 0}})["limit"] == 0
    assert _retry({"automated": {}, "retry": {"limit": -1}})["limit"] == -1
