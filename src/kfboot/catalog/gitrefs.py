"""Validation of git repository URLs and revisions (branch, tag or commit names).

Shared by the catalog models and ``set-repo``: one definition of what kfboot accepts.
Accepted URL forms are the ones people use with Argo CD: ``https://host/org/repo(.git)``,
``ssh://git@host/org/repo.git`` and scp-like ``git@host:org/repo.git``. Credentials in an
http(s) URL are refused: GitHub accepts a token as the user name, and a token must never be
committed into a catalog or reach git through an Application.
"""

from __future__ import annotations

import re

_HOST = r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?"
_REPO_PATH = r"[A-Za-z0-9._~-]+(?:/[A-Za-z0-9._~-]+)*/?"
_HTTPS = re.compile(rf"https?://(?P<host>{_HOST})/(?P<path>{_REPO_PATH})\Z")
_SSH = re.compile(rf"ssh://(?:[A-Za-z0-9._-]+@)?(?P<host>{_HOST})/(?P<path>{_REPO_PATH})\Z")
_SCP = re.compile(
    r"[A-Za-z0-9._-]+@(?P<host>[A-Za-z0-9.-]+):(?P<path>[A-Za-z0-9._~-][A-Za-z0-9._~/-]*)\Z"
)


def repo_url_problem(url: str) -> str | None:
    """Why ``url`` is not an acceptable git repository URL, or None when it is."""
    if not url:
        return "repository URL is empty"
    if placeholder := placeholder_problem(url):
        return f"repository URL {placeholder}"
    if url != url.strip() or any(c.isspace() for c in url):
        return f"repository URL {url!r} contains whitespace"
    if re.match(r"https?://[^/]*@", url):
        return (
            "repository URL must not carry a user name or password (a token in the URL would "
            "reach git and the repository); configure credentials in Argo CD instead"
        )
    if re.match(r"ssh://[^/@]*:[^/@]*@", url):
        return "repository URL must not carry a password; configure an ssh key in Argo CD instead"
    if url.startswith(("/", "./", "../", "~", "file:")) or url in (".", ".."):
        return (
            f"{url!r} is a local path, which Argo CD cannot clone; give the URL of a hosted "
            "repository (https://host/org/repo.git, ssh://git@host/org/repo.git or "
            "git@host:org/repo.git)"
        )
    match = _HTTPS.match(url) or _SSH.match(url) or _SCP.match(url)
    if match:
        return _path_problem(match.group("path")) or _port_problem(match.group("host"))
    return (
        f"not a git repository URL: {url!r} (expected https://host/org/repo.git, "
        "ssh://git@host/org/repo.git or git@host:org/repo.git)"
    )


def _path_problem(path: str) -> str | None:
    if any(part in (".", "..") for part in path.split("/")):
        return "repository URL path must not contain '..' or '.'"
    return None


def _port_problem(host: str) -> str | None:
    _, _, port = host.partition(":")
    if port and not 0 < int(port) < 65536:
        return f"repository URL port {port} is out of range"
    return None


_REV_BAD_CHARS = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]")


def revision_problem(rev: str) -> str | None:
    """Why ``rev`` is not a valid branch, tag or commit name (git check-ref-format), or None."""
    if not rev:
        return "revision is empty"
    if placeholder := placeholder_problem(rev):
        return f"revision {placeholder}"
    if _REV_BAD_CHARS.search(rev):
        return f"revision {rev!r} contains a character git refuses (space, control, ~ ^ : ? * [ \\)"
    if rev.startswith("-"):
        return f"revision {rev!r} must not start with '-'"
    if rev == "@":
        return "revision '@' is not a name (git reads it as HEAD)"
    if ".." in rev or "@{" in rev:
        return f"revision {rev!r} must not contain '..' or '@{{'"
    if rev.startswith("/") or rev.endswith("/") or "//" in rev:
        return f"revision {rev!r} has an empty path component"
    if rev.endswith(".") or rev.endswith(".lock"):
        return f"revision {rev!r} must not end with '.' or '.lock'"
    if any(part.startswith(".") for part in rev.split("/")):
        return f"revision {rev!r} has a component starting with '.'"
    if any(part.endswith(".lock") for part in rev.split("/")):
        return f"revision {rev!r} has a component ending with '.lock'"
    return None


def same_repo(a: str, b: str) -> bool:
    """Whether two URLs name the same repository (ignoring case and a trailing '.git' or '/')."""

    def norm(u: str) -> str:
        u = u.rstrip("/")
        u = u[:-4] if u.endswith(".git") else u
        return u.lower()

    return norm(a) == norm(b)


# Template placeholders left in a value: deployKF's ``<<__git_repo.url__>>``, Helm or Jinja
# ``{{ .Values.repo }}``, and shell or envsubst ``${REPO}``. Argo CD would use them literally.
_PLACEHOLDERS = (
    (re.compile(r"<<.*?>>"), "a <<...>> template placeholder"),
    (re.compile(r"\{\{.*?\}\}"), "a {{ ... }} template placeholder"),
    (re.compile(r"\$\{[^}]*\}"), "a ${...} variable placeholder"),
)


def placeholder_problem(value: str) -> str | None:
    """Why ``value`` is a template placeholder rather than a value, or None when it is not."""
    for pattern, what in _PLACEHOLDERS:
        found = pattern.search(value)
        if found:
            return (
                f"{value!r} holds {what} ({found.group(0)}), not a value: render the template "
                "that fills it in, or write the real value"
            )
    return None
