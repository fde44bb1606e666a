"""``check --manifests``: every finding over a small tree, built with the real kustomize."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from kfboot.catalog.load import parse_catalog
from kfboot.check.rules.manifests_rules import MANIFEST_RULES
from kfboot.check.rules.registry import BY_ID
from kfboot.errors import CatalogError
from kfboot.findings import Finding
from kfboot.manifests import manifest_findings
from tests import manifests_tree as tree
from tests.conftest import snapshot

pytestmark = pytest.mark.skipif(
    shutil.which("kustomize") is None and shutil.which("kubectl") is None,
    reason="neither kustomize nor kubectl is installed: builds cannot run",
)


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("broken")
    tree.broken_tree(root)
    return root


@pytest.fixture(scope="module")
def broken_run(broken: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Finding], Any]:
    """The broken catalog over the broken tree, run once for the tests that read its result."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        before = snapshot(broken)
        result = run(broken, tree.broken_catalog())
        assert snapshot(broken) == before, "the manifests directory must not be modified"
    return result


def run(root: Path, text: str) -> tuple[list[Finding], Any]:
    (root.parent / "catalogs").mkdir(exist_ok=True)
    path = root.parent / "catalogs" / f"{abs(hash(text))}.yaml"
    path.write_text(text)
    findings, summary = manifest_findings(parse_catalog(text), path, root, use_cache=False)
    return [
        Finding("waves.yaml", f.line, f.col, f.severity, f.rule, f.message) for f in findings
    ], summary


BUILD_FAILED = (
    "waves.yaml:48:11: [error] manifests-build-failed: component broken (wave 2): kustomize "
    "build of apps/broken failed: "
)

EXPECTED = [
    "waves.yaml:10:11: [error] manifests-crd-order: Widget infra/early-widget in component "
    "foundation (wave 0) needs the CustomResourceDefinition for Widget.example.com, which "
    "component widgets provides only in wave 1, after it",
    "waves.yaml:17:17: [error] manifests-depends-on-contradiction: component widgets declares "
    "dependsOn foundation, but foundation needs widgets (CustomResourceDefinition for "
    "Widget.example.com)",
    "waves.yaml:19:11: [error] manifests-duplicate-object: ClusterRole shared-reader is produced "
    "by component webhook (wave 1) and by component foundation (wave 0); the two Applications "
    "would fight over it forever",
    "waves.yaml:25:9: [error] manifests-path-missing: component webhook (wave 1): path "
    "apps/webhook/issuer/base does not exist; did you mean apps/webhook/overlays/issuer?",
    "waves.yaml:28:11: [error] manifests-namespace-missing: Deployment late/portal (and 1 more) "
    "in component portal (wave 1): namespace late does not exist yet: component extras creates "
    "it only in wave 2, after it",
    "waves.yaml:28:11: [warning] manifests-crd-unverified: Thing late/mystery in component "
    "portal (wave 1): no analysed component provides the CustomResourceDefinition for "
    "Thing.other.io; it may come from broken, chart, feature, pipelines, which could not be "
    "analysed",
    "waves.yaml:28:11: [warning] manifests-namespace-unverified: ConfigMap portal/portal-settings "
    "in component portal (wave 1): namespace portal is created by no analysed component, nor by "
    "CreateNamespace=true; it may come from broken, chart, feature, pipelines, which could not "
    "be analysed",
    # Argo CD compiles del(EXPR): at the expression's own line; '.data."\\(1)"' compiles.
    "waves.yaml:35:29: [error] manifests-jq-parse-error: jq path '.data[' does not compile as "
    "del(.data[) (syntax error, unexpected INVALID_CHARACTER at <top-level>, line 1, column 11): "
    "Argo CD then fails the whole comparison of the Application",
    "waves.yaml:36:11: [error] manifests-namespace-labels-order: Deployment mesh/mesh-app in "
    "component mesh-apps (wave 1) runs in namespace mesh, which component extras defines with "
    "labels (istio-injection) only in wave 2, after it; CreateNamespace=true would create it "
    "first without them",
    "waves.yaml:40:11: [warning] manifests-depends-on-missing: component extras (wave 2) needs "
    "component foundation (wave 0: CustomResourceDefinition for Gadget.example.com), but its "
    "dependsOn does not cover it, directly or transitively; add foundation",
    "waves.yaml:44:11: [warning] manifests-not-verified-offline: component pipelines (wave 2) is "
    "not verified offline: its build needs the network (remote resource "
    "https://github.com/kubeflow/pipelines/manifests/kustomize/base?ref=2.5.0); it is left out "
    "of the analysis",
    BUILD_FAILED,
    "waves.yaml:55:13: [error] manifests-component-dir: component feature (wave 2): path "
    "apps/extras/components/feature is a kustomize Component (kind: Component), which cannot be "
    "an Application path; include it from a Kustomization's components: instead",
    "waves.yaml:56:11: [warning] manifests-not-verified-offline: component chart (wave 2) is not "
    "verified offline: it is a Helm chart (chart from https://charts.example.com); it is left out "
    "of the analysis",
    "waves.yaml:63:11: [error] manifests-drift-aggregated-rules: ClusterRole agg-diffed (and "
    "1 more) in component converge: its rules are filled by the aggregation controller, but "
    "Argo CD diffs them, so the Application never stays Synced (selfHeal re-applies it at every "
    "sync); add to "
    'the component\'s ignoreDifferences: {"group": "rbac.authorization.k8s.io", "kind": '
    '"ClusterRole", "jqPathExpressions": ["select(.aggregationRule.clusterRoleSelectors | '
    'length > 0) | .rules"]}',
    "waves.yaml:63:11: [error] manifests-drift-ca-bundle: ValidatingWebhookConfiguration "
    "sprocket-validator in component converge: its caBundle is injected in the cluster, but Argo "
    "CD diffs the one in git, so the Application never stays Synced (selfHeal re-applies it at "
    'every sync); add to the component\'s ignoreDifferences: {"group": '
    '"admissionregistration.k8s.io", "kind": "ValidatingWebhookConfiguration", '
    '"jqPathExpressions": [".webhooks[]?.clientConfig.caBundle"]}',
    "waves.yaml:63:11: [error] manifests-drift-failure-policy: ValidatingWebhookConfiguration "
    "istio-validator-converge in component converge: istiod turns its failurePolicy from Ignore "
    "to Fail once it is ready, but Argo CD diffs the Ignore in git, so the Application never "
    "stays Synced (selfHeal re-applies it at every sync); add to the component's "
    'ignoreDifferences: {"group": "admissionregistration.k8s.io", "kind": '
    '"ValidatingWebhookConfiguration", "name": "istio-validator-converge", "jqPathExpressions": '
    '[".webhooks[]?.failurePolicy"]}',
    "waves.yaml:63:11: [error] manifests-drift-preserve-unknown-fields: CustomResourceDefinition "
    "sprockets.converge.io in component converge: it sets spec.preserveUnknownFields: false, "
    "which the API server does not keep, and Argo CD 3.x no longer ignores it, so the "
    "Application never stays Synced (selfHeal re-applies it at every sync); add to the "
    'component\'s ignoreDifferences: {"group": "apiextensions.k8s.io", "kind": '
    '"CustomResourceDefinition", "jsonPointers": ["/spec/preserveUnknownFields"]}',
    "waves.yaml:63:11: [error] manifests-webhook-race: Sprocket s1 in component converge is "
    "applied at in-Application wave 0, not after the wave 0 of its webhook's Deployment: webhook "
    "sprockets.converge.io (configuration sprocket-validator, failurePolicy Fail) is served by "
    "Deployment sprocket-webhook of component converge, and Argo CD does not wait for it within "
    'one wave; add to the component\'s resourceWaves: {"group": "converge.io", "kind": '
    '"Sprocket", "wave": 1}',
    "waves.yaml:63:11: [warning] manifests-jq-runtime-error: component converge: the jq path "
    "'.metadata.labels | keys' fails on ClusterRole agg-unknown (null (null) has no keys); Argo "
    "CD skips it there, so what it should ignore is still diffed",
    "waves.yaml:63:11: [warning] manifests-resource-wave-unmatched: component converge: "
    'resourceWaves entry {"group": "converge.example.io", "kind": "Sprocket"} matches no object '
    "of its build, so nothing waits for wave 1; kinds close to it in the build: "
    "Sprocket.converge.io",
    "waves.yaml:63:11: [warning] manifests-resource-wave-unmatched: component converge: "
    'resourceWaves entry {"group": "converge.io", "kind": "Sprockets"} matches no object of its '
    "build, so nothing waits for wave 1; kinds close to it in the build: Sprocket.converge.io",
]


def test_every_finding_over_the_broken_tree(broken_run: tuple[list[Finding], Any]) -> None:
    findings, _ = broken_run
    lines = [f.text() for f in findings]
    failed = [line for line in lines if line.startswith(BUILD_FAILED)]
    assert len(failed) == 1
    assert "'missing.yaml'" in failed[0] and "no such file or directory" in failed[0]
    assert [BUILD_FAILED if line in failed else line for line in lines] == EXPECTED


def test_every_rule_is_registered_with_its_severity(
    broken_run: tuple[list[Finding], Any],
) -> None:
    findings, _ = broken_run
    seen = {f.rule: f.severity for f in findings}
    assert {rule: BY_ID[rule].severity for rule in seen} == seen
    unseen = {"manifests-crd-missing"}  # needs every component analysed: tested below
    # check --manifests' rules (lint --manifests adds manifests-hpa-self-heal and -removed-api)
    manifests = {rule.id for rule in MANIFEST_RULES}
    assert manifests == set(seen) | unseen


def test_summary_per_component_and_wave(broken_run: tuple[list[Finding], Any]) -> None:
    _, summary = broken_run
    assert summary.text().splitlines() == [
        "manifests: 7 of 11 components analysed; left out: broken (build-failed), "
        "chart (not-verified-offline), feature (no-buildable-path), pipelines "
        "(not-verified-offline)",
        "  wave 0 foundation: 5 objects, 2 CRDs, namespaces: infra; needs: widgets",
        "  wave 1 mesh-apps: 1 objects, 0 CRDs, namespaces: -; needs: extras",
        "  wave 1 portal: 3 objects, 0 CRDs, namespaces: -; needs: extras",
        "  wave 1 webhook: 4 objects, 0 CRDs, namespaces: -; needs: foundation",
        "  wave 1 widgets: 2 objects, 1 CRDs, namespaces: -; needs: -",
        "  wave 2 converge: 8 objects, 1 CRDs, namespaces: -; needs: -",
        "  wave 2 extras: 3 objects, 0 CRDs, namespaces: late, mesh; needs: foundation",
        "  wave 0 needs from earlier waves: -",
        "  wave 1 needs from earlier waves: foundation (wave 0)",
        "  wave 2 needs from earlier waves: foundation (wave 0)",
    ]


def test_nothing_unanalysed_makes_missing_crds_and_namespaces_definite(broken: Path) -> None:
    text = tree.HEAD + (
        "  - name: portal\n    wave: 1\n    namespace: portal\n"
        "    syncOptions: [ServerSideApply=true]\n    paths: [apps/portal]\n"
    )
    findings, _ = run(broken, text)
    assert [f.text() for f in findings] == [
        "waves.yaml:10:11: [error] manifests-namespace-missing: ConfigMap portal/portal-settings "
        "in component portal (wave 1): namespace portal is created by no component of an "
        "earlier wave, nor by this component, nor by CreateNamespace=true on its Application",
        "waves.yaml:10:11: [error] manifests-namespace-missing: Deployment late/portal (and 1 "
        "more) in component portal (wave 1): namespace late is created by no component of an "
        "earlier wave, nor by this component, nor by CreateNamespace=true on its Application",
        "waves.yaml:10:11: [warning] manifests-crd-missing: Thing late/mystery in component "
        "portal (wave 1): no component provides the CustomResourceDefinition for "
        "Thing.other.io; it must already exist in the cluster",
    ]


def test_same_wave_providers_are_errors(broken: Path) -> None:
    # Argo CD applies one wave's Applications in parallel: same wave is as bad as later.
    text = tree.HEAD + (
        "  - name: foundation\n    wave: 1\n    namespace: infra\n"
        "    paths: [infra/crds, infra/namespaces]\n"
        "  - name: widgets\n    wave: 1\n    namespace: widgets\n    paths: [apps/widgets]\n"
    )
    findings, _ = run(broken, text)
    assert [f.text() for f in findings] == [
        "waves.yaml:10:11: [error] manifests-crd-order: Widget infra/early-widget in component "
        "foundation (wave 1) needs the CustomResourceDefinition for Widget.example.com, which "
        "component widgets provides in the same wave 1, and Argo CD syncs a wave's Applications "
        "in parallel",
    ]


def test_clean_tree_has_no_findings(tmp_path: Path) -> None:
    root = tmp_path / "clean"
    tree.clean_tree(root)
    findings, summary = run(root, tree.clean_catalog())
    assert findings == []
    assert summary.needs == {"team": {"foundation"}}


def test_wrapper_patch_files_beside_the_committed_wrapper_are_used(tmp_path: Path) -> None:
    """A ``patches: [{path: ...}]`` file lives beside the wrapper in bootstrap/; the temporary
    mirror copies it (kustomize refuses a symlink leading out of the kustomization)."""
    root = tmp_path / "clean"
    tree.clean_tree(root)
    wrapper = root / "bootstrap/apps/base/foundation"
    wrapper.mkdir(parents=True)
    (wrapper / "ns-labels.yaml").write_text(tree.obj("v1", "Namespace", "team", labels="x: y"))
    text = tree.clean_catalog().replace(
        "    paths: [infra/crds, infra/more]\n",
        "    paths: [infra/crds, infra/more]\n    kustomize:\n      patches:\n"
        "        - path: ns-labels.yaml\n",
    )
    before = snapshot(root)
    findings, summary = run(root, text)
    assert findings == []
    assert summary.components[0].objects == 3
    assert snapshot(root) == before
    (wrapper / "ns-labels.yaml").write_text("not: [valid")
    findings, _ = run(root, text)
    # The patch file is really read: broken, it fails the build (and team's CRD goes unverified).
    assert [f.rule for f in findings] == ["manifests-build-failed", "manifests-crd-unverified"]


def test_a_kustomization_that_inflates_a_helm_chart_is_not_verified(tmp_path: Path) -> None:
    root = tmp_path / "helm"
    (root / "apps/spark").mkdir(parents=True)
    (root / "apps/spark/kustomization.yaml").write_text(
        "helmCharts:\n  - name: spark-operator\n    repo: https://kubeflow.github.io/spark-operator\n"
    )
    text = (
        tree.HEAD + "  - name: spark\n    wave: 0\n    namespace: spark\n    paths: [apps/spark]\n"
    )
    findings, summary = run(root, text)
    assert [f.text() for f in findings] == [
        "waves.yaml:10:11: [warning] manifests-not-verified-offline: component spark (wave 0) is "
        "not verified offline: its build needs the network (Helm chart spark-operator from "
        "https://kubeflow.github.io/spark-operator); it is left out of the analysis",
    ]
    assert summary.components[0].status == "not-verified-offline"


def test_a_component_can_switch_manifests_rules_off(broken: Path) -> None:
    ignore = (
        "    ignore:\n      - rule: manifests-crd-unverified\n"
        "        reason: Thing comes with the cluster\n"
    )
    text = tree.broken_catalog().replace(
        "    paths: [apps/portal]\n", f"    paths: [apps/portal]\n{ignore}"
    )
    findings, _ = run(broken, text)
    rules = [f.rule for f in findings]
    assert "manifests-crd-unverified" not in rules
    assert "manifests-namespace-unverified" in rules  # portal's other findings stay
    assert len(rules) == len(EXPECTED) - 1


def _converge(broken: Path, fix: str) -> list[str]:
    head, tail = tree.broken_catalog().split("    paths: [apps/converge]\n")
    text = head + "    paths: [apps/converge]\n" + fix + tail[tail.index("clusterHas") :]
    findings, _ = run(broken, text)
    return [f"{f.rule}: {f.message}" for f in findings if "component converge" in f.message]


def test_the_converge_fix_leaves_no_drift_or_race(broken: Path) -> None:
    """The entries the findings name, added to the catalog, are exactly what makes it converge:
    the simulated normalisation removes the fields, and the resource wave orders the Sprocket."""
    assert _converge(broken, tree.CONVERGE_FIX) == []
    # Ignored in the diff but still applied at every sync: RespectIgnoreDifferences is missing.
    unrespected = tree.CONVERGE_FIX.replace(", RespectIgnoreDifferences=true", "")
    found = _converge(broken, unrespected)
    assert [line.split(":")[0] for line in found] == [
        "manifests-drift-aggregated-rules",
        "manifests-drift-ca-bundle",
        "manifests-drift-failure-policy",
    ]
    assert found[0].endswith(
        "without RespectIgnoreDifferences=true in the component's syncOptions every sync "
        "applies `rules: []` again, wiping the aggregated rules; add RespectIgnoreDifferences=true"
    )


def test_manifests_rules_a_catalog_may_ignore() -> None:
    from kfboot.check.rules.registry import IGNORABLE

    not_ignorable = {"manifests-path-missing", "manifests-component-dir", "manifests-build-failed"}
    # check --manifests' rules (lint --manifests adds manifests-hpa-self-heal and -removed-api)
    manifests = {rule.id for rule in MANIFEST_RULES}
    assert {r for r in IGNORABLE if r in manifests} == manifests - not_ignorable
    text = tree.broken_catalog().replace(
        "    paths: [apps/broken]\n",
        "    paths: [apps/broken]\n    ignore:\n      - rule: manifests-build-failed\n"
        "        reason: it is broken\n",
    )
    with pytest.raises(CatalogError, match="'manifests-build-failed' cannot be ignored"):
        parse_catalog(text)


def test_graph_draws_derived_dependencies_that_depends_on_leaves_out(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    root = tmp_path / "manifests"
    tree.clean_tree(root)
    undeclared = tree.clean_catalog().replace("    dependsOn: [foundation]\n", "")
    (tmp_path / "waves.yaml").write_text(undeclared)
    plain = run_cli("graph", "--format", "mermaid", cwd=tmp_path)
    derived = run_cli("graph", "--format", "mermaid", "--manifests", str(root), cwd=tmp_path)
    assert plain.exit_code == derived.exit_code == 0, derived.stderr
    assert "derived" not in plain.stdout
    added = set(derived.stdout.splitlines()) - set(plain.stdout.splitlines())
    assert added == {"  c_foundation -.->|derived| c_team"}
    # Declared edges are not drawn twice.
    (tmp_path / "waves.yaml").write_text(tree.clean_catalog())
    declared = run_cli("graph", "--manifests", str(root), cwd=tmp_path)
    assert "derived" not in declared.stdout
