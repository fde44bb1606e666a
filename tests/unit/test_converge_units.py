"""The pure parts of issue 11: Argo CD's normalisation (matching, pointers), the webhook rule
matcher, resourceWaves patches, placeholders, and the drift/race rules on hand-made units."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kfboot.catalog import gitrefs
from kfboot.catalog.models import IgnoreDifference
from kfboot.catalog.resourcewaves import ResourceWave, from_patch
from kfboot.manifests.analysis import analyse
from kfboot.manifests.jq import Jq
from kfboot.manifests.normalise import entry_matches, glob_match, normalise, remove_pointer
from kfboot.manifests.objects import Obj
from kfboot.manifests.units import Unit
from kfboot.manifests.webhooks import rule_matches, selector_matches


def entry(**fields: Any) -> IgnoreDifference:
    return IgnoreDifference.model_validate(fields)


# ------------------------------------------------------------------ matching, as Argo CD does


@pytest.mark.parametrize(
    ("pattern", "value", "matches"),
    [
        ("*", "", True),
        ("*", "apps", True),
        ("", "", True),
        ("", "apps", False),  # an unset group is the core group only
        ("*.k8s.io", "admissionregistration.k8s.io", True),
        ("apps", "Apps", False),  # case-sensitive
        ("{apps,batch}", "batch", True),
        ("?pps", "apps", True),
        ("[ab]pps", "apps", True),
        ("[!a]pps", "apps", False),
        ("[oops", "[oops", False),  # does not compile: matches nothing
        # gobwas/glob ranges and alternatives holding globs (the old translation escaped them)
        ("[a-z]pps", "apps", True),
        ("[!a-z]pps", "apps", False),
        ("[a-c]pps", "dpps", False),
        ("{Mutating,Validating}WebhookConfiguration", "ValidatingWebhookConfiguration", True),
        ("{*.k8s.io,apps}", "rbac.authorization.k8s.io", True),
        ("{*.k8s.io,apps}", "batch", False),
        ("{a,b", "a", False),  # unclosed: matches nothing
        ("\\*", "*", True),
        ("\\*", "x", False),
    ],
)
def test_group_and_kind_are_globs(pattern: str, value: str, matches: bool) -> None:
    assert glob_match(pattern, value) is matches


def test_name_and_namespace_match_exactly_when_set() -> None:
    hook = entry(group="admissionregistration.k8s.io", kind="*WebhookConfiguration", name="v")
    group, kind = "admissionregistration.k8s.io", "ValidatingWebhookConfiguration"
    assert entry_matches(hook, group, kind, "v", "")
    assert not entry_matches(hook, group, kind, "v2", "")
    scoped = entry(kind="ConfigMap", namespace="kubeflow")
    assert entry_matches(scoped, "", "ConfigMap", "x", "kubeflow")
    assert not entry_matches(scoped, "", "ConfigMap", "x", "other")
    assert not entry_matches(scoped, "apps", "ConfigMap", "x", "kubeflow")


def test_json_pointers_remove_and_skip_missing_paths() -> None:
    doc = {"spec": {"preserveUnknownFields": False, "a/b": 1, "list": [1, 2]}}
    remove_pointer(doc, "/spec/preserveUnknownFields")
    remove_pointer(doc, "/spec/a~1b")
    remove_pointer(doc, "/spec/list/0")
    remove_pointer(doc, "/spec/missing/deeper")  # skipped, as Argo CD skips it
    remove_pointer(doc, "/spec/list/7")
    assert doc == {"spec": {"list": [2]}}


def test_normalise_applies_only_matching_entries_and_reports_failing_jq() -> None:
    role = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": {"name": "admin"},
        "aggregationRule": {"clusterRoleSelectors": [{}]},
        "rules": [],
    }
    rules = "select(.aggregationRule.clusterRoleSelectors | length > 0) | .rules"
    entries = [
        entry(group="rbac.authorization.k8s.io", kind="Role", jqPathExpressions=[rules]),
        entry(group="rbac.authorization.k8s.io", kind="ClusterRole", jqPathExpressions=[rules]),
    ]
    with Jq() as jq:
        result = normalise(role, entries, "", jq)
        assert "rules" not in result.data and role["rules"] == []  # a copy: the object is kept
        assert result.matched == [entries[1]]
        odd = entry(group="*", kind="*", jqPathExpressions=["map(.x)", ".a[", ".kind"])
        both = normalise(role, [odd], "", jq)
    # A run-time error and a parse error skip only their own patch; the next one still runs.
    assert both.failed == [("map(.x)", 'Cannot index string with string ("x")')]
    assert both.unparsable == [".a["]
    assert "kind" not in both.data


# ------------------------------------------------------------------ webhook rules and selectors


RULE = {
    "operations": ["CREATE", "UPDATE"],
    "apiGroups": ["serving.kserve.io"],
    "apiVersions": ["v1alpha1"],
    "resources": ["clusterservingruntimes"],
    "scope": "Cluster",
}


@pytest.mark.parametrize(
    ("rule", "args", "matches"),
    [
        (RULE, ("serving.kserve.io", "v1alpha1", "clusterservingruntimes", True), True),
        (RULE, ("serving.kserve.io", "v1alpha1", "clusterservingruntimes", False), False),
        (RULE, ("serving.kserve.io", "v1beta1", "clusterservingruntimes", True), False),
        ({**RULE, "operations": ["UPDATE"]}, ("serving.kserve.io", "v1alpha1",
                                             "clusterservingruntimes", True), False),
        ({"operations": ["*"], "apiGroups": ["*"], "apiVersions": ["*"], "resources": ["*/*"]},
         ("", "v1", "configmaps", False), True),
        ({**RULE, "resources": ["clusterservingruntimes/status"]},
         ("serving.kserve.io", "v1alpha1", "clusterservingruntimes", True), False),
    ],
)  # fmt: skip
def test_rule_matches_create_of_a_resource(
    rule: dict[str, Any], args: tuple[str, str, str, bool], matches: bool
) -> None:
    assert rule_matches(rule, *args) is matches


def test_label_selectors() -> None:
    labels = {"cert-manager.io/disable-validation": "true", "team": "a"}
    excluded = {
        "matchExpressions": [
            {"key": "cert-manager.io/disable-validation", "operator": "NotIn", "values": ["true"]}
        ]
    }
    assert not selector_matches(excluded, labels)
    assert selector_matches(excluded, {})
    assert selector_matches({"matchLabels": {"team": "a"}}, labels)
    assert not selector_matches({"matchExpressions": [{"key": "x", "operator": "Exists"}]}, labels)
    assert selector_matches(None, labels)


# ------------------------------------------------------------------ the rules on hand-made units


def obj(api: str, kind: str, name: str, ns: str = "", wave: int = 0, **detail: Any) -> Obj:
    labels = tuple(sorted(detail.pop("labels", {}).items()))
    crd = detail.pop("crd", None)
    text = json.dumps(detail, sort_keys=True, separators=(",", ":")) if detail else ""
    return Obj(api, kind, ns, name, labels, crd, wave, text)


def webhook_objects(runtime_wave: int) -> tuple[Obj, ...]:
    hook = {
        "name": "v.kserve",
        "clientConfig": {"service": {"name": "kserve-webhook", "namespace": "kubeflow"}},
        "rules": [RULE],
    }
    return (
        obj("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "csr",
            webhooks=[hook]),
        obj("v1", "Service", "kserve-webhook", "kubeflow", spec={"selector": {"app": "kserve"}}),
        obj("apps/v1", "Deployment", "kserve-controller", "kubeflow",
            spec={"template": {"metadata": {"labels": {"app": "kserve", "x": "y"}}}}),
        obj("apiextensions.k8s.io/v1", "CustomResourceDefinition",
            "clusterservingruntimes.serving.kserve.io",
            crd=("serving.kserve.io", "ClusterServingRuntime", "Cluster"),
            spec={"names": {"kind": "ClusterServingRuntime", "plural": "clusterservingruntimes"}}),
        obj("serving.kserve.io/v1alpha1", "ClusterServingRuntime", "sklearn", wave=runtime_wave),
    )  # fmt: skip


def unit(name: str, wave: int, objects: tuple[Obj, ...], **more: Any) -> Unit:
    return Unit(name, wave, "kubeflow", True, (), True, objects, **more)


def findings(*units: Unit) -> list[str]:
    result = analyse(list(units), lambda n: ("w.yaml", 1, 1), lambda n, d: ("w.yaml", 1, 1))
    return [f"{f.rule}: {f.message}" for f in result.findings]


def test_a_runtime_with_its_webhook_races_and_a_later_wave_does_not() -> None:
    (race,) = findings(unit("kserve", 3, webhook_objects(0)))
    assert race.startswith(
        "manifests-webhook-race: ClusterServingRuntime sklearn in component kserve is applied "
        "at in-Application wave 0, not after the wave 0 of its webhook's Deployment"
    )
    assert race.endswith(
        'resourceWaves: {"group": "serving.kserve.io", "kind": "ClusterServingRuntime", "wave": 1}'
    )
    assert findings(unit("kserve", 3, webhook_objects(1))) == []


def test_another_component_of_the_same_wave_races_and_of_a_later_wave_does_not() -> None:
    server = unit("kserve", 3, webhook_objects(1)[:4])
    runtimes = (webhook_objects(0)[4],)
    races = [f for f in findings(server, unit("runtimes", 3, runtimes)) if "webhook-race" in f]
    assert len(races) == 1
    assert "is synced in parallel with component kserve (same wave)" in races[0]
    later = findings(server, unit("runtimes", 4, runtimes))
    assert [f for f in later if "webhook-race" in f] == []


def test_a_webhook_that_fails_open_or_has_no_service_in_the_builds_is_no_race() -> None:
    objects = list(webhook_objects(0))
    hook = json.loads(objects[0].detail)
    hook["webhooks"][0]["failurePolicy"] = "Ignore"
    objects[0] = obj(objects[0].api_version, objects[0].kind, "csr", **hook)
    assert findings(unit("kserve", 3, tuple(objects))) == []
    assert findings(unit("kserve", 3, webhook_objects(0)[:1] + webhook_objects(0)[2:])) == []


def aggregated_role(rules: bool = True) -> Obj:
    detail: dict[str, Any] = {"aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {}}]}}
    if rules:
        detail["rules"] = []
    return obj("rbac.authorization.k8s.io/v1", "ClusterRole", "kubeflow-admin", **detail)


AGGREGATED = entry(
    group="rbac.authorization.k8s.io",
    kind="ClusterRole",
    jqPathExpressions=["select(.aggregationRule.clusterRoleSelectors | length > 0) | .rules"],
)


def test_aggregated_rules_positive_and_negative() -> None:
    (diffed,) = findings(unit("roles", 0, (aggregated_role(),)))
    assert diffed.startswith("manifests-drift-aggregated-rules: ClusterRole kubeflow-admin")
    assert findings(unit("roles", 0, (aggregated_role(),), ignore=(AGGREGATED,),
                         respect_ignore=True)) == []  # fmt: skip
    (applied,) = findings(unit("roles", 0, (aggregated_role(),), ignore=(AGGREGATED,)))
    assert "add RespectIgnoreDifferences=true" in applied
    assert findings(unit("roles", 0, (aggregated_role(rules=False),))) == []  # nothing in git


def test_ca_bundle_and_preserve_unknown_fields_positive_and_negative() -> None:
    hook = obj("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "m",
               webhooks=[{"name": "a", "clientConfig": {"caBundle": ""}}])  # fmt: skip
    crd = obj("apiextensions.k8s.io/v1", "CustomResourceDefinition", "profiles.kubeflow.org",
              crd=("kubeflow.org", "Profile", "Cluster"),
              spec={"preserveUnknownFields": False})  # fmt: skip
    rules = sorted(f.split(":")[0] for f in findings(unit("c", 0, (hook, crd))))
    assert rules == ["manifests-drift-ca-bundle", "manifests-drift-preserve-unknown-fields"]
    fixed = (
        entry(group="admissionregistration.k8s.io", kind="MutatingWebhookConfiguration",
              jqPathExpressions=[".webhooks[]?.clientConfig.caBundle"]),
        entry(group="apiextensions.k8s.io", kind="CustomResourceDefinition",
              jsonPointers=["/spec/preserveUnknownFields"]),
    )  # fmt: skip
    assert findings(unit("c", 0, (hook, crd), ignore=fixed, respect_ignore=True)) == []
    # The wrong group ignores nothing (Argo CD matches the group literally).
    wrong = (entry(kind="CustomResourceDefinition", jsonPointers=["/spec/preserveUnknownFields"]),)
    assert len(findings(unit("c", 0, (crd,), ignore=wrong))) == 1


def istio_validator(policy: str = "Ignore", service: str = "istiod") -> Obj:
    client = {"service": {"name": service, "namespace": "istio-system"}}
    hook = {"name": "rev.validation.istio.io", "failurePolicy": policy, "clientConfig": client}
    return obj("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration",
               "istio-validator-istio-system", webhooks=[hook])  # fmt: skip


def test_istio_validator_failure_policy_positive_and_negative() -> None:
    (diffed,) = findings(unit("mesh", 0, (istio_validator(),)))
    assert diffed.startswith(
        "manifests-drift-failure-policy: ValidatingWebhookConfiguration "
        "istio-validator-istio-system in component mesh: istiod turns its failurePolicy"
    )
    assert diffed.endswith(
        'ignoreDifferences: {"group": "admissionregistration.k8s.io", "kind": '
        '"ValidatingWebhookConfiguration", "name": "istio-validator-istio-system", '
        '"jqPathExpressions": [".webhooks[]?.failurePolicy"]}'
    )
    fixed = entry(group="admissionregistration.k8s.io", kind="ValidatingWebhookConfiguration",
                  name="istio-validator-istio-system",
                  jqPathExpressions=[".webhooks[]?.failurePolicy"])  # fmt: skip
    assert findings(unit("mesh", 0, (istio_validator(),), ignore=(fixed,),
                         respect_ignore=True)) == []  # fmt: skip
    (applied,) = findings(unit("mesh", 0, (istio_validator(),), ignore=(fixed,)))
    assert "add RespectIgnoreDifferences=true" in applied
    # Git already says Fail, or another service than istiod: nothing rewrites the field.
    assert findings(unit("mesh", 0, (istio_validator("Fail"),))) == []
    assert findings(unit("mesh", 0, (istio_validator(service="other"),))) == []


# ------------------------------------------------------------------ resourceWaves, placeholders


def test_resource_wave_patch_round_trips_through_import() -> None:
    wave = ResourceWave(group="cert-manager.io", kind="ClusterIssuer", name="a.b", wave=1)
    patch = wave.patch()
    assert patch["target"] == {
        "group": "cert-manager.io",
        "kind": "ClusterIssuer",
        "name": r"^a\.b$",
    }
    assert from_patch(patch) == {"group": "cert-manager.io", "kind": "ClusterIssuer",
                                 "name": "a.b", "wave": 1}  # fmt: skip
    assert from_patch({**patch, "patch": patch["patch"].replace('"1"', '"x"')}) is None
    assert from_patch({"target": {"kind": "Namespace"}, "patch": "kind: Namespace"}) is None
    assert wave.matches("cert-manager.io", "ClusterIssuer", "a.b", "")
    assert not wave.matches("cert-manager.io", "ClusterIssuer", "a", "")


@pytest.mark.parametrize(
    "value",
    ["https://github.com/<<ORG>>/manifests.git", "{{ .Values.repo }}", "${GIT_REVISION}",
     "release-${N}", "<<main>>"],
)  # fmt: skip
def test_placeholders_are_problems(value: str) -> None:
    problem = gitrefs.placeholder_problem(value)
    assert problem is not None and "placeholder" in problem
    # The one detector is what the catalog's URL and revision checks use.
    assert problem in (gitrefs.revision_problem(value) or "")


@pytest.mark.parametrize("value", ["main", "v1.11.0", "https://github.com/a/b.git", "a{b}", "$x"])
def test_ordinary_values_are_not_placeholders(value: str) -> None:
    assert gitrefs.placeholder_problem(value) is None


def test_finite_retry_is_judged_where_it_applies() -> None:
    from kfboot.catalog.load import parse_catalog
    from kfboot.check.rules.catalog_wide import finite_retry
    from tests.conftest import DEFAULT_CATALOG

    text = DEFAULT_CATALOG.read_text()
    assert list(finite_retry(parse_catalog(text))) == []
    root = text.replace(
        "    - CreateNamespace=true\n\n", "    - CreateNamespace=true\n  retry: {limit: 3}\n\n", 1
    )
    ((index, hit),) = finite_retry(parse_catalog(root))
    assert (index, hit.path) == (None, ("appOfApps", "retry", "limit"))
    assert hit.message.startswith("the app of apps gives up after 3 failed sync retries")
    needed = text.replace(
        "  - name: profiles\n", "  - name: profiles\n    retry: {limit: 0}\n", 1
    )  # others depend on profiles
    ((index, hit),) = finite_retry(parse_catalog(needed))
    assert hit.path == ("components", index, "retry", "limit")
    assert "component profiles, which other components depend on," in hit.message
