"""``kfboot lint --manifests``: what each Application of this repository deploys.

For every git source of an Application that names a directory of the linted tree (the same
resolution as the roots, :class:`kfboot.lint.roots.Roots`), the objects Argo CD would apply:
``kustomize build`` of a kustomization (the command ``check --manifests`` uses), else the YAML
files Argo CD reads in a plain directory. Argo CD's own objects are the roots' business (rule
``application-multiple-roots``) and are left out; Helm charts and other repositories are not
built. A namespaced object without a namespace lands in the Application's destination namespace.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kfboot import output, yamlio
from kfboot.check.rules.application import get_path
from kfboot.findings import shown_path
from kfboot.importing.tree import kustomization
from kfboot.k8s import CLUSTER_SCOPED
from kfboot.lint.reading import ArgoObject, is_argo_object
from kfboot.lint.roots import Roots, source_paths
from kfboot.manifests.build import BUILD_TIMEOUT, clean_error, kustomize_command


@dataclass
class Built:
    """What one Application deploys: ``(source path in the Application, object)`` pairs, the
    builds that failed or were not run (source path, message, rule), and how many of its sources
    name a directory of the tree (none: lint cannot know what it deploys)."""

    app: ArgoObject
    sources: int = 0
    objects: list[tuple[tuple[str | int, ...], dict[str, Any]]] = field(default_factory=list)
    failed: list[tuple[tuple[str | int, ...], str, str]] = field(default_factory=list)


def identity(obj: dict[str, Any], default_ns: str) -> tuple[str, str, str, str]:
    """(group, kind, namespace, name) as the cluster knows the object."""
    group = str(obj.get("apiVersion", "")).rpartition("/")[0]
    kind = str(obj.get("kind", ""))
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    assert isinstance(meta, dict)
    ns = "" if (group, kind) in CLUSTER_SCOPED else str(meta.get("namespace") or default_ns)
    return group, kind, ns, str(meta.get("name", ""))


def _build(directory: Path, command: list[str]) -> tuple[list[Any], str]:
    try:
        done = subprocess.run(
            [*command, str(directory)],
            capture_output=True,
            text=True,
            errors="replace",
            stdin=subprocess.DEVNULL,
            timeout=BUILD_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [], f"{shown_path(directory)}: cannot build: {exc}"
    if done.returncode != 0:
        return [], f"{shown_path(directory)}: {clean_error(done.stderr, done.returncode)}"
    try:
        return yamlio.load_all(done.stdout, trusted=True), ""
    except yamlio.YamlSyntaxError as exc:
        return [], f"{shown_path(directory)}: kustomize printed invalid YAML: {exc}"


def _read(files: set[Path]) -> list[Any]:
    docs: list[Any] = []
    for path in sorted(files):
        text = output.read_text(path) if not path.is_symlink() else None
        if text is None:
            continue
        try:
            docs += yamlio.load_all(text)
        except (yamlio.YamlSyntaxError, yamlio.DuplicateKeyError):
            continue  # lint's hygiene rule reports the files that can hold Argo CD objects
    return docs


def build(objects: list[ArgoObject], roots: Roots, kustomize: str | None) -> list[Built]:
    """What every Application of ``objects`` deploys from this tree."""
    command: list[str] | None = None
    found = []
    for app in objects:
        if app.kind != "Application":
            continue
        built = Built(app)
        default_ns = str(get_path(app.doc, "spec", "destination", "namespace") or "")
        for at, source in source_paths(app.doc):
            for directory in roots.directories(source, str(source.get("path"))):
                built.sources += 1
                found_k = kustomization(directory)
                if found_k is not None and found_k.get("helmCharts"):
                    # Argo CD builds it with --enable-helm and the chart from the network.
                    message = (
                        f"{shown_path(directory)} inflates Helm charts (helmCharts): not built"
                    )
                    built.failed.append(((*at, "path"), message, "manifests-not-verified-offline"))
                    continue
                if found_k is not None:
                    command = command or kustomize_command(kustomize)
                    docs, error = _build(directory, command)
                    if error:
                        built.failed.append(((*at, "path"), error, "manifests-build-failed"))
                else:
                    docs = _read(roots.synced(source, directory))
                docs = [d for d in docs if isinstance(d, dict) and not is_argo_object(d)]
                for doc in docs:
                    meta = doc.get("metadata")
                    if isinstance(meta, dict) and default_ns and "namespace" not in meta:
                        group_kind = identity(doc, "")[:2]
                        if group_kind not in CLUSTER_SCOPED:
                            doc = {**doc, "metadata": {**meta, "namespace": default_ns}}
                    built.objects.append(((*at, "path"), doc))
        found.append(built)
    return found
