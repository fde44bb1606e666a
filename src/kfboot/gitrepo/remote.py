"""Whether a ``repoURL`` is this checkout: its remotes, compared as Argo CD compares URLs.

Argo CD lower-cases a URL, turns scp form (``git@host:org/repo``) into ``host/org/repo`` and drops
``.git`` before comparing (argoproj/argo-cd util/git/git.go:60@v3.4.7, ``NormalizeGitURL``).
kfboot also drops the scheme, user info, a default port and a trailing slash: a fork cloned over
SSH and deployed over HTTPS is the same repository.
"""

from __future__ import annotations

import re
from pathlib import Path

from kfboot.gitrepo.run import existing_dir, git_text

_SCP = re.compile(r"^(?:[^@/]+@)?(?P<host>[^:/]+):(?!//)(?P<path>.*)$")
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://(?:[^@/]*@)?(?P<host>[^/]*)(?P<path>/.*)?$")
_DEFAULT_PORTS = (":443", ":80", ":22", ":9418")


def normalise_url(url: str) -> str:
    """``host/path`` of a git URL, lower case, without scheme, user, default port or ``.git``."""
    text = url.strip().lower()
    match = _URL.match(text) or _SCP.match(text)
    if match is None:
        host, path = "", text
    else:
        host, path = match["host"], match["path"] or ""
    for port in _DEFAULT_PORTS:
        host = host.removesuffix(port)
    path = path.strip("/").removesuffix(".git").rstrip("/")
    return f"{host}/{path}" if host else path


def remotes(checkout: Path) -> dict[str, str]:
    """``{remote name: URL}`` of the repository holding ``checkout`` (empty: none, or no git)."""
    out = git_text(existing_dir(checkout), "config", "--get-regexp", r"^remote\..*\.url$")
    found: dict[str, str] = {}
    for line in (out or "").splitlines():
        key, _, value = line.partition(" ")
        name = key.removeprefix("remote.").removesuffix(".url")
        if value:
            found[name] = value
    return found


def matching_remote(repo_url: str, checkout: Path) -> str | None:
    """The name of the remote of ``checkout`` that ``repo_url`` names (``origin`` first)."""
    wanted = normalise_url(repo_url)
    names = sorted(remotes(checkout).items(), key=lambda item: (item[0] != "origin", item[0]))
    return next((name for name, url in names if wanted and normalise_url(url) == wanted), None)


def same_repository(repo_url: str, checkout: Path) -> bool:
    """Whether ``repo_url`` names a remote of the repository holding ``checkout``."""
    return matching_remote(repo_url, checkout) is not None
