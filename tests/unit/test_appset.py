"""``layout: applicationset``: the ApplicationSets validate against Argo CD's CRD, and expand to
the Applications the app-of-apps layout renders (names aside, wave label and autosync aside)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from kfboot.catalog.load import parse_catalog
from kfboot.errors import CatalogError
from kfboot.render.tree import render
from tests import argocd_schema
from tests.appset_expand import Cluster, expand
from tests.fleet_catalogs import fleet_text

WAVE_LABEL = "kfboot.io/wave"


@pytest.fixture(scope="module")
def appset_files() -> dict[str, str]:
    return render(parse_catalog(fleet_text(layout="applicationset")))


def _appsets(files: dict[str, str]) -> list[dict[str, Any]]:
    return [yaml.safe_load(t) for p, t in files.items() if p.startswith("applicationsets/")]


def _app_of_apps_applications(clusters: str | None = None) -> dict[str, dict[str, Any]]:
    files = render(parse_catalog(fleet_text(clusters) if clusters else fleet_text()))
    apps = {}
    for path, text in files.items():
        doc = yaml.safe_load(text) if "/apps/wave-" in path else None
        if doc and doc["kind"] == "Application":
            apps[doc["metadata"]["name"]] = doc
    return apps


@pytest.mark.usefixtures("shared")
@pytest.mark.parametrize("generator", ["list", "labels"])
def test_every_applicationset_validates_strictly(generator: str) -> None:
    clusters = LABELLED if generator == "labels" else None
    text = fleet_text(clusters, layout="applicationset") if clusters else None
    files = render(parse_catalog(text or fleet_text(layout="applicationset")))
    sets = _appsets(files)
    assert len(sets) == 3
    for doc in sets:
        assert argocd_schema.application_errors(doc, "applicationset") == []


@pytest.mark.usefixtures("shared")
def test_the_applicationset_validator_is_strict(appset_files: dict[str, str]) -> None:
    doc = _appsets(appset_files)[0]
    doc["spec"]["strategy"]["rollingSync"]["steps"][0]["waves"] = [1]
    doc["spec"]["syncPolicy"] = {"applicationsSync": "sometimes"}
    errors = argocd_schema.application_errors(doc, "applicationset")
    assert any("waves" in e for e in errors), errors
    assert any("applicationsSync" in e for e in errors), errors


def _rolling(app: dict[str, Any]) -> None:
    """What the template keeps of ``automated``: RollingSync turns automated sync off on every
    generated Application and prunes in its own syncs when ``automated.prune`` is true."""
    policy = app["spec"]["syncPolicy"]
    policy["automated"] = {"prune": policy["automated"]["prune"]}


def test_the_template_prunes_in_rolling_syncs(appset_files: dict[str, str]) -> None:
    for doc in _appsets(appset_files):
        elements = doc["spec"]["generators"][0]["matrix"]["generators"][1]["list"]["elements"]
        assert elements
        for element in elements:
            assert element["app"]["syncPolicy"]["automated"] == {"prune": True}
        for app in expand(doc):
            assert app["spec"]["syncPolicy"]["automated"] == {"prune": True}


def test_the_expanded_applications_equal_the_app_of_apps_ones(
    appset_files: dict[str, str],
) -> None:
    expected = _app_of_apps_applications()
    generated = [app for doc in _appsets(appset_files) for app in expand(doc)]
    assert sorted(a["metadata"]["name"] for a in generated) == sorted(expected)
    for app in generated:
        name = app["metadata"]["name"]
        wave = app["metadata"]["labels"].pop(WAVE_LABEL)
        assert wave.startswith("wave-")
        want = expected[name]
        _rolling(want)
        assert app == want, name


def test_rolling_sync_has_one_step_per_wave_and_reverse_deletion(
    appset_files: dict[str, str],
) -> None:
    sets = {d["metadata"]["name"]: d for d in _appsets(appset_files)}
    assert sorted(sets) == [
        "kubeflow-app-of-apps-dev",
        "kubeflow-app-of-apps-hub",
        "kubeflow-app-of-apps-prod",
    ]
    hub = sets["kubeflow-app-of-apps-hub"]["spec"]
    steps = hub["strategy"]["rollingSync"]["steps"]
    values = [s["matchExpressions"][0]["values"] for s in steps]
    assert values == [[f"wave-{w}"] for w in ("minus-1", "0", "1", "2", "3", "4", "5")]
    assert hub["strategy"]["type"] == "RollingSync"
    assert hub["strategy"]["deletionOrder"] == "Reverse"
    dev = sets["kubeflow-app-of-apps-dev"]["spec"]
    first = dev["strategy"]["rollingSync"]["steps"][0]
    assert first["matchExpressions"][0]["values"] == ["wave-0"]  # dev has no Argo CD


def test_clusters_with_the_same_applications_share_one_applicationset() -> None:
    clusters = "clusters:\n  - {name: a}\n  - {name: b, server: https://b.example.com}\n"
    files = render(parse_catalog(fleet_text(clusters, layout="applicationset")))
    (only,) = _appsets(files)
    (generator,) = only["spec"]["generators"]
    elements = generator["matrix"]["generators"][0]["list"]["elements"]
    assert elements == [
        {"name": "a", "destination": {"name": "a"}},
        {"name": "b", "destination": {"server": "https://b.example.com"}},
    ]
    apps = expand(only)
    assert {a["spec"]["destination"].get("server") for a in apps} == {
        None,
        "https://b.example.com",
    }


def test_progressive_syncs_are_enabled_in_the_argocd_chart(appset_files: dict[str, str]) -> None:
    values = yaml.safe_load(appset_files["argocd/values.yaml"])
    assert values["configs"]["params"] == {
        "applicationsetcontroller.enable.progressive.syncs": "true"
    }
    default = render(parse_catalog(fleet_text()))
    assert "params" not in yaml.safe_load(default["argocd/values.yaml"])["configs"]


def test_no_app_of_apps_files_in_the_applicationset_layout(appset_files: dict[str, str]) -> None:
    assert not [p for p in appset_files if p.endswith("app-of-apps.yaml") or "/wave-" in p]
    assert "clusters/prod/base/common-services/kustomization.yaml" in appset_files


LABELLED = """clusterGenerator: labels
clusters:
  - {name: hub, hub: true, labels: {role: hub}, components: {spark: {enabled: true}}}
  - {name: dev1, labels: {env: dev}}
  - {name: dev2, labels: {env: dev, region: eu}}
  - {name: prod, labels: {env: prod}, targetRevision: v1.12.0}
"""


def test_a_cluster_generator_selects_each_set_by_its_shared_labels() -> None:
    files = render(parse_catalog(fleet_text(LABELLED, layout="applicationset")))
    sets = {d["metadata"]["name"]: d for d in _appsets(files)}
    selectors = {
        name: doc["spec"]["generators"][0]["matrix"]["generators"][0]["clusters"]["selector"]
        for name, doc in sets.items()
    }
    assert selectors == {
        "kubeflow-app-of-apps-hub": {"matchLabels": {"role": "hub"}},
        "kubeflow-app-of-apps-dev1": {"matchLabels": {"env": "dev"}},
        "kubeflow-app-of-apps-prod": {"matchLabels": {"env": "prod"}},
    }
    registered = [
        Cluster("hub", "https://kubernetes.default.svc", {"role": "hub"}),
        Cluster("dev1", "https://dev1.example.com", {"env": "dev"}),
        Cluster("dev2", "https://dev2.example.com", {"env": "dev", "region": "eu"}),
        Cluster("prod", "https://prod.example.com", {"env": "prod"}),
        Cluster("dev3", "https://dev3.example.com", {"env": "dev"}),  # registered later
    ]
    generated = {
        app["metadata"]["name"]: app for doc in sets.values() for app in expand(doc, registered)
    }
    expected = {
        name: app
        for name, app in _app_of_apps_applications(LABELLED).items()
        if not name.startswith("dev3-")
    }
    assert "dev3-kubeflow-profiles" in generated
    for name, want in expected.items():
        app = generated[name]
        app["metadata"]["labels"].pop(WAVE_LABEL)
        _rolling(want)
        assert app == want, name


@pytest.mark.parametrize(
    ("clusters", "message"),
    [
        (
            "  - {name: a, labels: {env: dev}}\n  - {name: b, labels: {region: eu}}\n",
            "clusters[0].labels: clusters a, b share no label to select them by",
        ),
        (
            "  - {name: a, labels: {env: dev}}\n"
            "  - {name: b, labels: {env: dev}, targetRevision: v1.12.0}\n",
            "clusters[0].labels: the labels clusters a share also select b, whose Applications "
            "differ",
        ),
    ],
)
def test_cluster_sets_a_cluster_generator_cannot_tell_apart_are_refused(
    clusters: str, message: str
) -> None:
    text = fleet_text("clusterGenerator: labels\nclusters:\n" + clusters, layout="applicationset")
    with pytest.raises(CatalogError) as exc:
        parse_catalog(text)
    assert any(message in f"{p.path}: {p.message}" for p in exc.value.problems), exc.value


def test_every_generated_application_is_selected_by_a_step() -> None:
    # Wave 5 of the hub holds only spark, which the catalog disables and the hub enables.
    text = fleet_text(layout="applicationset")
    for app in ("kubeflow-model-registry", "kubeflow-user-namespace"):
        text = text.replace(
            f"    application: {app}\n", f"    application: {app}\n    enabled: false\n"
        )
    for doc in _appsets(render(parse_catalog(text))):
        steps = doc["spec"]["strategy"]["rollingSync"]["steps"]
        selected = {v for s in steps for v in s["matchExpressions"][0]["values"]}
        waves = {app["metadata"]["labels"][WAVE_LABEL] for app in expand(doc)}
        assert waves == selected, doc["metadata"]["name"]


def test_a_component_without_a_namespace_expands_to_the_same_application() -> None:
    pvc = "    wave: 4\n    namespace: kubeflow\n    dependsOn: [common-services]\n"
    clusters = "clusters:\n  - {name: a}\n  - {name: b, server: https://b.example.com}\n"
    text = fleet_text(clusters, layout="applicationset")
    assert text.count(pvc) == 1
    text = text.replace(pvc, "    wave: 4\n    dependsOn: [common-services]\n")
    (doc,) = _appsets(render(parse_catalog(text)))
    apps = {a["metadata"]["name"]: a for a in expand(doc)}
    plain = render(parse_catalog(text.replace("layout: applicationset\n", "")))
    want = yaml.safe_load(plain["clusters/b/apps/wave-4/pvcviewer-controller.yaml"])
    _rolling(want)
    got = apps["b-kubeflow-pvcviewer-controller"]
    got["metadata"]["labels"].pop(WAVE_LABEL)
    assert got == want
    assert want["spec"]["destination"] == {"server": "https://b.example.com"}
