"""An Application's destination: one view for render (server or name, namespace when set), and
check's findings on it point at the catalog field that decides it."""

from __future__ import annotations

from kfboot.catalog.load import parse_catalog
from kfboot.check.rules.catalog_wide import origin
from kfboot.render.destination import component_destination, destination

CATALOG = """\
repoURL: https://github.com/acme/platform.git
destinationName: prod
waves: [{wave: 0, label: Zero}]
components:
  - {name: a, wave: 0, namespace: team, paths: [a]}
  - {name: b, wave: 0, paths: [b], destinationServer: "https://10.0.0.1:6443"}
"""


def test_destination_is_a_server_or_a_name_and_a_namespace_when_set() -> None:
    assert destination(None, None, None) == {"server": "https://kubernetes.default.svc"}
    assert destination("https://x.example", None, "ns") == {
        "server": "https://x.example",
        "namespace": "ns",
    }
    assert destination("https://x.example", "prod", None) == {"name": "prod"}
    catalog = parse_catalog(CATALOG)
    a, b = catalog.components
    assert component_destination(catalog, a) == {"name": "prod", "namespace": "team"}
    assert component_destination(catalog, b) == {"server": "https://10.0.0.1:6443"}


def test_findings_on_the_destination_point_at_the_deciding_field() -> None:
    catalog = parse_catalog(CATALOG)
    assert origin(catalog, 0, ("spec", "destination", "name")) == ("destinationName",)
    assert origin(catalog, 0, ("spec", "destination", "namespace")) == (
        "components",
        0,
        "namespace",
    )
    assert origin(catalog, 1, ("spec", "destination")) == ("components", 1, "destinationServer")


def test_both_server_and_name_are_refused() -> None:
    import pytest

    from kfboot.errors import CatalogError

    with pytest.raises(CatalogError, match="not both"):
        parse_catalog(
            CATALOG.replace(
                "destinationName: prod",
                "destinationName: prod\ndestinationServer: https://k.example",
            )
        )
