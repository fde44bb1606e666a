"""A component's ``sources:`` list: Argo CD's whole source model, for Applications that combine
git paths, Helm charts and ``ref:`` sources (whose files other sources read as ``$name/...``).

Field names and meanings are Argo CD's ``ApplicationSource``
(``pkg/apis/application/v1alpha1/types.go`` L196-240@v3.4.7), so a hand-written source reads the
same in the catalog. The simple forms (``paths``, ``helm``) stay the way to say simple things.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from kfboot.catalog.fieldtypes import RelPath
from kfboot.catalog.modelbase import Model
from kfboot.catalog.sources_models import HelmOptions, KustomizeOptions, NonEmpty

Word = Annotated[str, StringConstraints(pattern=r"^\S+$")]
# Argo CD takes a value file's reference up to its first '/'
# (reposerver/repository/repository.go L1533-1538@v3.4.7, getReferencedSourceName).
RefName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]+$", max_length=63)]


def value_file_ref(value_file: str) -> str | None:
    """The ``ref:`` name a Helm value file reads (``$values/x.yaml`` -> ``values``), or None
    for a file of the chart's own source. Shared by ``check``'s catalog rule and ``lint``."""
    if not value_file.startswith("$"):
        return None
    return value_file.split("/", 1)[0][1:]


class HelmFileParameter(Model):
    """A Helm ``--set-file`` parameter (Argo CD ``helm.fileParameters``)."""

    name: NonEmpty
    """The value's path, as ``helm --set-file`` takes it."""
    path: NonEmpty
    """The file whose content becomes the value, relative to the source."""


class SourceHelm(HelmOptions):
    """Every Helm option of an Argo CD source (``spec.sources[].helm``). ``valueFiles`` may read
    another source's files as ``$name/path`` (that source says ``ref: name``)."""

    fileParameters: list[HelmFileParameter] = []
    """``--set-file`` parameters."""
    passCredentials: bool = False
    """Pass the chart repository's credentials to every domain (``helm --pass-credentials``)."""
    skipCrds: bool = False
    """Do not install the chart's CRDs (``helm --skip-crds``)."""
    skipSchemaValidation: bool = False
    """Do not validate the values against the chart's schema."""
    skipTests: bool = False
    """Leave out the chart's test hooks."""
    version: Literal["v3"] | None = None
    """The Helm version (Argo CD knows only ``v3``)."""
    namespace: str | None = None
    """The namespace the chart is rendered for (default: the destination namespace)."""
    kubeVersion: Word | None = None
    """The Kubernetes version ``.Capabilities`` reports to the templates."""
    apiVersions: list[NonEmpty] = []
    """The API versions ``.Capabilities`` reports to the templates."""


class KustomizeReplica(Model):
    """A kustomize ``replicas`` override."""

    name: NonEmpty
    """The workload's name."""
    count: int | NonEmpty
    """The replica count (a number, or a string Argo CD parses as one)."""


class SourceKustomize(KustomizeOptions):
    """Every kustomize option of an Argo CD source (``spec.sources[].kustomize``)."""

    forceCommonLabels: bool = False
    """Let ``commonLabels`` override labels the resources already have."""
    forceCommonAnnotations: bool = False
    """Let ``commonAnnotations`` override annotations the resources already have."""
    commonAnnotationsEnvsubst: bool = False
    """Substitute ``${VAR}`` in ``commonAnnotations`` from the build environment."""
    labelWithoutSelector: bool = False
    """Add ``commonLabels`` without adding them to selectors."""
    labelIncludeTemplates: bool = False
    """Add ``commonLabels`` to pod templates too (with ``labelWithoutSelector``)."""
    namespace: str | None = None
    """Set this namespace on every namespaced resource."""
    replicas: list[KustomizeReplica] = []
    """Replica count overrides."""
    components: list[NonEmpty] = []
    """kustomize components to add."""
    ignoreMissingComponents: bool = False
    """Do not fail when a listed component does not exist."""
    kubeVersion: Word | None = None
    """The Kubernetes version Helm charts inflated by the kustomization see."""
    apiVersions: list[NonEmpty] = []
    """The API versions Helm charts inflated by the kustomization see."""


class JsonnetVar(Model):
    """A jsonnet external variable or top-level argument."""

    name: NonEmpty
    """The variable's name."""
    value: str
    """Its value."""
    code: bool = False
    """The value is jsonnet code, not a string."""


class Jsonnet(Model):
    """jsonnet options of a directory source."""

    extVars: list[JsonnetVar] = []
    """External variables (``--ext-str``, ``--ext-code``)."""
    tlas: list[JsonnetVar] = []
    """Top-level arguments (``--tla-str``, ``--tla-code``)."""
    libs: list[NonEmpty] = []
    """Library search paths."""


class SourceDirectory(Model):
    """Options of a plain directory source (``spec.sources[].directory``)."""

    recurse: bool = False
    """Read the files of subdirectories too."""
    include: str | None = None
    """A glob of the files to read (``{a.yaml,b.yaml}`` for several)."""
    exclude: str | None = None
    """A glob of the files to leave out."""
    jsonnet: Jsonnet | None = None
    """jsonnet options for ``.jsonnet`` files."""


class PluginEnv(Model):
    """An environment variable passed to a config management plugin."""

    name: NonEmpty
    """The variable's name (Argo CD prefixes it with ``ARGOCD_ENV_``)."""
    value: str
    """Its value."""


class PluginParameter(Model):
    """A parameter of a config management plugin: a string, an array or a map."""

    name: NonEmpty
    """The parameter's name."""
    string: str | None = None
    """A string value."""
    array: list[str] | None = None
    """An array value."""
    map: dict[str, str] | None = None
    """A map value."""


class SourcePlugin(Model):
    """A config management plugin source (``spec.sources[].plugin``)."""

    name: NonEmpty | None = None
    """The plugin's name (default: the plugin that discovers the directory)."""
    env: list[PluginEnv] = []
    """Environment variables for the plugin."""
    parameters: list[PluginParameter] = []
    """The plugin's parameters."""


class Source(Model):
    """One Argo CD source of a component: a git path, a Helm chart, or a ``ref:`` that lends
    its files to the others."""

    repoURL: Word | None = Field(None, examples=["https://github.com/acme/values.git"])
    """The git repository (default: the catalog's), or the chart repository of a ``chart``
    (``https://``, ``oci://``; required then)."""
    targetRevision: Word | None = Field(None, examples=["main"])
    """The branch, tag or commit, or the chart version. Default: the catalog's when the source
    reads the catalog's repository; else none (Argo CD's ``HEAD``, a chart's latest)."""
    path: RelPath | Literal["."] | None = None
    """A directory in the git repository (``.`` its root)."""
    chart: Annotated[str, StringConstraints(pattern=r"^\S+$")] | None = None
    """A Helm chart of ``repoURL`` (instead of a ``path``)."""
    ref: RefName | None = Field(None, examples=["values"])
    """Lend this source's files to the others: a Helm ``valueFiles`` entry
    ``$values/path/values.yaml`` reads ``path/values.yaml`` of the source with ``ref: values``."""
    name: Annotated[str, StringConstraints(min_length=1, max_length=253)] | None = None
    """The source's name (Argo CD shows it, and ``argocd app`` commands select by it)."""
    helm: SourceHelm | None = None
    """Helm options (a chart, or a path holding ``Chart.yaml``)."""
    kustomize: SourceKustomize | None = None
    """kustomize options (a path holding a kustomization)."""
    directory: SourceDirectory | None = None
    """Options of a plain directory of manifests."""
    plugin: SourcePlugin | None = None
    """A config management plugin renders the path."""
