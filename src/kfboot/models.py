"""The catalog's data model: strict, frozen pydantic v2 models for ``waves.yaml``.

Field-level rules live here (types, shapes, Kubernetes name formats, unknown keys). Rules that
relate several fields (unique names, references, wave order, cycles) live in ``catalog_rules.py``
so that every such problem can point at the exact YAML node that causes it; a pydantic model
validator could only point at the model as a whole.
"""

from __future__ import annotations

import difflib
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from kfboot import gitrefs
from kfboot.rules.registry import BY_ID, IGNORABLE, MANIFEST_RULE_IDS

DNS1123_LABEL = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
_GO_DURATION = re.compile(r"(?:[0-9]+(?:\.[0-9]+)?(?:ns|us|µs|ms|s|m|h))+\Z")
_QUALIFIED_KEY = re.compile(
    r"(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*/)?"
    r"[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?\Z"
)
_LABEL_VALUE = re.compile(r"(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?\Z")


class Model(BaseModel):
    """Base for every catalog model: strict types, unknown keys rejected, immutable."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=False)


def _check(problem: str | None) -> None:
    if problem:
        raise ValueError(problem)


def _repo_url(value: str) -> str:
    _check(gitrefs.repo_url_problem(value))
    return value


def _revision(value: str) -> str:
    _check(gitrefs.revision_problem(value))
    return value


def _rel_path(value: str) -> str:
    if not value:
        raise ValueError("path is empty")
    if value.startswith("/") or re.match(r"[A-Za-z]:[\\/]", value):
        raise ValueError(f"path {value!r} must be relative to the repository root")
    if "\\" in value:
        raise ValueError(f"path {value!r} must use '/' separators")
    parts = value.split("/")
    if ".." in parts:
        raise ValueError(f"path {value!r} must not contain '..'")
    if any(p in ("", ".") for p in parts):
        raise ValueError(f"path {value!r} has an empty or '.' component")
    return value


def _duration(value: str) -> str:
    if not _GO_DURATION.match(value):
        raise ValueError(f"{value!r} is not a duration such as 5s, 2m or 1h")
    return value


def _label_map(value: dict[str, str]) -> dict[str, str]:
    for key, item in value.items():
        if not _QUALIFIED_KEY.match(key) or len(key.rsplit("/", 1)[-1]) > 63:
            raise ValueError(f"{key!r} is not a valid label key")
        if len(item) > 63 or not _LABEL_VALUE.match(item):
            raise ValueError(f"label {key!r}: {item!r} is not a valid label value")
    return value


def _annotation_map(value: dict[str, str]) -> dict[str, str]:
    for key in value:
        if not _QUALIFIED_KEY.match(key):
            raise ValueError(f"{key!r} is not a valid annotation key")
    return value


def _rule_id(value: str) -> str:
    if value in IGNORABLE:
        return value
    if value in BY_ID or value in MANIFEST_RULE_IDS:
        raise ValueError(f"rule {value!r} cannot be ignored")
    close = difflib.get_close_matches(value, IGNORABLE, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise ValueError(f"unknown rule {value!r}{hint}")


def _reason(value: str) -> str:
    if not value.strip():
        raise ValueError("a reason is required: say why the rule does not apply here")
    return value


Name = Annotated[str, StringConstraints(pattern=DNS1123_LABEL, max_length=63)]
RepoURL = Annotated[str, AfterValidator(_repo_url)]
Revision = Annotated[str, AfterValidator(_revision)]
RelPath = Annotated[str, AfterValidator(_rel_path)]
Duration = Annotated[str, AfterValidator(_duration)]
Labels = Annotated[dict[str, str], AfterValidator(_label_map)]
Annotations = Annotated[dict[str, str], AfterValidator(_annotation_map)]
Text = Annotated[str, Field(max_length=2000)]


class Backoff(Model):
    duration: Duration = "5s"
    factor: Annotated[int, Field(ge=1)] = 2
    maxDuration: Duration = "3m"


class Retry(Model):
    """Argo CD ``syncPolicy.retry``."""

    limit: Annotated[int, Field(ge=0)] = 5
    backoff: Backoff = Backoff()


class Automated(Model):
    """Argo CD ``syncPolicy.automated``."""

    prune: bool = True
    selfHeal: bool = True
    allowEmpty: bool = False


class IgnoreDifference(Model):
    """One Argo CD ``spec.ignoreDifferences`` entry, in Argo CD's own shape."""

    group: str | None = None
    kind: Annotated[str, StringConstraints(min_length=1)]
    name: str | None = None
    namespace: str | None = None
    jsonPointers: list[str] | None = None
    jqPathExpressions: list[str] | None = None
    managedFieldsManagers: list[str] | None = None


class Defaults(Model):
    """What every component inherits unless it overrides it."""

    automated: Automated = Automated()
    syncOptions: list[str] = ["CreateNamespace=true", "ServerSideApply=true"]
    retry: Retry = Retry()
    finalizers: list[str] = ["resources-finalizer.argocd.argoproj.io"]
    labels: Labels = {"app.kubernetes.io/part-of": "kubeflow"}
    annotations: Annotations = {}
    ignoreDifferences: list[IgnoreDifference] = []


class Ignore(Model):
    """One ``kfboot check`` rule switched off for one component, with the reason why."""

    rule: Annotated[str, AfterValidator(_rule_id)]
    reason: Annotated[str, Field(max_length=2000), AfterValidator(_reason)]


class Wave(Model):
    """One sync wave: Argo CD applies a wave's Applications together, after earlier waves."""

    wave: int
    label: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    description: Text = ""
    deployTime: Annotated[str, StringConstraints(max_length=40)] = ""


class PatchTarget(Model):
    """Which resources a kustomize patch applies to (kustomize's own selector fields)."""

    group: str | None = None
    version: str | None = None
    kind: str | None = None
    name: str | None = None
    namespace: str | None = None
    labelSelector: str | None = None
    annotationSelector: str | None = None


class Patch(Model):
    """A kustomize ``patches`` entry for a wrapper kustomization."""

    target: PatchTarget | None = None
    patch: str | None = None
    path: RelPath | None = None
    options: dict[str, bool] | None = None


class Wrapper(Model):
    """Extra kustomize settings for a component's generated wrapper kustomization."""

    namespace: Name | None = None
    patches: list[Patch] = []


class Helm(Model):
    """A component installed from a Helm chart repository."""

    repoURL: Annotated[str, StringConstraints(pattern=r"^(https?|oci)://\S+$")]
    chart: Annotated[str, StringConstraints(min_length=1, pattern=r"^\S+$")]
    targetRevision: Annotated[str, StringConstraints(pattern=r"^\S+$")] | None = None
    releaseName: Name | None = None
    values: dict[str, Any] = {}


class ArgoCDInstall(Model):
    """Argo CD managing itself: the chart ``bootstrap/argocd/`` inflates, and its settings."""

    repoURL: Annotated[str, StringConstraints(pattern=r"^(https?|oci)://\S+$")] = (
        "https://argoproj.github.io/argo-helm"
    )
    chart: str = "argo-cd"
    version: Annotated[str, StringConstraints(pattern=r"^\S+$")] = "8.5.9"
    releaseName: Name = "argocd"
    applicationHealthCheck: bool = True
    repositoryName: Name = "kubeflow-manifests"
    values: dict[str, Any] = {}


class Component(Model):
    """One Argo CD Application: a Kubeflow component, its wave and its source."""

    name: Name
    application: Name | None = None
    description: Text = ""
    wave: int
    namespace: Name
    enabled: bool = True
    dependsOn: list[Name] = []
    paths: list[RelPath] = []
    repoURL: RepoURL | None = None
    targetRevision: Revision | None = None
    helm: Helm | None = None
    argocd: ArgoCDInstall | None = None
    kustomize: Wrapper | None = None
    automated: Automated | None = None
    syncOptions: list[str] | None = None
    retry: Retry | None = None
    finalizers: list[str] | None = None
    labels: Labels = {}
    annotations: Annotations = {}
    ignoreDifferences: list[IgnoreDifference] = []
    ignore: list[Ignore] = []

    @property
    def app_name(self) -> str:
        return self.application or self.name

    @property
    def needs_wrapper(self) -> bool:
        return (
            self.helm is None
            and self.argocd is None
            and (len(self.paths) > 1 or self.kustomize is not None)
        )


class AppOfApps(Model):
    """The root Application that syncs every other one."""

    name: Name = "kubeflow-app-of-apps"
    namespace: Name = "argocd"
    syncOptions: list[str] = ["CreateNamespace=true"]
    labels: Labels = {}


# The namespaces the original's verification checklist looked at; ``kfboot verify`` adds the
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

    # The kubeflow/manifests layout the paths follow (``kfboot init --list``); informational.
    preset: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")] | None = None
    repoURL: RepoURL = "https://github.com/minhhcuongg-theonefour/k8s-inspect.git"
    targetRevision: Revision = "main"
    bootstrapPath: RelPath = "bootstrap"
    argocdNamespace: Name = "argocd"
    project: Name = "default"
    destinationServer: Annotated[str, StringConstraints(pattern=r"^https://\S+$")] = (
        "https://kubernetes.default.svc"
    )
    clusterHasApplicationHealthCheck: bool = False
    appOfApps: AppOfApps = AppOfApps()
    defaults: Defaults = Defaults()
    waves: Annotated[list[Wave], Field(min_length=1)]
    components: Annotated[list[Component], Field(min_length=1)]
    verifyNamespaces: list[Name] = VERIFY_NAMESPACES

    def enabled_components(self) -> list[Component]:
        return [c for c in self.components if c.enabled]
