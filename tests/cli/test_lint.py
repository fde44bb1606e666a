"""``kfboot lint``: the original hand-written bootstrap, every reporter, the baseline."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import DATA, REPO_ROOT, SHARED, run_cli

ORIGINAL = DATA / "imports" / "original"
EXPECTED = DATA / "lint" / "original-findings.txt"

# The parts of SARIF 2.1.0 code scanning reads (OASIS sarif-v2.1.0 §3.13-3.30: sarifLog, run,
# tool.driver, reportingDescriptor, result, location, physicalLocation, region), written from
# the specification: the official schema (sarif-schema-2.1.0.json) is not shipped with kfboot.
SARIF_SUBSET = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "$schema": {"type": "string", "format": "uri"},
        "runs": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["tool", "results"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name", "rules"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "rules": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["id", "shortDescription", "helpUri"],
                                            "properties": {
                                                "shortDescription": {
                                                    "type": "object",
                                                    "required": ["text"],
                                                },
                                                "defaultConfiguration": {
                                                    "type": "object",
                                                    "properties": {
                                                        "level": {
                                                            "enum": [
                                                                "none",
                                                                "note",
                                                                "warning",
                                                                "error",
                                                            ]
                                                        }
                                                    },
                                                },
                                            },
                                        },
                                    },
                                },
                            }
                        },
                    },
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["ruleId", "level", "message", "locations"],
                            "properties": {
                                "level": {"enum": ["none", "note", "warning", "error"]},
                                "ruleIndex": {"type": "integer", "minimum": 0},
                                "message": {"type": "object", "required": ["text"]},
                                "locations": {
                                    "type": "array",
                                    "minItems": 1,
                                    "items": {
                                        "type": "object",
                                        "required": ["physicalLocation"],
                                        "properties": {
                                            "physicalLocation": {
                                                "type": "object",
                                                "required": ["artifactLocation"],
                                                "properties": {
                                                    "artifactLocation": {
                                                        "type": "object",
                                                        "required": ["uri"],
                                                    },
                                                    "region": {
                                                        "type": "object",
                                                        "required": ["startLine"],
                                                        "properties": {
                                                            "startLine": {
                                                                "type": "integer",
                                                                "minimum": 1,
                                                            },
                                                            "startColumn": {
                                                                "type": "integer",
                                                                "minimum": 1,
                                                            },
                                                        },
                                                    },
                                                },
                                            }
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}
OFFICIAL_SARIF = SHARED / "reference" / "sarif-schema-2.1.0.json"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(ORIGINAL, tmp_path / "original")
    return tmp_path


def test_lints_the_original_hand_written_bootstrap() -> None:
    result = run_cli("lint", "original", cwd=DATA / "imports")
    assert result.stdout == EXPECTED.read_text()
    assert result.exit_code == 1
    assert result.stderr == ""


def test_json(tree: Path) -> None:
    doc = json.loads(run_cli("lint", "--format", "json", "original", cwd=tree).stdout)
    assert doc["summary"] == {"errors": 4, "warnings": 5}
    assert "root-server-side-apply" in doc["rules"]
    assert "original/bootstrap/app-of-apps.yaml" in doc["files"]


def test_github(tree: Path) -> None:
    out = run_cli("lint", "--format", "github", "original", cwd=tree).stdout
    assert "::error file=original/bootstrap/app-of-apps.yaml,line=24,col=9," in out


def test_sarif_validates(tree: Path) -> None:
    result = run_cli("lint", "--format", "sarif", "original", cwd=tree)
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, SARIF_SUBSET)
    if OFFICIAL_SARIF.is_file():
        official = json.loads(OFFICIAL_SARIF.read_text())  # draft-04
        jsonschema.validators.validator_for(official)(official).validate(doc)
    run = doc["runs"][0]
    first = run["results"][0]
    assert first["ruleId"] == "root-server-side-apply"
    assert first["level"] == "error"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "original/bootstrap/app-of-apps.yaml"},
        "region": {"startLine": 24, "startColumn": 9},
    }
    assert run["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == first["ruleId"]
    assert result.exit_code == 1


def test_sarif_subset_schema_rejects_a_bad_log() -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {"version": "2.1.0", "runs": [{"tool": {}, "results": []}]}, SARIF_SUBSET
        )


def test_junit_parses(tree: Path) -> None:
    out = run_cli("lint", "--format", "junit", "original", cwd=tree).stdout
    suites = ET.fromstring(out)
    suite = suites.find("testsuite")
    assert suite is not None and suite.get("failures") == "4"
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert len(cases) == 15  # every file with Argo CD objects, clean ones pass
    root = cases["original/bootstrap/app-of-apps.yaml"]
    failure = root.find("failure")
    assert failure is not None and failure.get("type") == "root-server-side-apply"
    assert cases["original/bootstrap/apps/kubeflow/argocd.yaml"].find("failure") is None
    out_text = cases["original/bootstrap/apps/kubeflow/trainer.yaml"].findtext("system-out")
    assert out_text is not None and "destructive-sync-option" in out_text


def test_baseline_round_trip(tree: Path) -> None:
    written = run_cli("lint", "--write-baseline", "lint-baseline.json", "original", cwd=tree)
    assert written.exit_code == 0
    assert written.stdout == "lint-baseline.json: recorded 9 finding(s) as accepted\n"
    accepted = run_cli("lint", "--baseline", "lint-baseline.json", "original", cwd=tree)
    assert accepted.stdout == "9 finding(s) accepted by the baseline\nno findings\n"
    assert accepted.exit_code == 0
    # a moved line is still the accepted finding; a new one is reported alone
    app = tree / "original" / "bootstrap" / "apps" / "kubeflow" / "trainer.yaml"
    text = app.read_text()
    app.write_text(
        "# a comment moves every line\n"
        + text.replace("Force=true", "Force=true\n      - Replace=true")
    )
    again = run_cli("lint", "--baseline", "lint-baseline.json", "original", cwd=tree)
    lines = again.stdout.splitlines()
    assert lines[0] == "9 finding(s) accepted by the baseline"
    assert lines[1].startswith(
        "original/bootstrap/apps/kubeflow/trainer.yaml:30:9: [warning] destructive-sync-option: "
        "Replace=true"
    )
    assert lines[2:] == ["0 error(s), 1 warning(s)"]
    assert again.exit_code == 0


def test_baseline_from_another_directory(tree: Path) -> None:
    run_cli("lint", "--write-baseline", "b.json", "original", cwd=tree)
    result = run_cli("lint", "--baseline", "../b.json", ".", cwd=tree / "original")
    assert result.stdout == "9 finding(s) accepted by the baseline\nno findings\n"


def test_invalid_baseline(tree: Path) -> None:
    (tree / "b.json").write_text("[]")
    result = run_cli("lint", "--baseline", "b.json", "original", cwd=tree)
    assert result.exit_code == 1
    assert result.stderr == "b.json: not a kfboot lint baseline (version 1 expected)\n"


def test_ignore_and_strict(tree: Path) -> None:
    result = run_cli(
        "lint",
        "original",
        "--ignore",
        "root-server-side-apply",
        "--ignore",
        "sync-wave-format",
        "--ignore",
        "ignore-differences-unknown-kind",
        "--ignore",
        "unknown-field",
        cwd=tree,
    )
    assert result.exit_code == 0
    assert result.stdout.endswith("0 error(s), 5 warning(s)\n")
    strict = run_cli("lint", "original", "--strict", "--ignore", "unknown-field", cwd=tree)
    assert strict.exit_code == 1
    bad = run_cli("lint", "original", "--ignore", "no-such-rule", cwd=tree)
    assert bad.exit_code == 2
    assert "unknown rule 'no-such-rule'" in bad.stderr


def test_clean_tree_and_default_path(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("nothing here\n")
    result = run_cli("lint", cwd=tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "no findings\n", "")


def test_hygiene_of_a_file_with_argo_objects(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\n"
        "metadata: {name: p}\nmetadata: {name: q}\n"
    )
    result = run_cli("lint", ".", cwd=tmp_path)
    assert result.exit_code == 1
    assert "[error] yaml-hygiene: " in result.stdout


def test_check_gives_a_hand_edited_application_the_specific_finding(project: Path) -> None:
    assert run_cli("render", cwd=project).exit_code == 0
    app = project / "bootstrap" / "apps" / "kubeflow" / "wave-1" / "profiles.yaml"
    app.write_text(app.read_text().replace("prune: true", 'prune: "true"'))
    result = run_cli("check", cwd=project)
    assert result.exit_code == 1
    assert "[error] drift: " in result.stdout
    line = next(n for n, t in enumerate(app.read_text().splitlines(), 1) if "prune:" in t)
    assert (
        f"bootstrap/apps/kubeflow/wave-1/profiles.yaml:{line}:14: [error] application-field-type: "
        "prune must be a boolean, but is the string 'true'; write true\n"
    ) in result.stdout


def test_kfboots_own_bootstrap_is_clean() -> None:
    # Its health check sits in the argo-cd chart's values (bootstrap/argocd/values.yaml), which
    # the kustomization inflates through helmCharts rather than listing as a resource.
    result = run_cli("lint", "bootstrap", cwd=REPO_ROOT)
    assert (result.exit_code, result.stdout) == (0, "no findings\n")


def test_duplicate_keys_deep_down_and_merge_keys(tmp_path: Path) -> None:
    head = "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: p}\n"
    (tmp_path / "dup.yaml").write_text(head + "spec:\n  sourceRepos: ['*']\n  sourceRepos: ['x']\n")
    (tmp_path / "merge.yaml").write_text(
        head.replace("{name: p}", "{name: q}")
        + "spec:\n  orphanedResources: &o {warn: true}\n"
        + "  description: x\n  syncWindows:\n    - <<: *o\n      kind: allow\n"
    )
    result = run_cli("lint", ".", cwd=tmp_path)
    assert result.stdout.startswith(
        "dup.yaml:6:3: [error] yaml-hygiene: duplicate key 'sourceRepos'"
    )
    # a merge key is refused, as check refuses it (it raised a traceback placing a finding)
    assert "merge.yaml:8:7: [error] yaml-hygiene: merge keys ('<<') are not supported" in (
        result.stdout
    )


# !!bool maybe was a KeyError traceback (PyYAML's bool table), in lint as in the catalog
@pytest.mark.parametrize("value", ["010", "0x10", "1_000", "!!bool maybe", "!!int x"])
def test_integers_the_exact_parse_refuses_never_crash(tmp_path: Path, value: str) -> None:
    (tmp_path / "a.yaml").write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: p}\n"
        f"spec:\n  sourceRepo: ['*']\n  roles: [{{name: r, jwtTokens: [{{iat: {value}}}]}}]\n"
    )
    result = run_cli("lint", ".", cwd=tmp_path)
    assert result.exit_code == 1
    assert "[error] yaml-hygiene: " in result.stdout


def test_the_health_check_search_opens_no_fifo(tmp_path: Path) -> None:
    import os

    app = (ORIGINAL / "bootstrap" / "apps" / "kubeflow" / "katib.yaml").read_text()
    (tmp_path / "a.yaml").write_text(app)
    (tmp_path / "b.yaml").write_text(
        app.replace("name: kubeflow-katib", "name: b").replace('sync-wave: "2"', 'sync-wave: "7"')
    )
    os.mkfifo(tmp_path / "values.yaml")  # read_tree and the health-check search both skip it
    result = run_cli("lint", ".", cwd=tmp_path)
    assert result.exit_code == 0
    assert "no-application-health-check" in result.stdout
    # ... and say so: a file Argo CD would read that lint did not (it was skipped silently)
    assert (
        "values.yaml: [warning] lint-file-not-read: is not a regular file (a FIFO, a socket or "
        "a device); git stores none, so Argo CD never reads one: not read"
    ) in result.stdout


def test_check_has_the_sarif_and_junit_reporters(project: Path) -> None:
    assert run_cli("render", cwd=project).exit_code == 0
    app = project / "bootstrap" / "apps" / "kubeflow" / "wave-1" / "profiles.yaml"
    app.write_text(app.read_text().replace("prune: true", 'prune: "true"'))
    sarif = run_cli("check", "--format", "sarif", cwd=project)
    assert sarif.exit_code == 1
    doc = json.loads(sarif.stdout)
    jsonschema.validate(doc, SARIF_SUBSET)
    rules = {r["ruleId"] for r in doc["runs"][0]["results"]}
    assert rules == {"drift", "application-field-type"}
    junit = run_cli("check", "--format", "junit", cwd=project)
    assert junit.exit_code == 1
    suite = ET.fromstring(junit.stdout).find("testsuite")
    assert suite is not None and suite.get("name") == "kfboot check"
    (case,) = suite.iter("testcase")
    assert case.get("name") == "bootstrap/apps/kubeflow/wave-1/profiles.yaml"
    assert {f.get("type") for f in case.iter("failure")} == rules
