"""``layout: applicationset``: ApplicationSets whose progressive sync rolls out wave by wave.

Clusters whose Applications come out the same (same enabled components, overrides, revision)
form one cluster set, rendered as one ApplicationSet in ``applicationsets/``: a matrix of a list
generator of its clusters and a list generator of its components. ``strategy.type:
RollingSync`` has one step per wave, selecting on the wave label the template sets, so Argo CD
syncs a wave only once every Application of the earlier steps is Healthy, and
``deletionOrder: Reverse`` tears the waves down last first (argoproj/argo-cd
docs/operator-manual/applicationset/Progressive-Syncs.md; Beta since v3.3.0).

Go templates (``goTemplate: true``, ``missingkey=error``) template string fields only, so every
list and map of an Application (labels, finalizers, source, sync options, retry,
ignoreDifferences, destination) travels in the generator's elements and is laid in by
``templatePatch``, which Argo CD renders and applies as a strategic merge patch over the
template (argoproj/argo-cd applicationset/controllers/template/template.go,
``applyTemplatePatch``; docs/operator-manual/applicationset/Template.md). The template itself
holds no list, so how lists merge never matters. With Go templates a list element keeps its
structure (maps stay maps: applicationset/generators/list.go, ``GenerateParams``).
"""

from __future__ import annotations

from typing import Any

from kfboot.catalog.fleet import cluster_catalog, cluster_sets, fleet, shared_labels
from kfboot.catalog.fleet_models import Cluster
from kfboot.catalog.models import Catalog, Component
from kfboot.layout import APPSETS_DIR, CLUSTER_LABEL, WAVE_LABEL, header, wave_dir
from kfboot.render.bootstrap import application_view, component_files
from kfboot.render.fleet_view import cluster_destination, wrapper_base
from kfboot.render.templating import render_template

# ``.destination`` only with the list generator: the cluster generator's parameters are
# ``name``, ``server`` and ``metadata`` (docs/operator-manual/applicationset/Generators-Cluster.md),
# and the template then deploys by ``name``.
DESTINATION_PATCH = "  destination: {{ toJson .destination }}\n"
# Each Application's own finalizers decide what its deletion removes, as in the app-of-apps form.
# Without this the controller gives every Application whose template has no finalizers the
# resources finalizer, and templatePatch can only add to that list (ObjectMeta.finalizers
# merges): argocd, which keeps Argo CD on deletion, would delete it (argoproj/argo-cd
# applicationset/utils/utils.go, RenderTemplateParams).
OWN_FINALIZERS = {"preserveResourcesOnDeletion": True}
TEMPLATE_PATCH = """\
metadata: {{ toJson .app.metadata }}
spec:
%s  source: {{ toJson .app.source }}
  syncPolicy: {{ toJson .app.syncPolicy }}
  ignoreDifferences: {{ toJson .app.ignoreDifferences }}
"""


def component_element(
    catalog: Catalog, cc: Catalog, comp: Component, cluster: Cluster
) -> dict[str, Any]:
    """The list-generator element of one component (``cc``: the cluster's catalog): everything
    its Application carries that does not depend on the cluster. Of automated sync only
    ``prune`` is kept: RollingSync sets ``automated.enabled: false`` on every generated
    Application, syncs each step itself and prunes in those syncs only when the template's
    ``automated.prune`` is true (argo-cd v3.4.7 applicationset/controllers/
    applicationset_controller.go L1743-1749, L1790-1796); ``selfHeal`` has no effect there. On
    Argo CD before 3.4.7 ``automated`` in the template re-syncs every unsynced Application on
    each reconcile (#29141), hence the ``argocd-too-old-for-applicationset`` error."""
    view = application_view(cc, comp, wrapper_base(catalog, comp, cluster))
    policy = dict(view["syncPolicy"])
    if "automated" in policy:
        policy["automated"] = {"prune": policy["automated"]["prune"]}
    return {
        "component": comp.name,
        "app": {
            "name": view["name"],
            "wave": wave_dir(comp.wave),
            # "": no namespace (Go's omitempty drops it from the stored Application).
            "namespace": view["destination"].get("namespace", ""),
            "metadata": {
                "labels": view["labels"],
                "annotations": view["annotations"],
                "finalizers": view["finalizers"],
            },
            "source": view["source"],
            "syncPolicy": policy,
            "ignoreDifferences": view["ignoreDifferences"],
        },
    }


def cluster_element(cluster: Cluster) -> dict[str, Any]:
    # Without a namespace: the template sets it per component.
    return {"name": cluster.name, "destination": cluster_destination(cluster, None)}


def cluster_generator(catalog: Catalog, clusters: list[Cluster]) -> dict[str, Any]:
    """The catalog's clusters by name, or the hub's registered clusters by their labels."""
    if catalog.clusterGenerator == "labels":
        return {"clusters": {"selector": {"matchLabels": shared_labels(clusters)}}}
    return {"list": {"elements": [cluster_element(c) for c in clusters]}}


def appset_name(catalog: Catalog, clusters: list[Cluster]) -> str:
    """The ApplicationSet of a cluster set is named after the root and its first cluster."""
    return f"{catalog.appOfApps.name}-{clusters[0].name}"


def appset_view(catalog: Catalog, clusters: list[Cluster]) -> dict[str, Any]:
    """The ApplicationSet of one cluster set, as the object to write."""
    first = clusters[0]
    cc = cluster_catalog(catalog, first)
    elements = [component_element(catalog, cc, c, first) for c in cc.enabled_components()]
    by_labels = catalog.clusterGenerator == "labels"
    # The set's own waves: an Application no step selects is left out of the rolling sync.
    waves = sorted({c.wave for c in cc.enabled_components()})
    steps = [
        {"matchExpressions": [{"key": WAVE_LABEL, "operator": "In", "values": [wave_dir(w)]}]}
        for w in waves
    ]
    spec: dict[str, Any] = {
        "goTemplate": True,
        "goTemplateOptions": ["missingkey=error"],
        "generators": [
            {
                "matrix": {
                    "generators": [
                        cluster_generator(catalog, clusters),
                        {"list": {"elements": elements}},
                    ]
                }
            }
        ],
        "strategy": {
            "type": "RollingSync",
            "rollingSync": {"steps": steps},
            "deletionOrder": "Reverse",
        },
        "template": {
            "metadata": {
                "name": ("{{ .name }}-" if first.prefixes else "") + "{{ .app.name }}",
                "namespace": catalog.argocdNamespace,
                "labels": {CLUSTER_LABEL: "{{ .name }}", WAVE_LABEL: "{{ .app.wave }}"},
            },
            "spec": {
                "project": catalog.project,  # templatePatch may not set it (Template.md)
                "destination": {
                    **({"name": "{{ .name }}"} if by_labels else {}),
                    "namespace": "{{ .app.namespace }}",
                },
            },
        },
        "templatePatch": TEMPLATE_PATCH % ("" if by_labels else DESTINATION_PATCH),
        "syncPolicy": dict(OWN_FINALIZERS),
    }
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "ApplicationSet",
        "metadata": {
            "name": appset_name(catalog, clusters),
            "namespace": catalog.argocdNamespace,
            "labels": {**catalog.defaults.labels, **catalog.appOfApps.labels},
        },
        "spec": spec,
    }


def render_appsets(catalog: Catalog, source: str) -> dict[str, str]:
    """The files of ``layout: applicationset`` (no Makefile)."""
    files: dict[str, str] = {}
    for clusters in cluster_sets(catalog):
        view = appset_view(catalog, clusters)
        names = ", ".join(c.name for c in clusters)
        files[f"{APPSETS_DIR}/{view['metadata']['name']}.yaml"] = render_template(
            "applicationset.yaml.j2",
            header=header(source, f"the ApplicationSet of clusters {names}"),
            appset=view,
        )
    for cluster, cc in fleet(catalog):
        for comp in cc.enabled_components():
            files.update(component_files(cc, comp, source, wrapper_base(catalog, comp, cluster)))
    return files
