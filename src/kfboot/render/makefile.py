"""``bootstrap/Makefile``: the bootstrap's operations commands, rendered from the catalog.

The Makefile stays thin: names (namespaces, Applications, label selector) come from the catalog,
and anything that needs logic (status, waiting, syncing in wave order, logs, verification) is a
``kfboot`` command. :data:`TARGETS` is the one list of targets: ``make help`` prints it and the
tests check that every one of them exists.
"""

from __future__ import annotations

from typing import Any

from kfboot.catalog.models import Catalog, Component
from kfboot.catalog.waves import wave_members
from kfboot.layout import BASE_DIR, application_file, argocd_fullname
from kfboot.render.templating import render_makefile_template

# (section, [(target, arguments, description)]), in the order ``make help`` shows them.
TARGETS: list[tuple[str, list[tuple[str, str, str]]]] = [
    (
        "Installation",
        [
            ("install-argocd", "", "Install Argo CD from bootstrap/argocd (needs helm)"),
            ("install-argocd-cli", "", "Install the argocd CLI (only diff needs it)"),
        ],
    ),
    (
        "Deployment",
        [
            ("deploy-argocd", "", "Apply the argocd Application (Argo CD manages itself)"),
            ("deploy-bootstrap", "", "Same as deploy-app-of-apps"),
            ("deploy-app-of-apps", "", "Apply the app of apps (RECOMMENDED)"),
            ("deploy-all", "", "install-argocd, then deploy-app-of-apps"),
        ],
    ),
    (
        "Management",
        [
            ("status", "", "Applications by wave, and what blocks the rollout"),
            ("watch-apps", "[INTERVAL=5]", "The status, redrawn every INTERVAL seconds"),
            ("sync-all", "", "Sync the app of apps, then every wave in order, waiting for each"),
            ("refresh-all", "", "Ask Argo CD to refresh every Application"),
            ("refresh", "APP=<name> [HARD=1]", "Refresh one Application"),
            ("wait", "[WAVE=<n>]", "Wait until every wave (up to WAVE) is Synced and Healthy"),
        ],
    ),
    (
        "Access",
        [
            ("get-argocd-password", "", "Print the Argo CD admin password"),
            ("port-forward-argocd", "[PORT=8080]", "Port-forward the Argo CD UI to localhost"),
        ],
    ),
    (
        "Troubleshooting",
        [
            ("logs", "APP=<name> [TAIL=100]", "Logs of the workloads an Application manages"),
            ("describe", "APP=<name>", "Describe an Application"),
            ("diff", "APP=<name>", "Diff live state against git (needs the argocd CLI)"),
        ],
    ),
    (
        "Validation",
        [
            ("validate", "", "kfboot check: catalog valid and bootstrap/ up to date"),
            ("verify", "", "Check the deployment: Applications, pods, namespaces, gateway"),
            ("test", "", "validate, then build every kustomization offline"),
        ],
    ),
    (
        "Cleanup (asks first; YES=1 skips the question)",
        [
            ("delete-app", "APP=<name>", "Delete one Application and its resources"),
            ("delete-all-apps", "", "Delete the Kubeflow Applications, last wave first"),
            ("uninstall-argocd", "", "Uninstall Argo CD (after delete-all-apps)"),
            ("clean", "", "delete-all-apps, then uninstall-argocd"),
        ],
    ),
    (
        "Utility",
        [
            ("help", "", "Show this list"),
            ("update-repo-url", "REPO=<url> [REVISION=<rev>]", "Retarget the catalog, re-render"),
        ],
    ),
]


def target_names() -> list[str]:
    return [name for _, entries in TARGETS for name, _, _ in entries]


def _argocd_view(catalog: Catalog, comp: Component | None) -> dict[str, Any] | None:
    if comp is None or comp.argocd is None:
        return None
    return {
        "app": comp.app_name,
        "namespace": comp.namespace or catalog.argocdNamespace,
        "file": application_file(comp.wave, comp.name),
        "server": f"{argocd_fullname(comp.argocd.releaseName)}-server",
    }


def _waves(catalog: Catalog) -> list[dict[str, Any]]:
    return [
        {
            "wave": wave.wave,
            "label": wave.label,
            "apps": [c.app_name for c in members],
            "kubeflow": [c.app_name for c in members if c.argocd is None],
        }
        for wave, members in wave_members(catalog)
    ]


def makefile_view(catalog: Catalog, source: str) -> dict[str, Any]:
    enabled = catalog.enabled_components()
    argocd = next((c for c in enabled if c.argocd is not None), None)
    waves = _waves(catalog)
    depth = len(catalog.bootstrapPath.split("/"))
    return {
        "catalog": "../" * depth + source,
        "namespace": catalog.argocdNamespace,
        "root": catalog.appOfApps.name,
        "apps": [app for w in waves for app in w["apps"]],
        "waves": waves,
        "delete_waves": [w for w in reversed(waves) if w["kubeflow"]],
        "argocd": _argocd_view(catalog, argocd),
        "selector": ",".join(f"{k}={v}" for k, v in catalog.defaults.labels.items()),
        "wrappers": [f"{BASE_DIR}/{c.name}" for c in enabled if c.needs_wrapper],
        "targets": TARGETS,
        "help_width": max(len(f"make {n} {a}".strip()) for _, e in TARGETS for n, a, _ in e),
        "phony": target_names(),
        # kubectl's go-template decodes the secret: no base64 tool, whose flags differ by OS.
        "password_template": "{{ .data.password | base64decode }}",
    }


def render_makefile(catalog: Catalog, header: str, source: str) -> str:
    view = makefile_view(catalog, source)
    if catalog.clusters is not None:
        from kfboot.render.makefile_fleet import fleet_view

        view = fleet_view(catalog, view)
    return render_makefile_template("Makefile.j2", header=header, **{"fleet": None, **view})
