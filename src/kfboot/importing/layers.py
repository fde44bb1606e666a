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

from kfboot import yamlio
from kfboot.findings import Finding
from kfboot.gitrepo.tree import inside
from kfboot.importing import checkout, reach
from kfboot.importing.app_files import AppDoc, mapping
from kfboot.importing.fixes import DEFAULTED, NOT_CARRIED
from kfboot.importing.roots import repos_of
from kfboot.importing.sources import Settings, git_paths, is_argocd
from kfboot.importing.tree import synced_by, top_of


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


def beyond(root: Path, children: list[AppDoc], settings: Settings) -> list[Finding]:
    """A note on each component of this repository whose path lies outside the imported
    directory (but in the repository) and syncs Applications there: a layer import does not
    read, so it stays one component whose Applications stay its own."""
    from kfboot.gitrepo import normalise_url

    repo = settings.checkout
    top = top_of(root) if root.is_dir() else top_of(root).parent
    if repo is None or top_of(repo) == top:
        return []  # the imported directory is the whole repository: nothing lies beyond it
    home = normalise_url(settings.repoURL)
    found = []
    for app in children:
        if home not in repos_of(app):
            continue
        for path in git_paths(app):
            directory = checkout.repository_path(top_of(repo), path)
            if directory is None or top in (directory, *directory.parents):
                continue  # inside the imported directory: read (and flattened) already
            names = _applications_in(directory, top_of(repo), reach.recurse(app))
            if not names:
                continue
            msg = (
                f"{app.name} syncs the Applications {', '.join(names)} from {path}, outside the "
                "imported directory, which import does not read; the catalog keeps it as one "
                "component and those Applications stay its own: import the repository's top "
                "to flatten it"
            )
            found.append(app.finding(("metadata", "name"), NOT_CARRIED, msg))
    return found


def _applications_in(directory: Path, repo: Path, recurse: bool) -> list[str]:
    """The names of the Applications Argo CD reads from ``directory`` (inside ``repo`` only:
    never through a symlink out of it; regular files of a bounded size)."""
    if not directory.is_dir() or not inside(directory, repo):
        return []
    names: list[str] = []
    for file in synced_by(directory, repo, recurse):
        try:
            if not inside(file, repo) or file.stat().st_size > checkout.MAX_READ:
                continue
            text = file.read_text(encoding="utf-8")
            docs = yamlio.load_all(text) if "argoproj.io" in text else []
        except (OSError, ValueError, UnicodeDecodeError):
            continue
        names += [
            str(mapping(d.get("metadata")).get("name"))
            for d in docs
            if isinstance(d, dict) and d.get("kind") == "Application"
        ]
    return names
