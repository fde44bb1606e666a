"""The catalog's data model: strict, frozen pydantic v2 models for ``waves.yaml``.

Field-level rules live here (types, shapes, Kubernetes name formats, unknown keys). Rules that
relate several fields (unique names, references, wave order, cycles) live in ``crossfield.py``
so that every such problem can point at the exact YAML node that causes it; a pydantic model
validator could only point at the model as a whole.

Every field carries an attribute docstring: it is the field's description in the JSON Schema
(``kfboot schema``, ``waves.schema.json``) and in docs/catalog-reference.md.
``kfboot.docs.schema``
reads them in one pass when it generates the schema, rather than pydantic's
``use_attribute_docstrings``, which re-reads the source for every class at import time and would
slow down every command. A field without a docstring fails the tests.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StringConstraints

from kfboot.catalog.fieldtypes import (
    DNS1123_LABEL,
    Annotations,
    Labels,
    Name,
    RelPath,
    RepoURL,
    Revision,
    SyncWave,
    Text,
    _reason,
    _rule_id,
)
from kfboot.catalog.fleet_models import Cluster
from kfboot.catalog.modelbase import Model
from kfboot.catalog.resourcewaves import ResourceWave
from kfboot.catalog.source_list_models import Source
from kfboot.catalog.sources_models import (
    ExtraResource,
    Helm,
    HelmOptions,
    KustomizeOptions,
    Patch,
    PatchTarget,
    SourceOptions,
)
from kfboot.catalog.sync_models import Automated, Backoff, Retry
from kfboot.check.rules.registry import IGNORABLE

__all__ = [
    "DNS1123_LABEL",
    "Automated",
    "Backoff",
    "ExtraResource",
    "Helm",
    "HelmOptions",
    "KustomizeOptions",
    "Model",
    "Patch",
    "PatchTarget",
    "Retry",
    "Source",
    "SourceOptions",
]
# ``automated: false``: the Application syncs only when someone syncs it (no syncPolicy.automated).
Manual = Literal[False]


class IgnoreDifference(Model):
    """One Argo CD ``spec.ignoreDifferences`` entry, in Argo CD's own shape."""

    group: str | None = Field(None, examples=["admissionregistration.k8s.io"])
    """API group of the resources to match; unset or empty for the core group."""
    kind: Annotated[str, StringConstraints(min_length=1)] = Field(
        examples=["MutatingWebhookConfiguration"]
    )
    """Kind of the resources to match; it must exist in that group (``kfboot check`` verifies)."""
    name: str | None = None
    """Match only the resource of this name."""
    namespace: str | None = None
    """Match only resources in this namespace."""
    jsonPointers: list[str] | None = None
    """JSON pointers (RFC 6901) of fields to ignore. Prefer ``jqPathExpressions`` for lists: a
    pointer such as ``/webhooks/0/clientConfig/caBundle`` matches the first item only."""
    jqPathExpressions: list[str] | None = Field(
        None, examples=[[".webhooks[]?.clientConfig.caBundle"]]
    )
    """jq path expressions of fields to ignore; ``[]?`` covers every item of a list."""
    managedFieldsManagers: list[str] | None = None
    """Ignore every field owned by these field managers (server-side apply)."""


class Defaults(Model):
    """What every component inherits unless it overrides it."""

    automated: Automated | Manual = Automated()
    """Automated sync (prune and selfHeal on), or ``false`` for manual sync: the Applications
    then sync only when someone syncs them."""
    syncOptions: list[str] = ["CreateNamespace=true", "ServerSideApply=true"]
    """Argo CD sync options of every Application (``syncPolicy.syncOptions``). A component's own
    ``syncOptions`` replace this list."""
    retry: Retry = Retry()
    """How a failed sync is retried."""
    finalizers: list[str] = ["resources-finalizer.argocd.argoproj.io"]
    """Finalizers of every Application: with the resources finalizer, deleting an Application
    deletes what it deployed. The argocd component never carries it."""
    labels: Labels = {"app.kubernetes.io/part-of": "kubeflow"}
    """Labels of every Application (``make delete-all-apps`` selects on ``part-of``). A
    component's labels are merged over these."""
    annotations: Annotations = {}
    """Annotations of every Application; a component's annotations are merged over these."""
    ignoreDifferences: list[IgnoreDifference] = []
    """``ignoreDifferences`` of every Application (the caBundle that cert-manager injects, for
    example). A component's entries are added to these."""


class Ignore(Model):
    """One ``kfboot check`` rule switched off for one component, with the reason why."""

    rule: Annotated[
        str, AfterValidator(_rule_id), Field(json_schema_extra={"enum": list(IGNORABLE)})
    ]
    """The id of the rule to switch off (``kfboot check --list-rules``); the schema lists the
    rules that can be."""
    reason: Annotated[str, Field(max_length=2000), AfterValidator(_reason)]
    """Why the rule does not apply here (required, not empty)."""


class Wave(Model):
    """One sync wave: Argo CD applies a wave's Applications together, after earlier waves."""

    wave: SyncWave = Field(examples=[0])
    """The wave number (the ``argocd.argoproj.io/sync-wave`` annotation); lower waves go first,
    negative numbers are allowed. Waves are listed in ascending order."""
    label: Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=r"^[^\n]+$")] = (
        Field(examples=["Foundation"])
    )
    """A short name for the wave, shown in summaries and in the graph."""
    description: Text = ""
    """What the wave installs, written as a comment into the generated kustomizations."""
    deployTime: Annotated[str, StringConstraints(max_length=40)] = Field("", examples=["~2 min"])
    """How long the wave typically takes to become Healthy (informational)."""


class Wrapper(Model):
    """Extra kustomize settings for a component's generated wrapper kustomization."""

    namespace: Name | None = None
    """Set this namespace on every namespaced resource the wrapper builds (kustomize
    ``namespace``), for upstream paths that set none of their own."""
    patches: list[Patch] = []
    """kustomize patches applied on top of the component's paths."""


class ArgoCDInstall(Model):
    """Argo CD managing itself: the chart ``bootstrap/argocd/`` inflates, and its settings."""

    repoURL: Annotated[str, StringConstraints(pattern=r"^(https?|oci)://\S+$")] = (
        "https://argoproj.github.io/argo-helm"
    )
    """The argo-cd chart repository."""
    chart: str = "argo-cd"
    """The chart's name."""
    version: Annotated[str, StringConstraints(pattern=r"^\S+$")] = "10.1.1"
    """The pinned chart version."""
    releaseName: Name = "argocd"
    """The Helm release name."""
    applicationHealthCheck: bool = True
    """Put the Lua health check for Applications into ``argocd-cm``. Without it an app of apps
    does not wait for a wave to be Healthy before starting the next (Argo CD 1.8 and later)."""
    repositoryName: Name = "kubeflow-manifests"
    """The name of the Argo CD repository entry for the catalog's git repository."""
    values: dict[str, Any] = {}
    """Chart values merged over the ones kfboot generates (``configs.cm``,
    ``configs.repositories``)."""


class Component(Model):
    """One Argo CD Application: a Kubeflow component, its wave and its source."""

    name: Name = Field(examples=["jupyter"])
    """The component's name (a DNS-1123 label): its file names in ``bootstrap/`` and the name
    ``dependsOn`` refers to."""
    application: Name | None = Field(None, examples=["kubeflow-jupyter"])
    """The Argo CD Application's name (default: the component name)."""
    description: Text = ""
    """What the component is, for people reading the catalog."""
    wave: SyncWave = Field(examples=[2])
    """The sync wave the component belongs to; it must be declared in ``waves``."""
    namespace: Name | None = Field(None, examples=["kubeflow"])
    """The Application's destination namespace; without it the Application has none
    (cluster-scoped or multi-namespace content that sets its own namespaces)."""
    project: Name | None = None
    """The Argo CD project of this Application (default: the catalog's ``project``)."""
    destinationServer: Annotated[str, StringConstraints(pattern=r"^https://\S+$")] | None = None
    """Deploy to this cluster (its API server URL) instead of the catalog's destination."""
    destinationName: Name | None = None
    """Deploy to the cluster Argo CD knows by this name instead of the catalog's destination;
    at most one of ``destinationServer`` and ``destinationName``."""
    enabled: bool = True
    """``false`` leaves the component out of ``bootstrap/`` (nothing may depend on it)."""
    dependsOn: list[Name] = Field([], examples=[["profiles", "admission-webhook"]])
    """Components that must be Healthy before this one starts; each must sit in an earlier
    wave. Argo CD has no such field: kfboot enforces it through the waves."""
    paths: list[RelPath] = Field(
        [], examples=[["applications/jupyter/notebook-controller/upstream/overlays/kubeflow"]]
    )
    """Directories in the git repository, relative to its root. One path is the Application's
    source path; several are combined by a generated wrapper kustomization in
    ``bootstrap/apps/base/<name>/``. A component has exactly one of ``paths``, ``helm``,
    ``argocd`` and ``sources``."""
    repoURL: RepoURL | None = None
    """Read this component's paths from another git repository (default: the catalog's). With
    several paths the Application gets one source per path (``sources:``), since a wrapper
    under ``bootstrap/`` can only reach the catalog's repository."""
    targetRevision: Revision | None = None
    """Read this component's paths at another revision (default: the catalog's)."""
    helm: Helm | None = None
    """Install the component from a Helm chart repository instead of git paths."""
    argocd: ArgoCDInstall | None = None
    """This component is Argo CD itself, managed from git through ``bootstrap/argocd/``."""
    sources: list[Source] = Field(
        [],
        examples=[
            [
                {
                    "repoURL": "https://charts.example.com",
                    "chart": "app",
                    "targetRevision": "1.0.0",
                    "helm": {"valueFiles": ["$values/app/values.yaml"]},
                },
                {"ref": "values"},
            ]
        ],
    )
    """Argo CD sources in full, rendered as the Application's ``spec.sources``: git paths, Helm
    charts, ``ref:`` sources whose files the others read as ``$name/...``, with every option
    Argo CD has. A source's repoURL defaults to the catalog's. Instead of ``paths``, ``helm``
    and ``argocd``, for what those cannot say."""
    kustomize: Wrapper | None = None
    """Settings of the generated wrapper kustomization (its presence forces a wrapper, even for
    one path)."""
    source: SourceOptions | None = None
    """Argo CD options of the path sources (``helm``, ``kustomize``), as the Application's
    source carries them; not with a wrapper (several paths of the catalog's repository)."""
    automated: Automated | Manual | None = None
    """Replaces ``defaults.automated`` (``false``: manual sync)."""
    syncOptions: list[str] | None = Field(
        None, examples=[["CreateNamespace=true", "ServerSideApply=true"]]
    )
    """Replaces ``defaults.syncOptions`` (the whole list)."""
    retry: Retry | None = None
    """Replaces ``defaults.retry``."""
    finalizers: list[str] | None = None
    """Replaces ``defaults.finalizers``."""
    labels: Labels = {}
    """Labels merged over ``defaults.labels``."""
    annotations: Annotations = {}
    """Annotations merged over ``defaults.annotations``."""
    ignoreDifferences: list[IgnoreDifference] = []
    """Entries added to ``defaults.ignoreDifferences``."""
    ignore: list[Ignore] = []
    """``kfboot check`` rules switched off for this component, each with the reason why."""
    resourceWaves: list[ResourceWave] = Field(
        [], examples=[[{"group": "cert-manager.io", "kind": "ClusterIssuer", "wave": 1}]]
    )
    """Sync waves inside the component's Application, set on the matching objects by patches in
    its wrapper kustomization (a single-path component gets one): Argo CD waits for each wave's
    objects to be healthy before the next, e.g. a webhook's Deployment before the objects the
    webhook validates."""

    @property
    def app_name(self) -> str:
        return self.application or self.name

    @property
    def needs_wrapper(self) -> bool:
        return (
            self.helm is None
            and self.argocd is None
            and not self.sources
            and not self.multi_source
            and (len(self.paths) > 1 or self.kustomize is not None or bool(self.resourceWaves))
        )

    @property
    def multi_source(self) -> bool:
        """Several paths of another repository: one Application source per path."""
        return (
            self.repoURL is not None
            and len(self.paths) > 1
            and self.kustomize is None
            and not self.resourceWaves
        )


class AppOfApps(Model):
    """The root Application that syncs every other one."""

    name: Name = "kubeflow-app-of-apps"
    """The root Application's name."""
    namespace: Name = "argocd"
    """Its destination namespace: where the child Applications are created."""
    syncOptions: list[str] = ["CreateNamespace=true"]
    """Its sync options. Never ``ServerSideApply=true``: Argo CD once ignored the children's
    sync waves then (argo-cd issue 13320, fixed by gitops-engine #699); the root needs nothing
    server-side apply gives, so it stays client-side."""
    labels: Labels = {}
    """Labels merged over ``defaults.labels``."""
    automated: Automated | Manual | None = None
    """Replaces ``defaults.automated`` for the root (``false``: manual sync)."""
    retry: Retry | None = None
    """Replaces ``defaults.retry`` for the root."""
    finalizers: list[str] = []
    """The root's finalizers; none by default (``defaults.finalizers`` are the components').
    With ``resources-finalizer.argocd.argoproj.io``, deleting the root deletes every Kubeflow
    Application (highest wave first in argo-cd v3.4.7 ``controller/sort_delete.go``, which the
    docs do not promise); tear down with ``make delete-all-apps`` instead, wave by wave."""


# The namespaces a Kubeflow install must have healthy; ``kfboot verify`` adds the
# catalog's destination namespaces to them.
VERIFY_NAMESPACES = [
    "cert-manager",
    "istio-system",
    "auth",
    "oauth2-proxy",
    "knative-serving",
    "kubeflow",
    "kubeflow-system",
]


class Catalog(Model):
    """The whole ``waves.yaml``."""

    preset: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")] | None = None
    """The kubeflow/manifests layout the paths follow (``kfboot init --list``); informational,
    recorded by ``kfboot init``."""
    repoURL: RepoURL = Field(examples=["https://github.com/your-org/manifests.git"])
    """The git repository every Application reads from: your fork of kubeflow/manifests with
    ``bootstrap/`` committed in it (``https://``, ``ssh://`` or ``git@host:`` form, no
    credentials, no template placeholders). Required: there is no default repository. Change it
    with ``kfboot set-repo``."""
    targetRevision: Revision = "main"
    """The branch, tag or commit the Applications track."""
    bootstrapPath: RelPath = "bootstrap"
    """Where the generated ``bootstrap/`` directory sits inside that repository (and beside the
    catalog)."""
    argocdNamespace: Name = "argocd"
    """The namespace Argo CD runs in, where every Application is created."""
    project: Name = "default"
    """The Argo CD project of every Application."""
    destinationServer: Annotated[str, StringConstraints(pattern=r"^https://\S+$")] = (
        "https://kubernetes.default.svc"
    )
    """The cluster the Applications deploy to (the one Argo CD runs in, by default)."""
    destinationName: Name | None = None
    """The cluster the Applications deploy to, by the name Argo CD knows it by, instead of
    ``destinationServer`` (give one of the two)."""
    extraResources: list[ExtraResource] = []
    """User-owned files the root syncs beside the Applications (Namespaces, AppProjects,
    ApplicationSets, ...)."""
    clusterHasApplicationHealthCheck: bool = False
    """Say ``true`` when the cluster's ``argocd-cm`` already has the Application health check
    and no enabled ``argocd`` component installs it; otherwise ``kfboot check`` warns that waves
    will not wait."""
    appOfApps: AppOfApps = AppOfApps()
    """The root Application."""
    defaults: Defaults = Defaults()
    """What every component inherits unless it overrides it."""
    waves: Annotated[list[Wave], Field(min_length=1)]
    """The sync waves, in ascending order."""
    components: Annotated[list[Component], Field(min_length=1)]
    """The components, one Argo CD Application each."""
    verifyNamespaces: list[Name] = VERIFY_NAMESPACES
    """Namespaces ``kfboot verify`` checks for failing pods, besides the components'
    destination namespaces (default: those of Kubeflow's common services and of Kubeflow itself)."""
    clusters: Annotated[list[Cluster], Field(min_length=1)] | None = None
    """The fleet: the clusters the hub Argo CD deploys to (``docs/fleet.md``). Without it, one
    cluster: ``destinationServer`` or ``destinationName``."""
    layout: Literal["app-of-apps", "applicationset"] = "app-of-apps"
    """How the fleet is rendered: an app of apps per cluster, or ApplicationSets whose
    progressive sync rolls out wave by wave (Argo CD 3.3 or newer)."""
    clusterGenerator: Literal["list", "labels"] = "list"
    """How an ApplicationSet finds its clusters: ``list`` names the catalog's; ``labels`` selects
    the clusters registered in the hub by the labels the set's clusters share."""

    def enabled_components(self) -> list[Component]:
        return [c for c in self.components if c.enabled]
