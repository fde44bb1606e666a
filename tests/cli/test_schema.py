"""``kfboot schema`` and ``waves.schema.json``: generated from the models, documented field by
field, kept beside the catalog by ``render``, checked by ``check``, and in agreement with the
models on every catalog the tests know."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from kfboot import yamlio
from kfboot.catalog.load import parse_catalog
from kfboot.docs.schema import MODELINE, SCHEMA_FILE, catalog_schema, schema_text, undocumented
from kfboot.errors import CatalogError
from tests.conftest import DATA, DEFAULT_CATALOG, REPO_ROOT, Result

INVALID = DATA / "catalogs" / "invalid"
COMMITTED = REPO_ROOT / SCHEMA_FILE

# Invalid test catalogs whose fault is a rule between fields, or a rule a pattern cannot say
# (URL forms): the schema accepts them, the models reject them. Every other invalid catalog
# must be rejected by both.
MODELS_ONLY = {
    "cycle",
    "depends-on-nothing",
    "disabled-dependency",
    "duplicate-application",
    "duplicate-name",
    "duplicate-wave",
    "no-source",
    "placeholder-repo-url",
    "placeholder-revision",
    "repo-url-credentials",
    "repo-url-scheme",
    "resource-waves-on-chart",
    "same-wave-dependency",
    "self-dependency",
    "undeclared-wave",
}
NOT_YAML = {"duplicate-key", "malformed"}  # the loader rejects them before any schema

MINIMAL = """\
repoURL: https://github.com/acme/manifests.git
waves:
  - wave: 0
    label: Foundation
components:
  - name: common
    wave: 0
    namespace: kubeflow
    paths: [common/base]
"""


def schema_accepts(text: str) -> bool:
    """The schema's verdict, the same under draft 7 (editors) and 2020-12."""
    data, _ = yamlio.load_with_positions(text)
    schema = json.loads(COMMITTED.read_text())
    verdicts = {
        jsonschema.Draft7Validator(schema).is_valid(data),
        jsonschema.Draft202012Validator(schema).is_valid(data),
    }
    assert len(verdicts) == 1
    return verdicts.pop()


def models_accept(text: str) -> bool:
    try:
        parse_catalog(text)
    except CatalogError:
        return False
    return True


def test_schema_command_prints_the_committed_file(kfboot: Callable[..., Result]) -> None:
    result = kfboot("schema")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == COMMITTED.read_text() == schema_text()


def test_schema_output_writes_the_same_bytes(kfboot: Callable[..., Result], tmp_path: Path) -> None:
    result = kfboot("schema", "--output", "out/s.json", cwd=tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "wrote     out/s.json\n", "")
    assert (tmp_path / "out" / "s.json").read_bytes() == COMMITTED.read_bytes()


def test_schema_is_deterministic_in_the_models_field_order() -> None:
    from kfboot.catalog.models import Catalog

    text = schema_text()
    assert text == schema_text()
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
    # Editors and the README's reference list fields as models.py declares them.
    assert list(json.loads(text)["properties"]) == list(Catalog.model_fields)


def test_schema_is_valid_draft_7() -> None:
    schema = json.loads(COMMITTED.read_text())
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)
    # Nothing newer than draft 7 is used, so a 2020-12 validator reaches the same verdicts.
    jsonschema.Draft202012Validator.check_schema(schema)


def test_every_field_has_a_title_and_description() -> None:
    schema = catalog_schema()
    assert undocumented(schema) == []
    definitions = [schema, *schema["$defs"].values()]
    for definition in definitions:
        assert definition["description"]
        for name, prop in definition["properties"].items():
            assert prop["title"] == name
            assert "``" not in prop["description"]  # docstring markup converted to Markdown


def test_undocumented_fields_are_found() -> None:
    schema = catalog_schema()
    del schema["$defs"]["Wave"]["properties"]["label"]["description"]
    del schema["properties"]["repoURL"]["description"]
    assert undocumented(schema) == ["Catalog.repoURL", "Wave.label"]


def test_schema_carries_defaults_examples_and_constraints() -> None:
    schema = catalog_schema()
    component = schema["$defs"]["Component"]
    assert component["additionalProperties"] is False
    assert component["required"] == ["name", "wave"]
    assert component["properties"]["name"]["examples"] == ["jupyter"]
    assert component["properties"]["enabled"] == {
        "default": True,
        "description": (
            "`false` leaves the component out of `bootstrap/` (nothing may depend on it)."
        ),
        "title": "enabled",
        "type": "boolean",
    }
    backoff = schema["$defs"]["Backoff"]["properties"]
    assert backoff["factor"]["minimum"] == 1
    assert backoff["duration"]["pattern"].startswith("^[+-]?(?:(?:[0-9]+")  # kfboot.k8s.GO_DURATION
    assert schema["properties"]["targetRevision"]["default"] == "main"


def test_the_repository_catalog_starts_with_the_modeline() -> None:
    assert MODELINE == "# yaml-language-server: $schema=./waves.schema.json"
    assert DEFAULT_CATALOG.read_text().splitlines()[0] == MODELINE


def test_default_catalog_is_valid_for_both() -> None:
    text = DEFAULT_CATALOG.read_text()
    assert schema_accepts(text) and models_accept(text)


def _invalid_cases() -> list[str]:
    return sorted(p.stem for p in INVALID.glob("*.yaml"))


@pytest.mark.parametrize("name", _invalid_cases())
def test_invalid_catalogs_schema_verdict_agrees(name: str) -> None:
    text = (INVALID / f"{name}.yaml").read_text()
    assert not models_accept(text)
    if name in NOT_YAML:
        with pytest.raises(ValueError):
            yamlio.load_with_positions(text)
        return
    # Structural faults: both reject. Cross-field faults: the models alone.
    assert schema_accepts(text) == (name in MODELS_ONLY)


def test_every_known_case_is_classified() -> None:
    assert set(_invalid_cases()) >= MODELS_ONLY | NOT_YAML


def _edit(replace: str, by: str) -> str:
    assert replace in MINIMAL
    return MINIMAL.replace(replace, by)


STRUCTURAL = {
    "wave as string": _edit("    wave: 0\n    namespace", '    wave: "0"\n    namespace'),
    "wave as float": _edit("    wave: 0\n    namespace", "    wave: 0.5\n    namespace"),
    "enabled as string": _edit("    paths:", "    enabled: 'yes'\n    paths:"),
    "paths as string": _edit("paths: [common/base]", "paths: common/base"),
    "dependsOn as string": _edit("    paths:", "    dependsOn: profiles\n    paths:"),
    "unknown top-level key": _edit("waves:", "targetRevison: main\nwaves:"),
    "unknown component key": _edit("    paths:", "    dependson: [x]\n    paths:"),
    "unknown nested key": MINIMAL + "defaults:\n  retry:\n    limt: 3\n",
    "missing waves": MINIMAL.split("waves:")[0] + "components:" + MINIMAL.split("components:")[1],
    "missing component name": _edit("  - name: common\n    wave", "  -\n    wave"),
    "missing wave label": _edit("    label: Foundation\n", ""),
    "no waves": MINIMAL.split("waves:")[0]
    + "waves: []\ncomponents:"
    + MINIMAL.split("components:")[1],
    # -1 is unlimited (Argo CD retries for ever below 0); below -1 means nothing more.
    "retry limit below -1": MINIMAL + "defaults:\n  retry:\n    limit: -2\n",
    "backoff factor zero": MINIMAL + "defaults:\n  retry:\n    backoff:\n      factor: 0\n",
    "duration as number": MINIMAL + "defaults:\n  retry:\n    backoff:\n      duration: 5\n",
    "duration in words": MINIMAL + "defaults:\n  retry:\n    backoff:\n      duration: 5 sec\n",
    "label value not a string": MINIMAL + "defaults:\n  labels:\n    team: 1\n",
    "label value too long": MINIMAL + f"defaults:\n  labels:\n    team: {'a' * 64}\n",
    "bad label key": MINIMAL + "defaults:\n  labels:\n    'bad key': x\n",
    "name not DNS-1123": _edit("name: common", "name: Common"),
    "path with ..": _edit("paths: [common/base]", "paths: [common/../base]"),
    "absolute path": _edit("paths: [common/base]", "paths: [/common/base]"),
    "revision as number": _edit("waves:", "targetRevision: 26.03\nwaves:"),
    "helm without chart": _edit(
        "    paths: [common/base]\n", "    helm:\n      repoURL: https://charts.example.com\n"
    ),
    "ignoreDifferences without kind": MINIMAL
    + "defaults:\n  ignoreDifferences:\n    - group: apps\n",
    "wave label too long": _edit("label: Foundation", f"label: {'x' * 81}"),
}

VALID = {
    "minimal": MINIMAL,
    "helm component": _edit(
        "    paths: [common/base]\n",
        "    helm:\n      repoURL: oci://registry.example.com/charts\n      chart: gpu-operator\n"
        "      targetRevision: v25.3.0\n      values:\n        driver: {enabled: false}\n",
    ),
    "wrapper with patches": _edit(
        "    paths: [common/base]\n",
        "    paths: [common/base, common/extra]\n    kustomize:\n      namespace: kubeflow\n"
        "      patches:\n        - target: {kind: Namespace, name: kubeflow}\n"
        "          patch: 'metadata: {}'\n",
    ),
    "overrides": _edit(
        "    paths:",
        "    syncOptions: [ServerSideApply=true]\n    retry: {limit: 2}\n"
        "    labels: {team: ml}\n    annotations: {note: anything goes here}\n    paths:",
    ),
    "durations": MINIMAL + "defaults:\n  retry:\n    backoff: {duration: 1m30s, maxDuration: 1h}\n",
}


@pytest.mark.parametrize("case", sorted(STRUCTURAL))
def test_structurally_invalid_catalogs_are_rejected_by_both(case: str) -> None:
    text = STRUCTURAL[case]
    assert (schema_accepts(text), models_accept(text)) == (False, False)


@pytest.mark.parametrize("case", sorted(VALID))
def test_valid_catalogs_are_accepted_by_both(case: str) -> None:
    text = VALID[case]
    assert (schema_accepts(text), models_accept(text)) == (True, True)


# --------------------------------------------------------------------------- render and check


def _write_minimal(project: Path) -> None:
    (project / "waves.yaml").write_text(MINIMAL)


def test_render_writes_the_schema_beside_the_catalog(
    kfboot: Callable[..., Result], tmp_path: Path
) -> None:
    _write_minimal(tmp_path)
    first = kfboot("render", cwd=tmp_path)
    assert first.exit_code == 0
    assert first.stdout.splitlines()[-7:] == [
        "wrote     bootstrap/Makefile",
        "wrote     bootstrap/app-of-apps.yaml",
        "wrote     bootstrap/apps/kubeflow/kustomization.yaml",
        "wrote     bootstrap/apps/kubeflow/wave-0/common.yaml",
        "wrote     bootstrap/apps/kubeflow/wave-0/kustomization.yaml",
        "wrote     waves.schema.json",
        "6 written, 0 unchanged, 0 removed in bootstrap, waves.schema.json",
    ]
    assert (tmp_path / SCHEMA_FILE).read_text() == COMMITTED.read_text()
    again = kfboot("render", cwd=tmp_path)
    assert again.stdout.splitlines()[-1] == (
        "0 written, 6 unchanged, 0 removed in bootstrap, waves.schema.json"
    )


def test_schema_goes_beside_a_catalog_in_another_directory(
    kfboot: Callable[..., Result], tmp_path: Path
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "cat.yaml").write_text(MINIMAL)
    result = kfboot("render", "--catalog", "sub/cat.yaml", cwd=tmp_path)
    assert result.exit_code == 0
    assert (tmp_path / "sub" / SCHEMA_FILE).read_text() == schema_text()
    assert not (tmp_path / SCHEMA_FILE).exists()


@pytest.mark.parametrize("damage", ["edit", "delete"])
def test_check_fails_on_a_stale_schema(
    kfboot: Callable[..., Result], tmp_path: Path, damage: str
) -> None:
    _write_minimal(tmp_path)
    assert kfboot("render", cwd=tmp_path).exit_code == 0
    assert kfboot("check", cwd=tmp_path).exit_code == 0
    path = tmp_path / SCHEMA_FILE
    if damage == "edit":
        path.write_text(path.read_text().replace('"title": "enabled"', '"title": "on"'))
    else:
        path.unlink()

    result = kfboot("check", cwd=tmp_path)

    assert (result.exit_code, result.stderr) == (1, "")
    findings = [line for line in result.stdout.splitlines() if "[error]" in line]
    if damage == "edit":
        line = path.read_text().splitlines().index('          "title": "on",') + 1
        assert findings == [
            f"waves.schema.json:{line}:1: [error] drift: out of date with kfboot's catalog "
            "models (see the diff); run 'kfboot render'"
        ]
        assert '-          "title": "on",\n+          "title": "enabled",\n' in result.stdout
        assert result.stdout.startswith("--- a/waves.schema.json\n+++ b/waves.schema.json\n")
    else:
        assert findings == ["waves.schema.json: [error] drift: missing; run 'kfboot render'"]
        assert result.stdout.startswith("--- /dev/null\n+++ b/waves.schema.json\n")
    assert kfboot("render", cwd=tmp_path).stdout.count("wrote     waves.schema.json") == 1
    assert kfboot("check", cwd=tmp_path).exit_code == 0


def test_check_reports_bootstrap_drift_and_stale_schema_together(
    kfboot: Callable[..., Result], tmp_path: Path
) -> None:
    _write_minimal(tmp_path)
    assert kfboot("render", cwd=tmp_path).exit_code == 0
    (tmp_path / SCHEMA_FILE).unlink()
    (tmp_path / "bootstrap" / "app-of-apps.yaml").unlink()
    result = kfboot("check", cwd=tmp_path)
    assert result.exit_code == 1
    assert [line for line in result.stdout.splitlines() if "[error]" in line] == [
        "bootstrap/app-of-apps.yaml: [error] drift: missing; run 'kfboot render'",
        "waves.schema.json: [error] drift: missing; run 'kfboot render'",
    ]


def test_an_invalid_catalog_writes_no_schema(kfboot: Callable[..., Result], tmp_path: Path) -> None:
    (tmp_path / "waves.yaml").write_text(STRUCTURAL["wave as string"])
    assert kfboot("render", cwd=tmp_path).exit_code == 1
    assert list(tmp_path.iterdir()) == [tmp_path / "waves.yaml"]


def test_an_unwritable_schema_is_a_clean_error(
    kfboot: Callable[..., Result], tmp_path: Path
) -> None:
    _write_minimal(tmp_path)
    (tmp_path / SCHEMA_FILE).mkdir()  # a directory where the schema should go
    result = kfboot("render", cwd=tmp_path)
    assert result.exit_code == 1
    # The catalog rules' warnings come first (render prints them and goes on); then the refusal,
    # before anything is written (kfboot reads only regular files: docs/security.md).
    last = result.stderr.splitlines()[-1]
    assert last == "waves.schema.json: is not a regular file; kfboot never reads one"
    assert "Traceback" not in result.stderr


def test_set_repo_keeps_the_schema_like_render(
    kfboot: Callable[..., Result], project: Path
) -> None:
    new = "https://github.com/acme/kubeflow-manifests.git"
    result = kfboot("set-repo", new, cwd=project)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "wrote     waves.schema.json"
    assert (project / SCHEMA_FILE).read_text() == schema_text()
    assert kfboot("check", cwd=project).exit_code == 0
    again = kfboot("set-repo", new, "--revision", "v2", cwd=project)
    assert "waves.schema.json" not in again.stdout  # already up to date: not rewritten
    dry = kfboot("set-repo", new, "--revision", "v3", "--dry-run", cwd=project)
    (project / SCHEMA_FILE).unlink()
    assert "waves.schema.json" not in dry.stdout
    assert (
        kfboot("set-repo", new, "--no-render", "--revision", "v4", cwd=project).stdout.count(
            "waves.schema.json"
        )
        == 0
    )
    assert not (project / SCHEMA_FILE).exists()


def test_without_sources_the_schema_lacks_only_descriptions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import inspect

    from kfboot.docs import schema

    def no_source(obj: object) -> str:
        raise OSError("could not get source code")

    monkeypatch.setattr(inspect, "getsource", no_source)
    bare = schema.generate()
    assert "Catalog.repoURL" in schema.undocumented(bare)
    assert bare["$defs"].keys() == catalog_schema()["$defs"].keys()


def test_stale_files_as_drift_findings(kfboot: Callable[..., Result], project: Path) -> None:
    from kfboot.catalog.load import load_catalog
    from kfboot.findings import Finding
    from kfboot.render.sidecars import findings, sidecars

    (project / "README.md").write_text(
        "# Mine\n<!-- kfboot:graph:start -->\n<!-- kfboot:graph:end -->\n"
    )
    catalog_path = project / "waves.yaml"
    catalog = load_catalog(catalog_path)
    assert findings(sidecars(catalog_path, catalog)) == [
        Finding(str(project / SCHEMA_FILE), 0, 0, "error", "drift", "missing; run 'kfboot render'"),
        Finding(
            str(project / "README.md"),
            3,
            1,
            "error",
            "drift",
            "generated section(s) 'graph' out of date with the catalog (see the diff); "
            "run 'kfboot render'",
        ),
    ]
    assert kfboot("render", cwd=project).exit_code == 0
    assert findings(sidecars(catalog_path, catalog)) == []
    schema = project / SCHEMA_FILE
    schema.write_text(schema.read_text().replace('"title": "enabled"', '"title": "x"'))
    (found,) = findings(sidecars(catalog_path, catalog))
    assert (found.line, found.message) == (
        schema.read_text().splitlines().index('          "title": "x",') + 1,
        "out of date with kfboot's catalog models (see the diff); run 'kfboot render'",
    )


def test_init_and_import_write_catalogs_that_start_with_the_modeline(
    kfboot: Callable[..., Result], tmp_path: Path
) -> None:
    fresh = tmp_path / "fresh"
    repo = "https://github.com/acme/manifests.git"
    assert kfboot("init", str(fresh), "--kubeflow", "26.03", "--repo", repo).exit_code == 0
    assert (fresh / "waves.yaml").read_text().splitlines()[0] == MODELINE
    assert (fresh / SCHEMA_FILE).read_text() == schema_text()  # init renders: the schema too
    imported = tmp_path / "imported.yaml"
    result = kfboot("import", str(DATA / "imports" / "original"), "-o", str(imported))
    assert result.exit_code == 0, result.stderr
    assert imported.read_text().splitlines()[0] == MODELINE


def test_packaged_schema_is_generated_from_the_models() -> None:
    """The package ships the schema (building it is slow); it must match the models exactly.
    After changing models.py: python -m kfboot.docs.schema"""
    from kfboot.docs import schema

    packaged = Path(schema.__file__).with_name(SCHEMA_FILE)
    assert packaged.read_text(encoding="utf-8") == schema.generated_text()
    assert schema.schema_text() == schema.generated_text()
