"""Issue 21: Applications to import whose fields have hostile types or values: each is a
finding (what was not carried over) or a located error, never a traceback or internal error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adversarial.harness import run_cli


def application(helm: str, wave: str = "1", name: str = "web") -> str:
    return f"""\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {name}
  namespace: argocd
  annotations:
    argocd.argoproj.io/sync-wave: "{wave}"
spec:
  project: default
  source:
    repoURL: https://charts.example.com
    chart: web
    targetRevision: 1.0.0
    helm:
{helm}
  destination:
    server: https://kubernetes.default.svc
    namespace: web
"""


def imported(tmp_path: Path, text: str, *args: str) -> tuple[str, str, int]:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "app.yaml").write_text(text)
    result = run_cli("import", str(tree), "-o", str(tmp_path / "waves.yaml"), *args)
    out = result.stdout + result.stderr
    assert "Traceback" not in out and "internal error" not in out, out
    catalog = tmp_path / "waves.yaml"
    return out, catalog.read_text() if catalog.exists() else "", result.exit_code


@pytest.mark.parametrize(
    ("helm", "named"),
    [
        ("      valuesObject: [1, 2]", "valuesObject is [1, 2]"),
        ("      valuesObject: hello", "valuesObject is 'hello'"),
        ("      valueFiles: [null]", "valueFiles is [null]"),
        ("      valueFiles: [values.yaml, 3]", "valueFiles is"),
    ],
)
def test_a_helm_option_of_the_wrong_type_is_not_carried_over(
    tmp_path: Path, helm: str, named: str
) -> None:
    out, catalog, code = imported(tmp_path, application(helm))
    assert code == 0 and "import-not-carried-over" in out and named in out, out
    assert "valuesObject" not in catalog and "valueFiles" not in catalog


@pytest.mark.parametrize(
    ("helm", "kept"),
    [
        ("      valuesObject: {startDate: 2024-01-01}", 'startDate: "2024-01-01"'),
        ("      values: 'end: 2024-02-01'", 'end: "2024-02-01"'),
    ],
)
def test_timestamps_in_imported_values_stay_strings(tmp_path: Path, helm: str, kept: str) -> None:
    out, catalog, code = imported(tmp_path, application(helm))
    assert code == 0, out
    assert kept in catalog
    assert run_cli("render", cwd=tmp_path).exit_code == 0


@pytest.mark.parametrize("wave", ["99999999999999999999", "-9223372036854775809"])
def test_a_wave_beyond_int64_is_wave_0_as_argo_cd_reads_it(tmp_path: Path, wave: str) -> None:
    out, catalog, _ = imported(tmp_path, application("      releaseName: web", wave=wave))
    assert "sync-wave-format" in out and "import uses wave 0 too" in out, out
    assert "wave: 0" in catalog


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_import_never_prints_or_writes_a_credential_it_cannot_carry(
    tmp_path: Path, fmt: str
) -> None:
    helm = (
        "      values: '{1: x, password: hunter2}'\n"
        "      parameters: [{name: db.password, value: hunter2, forceString: 1}]\n"
        "      valuesObject: {nested: [{clientSecret: s3cr3t}], 2: y}"
    )
    out, catalog, _ = imported(tmp_path, application(helm), "--format", fmt)
    for secret in ("hunter2", "s3cr3t"):
        assert secret not in out and secret not in catalog, (secret, out, catalog)
