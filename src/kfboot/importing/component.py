"""One hand-written Application -> one catalog component (as plain data), with findings.

The catalog's settings (repository, revision, namespaces) are decided first, from the root
Application; a component then records only where it differs, and says why when the catalog
cannot express something about it. Sources and sync policy have modules of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kfboot.catalog.accepts import fits
from kfboot.catalog.models import Component
from kfboot.findings import Finding
from kfboot.importing import fixes as import_rules
from kfboot.importing import sources as import_sources
from kfboot.importing import sync_policy as import_policy
from kfboot.importing.app_files import AppDoc, mapping
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
    own: dict[str, Any] = {"wave": wave, "namespace": _namespace(app, settings, found, argocd)}
    own.update(source)
    _check_placement(app, settings, found)
    depends = _depends(app)
    for base in {path[: path.index("dependsOn") + 1] for _, path in depends}:
        action = "carried it into the catalog's dependsOn, where ordering belongs"
        found.append(import_rules.defect(app, base, "unknown-field", action, key=True))
    result = Draft(app, wave, own, import_policy.policy(app, found), depends, argocd)
    if argocd and "resources-finalizer.argocd.argoproj.io" in result.policy["finalizers"]:
        msg = (
            "kfboot never puts resources-finalizer on the argocd Application: deleting it "
            "must not uninstall Argo CD; not carried over"
        )
        found.append(app.finding(("metadata", "finalizers"), DEFAULTED, msg))
    return result


def _namespace(app: AppDoc, settings: Settings, found: list[Finding], argocd: bool) -> str:
    ns = mapping(app.spec.get("destination")).get("namespace")
    if argocd:
        if ns != settings.argocdNamespace:
            msg = (
                f"destination namespace {ns!r}: kfboot installs Argo CD into argocdNamespace "
                f"({settings.argocdNamespace})"
            )
            found.append(app.finding(("spec", "destination"), DEFAULTED, msg))
        return settings.argocdNamespace
    if fits(Component, "namespace", ns):
        return str(ns)
    what = "no destination namespace" if ns is None else f"destination namespace {ns!r} unusable"
    msg = f"{what}; imported with the catalog's usual namespace {settings.namespace}"
    found.append(app.finding(("spec", "destination"), DEFAULTED, msg))
    return settings.namespace


def _check_placement(app: AppDoc, settings: Settings, found: list[Finding]) -> None:
    """Cluster, project and Application namespace are catalog-wide: report a differing one."""
    dest = mapping(app.spec.get("destination"))
    checks = [
        (("spec", "destination", "name"), dest.get("name"), None, "destination name"),
        (
            ("spec", "destination", "server"),
            dest.get("server"),
            settings.destinationServer,
            "destination server",
        ),
        (("spec", "project"), app.spec.get("project"), settings.project, "project"),
        (
            ("metadata", "namespace"),
            app.metadata.get("namespace"),
            settings.argocdNamespace,
            "Application namespace",
        ),
    ]
    for path, value, expected, what in checks:
        if value is not None and value != expected:
            msg = (
                f"{what} {value!r} differs from the catalog's"
                + (f" ({expected})" if expected else "")
                + "; the catalog sets it for every Application, so it is not carried over"
            )
            found.append(app.finding(path, NOT_CARRIED, msg))


def _depends(app: AppDoc) -> list[tuple[str, tuple[str | int, ...]]]:
    """``dependsOn`` wherever a hand-written Application put it (Argo CD ignores it)."""
    found: list[tuple[str, tuple[str | int, ...]]] = []
    for base, node in ((("spec",), app.spec), (("metadata",), app.metadata), ((), app.data)):
        value = node.get("dependsOn")
        items = value if isinstance(value, list) else [value] if value is not None else []
        for i, item in enumerate(items):
            path = (*base, "dependsOn", i) if isinstance(value, list) else (*base, "dependsOn")
            found.append((str(item), path))
    return found
