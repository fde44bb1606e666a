"""Which Argo CD an argo-cd chart installs, checked against the reference table where present."""

from __future__ import annotations

import pytest

from kfboot.check.rules.argocd_versions import argocd_minor, supported
from tests.conftest import SHARED


@pytest.mark.parametrize(
    ("chart", "minor"),
    [
        ("10.1.1", (3, 4)),
        ("9.5.12", (3, 4)),
        ("9.5.11", (3, 3)),
        ("9.4.0", (3, 3)),
        ("9.3.5", (3, 2)),
        ("8.5.9", (3, 1)),
        ("5.0.0", None),
        ("1.2.x", None),
    ],
)
def test_argocd_minor(chart: str, minor: tuple[int, int] | None) -> None:
    assert argocd_minor(chart) == minor


def test_support_is_the_three_newest_minors() -> None:
    assert [m for m in ((3, 1), (3, 2), (3, 3), (3, 4), (3, 5)) if supported(m)] == [
        (3, 3),
        (3, 4),
        (3, 5),
    ]
    assert not supported((2, 14))


@pytest.mark.usefixtures("shared")
def test_the_table_agrees_with_every_chart_release_since_5_55() -> None:
    rows = (SHARED / "reference" / "argo-cd" / "chart-appversions.tsv").read_text().splitlines()
    checked = 0
    for row in rows[1:]:
        chart, app = row.split("\t")
        parts = tuple(int(p) for p in chart.split("."))
        if parts < (5, 55, 0):
            continue
        major, minor = app.lstrip("v").split(".")[:2]
        assert argocd_minor(chart) == (int(major), int(minor)), chart
        checked += 1
    assert checked > 100


@pytest.mark.parametrize(
    ("chart", "says"),
    [("5.0.0", "an Argo CD older than 2.10"), ("9.4.0-rc1", "an Argo CD kfboot cannot tell")],
)
def test_an_unknown_chart_is_not_called_old_unless_it_is(chart: str, says: str) -> None:
    from kfboot.catalog.load import parse_catalog
    from kfboot.check.rules.argocd_versions import argocd_version_hits
    from tests.fleet_catalogs import default_text

    text = default_text().replace("      version: 10.1.1\n", f"      version: {chart}\n")
    (hit,) = [h for _, h in argocd_version_hits(parse_catalog(text))]
    assert f"installs {says}" in hit.message
