"""The catalog's fleet models: ``clusters:`` (one hub Argo CD, many registered clusters).

Kept apart from ``models.py`` (near its size limit), whose ``Catalog.clusters`` uses them.
Cross-field rules of the fleet (unique names, one hub, known components) live in
``fleet_rules.py``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from kfboot.catalog.fieldtypes import Labels, Name, Revision
from kfboot.catalog.modelbase import Model
from kfboot.catalog.sources_models import Patch
from kfboot.catalog.sync_models import Automated, Retry
from kfboot.layout import prefixed


class ClusterOverride(Model):
    """What one cluster changes in one component; unset fields keep the component's own."""

    enabled: bool | None = None
    """Enable or disable the component on this cluster only."""
    values: dict[str, Any] | None = None
    """Chart values merged over the component's own (components with ``helm`` or ``argocd``)."""
    patches: list[Patch] | None = None
    """kustomize patches added to the component's wrapper on this cluster (components with
    ``paths``); the cluster then gets its own wrapper in ``bootstrap/clusters/<name>/``."""
    automated: Automated | Literal[False] | None = None
    """Replaces the component's automated sync settings on this cluster (``false``: manual)."""
    syncOptions: list[str] | None = None
    """Replaces the component's sync options on this cluster (the whole list)."""
    retry: Retry | None = None
    """Replaces the component's retry settings on this cluster."""


class Cluster(Model):
    """One cluster of the fleet, registered in the hub Argo CD (``argocd cluster add``)."""

    name: Name = Field(examples=["prod-eu"])
    """The Argo CD cluster name (``argocd cluster add --name``); Applications deploy to it by
    ``destination.name`` and their names start with it."""
    server: Annotated[str, StringConstraints(pattern=r"^https://\S+$")] | None = None
    """Deploy by ``destination.server`` (the API server URL) instead of by name."""
    labels: Labels = Field({})
    """Labels of the cluster, as on its Argo CD cluster secret (``argocd cluster add --label``)."""
    hub: bool = False
    """The cluster Argo CD runs in (at most one): only it gets the ``argocd`` component."""
    prefixApplicationNames: bool | None = None
    """Start this cluster's Application names (its root's too) with ``<name>-``. Default: yes
    for every cluster but the hub, which keeps the names one cluster has (``kubeflow-jupyter``,
    ``kubeflow-app-of-apps``), so that adding ``clusters:`` to a live install renames, and so
    deletes and re-creates, nothing on the hub. ``true`` prefixes the hub's names too (each
    Application is then deleted and created anew: ``docs/fleet.md``, "Moving a live install")."""
    targetRevision: Revision | None = None
    """The revision this cluster's Applications track (default: the catalog's)."""
    components: dict[Name, ClusterOverride] = Field({}, examples=[{"spark": {"enabled": False}}])
    """Per-component overrides on this cluster, by component name."""

    @property
    def prefixes(self) -> bool:
        """Whether this cluster's Application names start with ``<name>-``."""
        return (
            self.prefixApplicationNames if self.prefixApplicationNames is not None else not self.hub
        )

    def application_name(self, name: str) -> str:
        """The fleet's name of this cluster's Application ``name`` (unique across the fleet)."""
        return prefixed(self.name, name) if self.prefixes else name
