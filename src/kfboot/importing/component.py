"""One hand-written Application -> one catalog component (as plain data), with findings.

The catalog's settings (repository, revision, namespaces) are decided first, from the root
Application; a component then records only where it differs, and says why when the catalog
cannot express something about it. Sources and sync policy have modules of their own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from kfboot.catalog.accepts import fits
from kfboot.catalog.models import Component
from kfboot.findings import Finding
from kfboot.importing import fixes as import_rules
from kfboot.importing import sources as import_sources
from kfboot.importing import sync_policy as import_policy
from kfboot.importing.app_files import AppDoc, mapping, shown
from kfboot.importing.fixes import DEFAULTED, NOT_CARRIED
from kfboot.importing.sources import Settings


@dataclass
class Draft:
    """A component being imported: its own fields and the ones defaults may take over."""

    app: AppDoc
    wave: int
    own: dict[str, Any]
    policy: dict[str, Any]  # automated, syncOptions, retry, finalizers, labels, annotations, ...
    depends: list[tuple[str, tuple[str | int, ...]]] = field(default_factory=list)
    is_argocd: bool = False


def draft(app: AppDoc, settings: Settings, found: list[Finding], argocd: bool) -> Draft | None:
    """The component for ``app``, or None (with a finding) when it has no usable source."""
    wave, notes = import_rules.wave(app)
    found.extend(notes)
    source = import_sources.source(app, settings, found, argocd)
    if source is None:
        return None
    own: dict[str, Any] = {"wave": wave}
    namespace = _namespace(app, settings, found, argocd)
    if namespace is not None:
        own["namespace"] = namespace
    own.update(source)
    own.update(_placement(app, settings, found))
    depends = _depends(app)
    for base in {path[: path.index("dependsOn") + 1] for _, path in depends}:
        action = "carried it into the catalog's dependsOn, where ordering belongs"
        found.append(import_rules.defect(app, base, "unknown-field", action, key=True))
    result = Draft(app, wave, own, import_policy.policy(app, found), depends, argocd)
    if argocd and "resources-finalizer.argocd.argoproj.io" in result.policy["finalizers"]:
        msg = (
            "metadata.finalizers has resources-finalizer.argocd.argoproj.io; the catalog's "
            "argocd component never carries it (deleting the Application must not uninstall "
            "Argo CD), so the rendered Application does not have it"
        )
        found.append(app.finding(("metadata", "finalizers"), DEFAULTED, msg))
    return result


def _namespace(app: AppDoc, settings: Settings, found: list[Finding], argocd: bool) -> str | None:
    ns = mapping(app.spec.get("destination")).get("namespace")
    if argocd:
        if ns != settings.argocdNamespace:
            msg = (
                f"destination.namespace is {shown(ns)}, but kfboot installs Argo CD into "
                f"argocdNamespace; the catalog now says {settings.argocdNamespace}"
            )
            found.append(app.finding(("spec", "destination"), DEFAULTED, msg))
        return settings.argocdNamespace
    if ns is None or ns == "":
        return None  # no destination namespace, and import never invents one
    if fits(Component, "namespace", ns):
        return str(ns)
    msg = (
        f"destination.namespace {shown(ns)} is not a DNS-1123 label, which the catalog requires; "
        "the catalog now gives this Application no destination namespace"
    )
    found.append(app.finding(("spec", "destination", "namespace"), NOT_CARRIED, msg))
    return None


def _placement(app: AppDoc, settings: Settings, found: list[Finding]) -> dict[str, Any]:
    """Cluster and project where they differ from the catalog's; the Application namespace is
    catalog-wide, so a differing one is reported."""
    own: dict[str, Any] = {}
    dest = mapping(app.spec.get("destination"))
    name, server = dest.get("name") or None, dest.get("server") or None
    if (server, name) != settings.cluster:
        if name is not None and fits(Component, "destinationName", name):
            own["destinationName"] = name
        elif server is not None and fits(Component, "destinationServer", server):
            own["destinationServer"] = server
        elif name is not None or server is not None:
            what = f"name {shown(name)}" if name is not None else f"server {shown(server)}"
            msg = (
                f"destination.{what.replace(' ', ' is ', 1)}, which the catalog cannot hold; "
                f"the catalog now says {settings.destinationName or settings.destinationServer}"
            )
            found.append(app.finding(("spec", "destination"), NOT_CARRIED, msg))
    project = app.spec.get("project") or "default"
    if project != settings.project:
        if fits(Component, "project", project):
            own["project"] = project
        else:
            msg = (
                f"project {shown(project)} is not a valid name; the catalog now says "
                f"{settings.project}"
            )
            found.append(app.finding(("spec", "project"), NOT_CARRIED, msg))
    app_ns = app.metadata.get("namespace")
    was = settings.root_namespace
    if app_ns is None and was is not None and was != settings.argocdNamespace:
        msg = (
            f"metadata.namespace is absent: the old root created {app.name} in its destination "
            f"namespace {was}; the catalog creates it in argocdNamespace, "
            f"{settings.argocdNamespace}"
        )
        found.append(app.finding(("metadata",), NOT_CARRIED, msg))
    if app_ns is not None and app_ns != settings.argocdNamespace:
        msg = (
            f"metadata.namespace is {shown(app_ns)}; the catalog creates every Application in "
            f"argocdNamespace, which now says {settings.argocdNamespace}"
        )
        found.append(app.finding(("metadata", "namespace"), NOT_CARRIED, msg))
    return own


def _depends(app: AppDoc) -> list[tuple[str, tuple[str | int, ...]]]:
    """``dependsOn`` wherever a hand-written Application put it (Argo CD ignores it)."""
    found: list[tuple[str, tuple[str | int, ...]]] = []
    for base, node in ((("spec",), app.spec), (("metadata",), app.metadata), ((), app.data)):
        value = node.get("dependsOn")
        items = value if isinstance(value, list) else [value] if value is not None else []
        for i, item in enumerate(items):
            path = (*base, "dependsOn", i) if isinstance(value, list) else (*base, "dependsOn")
            found.append((item if isinstance(item, str) else json.dumps(item, default=str), path))
    return found
