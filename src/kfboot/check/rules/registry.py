"""The one rule registry: every rule id a finding can carry, with its severity and its docs.

``RULES`` holds ``check``'s rules (below), those ``kfboot lint`` added
(:mod:`kfboot.check.rules.lint_rules`), the ``manifests-*`` rules
(:mod:`kfboot.check.rules.manifests_rules`) and the ``import-*`` rules
(:mod:`kfboot.check.rules.import_rules`); each is a :class:`~kfboot.check.rules.rule.Rule`. The
rule reference (docs/rules.md), ``check --list-rules``, the JSON report and the catalog's
``ignore:`` validation all read it, so a rule is documented in exactly one place. To add a rule,
add a ``Rule(...)`` to the family's tuple, naming the function that checks it in ``check=``.
This module imports no rule code (the catalog models read it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from kfboot.check.rules.day2_rules import GIT_RULES, PLAN_RULES
from kfboot.check.rules.import_rules import IMPORT_RULES
from kfboot.check.rules.lint_rules import LINT_RULES
from kfboot.check.rules.manifests_rules import MANIFEST_RULES
from kfboot.check.rules.plan_object_rules import PLAN_OBJECT_RULES
from kfboot.check.rules.rule import Rule, Severity

__all__ = ["BY_ID", "IGNORABLE", "RULES", "Rule", "Severity", "rule_docs", "rule_list"]

SYNC_OPTIONS_DOC = "https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/"
_APP = "kfboot.check.rules.application:"
_CATALOG = "kfboot.check.rules.catalog_wide:"


CHECK_RULES: tuple[Rule, ...] = (
    Rule(
        "catalog",
        "error",
        "The catalog is invalid: schema, references, cycles, names, paths, repoURL.",
        "kfboot cannot render from an invalid catalog; the message is the one render prints.",
        "https://github.com/kubeflow/manifests",
        "Fix waves.yaml at the reported line.",
        ignorable=False,
        check="kfboot.catalog.load:load_catalog",
    ),
    Rule(
        "drift",
        "error",
        "A generated file under bootstrap/ differs from what the catalog renders, is missing, "
        "or is stale (generated earlier, no longer rendered).",
        "Argo CD deploys what is committed; a hand edit of a generated file is silently lost "
        "at the next render. Hand-written files (no kfboot header) are never reported.",
        "https://argo-cd.readthedocs.io/en/stable/operator-manual/cluster-bootstrapping/",
        "Change waves.yaml instead, then run `kfboot render` and commit bootstrap/.",
        ignorable=False,
        check="kfboot.output:Plan.drift",
    ),
    Rule(
        "yaml-hygiene",
        "error",
        "A YAML file under bootstrap/ does not parse, has a duplicate key, or holds an unquoted "
        "YAML 1.1 trap (`y`, `n`, `on`, `off`, `0755`, `1:30`, ...).",
        "kubectl, kustomize and Argo CD read YAML 1.1 (go-yaml): `on` is true and `0755` is 493 "
        "there, while YAML 1.2 tools read strings; duplicate keys keep only one value.",
        "https://yaml.org/type/bool.html",
        "Quote the value, remove the duplicate key, or fix the syntax.",
        check="kfboot.check.rules.hygiene:parse_and_check",
    ),
    Rule(
        "sync-wave-format",
        "error",
        "The `argocd.argoproj.io/sync-wave` annotation is not a string holding an integer.",
        "Argo CD parses the wave with strconv.Atoi and silently uses wave 0 when that fails; "
        "annotation values must be strings.",
        "https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/",
        'Write the wave as a quoted integer, e.g. `argocd.argoproj.io/sync-wave: "2"`.',
        check=_APP + "sync_wave_format",
    ),
    Rule(
        "destination-server-name",
        "error",
        "An Application's destination sets both `server` and `name`, or neither.",
        "Argo CD identifies the target cluster by exactly one of them and refuses the Application "
        "otherwise.",
        "https://argo-cd.readthedocs.io/en/stable/user-guide/application-specification/",
        "Keep exactly one: `server: https://kubernetes.default.svc` or `name: in-cluster`.",
        check=_APP + "destination_server_name",
    ),
    Rule(
        "root-server-side-apply",
        "error",
        "The root app of apps uses `ServerSideApply=true`.",
        "With server-side apply on the parent, Argo CD applied the child Applications without "
        "waiting for their sync waves (argo-cd issue 13320; fixed by gitops-engine #699, in "
        "every Argo CD since 3.0.0, so the reason is historical, but the root needs nothing "
        "server-side apply gives).",
        "https://github.com/argoproj/argo-cd/issues/13320",
        "Remove ServerSideApply=true from the app of apps; keep it on the children that need it.",
        check=_APP + "root_server_side_apply",
    ),
    Rule(
        "no-application-health-check",
        "warning",
        "No Application health check is available: no enabled `argocd` component installs it and "
        "the catalog does not say the cluster's argocd-cm has it "
        "(`clusterHasApplicationHealthCheck: true`).",
        "Argo CD 1.8 removed the health assessment of Application resources, so a wave of "
        "Applications counts as healthy at once and the next wave does not wait.",
        "https://argo-cd.readthedocs.io/en/stable/operator-manual/health/#argocd-app",
        "Enable the argocd component with `applicationHealthCheck: true`, or set "
        "`clusterHasApplicationHealthCheck: true` once argocd-cm carries the check.",
        check=_CATALOG + "health_check",
    ),
    Rule(
        "extra-resource-missing",
        "error",
        "An `extraResources` entry names a file or directory that does not exist (its `path` "
        "under `<bootstrapPath>/apps/kubeflow/`, or its `repoPath` in the repository).",
        "The root's kustomization lists it, so kustomize fails to build the root and Argo CD "
        "syncs none of the Applications.",
        "https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/resource/",
        "Create the file (import says where it was), or remove the entry.",
        ignorable=False,
        check="kfboot.check.rules.extra_resources:extra_resource_hits",
    ),
    Rule(
        "extra-resource-outside",
        "error",
        "An `extraResources` entry leads out of the repository through a symlink.",
        "Argo CD refuses a source whose symlinks point out of its repository "
        "(util/app/path/path.go:48@v3.4.7, `CheckOutOfBoundsSymlinks`), so the root does not "
        "build; kfboot does not read the file either, so nothing outside is printed.",
        "https://argo-cd.readthedocs.io/en/stable/operator-manual/upgrading/2.4-2.5/"
        "#out-of-bounds-symlinks-now-blocked-at-fetch",
        "Copy the file into the repository, or point the symlink inside it.",
        ignorable=False,
        check="kfboot.check.rules.extra_resources:extra_resource_hits",
    ),
    Rule(
        "extra-resource-unbuildable",
        "error",
        "An `extraResources` entry kustomize cannot build from the root's directory: a "
        "`repoPath` that is a file or a directory without a kustomization.",
        "kustomize's load restrictions refuse a file outside the kustomization's directory and a "
        "plain directory does not build, so the root fails and Argo CD syncs none of the "
        "Applications.",
        "https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/resource/",
        "Give the directory a `kustomization.yaml` listing its files (or move the file under "
        "`<bootstrapPath>/apps/kubeflow/` and name it with `path`); keep the file in the "
        "repository.",
        ignorable=False,
        check="kfboot.check.rules.extra_resources:extra_resource_hits",
    ),
    Rule(
        "extra-resource-wave",
        "warning",
        "An object in an `extraResources` file carries another `argocd.argoproj.io/sync-wave` "
        "than its catalog entry says.",
        "kfboot never edits the file, so the object's own annotation decides when the root "
        "applies it; the catalog's wave (shown in summaries) would be wrong.",
        "https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/",
        "Make the annotation and the entry's `wave` agree.",
        ignorable=False,
        check="kfboot.check.rules.extra_resources:extra_resource_hits",
    ),
    Rule(
        "unknown-sync-option",
        "error",
        "A sync option Argo CD does not know (often a misspelling or a wrong case).",
        "Argo CD compares sync options as exact strings and ignores unknown ones silently.",
        SYNC_OPTIONS_DOC,
        "Use one of the documented options, spelled exactly (e.g. `ServerSideApply=true`).",
        check=_APP + "sync_options",
    ),
    Rule(
        "sync-option-annotation-only",
        "warning",
        "`Prune=false`, `Prune=confirm`, `Delete=false` or `Delete=confirm` in an Application's "
        "`syncOptions`.",
        "Before Argo CD 3.4.0 these four are read only from a resource's "
        "`argocd.argoproj.io/sync-options` annotation, so in `spec.syncPolicy.syncOptions` they "
        "protect nothing; since 3.4.0 (#23370) they apply there to every object of the "
        "Application, which is rarely what protecting one resource needs.",
        SYNC_OPTIONS_DOC,
        "Remove the option and annotate the resources instead, e.g. with a kustomize patch in "
        "the component setting `argocd.argoproj.io/sync-options: Prune=false` (as kfboot does "
        "for the argocd namespace).",
        check=_APP + "sync_options",
    ),
    Rule(
        "destructive-sync-option",
        "warning",
        "`Force=true` or `Replace=true` is set.",
        "Both delete and recreate resources (kubectl replace / --force): CRDs lose their custom "
        "resources, and workloads restart.",
        SYNC_OPTIONS_DOC,
        "Prefer ServerSideApply=true; if you really mean it, ignore the rule on that component "
        "with a reason.",
        check=_APP + "sync_options",
    ),
    Rule(
        "ignore-differences-unknown-kind",
        "error",
        "An `ignoreDifferences` entry names a kind that does not exist in its (built-in) API "
        "group, e.g. `ValidatingAdmissionWebhook`.",
        "Argo CD matches group and kind literally, so the entry ignores nothing and the diff "
        "it was meant to hide keeps the Application OutOfSync.",
        "https://argo-cd.readthedocs.io/en/stable/user-guide/diffing/",
        "Use the real kind, e.g. `ValidatingWebhookConfiguration` in admissionregistration.k8s.io.",
        check=_APP + "ignore_differences_kind",
    ),
    Rule(
        "ignore-differences-list-index",
        "warning",
        "An `ignoreDifferences` path pins a list index (`/webhooks/0/...`, `.webhooks[0]`).",
        "Only that one item is ignored; the same field on every other item still shows as a "
        "difference.",
        "https://argo-cd.readthedocs.io/en/stable/user-guide/diffing/",
        "Use a jq path over all items: `jqPathExpressions: [.webhooks[]?.clientConfig.caBundle]`.",
        check=_APP + "ignore_differences_index",
    ),
    Rule(
        "retry-invalid",
        "error",
        "`syncPolicy.retry` has a backoff duration that does not parse (`5s`, `2m`, `1h`), or a "
        "factor that is not a positive integer.",
        "Argo CD fails to compute the backoff and the Application's sync retries misbehave.",
        "https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/",
        "Write durations as Go durations (`5s`, `2m`, `1h`) and the factor as an integer >= 1.",
        check=_APP + "retry_invalid",
    ),
    Rule(
        "retry-finite",
        "warning",
        "A finite `retry.limit` on the app of apps (from `defaults.retry`) or on a component "
        "that other components depend on.",
        "Once the retries are used up, Argo CD never auto-syncs the same commit again, even with "
        "selfHeal (argo-cd v3.4.7 controller/appcontroller.go autoSync), so every later wave "
        "waits for ever; a negative limit retries without end.",
        "https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/",
        "Set `retry.limit: -1` (unlimited, backoff 5s doubling up to 3m) with `refresh: true`.",
        check=_CATALOG + "finite_retry",
    ),
    Rule(
        "retry-without-refresh",
        "warning",
        "An unlimited `retry` (`limit: -1`) without `refresh: true`, on an Argo CD that has "
        "`retry.refresh` (3.2 or newer, or an Argo CD kfboot does not install).",
        "Between retries the operation stays Running on the failed commit; auto-sync is skipped "
        "while it runs, so a fix pushed afterwards is never synced until someone terminates the "
        "operation by hand (argo-cd v3.4.7 controller/appcontroller.go L1524-1528, L2241-2244). "
        "RollingSync copies the same retry into its syncs.",
        "https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/",
        "Set `retry.refresh: true`: every retry then syncs the latest commit.",
        check=_CATALOG + "retry_without_refresh",
    ),
    Rule(
        "unknown-field",
        "error",
        "A field Argo CD's Application, ApplicationSet or AppProject does not have (e.g. "
        "`dependsOn:` in an Application).",
        "The API server prunes unknown fields, so the setting silently does nothing; ordering, "
        "for example, only comes from sync waves.",
        "https://argo-cd.readthedocs.io/en/stable/user-guide/application-specification/",
        "Remove the field; express ordering with the catalog's `dependsOn` and waves.",
        check=_APP + "unknown_field",
    ),
    Rule(
        "dependency-wave-order",
        "error",
        "A component (or Application) depends on one in the same or a later wave.",
        "Argo CD orders Applications only by sync wave; a dependency in the same or a later "
        "wave is applied alongside or after its dependent.",
        "https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/",
        "Move the dependency to an earlier wave, or the dependent to a later one.",
        ignorable=False,
        check=_APP + "dependency_wave_order",
    ),
    Rule(
        "empty-wave",
        "warning",
        "A wave declared in the catalog has no enabled component.",
        "It renders nothing, and usually means a component was moved or disabled by mistake.",
        "https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/",
        "Remove the wave, or put a component in it.",
        check=_CATALOG + "empty_waves",
    ),
    Rule(
        "helm-unpinned-version",
        "error",
        "A Helm chart source without an exact version (missing, `*`, a range such as `^1.2` or "
        "`1.2.x`, or a partial `1.2`).",
        "Argo CD resolves a range to the newest matching chart at every refresh, so a new chart "
        "release reaches the cluster without a commit.",
        "https://argo-cd.readthedocs.io/en/stable/user-guide/helm/",
        "Pin the exact chart version, e.g. `targetRevision: 24.9.0`.",
        check=_APP + "helm_unpinned_version",
    ),
    Rule(
        "credential-literal",
        "error",
        "A credential-like key (`password`, `token`, `clientSecret`, `sshPrivateKey`, ...) in "
        "chart values holds a literal value.",
        "Values are rendered into committed files: whoever reads the repository reads the secret.",
        "https://argo-cd.readthedocs.io/en/stable/operator-manual/secret-management/",
        "Reference a Secret (the chart's `existingSecret`-style value); if the value is not a "
        "secret, `ignore` the rule for that component with a reason.",
        check="kfboot.check.rules.credentials:credential_literals",
    ),
    Rule(
        "application-field-type",
        "error",
        "A field of an Application, ApplicationSet or AppProject holds a value of another type "
        "than Argo CD's CRD defines: a string field YAML reads as a number or boolean "
        '(`targetRevision: 26.03`), a boolean written as a string (`automated.prune: "true"`, '
        '`directory.recurse: "yes"`), a list or mapping where the other is expected.',
        "The API server validates the object against the CRD's structural schema and refuses "
        "it; a tool that converts it first picks another value (`26.03` is the float 26.03, "
        "the tag `26.3`?; `namespace: 0x1F` is 31).",
        "https://argo-cd.readthedocs.io/en/stable/user-guide/application-specification/",
        'Write the value with the CRD\'s type, e.g. `targetRevision: "26.03"`, `prune: true`.',
        check="kfboot.check.rules.field_types:application_field_type",
    ),
    Rule(
        "argocd-too-old-for-applicationset",
        "error",
        "`layout: applicationset` with an argo-cd chart whose Argo CD is older than 3.4.7, or "
        "3.5.0 (the ApplicationSet controller's image: the chart's `applicationSet.image.tag`, "
        "else `global.image.tag`, else its appVersion).",
        "The ApplicationSets roll out wave by wave through progressive syncs (RollingSync, Beta "
        "since Argo CD 3.3); before 3.4.7 reverse deletion loses track of Applications still "
        "deleting (one cascade instead of wave by wave; argo-cd #29000 in v3.4.6, #29141 in "
        "v3.4.7), and `automated` in the template re-syncs every unsynced Application on each "
        "reconcile (#29141; all of 3.3 too); v3.5.0 has both bugs (fixed in v3.5.1).",
        "https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/"
        "Progressive-Syncs/",
        "Set `global.image.tag: v3.4.7` in the argocd component's values (chart 10.1.1 ships "
        "Argo CD 3.4.4; the CRDs are the same), or use `layout: app-of-apps`.",
        ignorable=False,
        check="kfboot.check.rules.argocd_versions:argocd_version_hits",
    ),
    Rule(
        "argocd-progressive-sync-bugs",
        "warning",
        "The argo-cd chart installs an Argo CD 3.4 older than 3.4.7, or 3.5.0 "
        "(`layout: app-of-apps`).",
        "Its ApplicationSet controller tears down `deletionOrder: Reverse` out of order and "
        "re-syncs every unsynced generated Application on each reconcile (argo-cd #29000 in "
        "v3.4.6, #29141 in v3.4.7, #29138 #29139 in v3.5.1): any ApplicationSet with "
        "progressive syncs on this Argo CD, "
        "and `layout: applicationset` later, hits them.",
        "https://github.com/argoproj/argo-cd/releases/tag/v3.4.7",
        "Set `global.image.tag: v3.4.7` in the argocd component's values.",
        check="kfboot.check.rules.argocd_versions:argocd_version_hits",
    ),
    Rule(
        "argocd-unsupported-version",
        "warning",
        "The pinned argo-cd chart installs an Argo CD minor upstream no longer supports.",
        "Argo CD patches only its three newest minors; older ones get no bug or security fixes.",
        "https://argo-cd.readthedocs.io/en/stable/developer-guide/release-process-and-cadence/",
        "Pin a newer argo-cd chart (see docs/fleet.md for what changes between 8.5.9 and 10.1.1).",
        check="kfboot.check.rules.argocd_versions:argocd_version_hits",
    ),
)

RULES: tuple[Rule, ...] = (
    *CHECK_RULES,
    *GIT_RULES,
    *LINT_RULES,
    *MANIFEST_RULES,
    *IMPORT_RULES,
    *PLAN_RULES,
    *PLAN_OBJECT_RULES,
)
BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
IGNORABLE: tuple[str, ...] = tuple(rule.id for rule in RULES if rule.ignorable)


def severity(rule_id: str) -> Severity:
    return BY_ID[rule_id].severity


def rule_docs(rule_ids: Iterable[str]) -> dict[str, dict[str, str]]:
    """The docs of the rules that fired, as the JSON report shows them."""
    return {rule_id: BY_ID[rule_id].summary() for rule_id in sorted(set(rule_ids))}


def rule_list(fmt: str = "text") -> str:
    """Every rule, for ``check --list-rules``: one line each, or a JSON document."""
    if fmt == "json":
        doc = {"version": 1, "rules": [rule.as_json() for rule in RULES]}
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    width = max(len(rule.id) for rule in RULES)
    return "".join(f"{r.id:<{width}}  {r.severity:<7}  {r.what}  {r.link}\n" for r in RULES)
