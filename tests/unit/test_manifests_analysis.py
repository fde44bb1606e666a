"""The ordering rules, pure: synthetic components and objects, no kustomize."""

from __future__ import annotations

from kfboot.manifests.analysis import Unit, analyse
from kfboot.manifests.objects import Obj


def at(name: str) -> tuple[str, int, int]:
    return (f"{name}.yaml", 1, 1)


def at_dep(name: str, dep: str) -> tuple[str, int, int]:
    return (f"{name}-{dep}.yaml", 1, 1)


def unit(
    name: str,
    wave: int,
    *objects: Obj,
    ns: str = "apps",
    deps: tuple[str, ...] = (),
    create: bool = True,
) -> Unit:
    return Unit(name, wave, ns, create, deps, True, objects)


def crd(kind: str, scope: str = "Namespaced") -> Obj:
    plural = kind.lower() + "s"
    return Obj(
        "apiextensions.k8s.io/v1",
        "CustomResourceDefinition",
        "",
        f"{plural}.x.io",
        (),
        ("x.io", kind, scope),
    )


def cr(kind: str, name: str, namespace: str = "") -> Obj:
    return Obj("x.io/v1", kind, namespace, name)


def ns(name: str, **labels: str) -> Obj:
    return Obj("v1", "Namespace", "", name, tuple(sorted(labels.items())))


def deploy(name: str, namespace: str) -> Obj:
    return Obj("apps/v1", "Deployment", namespace, name)


def texts(units: list[Unit]) -> list[str]:
    return [f.text() for f in analyse(units, at, at_dep).findings]


def test_crd_from_the_same_component_or_an_earlier_wave_is_fine() -> None:
    units = [
        unit("base", 0, crd("Widget"), cr("Widget", "w0", "apps")),
        unit("app", 1, cr("Widget", "w1", "apps"), deps=("base",)),
    ]
    result = analyse(units, at, at_dep)
    assert result.findings == []
    assert result.needs == {"app": {"base": {"CustomResourceDefinition for Widget.x.io"}}}


def test_scope_decides_where_a_custom_resource_lands() -> None:
    units = [
        unit("base", 0, crd("Cluster", "Cluster"), crd("Local"), ns("apps")),
        # A cluster-scoped kind needs no namespace; a namespaced one without a namespace lands
        # in the destination namespace, which this component neither creates nor gets created.
        unit(
            "app", 1, cr("Cluster", "c"), cr("Local", "l"), ns="other", create=False, deps=("base",)
        ),
    ]
    assert texts(units) == [
        "app.yaml:1:1: [error] manifests-namespace-missing: Local other/l in component app "
        "(wave 1): namespace other is created by no component of an earlier wave, nor by this "
        "component, nor by CreateNamespace=true on its Application",
    ]


def test_system_namespaces_and_earlier_create_namespace_exist() -> None:
    units = [
        unit("first", 0, ns="shared"),
        unit(
            "second",
            1,
            deploy("a", "kube-system"),
            deploy("b", "shared"),
            ns="x",
            create=False,
            deps=("first",),
        ),
    ]
    result = analyse(units, at, at_dep)
    assert result.findings == []
    assert result.needs == {"second": {"first": {"namespace shared"}}}


def test_labelled_namespace_from_the_same_wave() -> None:
    units = [
        unit("mesh", 1, ns("apps", **{"istio-injection": "enabled"}), ns="mesh"),
        unit("app", 1, deploy("a", "apps"), deploy("b", "apps")),
    ]
    assert texts(units) == [
        "app.yaml:1:1: [error] manifests-namespace-labels-order: Deployment apps/a (and 1 more) "
        "in component app (wave 1) runs in namespace apps, which component mesh defines with "
        "labels (istio-injection) in the same wave 1, and Argo CD syncs a wave's Applications "
        "in parallel; CreateNamespace=true would create it first without them",
    ]


def test_transitive_depends_on_covers_a_need_and_duplicates_aggregate() -> None:
    shared = [Obj("v1", "ConfigMap", "apps", n) for n in ("a", "b", "c")]
    units = [
        unit("base", 0, crd("Widget"), *shared),
        unit("middle", 1, deps=("base",)),
        unit("app", 2, cr("Widget", "w", "apps"), *shared, deps=("middle",)),
    ]
    assert texts(units) == [
        "app.yaml:1:1: [error] manifests-duplicate-object: ConfigMap apps/a (and 2 more) is "
        "produced by component app (wave 2) and by component base (wave 0); the two "
        "Applications would fight over it forever",
    ]


def test_unanalysed_components_soften_missing_providers() -> None:
    skipped = Unit("remote", 0, "apps", True, (), False)
    units = [skipped, unit("app", 1, cr("Widget", "w", "apps"))]
    assert texts(units) == [
        "app.yaml:1:1: [warning] manifests-crd-unverified: Widget apps/w in component app "
        "(wave 1): no analysed component provides the CustomResourceDefinition for Widget.x.io; "
        "it may come from remote, which could not be analysed",
    ]
