"""Item 3: credentials are refused everywhere, and never echoed in a message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.adversarial.harness import assert_no_secret, assert_one_line_error
from tests.conftest import DEFAULT_CATALOG, run_cli, snapshot

SECRET = "ghp_0123456789abcdefSECRET"
ARGO = "      repoURL: https://argoproj.github.io/argo-helm\n"
HELM = """
  - name: gpu-operator
    wave: 5
    namespace: gpu-operator
    helm:
      repoURL: {url}
      chart: gpu-operator
      targetRevision: v25.3.0
      values:
        {values}
"""


def _project(tmp_path: Path, text: str) -> Path:
    shutil.copy(DEFAULT_CATALOG, tmp_path / "waves.yaml")
    assert run_cli("render", cwd=tmp_path).exit_code == 0
    (tmp_path / "waves.yaml").write_text(text)
    return tmp_path


def _with_helm(url: str = "https://helm.ngc.nvidia.com/nvidia", values: str = "x: 1") -> str:
    text = DEFAULT_CATALOG.read_text()
    return text.replace(
        "\n  - name: user-namespace\n",
        HELM.format(url=url, values=values) + "\n  - name: user-namespace\n",
    )


@pytest.mark.parametrize(
    "text",
    [
        DEFAULT_CATALOG.read_text().replace(
            ARGO, f"      repoURL: https://bot:{SECRET}@argoproj.github.io/argo-helm\n"
        ),
        _with_helm(url=f"https://{SECRET}@helm.ngc.nvidia.com/nvidia"),
        _with_helm(url=f"oci://robot:{SECRET}@registry.example.com/charts"),
        _with_helm(values=f"proxy: {{url: 'http://user:{SECRET}@proxy:3128'}}"),
        _with_helm(values=f'notes: "see https://x:{SECRET}@git.example.com/a.git"'),
    ],
)
@pytest.mark.parametrize("command", ["render", "check"])
def test_urls_with_user_info_are_refused(tmp_path: Path, text: str, command: str) -> None:
    _refused(_project(tmp_path, text), command, "a URL carries a user name or password")


def _refused(project: Path, command: str, message: str) -> None:
    before = snapshot(project / "bootstrap")
    result = run_cli(command, cwd=project)
    assert result.exit_code == 1, result
    assert message in result.stdout + result.stderr
    assert_no_secret(result, SECRET)
    assert snapshot(project / "bootstrap") == before


@pytest.mark.parametrize(
    "values",
    ["adminPassword: hunter2", "oidc: {clientSecret: s3cr3t}", "sshPrivateKey: '-----BEGIN'"],
)
def test_credential_literals_are_a_check_error(tmp_path: Path, values: str) -> None:
    project = _project(tmp_path, _with_helm(values=values))
    before = snapshot(project / "bootstrap")
    rendered = run_cli("render", cwd=project)
    # render runs check's catalog rules first: the secret is never written into bootstrap/.
    assert rendered.exit_code == 1
    assert "[error] credential-literal:" in rendered.stderr
    assert snapshot(project / "bootstrap") == before
    result = run_cli("check", cwd=project)
    assert result.exit_code == 1
    assert "[error] credential-literal:" in result.stdout


@pytest.mark.parametrize(
    "values", ["existingSecret: grafana-admin", "passwordSecretRef: {name: x}", "token: ''"]
)
def test_references_to_secrets_are_fine(tmp_path: Path, values: str) -> None:
    project = _project(tmp_path, _with_helm(values=values))
    assert run_cli("render", cwd=project).exit_code == 0
    assert "credential-literal" not in run_cli("check", cwd=project).stdout


def test_credential_literal_can_be_ignored_with_a_reason(tmp_path: Path) -> None:
    text = _with_helm(values="tokenTTL: 24h\n        token: public-demo-token")
    text = text.replace(
        "    namespace: gpu-operator\n",
        "    namespace: gpu-operator\n    ignore:\n      - rule: credential-literal\n"
        "        reason: a public demo token, not a secret\n",
        1,
    )
    project = _project(tmp_path, text)
    assert run_cli("render", cwd=project).exit_code == 0
    assert "credential-literal" not in run_cli("check", cwd=project).stdout


@pytest.mark.parametrize(
    "url",
    [
        f"https://user:{SECRET}@github.com/org/repo with-space",
        f"https://github.com/org/repo.git?access_token={SECRET} x",
        f"ftp://u:{SECRET}@github.com/org/repo",
    ],
)
def test_set_repo_never_echoes_a_credential(tmp_path: Path, url: str) -> None:
    project = _project(tmp_path, DEFAULT_CATALOG.read_text())
    before = snapshot(project)
    result = run_cli("set-repo", url, cwd=project)
    assert_one_line_error(result, "nothing changed")
    assert_no_secret(result, SECRET)
    assert snapshot(project) == before


APP = """apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: x
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://u:{secret}@github.com/a/b.git
    path: x
    targetRevision: main
  destination:
    server: https://kubernetes.default.svc
    namespace: x
"""


def test_import_never_echoes_a_credential(tmp_path: Path) -> None:
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "app.yaml").write_text(APP.format(secret=SECRET))
    result = run_cli("import", "tree", cwd=tmp_path)
    assert "https://***@github.com/a/b.git" in result.stdout
    assert_no_secret(result, SECRET)
    assert SECRET not in (tmp_path / "waves.yaml").read_text()


def test_set_repo_dry_run_diff_never_echoes_a_token(tmp_path: Path) -> None:
    """The diff of a file set-repo rewrites is printed redacted, like every other message."""
    shutil.copy(DEFAULT_CATALOG, tmp_path / "waves.yaml")
    assert run_cli("render", cwd=tmp_path).exit_code == 0
    root = tmp_path / "bootstrap" / "app-of-apps.yaml"
    token = "ghp_" + "T0KEN" * 6
    root.write_text(root.read_text() + f"# https://h.example/p?token={token}\n")
    result = run_cli("set-repo", "https://github.com/org/other.git", "--dry-run", cwd=tmp_path)
    assert result.exit_code == 0, result
    assert "token=***" in result.stdout
    assert token not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "text",
    [
        _with_helm(url=f"https://helm.example.com/charts?access_token={SECRET}"),
        _with_helm(values=f"feed: {{url: 'https://h.example/p?token={SECRET}&a=1'}}"),
        _with_helm(values=f"asset: 'https://b.s3.amazonaws.com/k?X-Amz-Signature={SECRET}'"),
    ],
)
@pytest.mark.parametrize("command", ["render", "check"])
def test_urls_with_a_token_parameter_are_refused(tmp_path: Path, text: str, command: str) -> None:
    """A token in the query is a credential too: it was rendered into committed files."""
    _refused(_project(tmp_path, text), command, "a URL carries a token-like query parameter")


@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["check", "--format", "json"],
        ["check", "--format", "github"],
    ],
)
def test_drift_diffs_never_echo_a_credential_literal(tmp_path: Path, command: list[str]) -> None:
    """The diff shows the rendered values: a literal secret in them was printed to the log."""
    values = f"oidc: {{clientSecret: {SECRET}, existingSecret: keep-me}}"
    project = _project(tmp_path, _with_helm(values=values))
    result = run_cli(*command, cwd=project)
    assert "clientSecret: ***" in result.stdout, result
    assert "existingSecret: keep-me" in result.stdout
    assert_no_secret(result, SECRET)


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
def test_set_repo_never_renders_a_credential_literal(tmp_path: Path, dry_run: list[str]) -> None:
    """render refuses to commit it; set-repo's re-render wrote it into bootstrap/."""
    project = _project(tmp_path, _with_helm(values=f"oidc: {{clientSecret: {SECRET}}}"))
    before = snapshot(project)
    result = run_cli("set-repo", "https://github.com/org/other.git", *dry_run, cwd=project)
    assert result.exit_code == 1, result
    assert "[error] credential-literal:" in result.stderr
    assert_no_secret(result, SECRET)
    assert snapshot(project) == before
