"""Catalog models of an Application's sources: Helm and kustomize options, charts, patches, and
the user-owned files the root syncs beside the Applications.

Field names follow Argo CD's Application source (``spec.source.helm``, ``spec.source.kustomize``)
so that what a hand-written Application says reads the same in the catalog. Every field's
attribute docstring is its description in the JSON Schema and the field reference.
"""

from __future__ import annotations

import posixpath
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from kfboot.catalog.fieldtypes import Annotations, Labels, Name, RelPath, SyncWave
from kfboot.catalog.modelbase import Model
from kfboot.layout import APPS_DIR

NonEmpty = Annotated[str, StringConstraints(min_length=1)]


class PatchTarget(Model):
    """Which resources a kustomize patch applies to (kustomize's own selector fields)."""

    group: str | None = None
    """API group of the resources to patch (empty for the core group)."""
    version: str | None = None
    """API version of the resources to patch."""
    kind: str | None = None
    """Kind of the resources to patch."""
    name: str | None = None
    """Name of the resource to patch (a regular expression in kustomize)."""
    namespace: str | None = None
    """Namespace of the resources to patch."""
    labelSelector: str | None = None
    """A label selector the resources must match, e.g. ``app=web``."""
    annotationSelector: str | None = None
    """An annotation selector the resources must match."""


class Patch(Model):
    """A kustomize ``patches`` entry (of a wrapper kustomization or of a kustomize source)."""

    target: PatchTarget | None = Field(
        None, examples=[{"version": "v1", "kind": "Namespace", "name": "kubeflow"}]
    )
    """Selects the resources to patch. With a target, the kustomization still builds where no
    resource matches."""
    patch: str | None = None
    """An inline strategic-merge or JSON 6902 patch, as a YAML string."""
    path: RelPath | None = None
    """A patch file, relative to the kustomization's directory."""
    options: dict[str, bool] | None = None
    """kustomize patch options (``allowNameChange``, ``allowKindChange``)."""


class HelmParameter(Model):
    """One Helm ``--set`` parameter of a source (Argo CD ``helm.parameters``)."""

    name: NonEmpty = Field(examples=["image.tag"])
    """The value's path, as ``helm --set`` takes it."""
    value: str = ""
    """The value, always a string in Argo CD's Application."""
    forceString: bool = False
    """Pass it with ``--set-string``: keep ``true`` or ``1`` a string."""


class HelmOptions(Model):
    """Helm options of a source holding a chart (Argo CD's ``spec.source.helm``)."""

    releaseName: Name | None = None
    """The Helm release name (default: the Application name)."""
    valueFiles: list[NonEmpty] = Field([], examples=[["values-prod.yaml"]])
    """Value files, relative to the chart's directory (Argo CD ``helm.valueFiles``)."""
    ignoreMissingValueFiles: bool = False
    """Do not fail when a value file does not exist."""
    parameters: list[HelmParameter] = []
    """``--set`` parameters; they take precedence over value files and values."""
    values: dict[str, Any] = {}
    """Chart values, rendered into the Application's ``helm.values``."""


class Helm(HelmOptions):
    """A component installed from a Helm chart repository."""

    repoURL: Annotated[str, StringConstraints(pattern=r"^(https?|oci)://\S+$")] = Field(
        examples=["https://helm.ngc.nvidia.com/nvidia"]
    )
    """The chart repository (``https://``, ``http://`` or ``oci://``); not the git repository,
    and ``kfboot set-repo`` leaves it alone."""
    chart: Annotated[str, StringConstraints(min_length=1, pattern=r"^\S+$")] = Field(
        examples=["gpu-operator"]
    )
    """The chart's name in that repository."""
    targetRevision: Annotated[str, StringConstraints(pattern=r"^\S+$")] | None = Field(
        None, examples=["v25.3.0"]
    )
    """The chart version. Pin it: an unpinned chart changes under you (``check`` flags it)."""


class KustomizeOptions(Model):
    """kustomize options Argo CD applies to a kustomize source (its ``spec.source.kustomize``)."""

    namePrefix: str | None = None
    """Prefix added to the name of every resource."""
    nameSuffix: str | None = None
    """Suffix added to the name of every resource."""
    commonLabels: Labels = {}
    """Labels added to every resource (and to its selectors)."""
    commonAnnotations: Annotations = {}
    """Annotations added to every resource."""
    images: list[NonEmpty] = Field([], examples=[["ghcr.io/kubeflow/notebook:v1.10.0"]])
    """Image overrides, as ``kustomize edit set image`` takes them (``name=newName:tag``)."""
    patches: list[Patch] = []
    """Patches applied on top of the source."""
    version: NonEmpty | None = None
    """The kustomize version Argo CD builds the source with (one configured in ``argocd-cm``)."""


class SourceOptions(Model):
    """Argo CD options of a component's git path sources, as on an Application's source."""

    helm: HelmOptions | None = None
    """Helm options: the path holds a Helm chart (``Chart.yaml``)."""
    kustomize: KustomizeOptions | None = None
    """kustomize options: the path holds a kustomization."""


class ExtraResource(Model):
    """A user-owned file or directory the root Application syncs beside the Applications:
    ``path`` in the root's own directory, or ``repoPath`` anywhere else in the repository."""

    path: RelPath | None = Field(None, examples=["extra/namespaces.yaml"])
    """Relative to the root's source directory (``<bootstrapPath>/apps/kubeflow``): a YAML file
    there, or a directory holding a kustomization. ``kfboot render`` lists it in the root's
    kustomization and never writes, rewrites or deletes it."""
    repoPath: RelPath | None = Field(None, examples=["platform/projects"])
    """Instead of ``path``: a directory of the repository outside the root's directory,
    repository-relative (as a component's ``paths``), that holds its own kustomization.
    kustomize builds such a directory from anywhere, but refuses a single file outside the
    root's directory (its load restrictions), a directory without a kustomization, and one that
    contains the root's directory (a cycle). The root's kustomization lists it relative to
    itself (``../../../platform/projects``)."""
    wave: SyncWave = Field(0, examples=[-1])
    """The sync wave its objects carry in their own ``argocd.argoproj.io/sync-wave``
    annotation (kfboot never edits the file; ``kfboot check`` reports an object in another
    wave)."""
    description: Annotated[str, Field(max_length=2000)] = ""
    """What it holds (Namespaces, AppProjects, ApplicationSets, ...)."""

    def repository_path(self, bootstrap_path: str) -> str:
        """The entry's path in the repository (``<bootstrapPath>/apps/kubeflow/<path>``)."""
        if self.repoPath is not None:
            return posixpath.normpath(self.repoPath)
        return posixpath.normpath(f"{bootstrap_path}/{APPS_DIR}/{self.path}")

    def entry(self, bootstrap_path: str) -> str:
        """How the root's kustomization (in ``<bootstrapPath>/apps/kubeflow``) lists it."""
        if self.repoPath is None:
            return str(self.path)
        return posixpath.relpath(
            self.repository_path(bootstrap_path), f"{bootstrap_path}/{APPS_DIR}"
        )
