"""Which Application installs Argo CD the way kfboot does, and the user's own Argo CD kept.

kfboot's argocd component renders the argo-cd chart of argo-helm. Only an Application of that
chart (a chart source, or a local kustomization inflating it, as kfboot's ``bootstrap/argocd``
does) becomes it. An Argo CD installed from a kustomize base, a fork or another chart stays a
plain component with its own source: replacing it would change what runs the cluster. kfboot's
waves then wait only if the user's own ``argocd-cm`` has the Application health check, which
import looks for in the files that Application reads.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kfboot.findings import Finding
from kfboot.importing import fixes as import_rules
from kfboot.importing.app_files import AppDoc
from kfboot.importing.fixes import DEFAULTED
from kfboot.importing.roots import app_dirs
from kfboot.importing.sources import git_paths
from kfboot.importing.tree import YAML_SUFFIXES, kustomization
from kfboot.importing.wrappers import local_dir
from kfboot.layout import HEALTH_KEY

# argo-helm's chart (another repository's "argo-cd" chart, Bitnami's, has other values).
ARGO_HELM = ("argoproj.github.io/argo-helm", "ghcr.io/argoproj/argo-helm")
# The search reads only regular files this small: an argocd-cm is a few KiB, and a FIFO, a
# device or a multi-GiB file below the Application's directory must not stall the import.
MAX_SEARCHED = 4 << 20


def _argo_helm(repo: object) -> bool:
    return isinstance(repo, str) and any(h in repo for h in ARGO_HELM)


def is_the_chart(app: AppDoc, dirs: list[Path]) -> bool:
    """Whether ``app`` installs argo-helm's argo-cd chart: a chart source, or a local
    kustomization of its path inflating it (``helmCharts``)."""
    for _, source in import_rules.sources(app):
        if source.get("chart") == "argo-cd" and _argo_helm(source.get("repoURL")):
            return True
    for path in git_paths(app):
        directory = local_dir(path, dirs)
        charts = (kustomization(directory) or {}).get("helmCharts") if directory else None
        for chart in charts if isinstance(charts, list) else []:
            if isinstance(chart, dict) and chart.get("name") == "argo-cd":
                return _argo_helm(chart.get("repo"))
    return False


def has_health_check(root: Path, app: AppDoc) -> bool | None:
    """Whether a YAML file below the local directories ``app`` reads sets the Application
    health check in ``argocd-cm`` (as its own key, or in the older ``resource.customizations``
    block); None when ``app`` reads no local directory (nothing to look at). Only regular files
    up to ``MAX_SEARCHED`` bytes are read, and symlinks are not followed."""
    dirs = [d for d, _ in app_dirs(root, app)] if root.is_dir() else []
    if not dirs:
        return None
    for directory in dirs:
        for here, subdirs, files in os.walk(directory):
            subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
            for name in sorted(files):
                if name.endswith(YAML_SUFFIXES) and _health_text(Path(here) / name):
                    return True
    return False


def _health_text(file: Path) -> bool:
    try:
        # lstat: a symlink (maybe out of the repository) is not followed, a FIFO never opened.
        info = file.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_SEARCHED:
            return False
        with file.open("rb") as handle:
            raw = handle.read(MAX_SEARCHED + 1)
    except OSError:
        return False
    if len(raw) > MAX_SEARCHED:
        return False  # grew since the lstat
    text = raw.decode("utf-8", errors="replace")
    older = "resource.customizations:" in text and "argoproj.io/Application" in text
    return HEALTH_KEY in text or (older and "health.lua" in text)


def kept(app: AppDoc, health: bool | None) -> Finding:
    """The finding on an Argo CD installation kept as the user's own component."""
    if health:
        then = (
            "its argocd-cm has the Application health check, so the catalog says "
            "clusterHasApplicationHealthCheck: true"
        )
    elif health is False:
        then = (
            f"the Application health check must come from your argocd-cm ({HEALTH_KEY}), which "
            "the files it reads do not set: add it, then set clusterHasApplicationHealthCheck: "
            "true"
        )
    else:
        then = (
            f"the Application health check must come from your argocd-cm ({HEALTH_KEY}); it "
            "reads no local directory to look in: where it has it, set "
            "clusterHasApplicationHealthCheck: true"
        )
    msg = (
        f"{app.name} installs your own Argo CD (not argo-helm's argo-cd chart, which kfboot "
        f"renders): it stays a plain component with its own source; {then}"
    )
    return app.finding(("metadata", "name"), DEFAULTED, msg)
