"""The ``manifests-*`` rules (``kfboot check --manifests DIR``), part of the one registry.

They are computed by ``kfboot.manifests`` (building each component with kustomize); this module
holds only their documentation, so the registry needs none of that code to list them.
"""

from __future__ import annotations

from kfboot.check.rules.rule import Rule, Severity

WAVES = "https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/"
SYNC_OPTIONS = "https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/"
KUSTOMIZE = "https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/"


# What a component cannot switch off: its paths must build at all.
_NOT_IGNORABLE = ("manifests-path-missing", "manifests-component-dir", "manifests-build-failed")


_WAVES_WHY = (
    "Argo CD applies a wave's Applications in parallel, after every earlier wave is healthy."
)
_WHY = {
    "manifests-path-missing": "Argo CD cannot generate manifests from a path that is not there.",
    "manifests-component-dir": "kustomize refuses to build a Component on its own.",
    "manifests-build-failed": "Argo CD fails the Application the same way.",
    "manifests-not-verified-offline": "kfboot checks offline; the network is not consulted.",
    "manifests-duplicate-object": "Argo CD's shared-resource conflict: each sync undoes the other.",
    "manifests-drift-aggregated-rules": "The aggregation controller fills the rules; Argo CD "
    "diffs them and selfHeal wipes them (a brief RBAC outage for every user, each cycle).",
    "manifests-drift-ca-bundle": "The caBundle is injected in the cluster (cert-manager, or the "
    "webhook's own controller); Argo CD diffs the one in git and re-applies it.",
    "manifests-drift-failure-policy": "istiod turns its validator's failurePolicy from Ignore to "
    "Fail once it is ready; Argo CD diffs the Ignore in git and selfHeal re-applies it.",
    "manifests-drift-preserve-unknown-fields": "The API server drops preserveUnknownFields: "
    "false; Argo CD 3.0 removed its default ignore of it (argo-cd #22948), so the CRD stays "
    "OutOfSync.",
    "manifests-jq-parse-error": "Argo CD compiles each entry as del(EXPR) with gojq; one that "
    "does not compile fails the Application's whole comparison (argo-cd v3.4.7 "
    "util/argo/normalizers/diff_normalizer.go L160-170).",
    "manifests-jq-runtime-error": "Argo CD skips an expression that fails at run time (an error, "
    "no output or several, or longer than its 1 s budget) on that object only, so the field it "
    "should ignore stays diffed (diff_normalizer.go L72-101, L210-216).",
    "manifests-resource-wave-unmatched": "The entry's kustomize patch selects nothing (upstream "
    "renamed the kind or moved its group), so the Application syncs in one pass and nothing "
    "waits for the webhook the wave was there for.",
    "manifests-webhook-race": "Argo CD applies one wave's objects in one pass and does not wait "
    "for the webhook's pod; the API server rejects what a failurePolicy Fail webhook cannot "
    "answer.",
}
DIFFING = "https://argo-cd.readthedocs.io/en/stable/user-guide/diffing/"


_CHECKS = {
    "manifests-path-missing": "paths:check_path",
    "manifests-component-dir": "paths:check_path",
    "manifests-build-failed": "run:_units",
    "manifests-not-verified-offline": "run:_Planner.offline",
    "manifests-crd-order": "analysis:Analysis.check_crd",
    "manifests-crd-missing": "analysis:Analysis.check_crd",
    "manifests-crd-unverified": "analysis:Analysis.check_crd",
    "manifests-namespace-missing": "analysis:Analysis.missing_namespace",
    "manifests-namespace-unverified": "analysis:Analysis.missing_namespace",
    "manifests-namespace-labels-order": "analysis:Analysis.check_labels",
    "manifests-duplicate-object": "crosscheck:duplicates",
    "manifests-depends-on-contradiction": "crosscheck:depends_on",
    "manifests-depends-on-missing": "crosscheck:_uncovered",
    "manifests-drift-aggregated-rules": "drift:drift",
    "manifests-drift-ca-bundle": "drift:drift",
    "manifests-drift-failure-policy": "drift:drift",
    "manifests-drift-preserve-unknown-fields": "drift:drift",
    "manifests-jq-parse-error": "jq_paths:parse_findings",
    "manifests-jq-runtime-error": "drift:drift",
    "manifests-resource-wave-unmatched": "resource_waves:unmatched",
    "manifests-webhook-race": "webhooks:races",
}


def _rule(rule_id: str, severity: Severity, what: str, link: str, fix: str) -> Rule:
    why = _WHY.get(rule_id, _WAVES_WHY)
    check = f"kfboot.manifests.{_CHECKS[rule_id]}"
    ignorable = rule_id not in _NOT_IGNORABLE
    return Rule(rule_id, severity, what, why, link, fix, ignorable=ignorable, check=check)


MANIFEST_RULES: tuple[Rule, ...] = (
    _rule(
        "manifests-path-missing",
        "error",
        "A component path does not exist in the manifests, or holds no kustomization.",
        "https://github.com/kubeflow/manifests",
        "Point the path at the directory upstream moved it to (the message suggests one).",
    ),
    _rule(
        "manifests-component-dir",
        "error",
        "A component path holds a kustomize Component (kind: Component).",
        "https://kubectl.docs.kubernetes.io/guides/config_management/components/",
        "Use a Kustomization that lists the Component under components:.",
    ),
    _rule(
        "manifests-build-failed",
        "error",
        "Kustomize cannot build the component.",
        KUSTOMIZE,
        "Fix what kustomize's message names.",
    ),
    _rule(
        "manifests-not-verified-offline",
        "warning",
        "The build needs the network (remote resources, Helm charts): not analysed.",
        KUSTOMIZE,
        "Vendor the remote resources into the repository to have them checked.",
    ),
    _rule(
        "manifests-crd-order",
        "error",
        "A custom resource's CRD arrives in a later wave, or from another same-wave component.",
        WAVES,
        "Move the CRD's component to an earlier wave, or the custom resource's to a later one.",
    ),
    _rule(
        "manifests-crd-missing",
        "warning",
        "No component provides a custom resource's CRD: it must already exist in the cluster.",
        WAVES,
        "Add the component that provides it, or make sure the cluster has it.",
    ),
    _rule(
        "manifests-crd-unverified",
        "warning",
        "No analysed component provides a custom resource's CRD; an unanalysed one may.",
        WAVES,
        "Check the unanalysed components named in the message.",
    ),
    _rule(
        "manifests-namespace-missing",
        "error",
        "An object's namespace does not exist yet when its wave is applied.",
        SYNC_OPTIONS,
        "Create it in an earlier wave, in the same component, or with CreateNamespace=true.",
    ),
    _rule(
        "manifests-namespace-unverified",
        "warning",
        "No analysed component creates an object's namespace; an unanalysed one may.",
        SYNC_OPTIONS,
        "Check the unanalysed components named in the message.",
    ),
    _rule(
        "manifests-namespace-labels-order",
        "error",
        "Pods start in a namespace before a later wave gives it its labels.",
        SYNC_OPTIONS,
        "Move the labelled Namespace to an earlier wave than the workloads that run in it.",
    ),
    _rule(
        "manifests-duplicate-object",
        "error",
        "Two components produce the same object: their Applications fight over it.",
        SYNC_OPTIONS,
        "Keep the object in exactly one component.",
    ),
    _rule(
        "manifests-depends-on-contradiction",
        "error",
        "A declared dependsOn runs against a need derived from the objects.",
        WAVES,
        "Reverse the dependency (and the waves) to match what the objects need.",
    ),
    _rule(
        "manifests-depends-on-missing",
        "warning",
        "A need derived from the objects is not covered by the declared dependsOn.",
        WAVES,
        "Add the needed component to dependsOn.",
    ),
    _rule(
        "manifests-drift-aggregated-rules",
        "error",
        "An aggregated ClusterRole's rules are still diffed after ignoreDifferences, or are "
        "re-applied at each sync (no RespectIgnoreDifferences=true).",
        DIFFING,
        "Add the ignoreDifferences entry the message names, and RespectIgnoreDifferences=true.",
    ),
    _rule(
        "manifests-drift-ca-bundle",
        "error",
        "A webhook's (or CRD conversion webhook's) caBundle from git is still diffed after "
        "ignoreDifferences, or re-applied at each sync.",
        DIFFING,
        "Add the ignoreDifferences entry the message names, and RespectIgnoreDifferences=true.",
    ),
    _rule(
        "manifests-drift-failure-policy",
        "error",
        "Istio's validating webhook (served by istiod) ships failurePolicy: Ignore, and the field "
        "is still diffed after ignoreDifferences, or re-applied at each sync.",
        DIFFING,
        "Add the ignoreDifferences entry the message names, and RespectIgnoreDifferences=true.",
    ),
    _rule(
        "manifests-drift-preserve-unknown-fields",
        "error",
        "A CRD sets spec.preserveUnknownFields: false and the field is still diffed.",
        "https://argo-cd.readthedocs.io/en/stable/operator-manual/upgrading/2.14-3.0/",
        "Add the ignoreDifferences entry the message names (jsonPointers: "
        "[/spec/preserveUnknownFields]).",
    ),
    _rule(
        "manifests-jq-parse-error",
        "error",
        "A jqPathExpressions entry does not compile as del(EXPR) in jq (or uses a builtin gojq, "
        "the jq Argo CD runs, does not have).",
        DIFFING,
        "Fix the expression at the reported line, e.g. `.webhooks[]?.clientConfig.caBundle`.",
    ),
    _rule(
        "manifests-jq-runtime-error",
        "warning",
        "A jqPathExpressions entry fails on an object of the component's build: a jq error, no "
        "single output, over the 1 s time budget or the memory bound.",
        DIFFING,
        "Guard the path (`.webhooks[]?`, `select(...)`) so it yields the object on every input.",
    ),
    _rule(
        "manifests-resource-wave-unmatched",
        "warning",
        "A resourceWaves entry matches no object of the component's build.",
        WAVES,
        "Correct the entry's group and kind (the message names the kinds close to it), or "
        "remove it.",
    ),
    _rule(
        "manifests-webhook-race",
        "error",
        "An object a failurePolicy Fail webhook intercepts is applied before (or with) the "
        "Deployment serving the webhook: in the same Application at a wave not after the "
        "Deployment's, or by another Application of the same wave.",
        WAVES,
        "Add the resourceWaves entry the message names, or move the component to a later wave.",
    ),
)
