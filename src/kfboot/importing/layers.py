"""Applications that sync Applications, below the main root: layers, flattened or kept.

An app of apps is often layered: the root syncs ``team``, which syncs ``team-x`` and ``team-y``.
kfboot's catalog has one root, so an Application that syncs Applications is the root or a layer,
never a component (a component would keep syncing its old Applications while kfboot renders
them too: two owners for one Application). A layer in this repository is flattened: its
Applications are imported with their own waves and the layer is named. A layer that reads
another repository cannot be read, so it stays one component, and import says so.
"""

from __future__ import annotations

from pathlib import Path

from kfboot.findings import Finding
from kfboot.importing import reach
from kfboot.importing.app_files import AppDoc, mapping
from kfboot.importing.fixes import DEFAULTED, NOT_CARRIED
from kfboot.importing.roots import repos_of
from kfboot.importing.sources import Settings, is_argocd
from kfboot.importing.tree import top_of


def named(
    root: Path, main: AppDoc | None, others: list[AppDoc], apps: list[AppDoc]
) -> list[Finding]:
    """A finding on every root but the main one: a layer the main root syncs is flattened,
    another root is not carried."""
    layered = {id(a) for a in reach.layers(root, main, others)} if main is not None else set()
    found = []
    for other in others:
        if id(other) in layered:
            files = reach.synced_files(root, other)
            top = top_of(root)
            children = [a.name for a in apps if a is not other and top / a.rel in files]
            msg = (
                f"{other.name} is an intermediate layer: it syncs the Applications "
                f"{', '.join(children)}; the catalog flattens it: they are components of the "
                f"catalog's root ({main.name if main else ''}) with their own waves, and there "
                f"is no Application {other.name}"
            )
        else:
            msg = (
                f"{other.name} is another root Application (its directory holds Applications); "
                f"the catalog has one root ({main.name if main else 'the main one'}) and no "
                f"component for {other.name}"
            )
        found.append(other.finding(("metadata", "name"), NOT_CARRIED, msg))
    return found


def foreign(children: list[AppDoc], settings: Settings) -> list[Finding]:
    """A note on each component that deploys into the Applications' namespace from another
    repository: if it syncs Applications (a layer kfboot cannot read), it stays one component
    and its Applications stay its own."""
    from kfboot.gitrepo import normalise_url

    home = normalise_url(settings.repoURL)
    found = []
    for app in children:
        repos = repos_of(app)
        ns = mapping(app.spec.get("destination")).get("namespace")
        if is_argocd(app) or not repos or home in repos or ns != settings.argocdNamespace:
            continue
        msg = (
            f"{app.name} deploys into {ns}, where Argo CD's Applications live, from another "
            f"repository ({', '.join(sorted(repos))}); if it syncs Applications (a layer "
            "import cannot read), the catalog keeps it as one component and those "
            "Applications stay its own, not kfboot's"
        )
        found.append(app.finding(("spec", "destination", "namespace"), DEFAULTED, msg))
    return found
