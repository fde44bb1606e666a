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
    text = text.replace(TAG, "")  # the chart's own appVersion
    (hit,) = [h for _, h in argocd_version_hits(parse_catalog(text))]
    assert f"installs {says}" in hit.message


@pytest.mark.usefixtures("shared")
def test_the_patch_table_agrees_with_every_chart_of_the_3_4_line() -> None:
    from kfboot.check.rules.argocd_versions import NEWEST_CHART, chart_release

    rows = (SHARED / "reference" / "argo-cd" / "chart-appversions.tsv").read_text().splitlines()
    checked = 0
    for row in rows[1:]:
        chart, app = row.split("\t")
        parts = tuple(int(p) for p in chart.split("."))
        release = tuple(int(p) for p in app.lstrip("v").split("."))
        if release[:2] == (3, 4) and parts <= NEWEST_CHART:
            assert chart_release(chart) == release, chart
            checked += 1
    assert checked > 10
    assert chart_release("10.1.2") is None  # newer than kfboot knows: some 3.4.x >= 3.4.4
    assert chart_release("9.5.11") is None  # 3.3: only the minor matters there


TAG = "      values:\n        global:\n          image:\n            tag: v3.4.7\n"


def _version_hits(layout: str | None, tag: str | None) -> list[tuple[str, str]]:
    from kfboot.catalog.load import parse_catalog
    from kfboot.check.rules.argocd_versions import argocd_version_hits
    from tests.fleet_catalogs import default_text, fleet_text

    text = fleet_text(layout=layout) if layout else default_text()
    assert TAG in text
    new = f"tag: {tag}\n"
    text = text.replace(TAG, "") if tag is None else text.replace("tag: v3.4.7\n", new)
    return [(h.rule, h.message) for _, h in argocd_version_hits(parse_catalog(text))]


def test_the_default_pin_installs_argo_cd_3_4_7_in_both_layouts() -> None:
    assert _version_hits(None, "v3.4.7") == []
    assert _version_hits("applicationset", "v3.4.7") == []


@pytest.mark.parametrize(("tag", "shown"), [(None, "3.4.4"), ("v3.4.6", "3.4.6")])
def test_applicationset_needs_argo_cd_3_4_7(tag: str | None, shown: str) -> None:
    ((rule, message),) = _version_hits("applicationset", tag)
    assert rule == "argocd-too-old-for-applicationset"
    assert f"installs Argo CD {shown}; layout: applicationset needs Argo CD 3.4.7" in message
    assert "global.image.tag: v3.4.7" in message


def test_an_app_of_apps_on_a_buggy_3_4_is_warned() -> None:
    ((rule, message),) = _version_hits(None, None)
    assert rule == "argocd-progressive-sync-bugs"
    assert message.startswith("chart argo-cd 10.1.1 installs Argo CD 3.4.4; its ApplicationSet")


def test_an_image_tag_kfboot_cannot_read_is_not_guessed() -> None:
    ((rule, message),) = _version_hits("applicationset", "latest")
    assert rule == "argocd-too-old-for-applicationset"
    assert "with global.image.tag 'latest' installs an Argo CD kfboot cannot tell" in message


# Argo CD 3.3 (latest v3.3.14) writes automated.enabled=false on a RollingSync Application and
# then compares the generated spec with cmp.Equal, so the automated {prune} kfboot's template
# now carries resets every unsynced Application on each reconcile
# (applicationset/controllers/applicationset_controller.go L1196 and L1611@v3.3.14); 3.5.0
# branched before both fixes, which 3.5.1 has (#29138, #29139).
@pytest.mark.parametrize(("tag", "shown"), [("v3.3.14", "3.3.14"), ("v3.5.0", "3.5.0")])
def test_applicationset_on_a_minor_without_the_fixes_is_too_old(tag: str, shown: str) -> None:
    ((rule, message),) = _version_hits("applicationset", tag)
    assert rule == "argocd-too-old-for-applicationset"
    assert f"installs Argo CD {shown}; layout: applicationset needs Argo CD 3.4.7" in message
    assert "3.5.1" in message


def test_applicationset_on_3_5_1_is_fine() -> None:
    assert _version_hits("applicationset", "v3.5.1") == []
    assert _version_hits(None, "v3.5.1") == []


def test_an_app_of_apps_on_3_5_0_is_warned_but_not_on_3_3() -> None:
    ((rule, message),) = _version_hits(None, "v3.5.0")
    assert rule == "argocd-progressive-sync-bugs"
    assert "installs Argo CD 3.5.0; its ApplicationSet" in message
    assert message.endswith("set global.image.tag: v3.5.1 in the argocd component's values")
    # 3.3 has neither the 3.4 cache that loses deleting Applications nor kfboot's template.
    assert _version_hits(None, "v3.3.14") == []


# argo-helm argo-cd-10.1.1: applicationSet.image.tag "defaults to global.image.tag"
# (charts/argo-cd/values.yaml L3436-3438; templates/argocd-applicationset/deployment.yaml L67),
# and the ApplicationSet controller is the one with the bugs.
APPSET_TAG = "        applicationSet:\n          image:\n            tag: {}\n"


def _with_appset_tag(layout: str | None, global_tag: str, appset_tag: str) -> list[str]:
    from kfboot.catalog.load import parse_catalog
    from kfboot.check.rules.argocd_versions import argocd_version_hits
    from tests.fleet_catalogs import default_text, fleet_text

    text = fleet_text(layout=layout) if layout else default_text()
    text = text.replace(TAG, TAG.replace("v3.4.7", global_tag) + APPSET_TAG.format(appset_tag))
    return [h.message for _, h in argocd_version_hits(parse_catalog(text))]


def test_the_applicationset_controllers_own_tag_decides_its_bugs() -> None:
    # Only the ApplicationSet controller pinned to 3.4.7: the layout is fine.
    assert _with_appset_tag("applicationset", "v3.4.4", "v3.4.7") == []
    # The ApplicationSet controller held back on 3.4.4 under a 3.4.7 global tag: too old.
    (message,) = _with_appset_tag("applicationset", "v3.4.7", "v3.4.4")
    assert "with applicationSet.image.tag v3.4.4 installs Argo CD 3.4.4;" in message
    (message,) = _with_appset_tag(None, "v3.4.7", "v3.4.5")
    assert "applicationSet.image.tag v3.4.5 installs Argo CD 3.4.5; its ApplicationSet" in message
    assert message.endswith(
        "set applicationSet.image.tag: v3.4.7 in the argocd component's values (chart 10.1.1)"
    )
