"""``kfboot import``: hand-written Applications resembling the original's become a catalog that
loads, renders, and means what the Applications meant, apart from the defects it lists."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from kfboot.catalog.load import parse_catalog
from kfboot.render.bootstrap import render
from tests.conftest import DATA, REPO_ROOT, run_cli, snapshot

IMPORTS = DATA / "imports"
ORIGINAL = IMPORTS / "original"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A copy of the hand-written tree at ``original/`` in an otherwise empty directory."""
    shutil.copytree(ORIGINAL, tmp_path / "original")
    return tmp_path


def test_import_writes_the_expected_catalog_and_findings(work: Path) -> None:
    res = run_cli("import", "original", cwd=work)
    assert res.exit_code == 0
    assert res.stdout == (IMPORTS / "expected-findings.txt").read_text()
    assert res.stderr.startswith(
        "wrote waves.yaml: 15 component(s) from 16 Application(s); run 'kfboot render' next\n"
        "cut-over, "  # tests/cli/test_import_cutover.py
    )
    text = (work / "waves.yaml").read_text()
    assert text == (IMPORTS / "expected-waves.yaml").read_text()
    parse_catalog(text)  # kfboot's own loader accepts it


def test_every_listed_defect_is_found(work: Path) -> None:
    res = run_cli("import", "original", "--format", "json", cwd=work)
    doc = json.loads(res.stdout)
    assert doc["written"] == "waves.yaml"
    rules = {(Path(f["file"]).name, f["rule"], f["severity"]) for f in doc["findings"]}
    # Each defect is check's finding, and says what import did about it.
    for f in doc["findings"]:
        assert f["rule"].startswith("import-") or "; import " in f["message"], f
    assert rules == {
        ("app-of-apps.yaml", "root-server-side-apply", "error"),
        ("profiles.yaml", "unknown-field", "error"),
        ("jupyter.yaml", "ignore-differences-unknown-kind", "error"),
        ("jupyter.yaml", "ignore-differences-list-index", "warning"),
        ("kserve.yaml", "ignore-differences-list-index", "warning"),
        ("kubeflow-pipelines.yaml", "sync-wave-format", "error"),
        ("kubeflow-pipelines.yaml", "import-repo-url-mismatch", "warning"),
        ("trainer.yaml", "destructive-sync-option", "warning"),
        ("model-registry.yaml", "values-ref-unused", "warning"),
        ("gpu-operator.yaml", "import-default-applied", "warning"),
        # argo-helm's chart source becomes kfboot's argocd/ kustomization (issue 20 review)
        ("argocd.yaml", "import-default-applied", "warning"),
    }


# ----------------------------------------------------------------------------- the round trip


def _wrappers(files: dict[str, str]) -> dict[str, list[str]]:
    """Wrapper directory (as an Application path) -> the repository paths it includes."""
    out = {}
    for rel, text in files.items():
        if rel.startswith("apps/base/"):
            resources = yaml.safe_load(text)["resources"]
            out["bootstrap/" + rel.rsplit("/", 1)[0]] = [r.replace("../", "") for r in resources]
    return out


def _local_wrappers(root: Path) -> dict[str, list[str]]:
    out = {}
    for file in root.rglob("kustomization.yaml"):
        directory = file.parent.relative_to(root.parent).as_posix()
        resources = yaml.safe_load(file.read_text())["resources"]
        if all(not r.endswith(".yaml") for r in resources):
            out[directory] = [r.replace("../", "") for r in resources]
    return out


def _meaning(app: dict[str, Any], wrappers: dict[str, list[str]]) -> dict[str, Any]:
    """What an Application does, with sources flattened to (repo, revision, path) or charts."""
    meta, spec = app["metadata"], app["spec"]
    sources: list[Any] = []
    for s in spec.get("sources") or [spec["source"]]:
        if "chart" in s:
            helm = s.get("helm", {})
            values = yaml.safe_load(helm.get("values", "{}"))
            sources.append((s["repoURL"], s["chart"], s.get("targetRevision"), values))
        elif "path" in s:
            for path in wrappers.get(s["path"], [s["path"]]):
                sources.append((s["repoURL"], s["targetRevision"], path))
        else:
            sources.append(json.dumps(s, sort_keys=True))
    return {
        "namespace": meta.get("namespace"),
        "labels": meta.get("labels", {}),
        "annotations": meta.get("annotations", {}),
        "finalizers": meta.get("finalizers", []),
        "project": spec["project"],
        "destination": spec["destination"],
        "sources": sorted(map(str, sources)),
        "syncPolicy": spec["syncPolicy"],
        "ignoreDifferences": sorted(
            json.dumps(e, sort_keys=True) for e in spec.get("ignoreDifferences", [])
        ),
        "other fields": sorted(set(spec) - {"project", "source", "sources", "destination"}),
    }


def _inputs(root: Path) -> dict[str, dict[str, Any]]:
    apps = {}
    for file in root.rglob("*.yaml"):
        for doc in yaml.safe_load_all(file.read_text()):
            if doc and doc.get("kind") == "Application":
                apps[doc["metadata"]["name"]] = doc
    return apps


def test_rendering_the_import_reproduces_the_applications(work: Path) -> None:
    assert run_cli("import", "original", cwd=work).exit_code == 0
    files = render(parse_catalog((work / "waves.yaml").read_text()))
    rendered = {
        doc["metadata"]["name"]: doc
        for rel, text in files.items()
        if rel.endswith(".yaml") and (doc := yaml.safe_load(text)).get("kind") == "Application"
    }
    before = _inputs(work / "original")
    assert rendered.keys() == before.keys()
    old_wrappers, new_wrappers = _local_wrappers(work / "original/bootstrap"), _wrappers(files)
    differences = set()
    for name, app in before.items():
        old, new = _meaning(app, old_wrappers), _meaning(rendered[name], new_wrappers)
        differences |= {(name, key) for key in old if old[key] != new[key]}
    # Exactly the defects and gaps import reported, nothing else.
    assert differences == {
        ("kubeflow-app-of-apps", "syncPolicy"),  # ServerSideApply=true removed from the root
        ("kubeflow-app-of-apps", "labels"),  # the root carries the catalog's default labels
        ("argocd", "sources"),  # Argo CD is rendered from its chart into bootstrap/argocd
        ("kubeflow-profiles", "other fields"),  # dependsOn moved into the catalog
        ("kubeflow-pipelines", "annotations"),  # sync-wave 2 -> "2"
        ("kubeflow-jupyter", "ignoreDifferences"),  # kind fixed, list index -> jq over all
        ("kubeflow-kserve", "ignoreDifferences"),  # list index -> jq over all
        ("gpu-operator", "annotations"),  # no wave -> "0"
    }
    jupyter = _meaning(rendered["kubeflow-jupyter"], new_wrappers)
    assert jupyter["ignoreDifferences"] == [
        json.dumps(
            {
                "group": "admissionregistration.k8s.io",
                "jqPathExpressions": [".webhooks[]?.clientConfig.caBundle"],
                "kind": "ValidatingWebhookConfiguration",
            },
            sort_keys=True,
        )
    ]
    assert (
        "ServerSideApply=true"
        not in rendered["kubeflow-app-of-apps"]["spec"]["syncPolicy"]["syncOptions"]
    )


def test_render_and_check_accept_the_import(work: Path) -> None:
    assert run_cli("import", "original", cwd=work).exit_code == 0
    assert run_cli("render", cwd=work).exit_code == 0
    res = run_cli("check", cwd=work)
    assert res.exit_code == 0, res.stdout + res.stderr
    common = yaml.safe_load(
        (work / "bootstrap/apps/base/common-services/kustomization.yaml").read_text()
    )
    assert common["resources"] == [
        "../../../../common/cert-manager/base",
        "../../../../common/cert-manager/kubeflow-issuer/base",
    ]


# ------------------------------------------------------------------------------ bad input


def test_duplicate_application_names_name_both_files(work: Path) -> None:
    apps = work / "original/bootstrap/apps/kubeflow"
    shutil.copy(apps / "jupyter.yaml", work / "original/bootstrap/jupyter-old.yaml")
    res = run_cli("import", "original", cwd=work)
    assert (res.exit_code, res.stdout) == (1, "")
    assert res.stderr == (
        "original/bootstrap/jupyter-old.yaml:4:9: duplicate Application name "
        "'kubeflow-jupyter' (also original/bootstrap/apps/kubeflow/jupyter.yaml:4:9); "
        "keep one of them\n"
    )
    assert not (work / "waves.yaml").exists()


def test_a_file_the_kustomization_does_not_select_is_no_duplicate(work: Path) -> None:
    apps = work / "original/bootstrap/apps/kubeflow"
    shutil.copy(apps / "jupyter.yaml", apps / "jupyter-old.yaml")
    assert run_cli("import", "original", cwd=work).exit_code == 0


def test_not_yaml_names_the_file(work: Path) -> None:
    (work / "original/bootstrap/broken.yaml").write_text("apiVersion: argoproj.io/v1\na: [b\n")
    res = run_cli("import", "original", cwd=work)
    assert res.exit_code == 1
    assert res.stderr.startswith("original/bootstrap/broken.yaml:3:1: invalid YAML")
    assert not (work / "waves.yaml").exists()


def test_no_applications(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in/kustomization.yaml").write_text("resources: []\n")
    res = run_cli("import", "in", cwd=tmp_path)
    assert res.exit_code == 1
    assert res.stderr == "in: no Argo CD Applications found (read 0 YAML file(s))\n"
    assert snapshot(tmp_path) == {"in/kustomization.yaml": b"resources: []\n"}


def test_refuses_to_overwrite_without_force(work: Path) -> None:
    (work / "out.yaml").write_text("# mine\n")
    res = run_cli("import", "original", "--output", "out.yaml", cwd=work)
    assert (res.exit_code, res.stderr) == (
        1,
        "out.yaml: already exists; pass --force to overwrite it\n",
    )
    assert (work / "out.yaml").read_text() == "# mine\n"
    res = run_cli("import", "original", "--output", "out.yaml", "--force", cwd=work)
    assert res.exit_code == 0
    assert (work / "out.yaml").read_text() == (IMPORTS / "expected-waves.yaml").read_text()


# ------------------------------------------------------------------------------ smaller cases


def _app(name: str, wave: Any = "1", **spec: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "namespace": "argocd"}
    if wave is not None:
        meta["annotations"] = {"argocd.argoproj.io/sync-wave": wave}
    body = {
        "project": "default",
        "source": {"repoURL": "https://example.com/a/b.git", "targetRevision": "main", "path": "x"},
        "destination": {"server": "https://kubernetes.default.svc", "namespace": "kubeflow"},
        "syncPolicy": {"automated": {"prune": True, "selfHeal": True}},
    }
    body.update(spec)
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": meta,
        "spec": body,
    }


def _write(root: Path, rel: str, *docs: dict[str, Any]) -> None:
    from kfboot import yamlio

    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n".join(yamlio.dump(d) for d in docs))


def _import(root: Path, *args: str) -> tuple[dict[str, Any], list[str]]:
    res = run_cli("import", "in", "--format", "json", *args, cwd=root.parent)
    assert res.exit_code == 0, res.stderr
    text = (root.parent / "waves.yaml").read_text()
    parse_catalog(text)
    doc = json.loads(res.stdout)
    return yaml.safe_load(text), [f"{f['rule']}: {f['message']}" for f in doc["findings"]]


def test_without_a_root_the_catalog_takes_defaults(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _write(root, "a.yaml", _app("kubeflow-a", "1"), _app("kubeflow-b", "2"))
    catalog, findings = _import(root)
    assert catalog["appOfApps"] == {
        "name": "kubeflow-app-of-apps",
        "namespace": "argocd",
        "syncOptions": ["CreateNamespace=true"],
    }
    assert catalog["repoURL"] == "https://example.com/a/b.git"
    assert [c["name"] for c in catalog["components"]] == ["a", "b"]
    assert findings == [
        "import-default-applied: no root Application (one whose source directory holds the "
        "others) was found; the catalog's root takes kfboot's defaults",
        "import-default-applied: the catalog's root reads https://example.com/a/b.git, the "
        "commonest repository of the Applications (no root, and no git remote 'origin' to take "
        "it from); bootstrap/ must be committed there: if it is not your repository, point it "
        "at yours with kfboot set-repo",
        "no-application-health-check: no Application health check: waves will not wait for the "
        "previous wave to be Healthy (enable the argocd component's applicationHealthCheck, or "
        "set clusterHasApplicationHealthCheck: true); no imported Application installs Argo CD "
        "with it, so the catalog has none either",
    ]
    # No retry policy on an automated Application: Argo CD's auto-sync still retries 5 times
    # (controller/appcontroller.go), so the catalog says limit 5, not 0 (that was a silent change).
    assert catalog["defaults"]["retry"]["limit"] == 5


def test_argocd_over_its_install_directory_and_a_second_root(tmp_path: Path) -> None:
    root = tmp_path / "in"
    src = {"repoURL": "https://example.com/a/b.git", "targetRevision": "main"}
    _write(root, "root.yaml", _app("root", None, source={**src, "path": "in/apps"}))
    _write(root, "apps/install.yaml", _app("argo", "-1", source={**src, "path": "deploy/argocd"}))
    _write(root, "apps/extra/root2.yaml", _app("nested", "3", source={**src, "path": "in/apps/x"}))
    _write(root, "apps/x/c.yaml", _app("kubeflow-c", "2", dependsOn=["kubeflow-d", "argo"]))
    _write(root, "apps/x/d.yaml", _app("kubeflow-d", "2"))
    catalog, findings = _import(root)
    assert catalog["appOfApps"]["name"] == "root"
    components = {c["name"]: c for c in catalog["components"]}
    # Argo CD from a directory (not argo-helm's chart) is the user's own: kept as it is.
    assert set(components) == {"argo", "c", "d"}
    assert components["argo"]["paths"] == ["deploy/argocd"]
    assert components["c"]["dependsOn"] == ["argo"]
    assert catalog["bootstrapPath"] == "bootstrap"
    assert sorted(findings) == sorted(
        [
            "import-default-applied: argo installs your own Argo CD (not argo-helm's argo-cd "
            "chart, which kfboot renders): it stays a plain component with its own source; the "
            "Application health check must come from your argocd-cm "
            "(resource.customizations.health.argoproj.io_Application); it reads no local "
            "directory to look in: where it has it, set clusterHasApplicationHealthCheck: true",
            "no-application-health-check: no Application health check: waves will not wait for "
            "the previous wave to be Healthy (enable the argocd component's "
            "applicationHealthCheck, or set clusterHasApplicationHealthCheck: true); no "
            "imported Application installs Argo CD with it, so the catalog has none either",
            "import-default-applied: spec.source.path is 'in/apps'; the catalog's root now "
            "reads bootstrap/apps/kubeflow (bootstrapPath: bootstrap), where kfboot render "
            "writes the Applications",
            "import-default-applied: no root synced kubeflow-c from apps/x/c.yaml (Argo CD reads "
            "a plain directory's own files unless directory.recurse is set, and a "
            "kustomization's resources only); the catalog's root (root) now deploys it",
            "import-default-applied: no root synced kubeflow-d from apps/x/d.yaml (Argo CD reads "
            "a plain directory's own files unless directory.recurse is set, and a "
            "kustomization's resources only); the catalog's root (root) now deploys it",
            "import-not-carried-over: nested is another root Application (its directory holds "
            "Applications); the catalog has one root (root) and no component for nested",
            "dependency-wave-order: 'kubeflow-c' (wave 2) depends on 'kubeflow-d' in the same "
            "wave; Argo CD orders Applications only by wave, so the dependency must be in an "
            "earlier one; import did not carry it over: move one of the two to another wave",
            "unknown-field: 'dependsOn' is not an Application field in spec; the API server "
            "drops it and Argo CD never sees it; import carried it into the catalog's "
            "dependsOn, where ordering belongs",
        ]
    )


def test_one_file_and_a_duplicate_inside_it(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _write(root, "all.yaml", _app("a"), _app("a"))
    res = run_cli("import", "in/all.yaml", cwd=tmp_path)
    assert res.exit_code == 1
    assert res.stderr == (
        "in/all.yaml:25:9: duplicate Application name 'a' (also in/all.yaml:4:9); "
        "keep one of them\n"
    )
    _write(root, "all.yaml", _app("a"))
    assert run_cli("import", "in/all.yaml", cwd=tmp_path).exit_code == 0


def test_rendered_imports_validate_against_the_crd(work: Path, shared: Path) -> None:
    from tests import argocd_schema

    assert run_cli("import", "original", cwd=work).exit_code == 0
    files = render(parse_catalog((work / "waves.yaml").read_text()))
    apps = [yaml.safe_load(t) for rel, t in files.items() if rel.endswith(".yaml")]
    apps = [a for a in apps if a.get("kind") == "Application"]
    assert len(apps) == 16
    for app in apps:
        assert argocd_schema.application_errors(app) == [], app["metadata"]["name"]


def test_the_imported_catalog_passes_yamllint(work: Path) -> None:
    assert run_cli("import", "original", cwd=work).exit_code == 0
    # In a subprocess: importing yamllint's rules changes PyYAML's Resolver process-wide.
    config = str(REPO_ROOT / ".yamllint.yaml")
    done = subprocess.run(
        [sys.executable, "-m", "yamllint", "-s", "-c", config, str(work / "waves.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "")


def test_argocd_from_its_chart_with_a_values_ref(tmp_path: Path) -> None:
    root = tmp_path / "in"
    chart = {
        "repoURL": "https://argoproj.github.io/argo-helm",
        "chart": "argo-cd",
        "targetRevision": "9.0.1",
        "helm": {"valueFiles": ["$values/argocd.yaml"], "valuesObject": {"a": {"b": 1}}},
    }
    # The values live in another repository: import cannot read them, and names them.
    ref = {"repoURL": "https://example.com/a/v.git", "targetRevision": "main", "ref": "values"}
    _write(root, "argocd.yaml", _app("argocd", "-1", source=None, sources=[chart, ref]))
    _write(root, "a.yaml", _app("kubeflow-a", "0"))
    catalog, findings = _import(root)
    argocd = catalog["components"][0]
    assert argocd["argocd"] == {
        "repoURL": "https://argoproj.github.io/argo-helm",
        "chart": "argo-cd",
        "version": "9.0.1",
        "values": {"a": {"b": 1}},
    }
    assert sorted(f for f in findings if "not-carried" in f) == [
        "import-not-carried-over: spec.sources[0].helm.valueFiles[0] is '$values/argocd.yaml', "
        "a value file of the chart (a file of https://example.com/a/v.git, another repository "
        "than the catalog's); kfboot's argocd component has values, not value files, so the "
        "rendered Argo CD does not read it: copy its values into the argocd component's values",
        "import-not-carried-over: spec.sources[1] is a ref: source ('values') that only lends "
        "value files to another; the catalog has no such source, so the rendered Application "
        "does not have it",
    ]


def test_an_unwritable_output_is_a_clear_error(work: Path) -> None:
    (work / "file").write_text("")
    res = run_cli("import", "original", "--output", "file/waves.yaml", cwd=work)
    assert res.exit_code == 1
    assert res.stderr.startswith("cannot write file/waves.yaml: ")
    assert res.stdout == ""


def test_without_a_root_the_default_root_name_is_not_taken(tmp_path: Path) -> None:
    root = tmp_path / "in"
    _write(root, "a.yaml", _app("kubeflow-app-of-apps", "1"))
    catalog, _ = _import(root)
    assert catalog["appOfApps"]["name"] == "kfboot-app-of-apps"
    assert catalog["components"][0]["application"] == "kubeflow-app-of-apps"


def test_the_default_bootstrap_imports_back_to_the_default_catalog(tmp_path: Path) -> None:
    """kfboot's own output, imported: the same components, waves, paths and settings."""
    shutil.copytree(REPO_ROOT / "bootstrap", tmp_path / "bootstrap")
    res = run_cli("import", "bootstrap", cwd=tmp_path)
    assert res.exit_code == 0, res.stderr
    assert res.stdout == "no findings\n"
    imported = parse_catalog((tmp_path / "waves.yaml").read_text())
    default = parse_catalog((REPO_ROOT / "waves.yaml").read_text())
    assert render(imported).keys() == render(default).keys()
    # syncOptions equal to the defaults are not repeated: kserve, trainer and spark inherit them.
    fields = ("app_name", "wave", "namespace", "paths", "kustomize", "argocd")
    mine = {c.name: {k: getattr(c, k) for k in fields} for c in imported.components}
    theirs = {c.name: {k: getattr(c, k) for k in fields} for c in default.components}
    assert mine == theirs
    assert imported.defaults == default.defaults
    assert imported.appOfApps == default.appOfApps
    # Argo CD's values come back too: the generated parts are regenerated, identically.
    assert render(imported)["argocd/values.yaml"] == render(default)["argocd/values.yaml"]


def test_findings_are_github_annotations_in_a_workflow(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    res = run_cli("import", "original", cwd=work)
    assert res.exit_code == 0
    first = res.stdout.splitlines()[0]
    assert first.startswith(
        "::error file=original/bootstrap/app-of-apps.yaml,line=24,col=9,"
        "title=root-server-side-apply::"
    )
    assert res.stdout.endswith("4 error(s), 7 warning(s)\n")


def test_kustomize_patches_over_a_wrapper_become_the_wrappers_patches(work: Path) -> None:
    common = work / "original/bootstrap/apps/kubeflow/common-services.yaml"
    patch = "- op: add\n  path: /metadata/labels/team\n  value: ml\n"
    doc = yaml.safe_load(common.read_text())
    doc["spec"]["source"]["kustomize"] = {
        "patches": [{"target": {"kind": "Namespace"}, "patch": patch}]
    }
    common.write_text(yaml.safe_dump(doc))
    assert run_cli("import", "original", cwd=work).exit_code == 0
    catalog = yaml.safe_load((work / "waves.yaml").read_text())
    (comp,) = [c for c in catalog["components"] if c["name"] == "common-services"]
    assert "source" not in comp
    assert comp["kustomize"]["patches"][-1] == {"target": {"kind": "Namespace"}, "patch": patch}
    assert len(comp["paths"]) == 2  # the wrapper's directories, as before


def test_argocd_chart_parameters_go_into_its_values(tmp_path: Path) -> None:
    root = tmp_path / "in"
    params = [
        {"name": r"configs.params.server\.insecure", "value": "true"},
        {"name": "server.extraArgs[0]", "value": "--basehref=/argo"},
        {"name": "global.image.tag", "value": "1", "forceString": True},
        {"name": "server.replicas", "value": "2"},
        {"name": "dex.env", "value": "$ARGOCD_APP_NAME"},
    ]
    chart = {
        "repoURL": "https://argoproj.github.io/argo-helm",
        "chart": "argo-cd",
        "targetRevision": "9.0.1",
        "helm": {"parameters": params, "valuesObject": {"server": {"replicas": 1, "x": 1}}},
    }
    _write(root, "argocd.yaml", _app("argocd", "-1", source=chart))
    _write(root, "a.yaml", _app("kubeflow-a", "0"))
    catalog, findings = _import(root)
    # Helm applies --set over the values: replicas 2 wins over valuesObject's 1.
    assert catalog["components"][0]["argocd"]["values"] == {
        "server": {"replicas": 2, "x": 1, "extraArgs": ["--basehref=/argo"]},
        "configs": {"params": {"server.insecure": True}},
        "global": {"image": {"tag": "1"}},
    }
    assert [f for f in findings if "parameters" in f] == [
        "import-not-carried-over: spec.source.helm.parameters[4] (dex.env=$ARGOCD_APP_NAME): "
        "it holds $, which Argo CD substitutes from the Application's environment; the argocd "
        "component's values lack it"
    ]


def test_a_value_file_without_its_ref_is_the_check_finding_with_what_import_did(
    tmp_path: Path,
) -> None:
    # import dropped the value file from the Application it then judged, so check's
    # values-ref-missing never showed; only a note of import's own did
    root = tmp_path / "in"
    app = _app("kubeflow-a", "1")
    app["spec"]["sources"] = [
        {"repoURL": "https://charts.example.com", "chart": "a", "targetRevision": "1.2.3",
         "helm": {"valueFiles": ["$values/a/values.yaml"]}},
        {"repoURL": "https://example.com/a/b.git", "targetRevision": "main", "path": "x"},
    ]  # fmt: skip
    del app["spec"]["source"]
    _write(root, "a.yaml", app)
    _catalog, findings = _import(root)
    missing = [f for f in findings if "$values/a/values.yaml" in f]
    assert missing == [
        "values-ref-missing: '$values/a/values.yaml' names ref 'values', which no source of this "
        "Application has (refs: none); Argo CD fails to generate the manifests; import dropped "
        "the value file (the catalog has no ref: values to read it from)"
    ]
