"""Every URL and revision ``set-repo`` refuses: a clear message, exit 1, nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kfboot.catalog import gitrefs
from tests.conftest import Result, snapshot

GOOD = "https://github.com/acme/kubeflow-manifests.git"
FORMS = "(https://host/org/repo.git, ssh://git@host/org/repo.git or git@host:org/repo.git)"
EXPECTED = (
    "(expected https://host/org/repo.git, ssh://git@host/org/repo.git or git@host:org/repo.git)"
)
CREDENTIALS = (
    "repository URL must not carry a user name or password (a token in the URL would reach git "
    "and the repository); configure credentials in Argo CD instead"
)
GIT_CHARS = "contains a character git refuses (space, control, ~ ^ : ? * [ \\)"

BAD_URLS = {
    "": "repository URL is empty",
    " " + GOOD: f"repository URL {' ' + GOOD!r} contains whitespace",
    GOOD + "\n": f"repository URL {GOOD + chr(10)!r} contains whitespace",
    "https://github.com/acme/kube flow.git": (
        "repository URL 'https://github.com/acme/kube flow.git' contains whitespace"
    ),
    "/srv/git/manifests": (
        f"'/srv/git/manifests' is a local path, which Argo CD cannot clone; give the URL of a "
        f"hosted repository {FORMS}"
    ),
    "./manifests": (
        f"'./manifests' is a local path, which Argo CD cannot clone; give the URL of a hosted "
        f"repository {FORMS}"
    ),
    "file:///srv/git/manifests.git": (
        "'file:///srv/git/manifests.git' is a local path, which Argo CD cannot clone; give the "
        f"URL of a hosted repository {FORMS}"
    ),
    "ftp://github.com/acme/manifests.git": (
        f"not a git repository URL: 'ftp://github.com/acme/manifests.git' {EXPECTED}"
    ),
    "git://github.com/acme/manifests.git": (
        f"not a git repository URL: 'git://github.com/acme/manifests.git' {EXPECTED}"
    ),
    "github.com/acme/manifests": (
        f"not a git repository URL: 'github.com/acme/manifests' {EXPECTED}"
    ),
    "https://github.com": f"not a git repository URL: 'https://github.com' {EXPECTED}",
    GOOD + "?ref=main": f"not a git repository URL: {GOOD + '?ref=main'!r} {EXPECTED}",
    "https://ghp_abc123@github.com/acme/manifests.git": CREDENTIALS,
    "https://user:secret@github.com/acme/manifests.git": CREDENTIALS,
    "http://token@github.com/acme/manifests.git": CREDENTIALS,
    "ssh://git:secret@github.com/acme/manifests.git": (
        "repository URL must not carry a password; configure an ssh key in Argo CD instead"
    ),
    "git@github.com:../manifests.git": "repository URL path must not contain '..' or '.'",
    "https://github.com/acme/../manifests.git": "repository URL path must not contain '..' or '.'",
    "https://github.com:70000/acme/manifests.git": "repository URL port 70000 is out of range",
}

BAD_REVISIONS = {
    "": "revision is empty",
    "v1..2": "revision 'v1..2' must not contain '..' or '@{'",
    "my branch": f"revision 'my branch' {GIT_CHARS}",
    "main\t": f"revision 'main\\t' {GIT_CHARS}",
    "main~1": f"revision 'main~1' {GIT_CHARS}",
    "main^": f"revision 'main^' {GIT_CHARS}",
    "a:b": f"revision 'a:b' {GIT_CHARS}",
    "what?": f"revision 'what?' {GIT_CHARS}",
    "rel*": f"revision 'rel*' {GIT_CHARS}",
    "a[1]": f"revision 'a[1]' {GIT_CHARS}",
    "a\\b": f"revision 'a\\\\b' {GIT_CHARS}",
    "-rf": "revision '-rf' must not start with '-'",
    "@": "revision '@' is not a name (git reads it as HEAD)",
    "main@{1}": "revision 'main@{1}' must not contain '..' or '@{'",
    "release/": "revision 'release/' has an empty path component",
    "a//b": "revision 'a//b' has an empty path component",
    "v1.": "revision 'v1.' must not end with '.' or '.lock'",
    "main.lock": "revision 'main.lock' must not end with '.' or '.lock'",
    "feature/.hidden": "revision 'feature/.hidden' has a component starting with '.'",
    "x.lock/y": "revision 'x.lock/y' has a component ending with '.lock'",
}

Kfboot = Callable[..., Result]


@pytest.fixture
def rendered(project: Path, kfboot: Kfboot) -> Path:
    assert kfboot("render", cwd=project).exit_code == 0
    return project


def _refused(kfboot: Kfboot, root: Path, args: list[str], message: str) -> None:
    before = snapshot(root)
    assert kfboot("set-repo", *args, cwd=root) == Result(
        1, "", f"set-repo: {message}; nothing changed\n"
    )
    assert snapshot(root) == before  # waves.yaml and bootstrap/, byte for byte


@pytest.mark.parametrize(("url", "message"), BAD_URLS.items(), ids=repr)
def test_rejected_url(rendered: Path, kfboot: Kfboot, url: str, message: str) -> None:
    _refused(kfboot, rendered, [url, "--revision", "main"], message)


@pytest.mark.parametrize(("rev", "message"), BAD_REVISIONS.items(), ids=repr)
def test_rejected_revision(rendered: Path, kfboot: Kfboot, rev: str, message: str) -> None:
    _refused(kfboot, rendered, [GOOD, f"--revision={rev}"], message)


@pytest.mark.parametrize(
    "url",
    [
        GOOD,
        "https://github.com/acme/kubeflow-manifests",
        "https://git.example.org:8443/platform/kubeflow/manifests.git",
        "ssh://git@github.com/acme/kubeflow-manifests.git",
        "ssh://git@git.example.org:2222/acme/kubeflow-manifests.git",
        "git@github.com:acme/kubeflow-manifests.git",
    ],
)
def test_accepted_url_forms(url: str) -> None:
    assert gitrefs.repo_url_problem(url) is None


@pytest.mark.parametrize("rev", ["main", "release-1.0", "v1.10.0", "26.03", "HEAD", "feat/x"])
def test_accepted_revisions(rev: str) -> None:
    assert gitrefs.revision_problem(rev) is None


def test_unknown_option_is_a_usage_error(rendered: Path, kfboot: Kfboot) -> None:
    before = snapshot(rendered)
    res = kfboot("set-repo", GOOD, "--revison", "main", cwd=rendered)
    assert res.exit_code == 2
    assert "Error: No such option '--revison'. Did you mean '--revision'?" in res.stderr
    assert snapshot(rendered) == before
