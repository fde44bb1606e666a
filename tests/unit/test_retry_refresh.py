"""``retry.refresh``: every retry uses the latest commit, so a fix pushed while an unlimited retry
runs is synced (argo-cd v3.4.7 controller/appcontroller.go L1524-1528; without it the operation
stays Running on the broken commit and auto-sync is skipped, L2241-2244)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from kfboot.catalog.load import parse_catalog
from kfboot.catalog.presets import resolve
from kfboot.check.rules.catalog_wide import catalog_hits
from kfboot.importing.app_files import AppDoc
from kfboot.importing.sync_policy import retry_of
from kfboot.render.tree import render
from tests.fleet_catalogs import default_text, fleet_text


def _policies(files: dict[str, str]) -> list[tuple[str, dict[str, Any]]]:
    """(where, syncPolicy) of every Application and every ApplicationSet element."""
    found = []
    for path, text in files.items():
        if not path.endswith(".yaml"):
            continue
        for doc in yaml.safe_load_all(text):
            if not isinstance(doc, dict):
                continue
            if doc.get("kind") == "Application":
                found.append((path, doc["spec"]["syncPolicy"]))
            elif doc.get("kind") == "ApplicationSet":
                assert "syncPolicy: {{ toJson .app.syncPolicy }}" in doc["spec"]["templatePatch"]
                matrix = doc["spec"]["generators"][0]["matrix"]["generators"]
                for element in matrix[1]["list"]["elements"]:
                    found.append((f"{path}:{element['component']}", element["app"]["syncPolicy"]))
    return found


def _catalogs() -> list[tuple[str, str]]:
    return [
        ("default", default_text()),
        ("preset v1.11", resolve("v1.11")[0].text()),
        ("preset 26.03", resolve("26.03")[0].text()),
        ("fleet app-of-apps", fleet_text()),
        ("fleet applicationset", fleet_text(layout="applicationset")),
    ]


@pytest.mark.parametrize(("name", "text"), _catalogs(), ids=[n for n, _ in _catalogs()])
def test_every_application_and_applicationset_template_refreshes_on_retry(
    name: str, text: str
) -> None:
    policies = _policies(render(parse_catalog(text)))
    assert len(policies) > 10, name
    for where, policy in policies:
        assert policy["retry"]["refresh"] is True, where
        assert policy["retry"]["limit"] == -1, where


def test_the_catalogs_say_refresh_true_in_defaults() -> None:
    for name, text in _catalogs()[:3]:
        data = yaml.safe_load(text)
        assert data["defaults"]["retry"]["refresh"] is True, name


def test_refresh_false_is_omitted_as_argo_cd_does() -> None:
    files = render(parse_catalog(_without_refresh(default_text())))
    apps = [p for _, p in _policies(files)]
    assert apps and all("refresh" not in p["retry"] for p in apps)


def _retry(sync: dict[str, Any]) -> dict[str, Any]:
    data = {"metadata": {"name": "a"}, "spec": {"syncPolicy": sync}}
    return retry_of(AppDoc("a.yaml", "a.yaml", data, {}), sync, [])


def test_import_keeps_a_repositorys_own_retry_as_it_is() -> None:
    assert _retry({"automated": {}, "retry": {"limit": -1}})["refresh"] is False
    assert _retry({"automated": {}, "retry": {"limit": -1, "refresh": True}})["refresh"] is True
    # No retry policy: auto-sync's own Limit 5, which never refreshes.
    assert _retry({"automated": {}})["refresh"] is False


def _refresh_hits(text: str) -> list[str]:
    return [
        h.message for _, h in catalog_hits(parse_catalog(text)) if h.rule == "retry-without-refresh"
    ]


NO_REFRESH = "  retry:\n    limit: -1\n    refresh: false\n"


def _without_refresh(text: str) -> str:
    out = text.replace("  retry:\n    limit: -1\n    refresh: true\n", NO_REFRESH, 1)
    assert out != text
    return out


def test_an_unlimited_retry_without_refresh_is_a_warning() -> None:
    assert _refresh_hits(default_text()) == []
    (msg,) = _refresh_hits(_without_refresh(default_text()))
    assert msg.startswith("defaults.retry retries for ever") and "(set refresh: true)" in msg


def test_a_finite_retry_without_refresh_is_not_this_warning() -> None:
    text = _without_refresh(default_text()).replace(
        NO_REFRESH, "  retry:\n    limit: 3\n    refresh: false\n"
    )
    assert _refresh_hits(text) == []


def test_no_warning_on_an_argo_cd_without_retry_refresh() -> None:
    # Argo CD 3.1 (chart 8.5.9, or the image tag): the field arrived in 3.2.
    text = _without_refresh(default_text()).replace("tag: v3.4.7\n", "tag: v3.1.8\n")
    assert _refresh_hits(text) == []


def test_a_component_and_a_cluster_override_without_refresh_are_named() -> None:
    text = fleet_text().replace(
        "      jupyter: {enabled: false}\n",
        "      jupyter: {enabled: false}\n      katib: {retry: {limit: -1, refresh: false}}\n",
    )
    (msg,) = _refresh_hits(text)
    assert msg.startswith("clusters.1.components.katib.retry retries for ever"), msg
