"""The base catalog: ``waves.yaml`` at a git revision, read with ``git cat-file`` (the user's
tree is never checked out over), parsed and located as ``REF:waves.yaml``."""

from __future__ import annotations

from pathlib import Path

from kfboot import gitrepo
from kfboot.catalog.load import parse_catalog
from kfboot.catalog.models import Catalog
from kfboot.errors import UsageError


def base_catalog(catalog_path: Path, ref: str) -> Catalog | None:
    """The catalog at ``ref`` (None: the file did not exist there, so everything is new)."""
    here = catalog_path.resolve()
    top = gitrepo.toplevel(here.parent)
    if top is None:
        raise UsageError(f"--base {ref}: {catalog_path} is not inside a git repository")
    # Any revision git names (origin/main, HEAD~1): a --base is not a targetRevision.
    if gitrepo.commit_of(top, ref) is None and ref != "HEAD":
        raise UsageError(f"--base {ref}: not a revision of this repository (git fetch it first?)")
    rel = here.relative_to(top).as_posix()
    text = gitrepo.show(top, ref, rel)
    if text is None:
        return None
    return parse_catalog(text, file=f"{ref}:{rel}")
