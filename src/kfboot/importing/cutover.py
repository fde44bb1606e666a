"""The cut-over steps ``kfboot import`` ends with: how the cluster moves to the new root.

Argo CD does not sync a root Application from git (it was applied by hand), so the rendered
root must be applied once. Every old root (an Application whose source holds the others, a plain
directory synced with ``directory.recurse`` included: :func:`kfboot.importing.roots.roots`) that
the new root does not replace by name must be retired without cascading: deleting an Application
that carries ``resources-finalizer.argocd.argoproj.io`` deletes everything it manages (Argo CD
``controller/appcontroller.go``, ``finalizeApplicationDeletion``), and for a root that is every
Kubeflow Application. So its finalizers go first (a merge patch setting them to null works
whether or not the live object has any), then it is deleted; the Applications it created stay,
and the new root adopts them by name. The old roots go before the new root is applied, so no
Application ever has two roots syncing (and pruning) it.
"""

from __future__ import annotations

from pathlib import Path

from kfboot.catalog.load import parse_catalog
from kfboot.findings import shown_path
from kfboot.importing import app_files as appfiles
from kfboot.importing import roots as import_roots
from kfboot.importing.app_files import AppDoc
from kfboot.layout import ROOT_FILE

_NO_FINALIZERS = """'{"metadata":{"finalizers":null}}'"""


def _namespace(app: AppDoc, default: str) -> str:
    return str(app.metadata.get("namespace") or default)


def steps(root: Path, source: str, catalog_path: Path, catalog_text: str) -> list[str]:
    """The lines that tell how to cut over from the imported tree's roots to the new one."""
    catalog = parse_catalog(catalog_text, file=shown_path(catalog_path))
    main, others = import_roots.roots(root, appfiles.read_applications(root, source))
    new = catalog.appOfApps.name
    root_file = shown_path(catalog_path.parent / catalog.bootstrapPath / ROOT_FILE)
    apply = f"kubectl apply -n {catalog.argocdNamespace} -f {root_file}"
    old = [a for a in (main, *others) if a is not None]
    kept = [a for a in old if a.name == new and _namespace(a, "argocd") == catalog.argocdNamespace]
    retire = [a for a in old if a not in kept]
    lines = ["cut-over, once the rendered bootstrap/ is committed and pushed:"]
    number = 1
    for app in retire:
        ns = _namespace(app, catalog.argocdNamespace)
        lines += [
            f"  {number}. retire the old root {app.name} ({app.file}) without cascading into "
            "what it deployed: drop its finalizers, then delete it (its Applications stay)",
            f"       kubectl patch -n {ns} application {app.name} --type merge -p {_NO_FINALIZERS}",
            f"       kubectl delete -n {ns} application {app.name}",
        ]
        number += 1
    same = f" (it updates the old root {new} in place)" if kept else ""
    lines += [
        f"  {number}. apply the new root once{same}; Argo CD does not sync a root from git:",
        f"       {apply}",
        f"  {number + 1}. watch the Applications converge: kfboot status --watch",
    ]
    return lines
