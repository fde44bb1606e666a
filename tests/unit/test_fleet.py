"""``clusters:`` with ``layout: app-of-apps``: one root per cluster, overrides, and refusals."""

from __future__ import annotations

import pytest
import yaml

from kfboot.catalog.load import parse_catalog
from kfboot.errors import CatalogError
from kfboot.render.tree import render
from tests.conftest import REPO_ROOT
from tests.fleet_catalogs import default_text, fleet_text


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    return render(parse_catalog(fleet_text()))


def _doc(files: dict[str, str], path: str) -> dict:
    doc: dict = yaml.safe_load(files[path])
    return doc


def _errors(text: str) -> list[str]:
    with pytest.raises(CatalogError) as exc:
        parse_catalog(text)
    return [f"{p.line}: {p.path}: {p.message}" for p in exc.value.problems]


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    lines = text.splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if line.strip() == needle]
    return hits[occurrence - 1]


def test_without_clusters_the_render_is_byte_for_byte_the_committed_bootstrap() -> None:
    files = render(parse_catalog(default_text()))
    root = REPO_ROOT / "bootstrap"
    on_disk = {
        p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()
    }
    assert {path: text.encode() for path, text in files.items()} == on_disk


def test_one_root_per_cluster_in_the_hub(files: dict[str, str]) -> None:
    for name in ("hub", "dev", "prod"):
        root = _doc(files, f"clusters/{name}/app-of-apps.yaml")
        # The hub keeps the single-cluster name: adding clusters: renames nothing on it.
        want = "kubeflow-app-of-apps" if name == "hub" else f"{name}-kubeflow-app-of-apps"
        assert root["metadata"]["name"] == want
        assert root["metadata"]["labels"]["kfboot.io/cluster"] == name
        assert root["spec"]["destination"] == {
            "server": "https://kubernetes.default.svc",
            "namespace": "argocd",
        }
        assert root["spec"]["source"]["path"] == f"bootstrap/clusters/{name}/apps"
    assert "app-of-apps.yaml" not in files


def test_names_are_unique_and_destinations_by_name_or_server(files: dict[str, str]) -> None:
    apps = [yaml.safe_load(t) for p, t in files.items() if "/apps/wave-" in p]
    apps = [a for a in apps if a["kind"] == "Application"]
    names = [a["metadata"]["name"] for a in apps]
    assert len(names) == len(set(names))
    dev = _doc(files, "clusters/dev/apps/wave-1/profiles.yaml")
    assert dev["metadata"]["name"] == "dev-kubeflow-profiles"
    assert dev["spec"]["destination"] == {"name": "dev", "namespace": "kubeflow"}
    hub = _doc(files, "clusters/hub/apps/wave-1/profiles.yaml")
    assert hub["spec"]["destination"]["server"] == "https://kubernetes.default.svc"
    assert "name" not in hub["spec"]["destination"]


def test_override_disables_a_component_on_one_cluster(files: dict[str, str]) -> None:
    assert "clusters/dev/apps/wave-2/jupyter.yaml" not in files
    assert "clusters/prod/apps/wave-2/jupyter.yaml" in files
    assert "jupyter" not in files["clusters/dev/apps/wave-2/kustomization.yaml"]


def test_override_changes_the_target_revision_of_one_cluster(files: dict[str, str]) -> None:
    prod = _doc(files, "clusters/prod/apps/wave-1/profiles.yaml")
    dev = _doc(files, "clusters/dev/apps/wave-1/profiles.yaml")
    assert prod["spec"]["source"]["targetRevision"] == "v1.12.0"
    assert dev["spec"]["source"]["targetRevision"] == "v1.11.0"  # the catalog's
    root = _doc(files, "clusters/prod/app-of-apps.yaml")
    assert root["spec"]["source"]["targetRevision"] == "v1.12.0"


def test_argocd_and_a_hub_only_component_render_on_the_hub_only(files: dict[str, str]) -> None:
    assert "clusters/hub/apps/wave-minus-1/argocd.yaml" in files
    assert not [p for p in files if p.startswith("clusters/dev/") and "argocd" in p]
    assert "clusters/hub/apps/wave-5/spark.yaml" in files
    assert "clusters/dev/apps/wave-5/spark.yaml" not in files
    assert "clusters/prod/apps/wave-5/spark.yaml" not in files
    assert "argocd/values.yaml" in files


def test_wrappers_are_shared_unless_an_override_changes_them(files: dict[str, str]) -> None:
    assert "apps/base/jupyter/kustomization.yaml" in files
    own = "clusters/prod/base/common-services/kustomization.yaml"
    assert "tier" in files[own]
    assert "../../../../../common/cert-manager/base" in files[own]
    prod = _doc(files, "clusters/prod/apps/wave-0/common-services.yaml")
    assert prod["spec"]["source"]["path"] == "bootstrap/clusters/prod/base/common-services"
    dev = _doc(files, "clusters/dev/apps/wave-0/common-services.yaml")
    assert dev["spec"]["source"]["path"] == "bootstrap/apps/base/common-services"


def test_an_override_of_an_unknown_component_is_refused_at_its_line() -> None:
    text = fleet_text("clusters:\n  - name: a\n    components:\n      sparkk: {enabled: false}\n")
    line = _line_of(text, "sparkk: {enabled: false}")
    assert _errors(text) == [
        f"{line}: clusters[0].components.sparkk: 'sparkk' is not a component of this catalog"
    ]


def test_two_clusters_with_the_same_name_are_refused_at_both_lines() -> None:
    text = fleet_text("clusters:\n  - name: a\n  - name: b\n  - name: a\n")
    first, second = _line_of(text, "- name: a", 1), _line_of(text, "- name: a", 2)
    assert _errors(text) == [
        f"{first}: clusters[0].name: duplicate cluster name 'a' (also clusters[2])",
        f"{second}: clusters[2].name: duplicate cluster name 'a' (also clusters[0])",
    ]


@pytest.mark.parametrize(
    ("clusters", "message"),
    [
        (
            "  - {name: a, hub: true}\n  - {name: b, hub: true}\n",
            "clusters[1].hub: only one cluster may be the hub (also clusters[0])",
        ),
        (
            "  - {name: a, components: {argocd: {enabled: true}}}\n",
            "clusters[0].components.argocd.enabled: Argo CD runs on the hub cluster only",
        ),
        (
            "  - {name: a, components: {jupyter: {values: {x: 1}}}}\n",
            "clusters[0].components.jupyter.values: values apply only to components with helm",
        ),
        (
            "  - {name: a, components: {profiles: {enabled: false}}}\n",
            "clusters[0].components.profiles: on cluster 'a', 'jupyter' depends on "
            "'profiles', which is disabled there",
        ),
    ],
)
def test_fleet_rules(clusters: str, message: str) -> None:
    found = _errors(fleet_text("clusters:\n" + clusters))
    assert any(message in e for e in found), found


def test_a_component_destination_is_refused_in_a_fleet() -> None:
    marker = "  - name: spark\n"
    text = fleet_text("clusters:\n  - {name: a}\n")
    text = text.replace(marker, marker + "    destinationName: elsewhere\n", 1)
    line = _line_of(text, "destinationName: elsewhere")
    found = _errors(text)
    assert len(found) == 1 and found[0].startswith(f"{line}: components[")
    assert "destinationName has no meaning with clusters:" in found[0]


def test_extra_resources_are_refused_in_a_fleet() -> None:
    text = fleet_text("extraResources:\n  - path: extra/ns.yaml\nclusters:\n  - {name: a}\n")
    assert _errors(text) == [
        f"{_line_of(text, '- path: extra/ns.yaml')}: extraResources: extraResources are not "
        "supported with clusters: (yet)"
    ]


def test_two_clusters_that_would_name_an_application_alike_are_refused() -> None:
    text = fleet_text("clusters:\n  - {name: x}\n  - {name: x-kubeflow}\n")
    text = text.replace("    application: kubeflow-profiles\n", "    application: katib\n")
    found = _errors(text)
    assert found == [
        f"{_line_of(text, '- {name: x-kubeflow}')}: clusters[1].name: Application "
        "'x-kubeflow-katib' of cluster 'x-kubeflow' is also one of cluster 'x' (names are "
        "<cluster>-<Application>, the hub's unprefixed unless prefixApplicationNames); rename a "
        "cluster or an Application"
    ]


def test_a_hub_name_that_a_prefixed_cluster_also_produces_is_refused() -> None:
    text = fleet_text("clusters:\n  - {name: hub, hub: true}\n  - {name: dev}\n")
    text = text.replace(
        "    application: kubeflow-profiles\n", "    application: dev-kubeflow-katib\n"
    )
    assert _errors(text) == [
        f"{_line_of(text, '- {name: dev}')}: clusters[1].name: Application 'dev-kubeflow-katib' "
        "of cluster 'dev' is also one of cluster 'hub' (names are <cluster>-<Application>, the "
        "hub's unprefixed unless prefixApplicationNames); rename a cluster or an Application"
    ]
    # Prefixed, the hub's is hub-dev-kubeflow-katib: no clash.
    prefixed = text.replace(
        "{name: hub, hub: true}", "{name: hub, hub: true, prefixApplicationNames: true}"
    )
    assert parse_catalog(prefixed).clusters is not None


@pytest.mark.parametrize("layout", ["app-of-apps", "applicationset"])
@pytest.mark.parametrize("prefix", [None, True])
def test_the_hub_keeps_single_cluster_names_unless_told_to_prefix(
    layout: str, prefix: bool | None
) -> None:
    from tests.appset_expand import expand

    hub = "{name: hub, hub: true" + (", prefixApplicationNames: true}" if prefix else "}")
    text = fleet_text(f"clusters:\n  - {hub}\n  - {{name: dev}}\n  - {{name: prod}}\n", layout)
    files = render(parse_catalog(text))
    docs = [yaml.safe_load(t) for p, t in files.items() if "/apps/wave-" in p]
    docs = [d for d in docs if d["kind"] == "Application"]
    if layout == "applicationset":
        sets = [yaml.safe_load(t) for p, t in files.items() if p.startswith("applicationsets/")]
        docs = [app for doc in sets for app in expand(doc)]
        assert len(sets) == 2  # the hub's (argocd, its own names), and dev's and prod's
    names = {d["metadata"]["labels"]["kfboot.io/cluster"]: set() for d in docs}
    for doc in docs:
        names[doc["metadata"]["labels"]["kfboot.io/cluster"]].add(doc["metadata"]["name"])
    single = {c.app_name for c in parse_catalog(text).enabled_components()}
    assert names["hub"] == ({f"hub-{n}" for n in single} if prefix else single)
    assert all(n.startswith("dev-") for n in names["dev"])
    assert all(n.startswith("prod-") for n in names["prod"])
    if layout == "app-of-apps":
        root = _doc(files, "clusters/hub/app-of-apps.yaml")["metadata"]["name"]
        assert root == ("hub-kubeflow-app-of-apps" if prefix else "kubeflow-app-of-apps")


def test_layout_applicationset_without_clusters_is_refused_at_its_line() -> None:
    text = default_text() + "layout: applicationset\n"
    (error,) = _errors(text)
    assert error.startswith(f"{_line_of(text, 'layout: applicationset')}: layout: ")
    assert error.endswith(
        "layout: applicationset needs clusters: (one cluster: clusters: [{name: "
        "in-cluster, hub: true, server: https://kubernetes.default.svc}])"
    )
