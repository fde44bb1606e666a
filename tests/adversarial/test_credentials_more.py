"""Issue 21, secrets: credentials in Helm parameters, patch text, quoted keys and URLs with a
``'`` in their user-info are reported, refused and never printed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kfboot.catalog.credentials import redact_diff
from kfboot.findings import redact
from tests.adversarial.harness import assert_no_secret, run_cli
from tests.adversarial.test_credentials import SECRET, _project, _refused, _with_helm
from tests.conftest import DEFAULT_CATALOG

PATCHED = """
    kustomize:
      patches:
        - target: {kind: Secret}
          patch: |
            apiVersion: v1
            kind: Secret
            metadata: {name: db}
            stringData:
              password: %s
"""


def _with_params() -> str:
    # The chart component _with_helm adds is the last with values: (argocd has some too).
    before, values, after = _with_helm().rpartition("      values:\n")
    return f"{before}      parameters: [{{name: db.password, value: {SECRET}}}]\n{values}{after}"


def _with_patch() -> str:
    text = DEFAULT_CATALOG.read_text()
    anchor = "    dependsOn: [argocd]\n"
    return text.replace(anchor, anchor + PATCHED % SECRET, 1)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (_with_params(), "db.password holds a literal value"),
        (_with_patch(), "a patch holds a literal value"),
        (_with_helm(values=f'"db password": {SECRET}'), "db password holds a literal value"),
    ],
)
@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_check_flags_and_redacts_credentials_outside_values_keys(
    tmp_path: Path, text: str, named: str, fmt: str
) -> None:
    project = _project(tmp_path, text)
    result = run_cli("check", "--format", fmt, cwd=project)
    assert result.exit_code == 1 and "credential-literal" in result.stdout, result
    assert named in result.stdout
    assert_no_secret(result, SECRET)
    assert run_cli("render", cwd=project).exit_code == 1


@pytest.mark.parametrize(
    "text",
    [
        _with_helm(url=f"https://bot:pa'ss{SECRET}@helm.example.com/charts"),
        _with_helm(values=f'proxy: "http://u:it\'s{SECRET}@proxy:3128"'),
        DEFAULT_CATALOG.read_text()
        + f"\nclusters:\n  - name: dev\n    server: https://u:it's{SECRET}@api.dev.example:6443\n",
    ],
)
@pytest.mark.parametrize("command", ["render", "check"])
def test_a_quote_in_url_user_info_is_still_a_credential(
    tmp_path: Path, text: str, command: str
) -> None:
    _refused(_project(tmp_path, text), command, "a URL carries a user name or password")


def test_redact_hides_user_info_with_a_quote() -> None:
    assert SECRET not in redact(f"see https://u:it's{SECRET}@host/x")


def _flow_defaults() -> str:
    """The default catalog with its defaults in flow style, beside targetRevision (which
    set-repo changes, so the diff shows the line)."""
    text = DEFAULT_CATALOG.read_text()
    start = text.index("\ndefaults:\n") + 1
    end = start + re.search(r"^\S", text[start + 10 :], re.M).start() + 10  # type: ignore[union-attr]
    text = text[:start] + text[end:]
    line = f"defaults: {{annotations: {{example.com/password: {SECRET}}}}}\n"
    return text.replace("targetRevision: v1.11.0\n", "targetRevision: v1.11.0\n" + line, 1)


def test_a_catalog_diff_redacts_credentials_in_flow_collections(tmp_path: Path) -> None:
    """set-repo --dry-run (and upgrade --dry-run) print the catalog's own lines: a credential
    in a flow mapping (``{adminPassword: x}``) was printed whole."""
    project = tmp_path / "p"
    project.mkdir()
    (project / "waves.yaml").write_text(_flow_defaults())
    result = run_cli("set-repo", "--revision", "r2", "--dry-run", "--no-render", cwd=project)
    assert result.exit_code == 0, result
    assert "example.com/password: ***" in result.stdout, result.stdout
    assert_no_secret(result, SECRET)


@pytest.mark.parametrize(
    "line",
    [
        f"+      parameters: [{{name: db.password, value: {SECRET}}}, {{name: tag, value: v1}}]",
        f"-        - {{name: db.password, value: '{SECRET}'}}",
        f' values: {{"db password": {SECRET}, tag: v1}}',
    ],
)
def test_flow_style_credentials_are_redacted_in_diff_lines(line: str) -> None:
    shown = redact_diff(line)
    assert SECRET not in shown and "***" in shown, shown
    assert "v1" in shown or "tag" not in line


def test_flow_style_references_stay_readable() -> None:
    line = " values: {token: ${TOKEN}, secret: {{ .Values.x }}, tag: v1}"
    assert redact_diff(line) == line
