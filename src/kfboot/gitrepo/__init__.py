"""Reading the local git repository: which remote a ``repoURL`` names, and what a revision holds.

The one place kfboot runs ``git`` to read a checkout (``check``'s path-at-revision rule,
``plan``'s base catalog, ``lint``). Nothing here checks anything out, writes to the repository
or talks to the network: revisions are read from the local object store (``git ls-tree``,
``git cat-file``, ``git show``), and a revision that is not there is reported as absent.

- :mod:`kfboot.gitrepo.remote`: :func:`normalise_url`, :func:`same_repository`.
- :mod:`kfboot.gitrepo.tree`: :func:`resolve`, :func:`commit_of`, :func:`paths_at` (a
  :class:`PathReader` over a revision or the working tree), :func:`show` (one file at a
  revision).

Imports nothing from kfboot but ``errors``.
"""

from __future__ import annotations

from kfboot.gitrepo.remote import matching_remote, normalise_url, remotes, same_repository
from kfboot.gitrepo.tree import (
    PathReader,
    Revision,
    commit_of,
    paths_at,
    resolve,
    show,
    toplevel,
)

__all__ = [
    "PathReader",
    "Revision",
    "commit_of",
    "matching_remote",
    "normalise_url",
    "paths_at",
    "remotes",
    "resolve",
    "same_repository",
    "show",
    "toplevel",
]
