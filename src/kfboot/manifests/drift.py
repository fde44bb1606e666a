"""Fields a controller rewrites in the cluster that an Application would still diff.

Argo CD diffs every field it renders, and with ``selfHeal`` re-applies the rendered value, so a
field that a controller rewrites keeps the Application OutOfSync or flapping for ever. Three
such fields are common in Kubeflow's manifests:

- ``rules`` of an aggregated ClusterRole (``aggregationRule.clusterRoleSelectors`` set): the
  aggregation controller fills them, the manifests ship ``rules: []``, and every selfHeal wipes
  them (a brief RBAC outage for every user);
- ``clientConfig.caBundle`` of a webhook (or a CRD's conversion webhook) that the manifests
  ship: cert-manager's cainjector or the serving controller writes the real one;
- ``spec.preserveUnknownFields: false`` of a CRD: the API server drops it, and Argo CD 3.0
  removed its default ignore of it (argo-cd commit 0707bff1c2, #22948;
  ``docs/operator-manual/upgrading/2.14-3.0.md``);
- ``failurePolicy: Ignore`` of Istio's validating webhook (served by ``istiod``): istiod turns it
  to ``Fail`` once its endpoint is ready (istio/istio
  ``manifests/charts/istio-control/istio-discovery/templates/validatingwebhookconfiguration.yaml``:
  "The webhook controller will update this to `Fail`").

Each object is normalised as Argo CD would (:mod:`kfboot.manifests.normalise`) with its
Application's ``ignoreDifferences``; a field still present is reported, with the exact entry to
add. An ignored ``rules`` or ``caBundle`` is still applied at every sync unless the Application
has ``RespectIgnoreDifferences=true`` (argo-cd v3.4.7 ``controller/sync.go`` L241-250), which is
reported too. jq runs in a worker under Argo CD's time budget (:mod:`kfboot.manifests.jq`): an
expression that fails at run time is skipped, as Argo CD skips it, and reported as a warning;
one that does not parse is reported by ``kfboot.manifests.run`` at its catalog line.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kfboot.manifests.crosscheck import Analysis, more
from kfboot.manifests.jq import Jq
from kfboot.manifests.normalise import Normalised, normalise
from kfboot.manifests.units import Unit

if TYPE_CHECKING:
    from kfboot.manifests.objects import Obj

RESPECT = "RespectIgnoreDifferences=true"
AGGREGATED_JQ = "select(.aggregationRule.clusterRoleSelectors | length > 0) | .rules"
WEBHOOK_JQ = ".webhooks[]?.clientConfig.caBundle"
CONVERSION_JQ = ".spec.conversion.webhook.clientConfig.caBundle"
PRESERVE_POINTER = "/spec/preserveUnknownFields"
POLICY_JQ = ".webhooks[]?.failurePolicy"


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _has_rules(data: dict[str, Any]) -> bool:
    return "rules" in data


def _webhook_ca(data: dict[str, Any]) -> bool:
    hooks = data.get("webhooks")
    return isinstance(hooks, list) and any(
        "caBundle" in (_dig(h, "clientConfig") or {}) for h in hooks
    )


def _istiod_fails_open(hook: Any) -> bool:
    service = _dig(hook, "clientConfig", "service", "name")
    return _dig(hook, "failurePolicy") == "Ignore" and str(service).startswith("istiod")


def _istio_policy(data: dict[str, Any]) -> bool:
    hooks = data.get("webhooks")
    return isinstance(hooks, list) and any(_istiod_fails_open(h) for h in hooks)


def _istio_check(name: str, group: str) -> Check:
    entry = {"group": group, "kind": "ValidatingWebhookConfiguration", "name": name}
    return Check(
        "manifests-drift-failure-policy",
        _istio_policy,
        {**entry, "jqPathExpressions": [POLICY_JQ]},
        "istiod turns its failurePolicy from Ignore to Fail once it is ready, but Argo CD diffs "
        "the Ignore in git",
        "applies failurePolicy: Ignore again, so Istio's validation fails open until istiod "
        "flips it back",
    )


def _conversion_ca(data: dict[str, Any]) -> bool:
    found = _dig(data, "spec", "conversion", "webhook", "clientConfig")
    return isinstance(found, dict) and "caBundle" in found


def _preserve(data: dict[str, Any]) -> bool:
    return _dig(data, "spec", "preserveUnknownFields") is False


@dataclass(frozen=True)
class Check:
    """One drift class: the rule, whether the object carries the field, the entry that ignores
    it, what rewrites it, and whether re-applying it at a sync does harm."""

    rule: str
    present: Callable[[dict[str, Any]], bool]
    entry: dict[str, Any]
    why: str
    applied_harm: str = ""


def _checks(obj: Obj, data: dict[str, Any]) -> list[Check]:
    gk = obj.gk
    group = "admissionregistration.k8s.io"
    if gk == ("rbac.authorization.k8s.io", "ClusterRole"):
        if not _dig(data, "aggregationRule", "clusterRoleSelectors"):
            return []
        entry = {"group": gk[0], "kind": gk[1], "jqPathExpressions": [AGGREGATED_JQ]}
        why = "its rules are filled by the aggregation controller, but Argo CD diffs them"
        harm = "applies `rules: []` again, wiping the aggregated rules"
        return [Check("manifests-drift-aggregated-rules", _has_rules, entry, why, harm)]
    if gk[0] == group and gk[1].endswith("WebhookConfiguration"):
        entry = {"group": group, "kind": gk[1], "jqPathExpressions": [WEBHOOK_JQ]}
        why = "its caBundle is injected in the cluster, but Argo CD diffs the one in git"
        harm = "applies the caBundle from git again, breaking the webhook until it is re-injected"
        found = [Check("manifests-drift-ca-bundle", _webhook_ca, entry, why, harm)]
        if gk[1] == "ValidatingWebhookConfiguration" and _istio_policy(data):
            found.append(_istio_check(obj.name, group))
        return found
    if gk == ("apiextensions.k8s.io", "CustomResourceDefinition"):
        crd = {"group": gk[0], "kind": gk[1]}
        return [
            Check(
                "manifests-drift-ca-bundle",
                _conversion_ca,
                {**crd, "jqPathExpressions": [CONVERSION_JQ]},
                "its conversion webhook's caBundle is injected in the cluster, but Argo CD "
                "diffs the one in git",
                "applies the caBundle from git again, breaking conversion until it is re-injected",
            ),
            Check(
                "manifests-drift-preserve-unknown-fields",
                _preserve,
                {**crd, "jsonPointers": [PRESERVE_POINTER]},
                "it sets spec.preserveUnknownFields: false, which the API server does not keep, "
                "and Argo CD 3.x no longer ignores it",
            ),
        ]
    return []


Key = tuple[str, str, str, str]  # unit, rule, kind, "diffed" | "applied"


def drift(an: Analysis) -> None:
    """Every drift finding over the analysed components (grouped per component and kind)."""
    with Jq() as jq:
        _drift(an, jq)


def _drift(an: Analysis, jq: Jq) -> None:
    hits: dict[Key, list[str]] = defaultdict(list)
    checks: dict[tuple[Key, str], Check] = {}  # the entry may name the object
    units = {u.name: u for u in an.analysed}
    failed: dict[tuple[str, str], tuple[str, list[str]]] = {}
    for unit in an.analysed:
        if _unparsable(unit, jq):
            continue  # Argo CD compares nothing of it; run.py reports the expression
        for obj in unit.objects:
            if not obj.detail:
                continue
            data = obj.data()
            found = _checks(obj, data)
            if not found:
                continue
            result = normalise(data, list(unit.ignore), an.namespace_of(obj, unit), jq)
            _failures(failed, unit.name, f"{obj.kind} {obj.name}", result)
            for check in found:
                if not check.present(data):
                    continue
                state = "diffed" if check.present(result.data) else "applied"
                if state == "applied" and (not check.applied_harm or unit.respect_ignore):
                    continue
                key = (unit.name, check.rule, obj.kind, state)
                hits[key].append(obj.name)
                checks[key, obj.name] = check
    for key, names in sorted(hits.items()):
        _report(an, units[key[0]], checks[key, min(names)], key, sorted(names))
    for (name, expression), (why, objects) in sorted(failed.items()):
        an.add(
            "warning",
            "manifests-jq-runtime-error",
            an.where(name),
            f"component {name}: the jq path {expression!r} fails on {objects[0]}"
            f"{more(len(objects) - 1)} ({why}); Argo CD skips it there, so what it should "
            "ignore is still diffed",
        )


def _unparsable(unit: Unit, jq: Jq) -> bool:
    """Whether one of the unit's jq paths does not compile: Argo CD then fails the whole
    comparison of the Application (diff_normalizer.go L160-170)."""
    expressions = {e for entry in unit.ignore for e in entry.jqPathExpressions or []}
    return any(jq.parse_error(e) is not None for e in sorted(expressions))


def _failures(
    failed: dict[tuple[str, str], tuple[str, list[str]]], unit: str, obj: str, result: Normalised
) -> None:
    for expression, why in result.failed:
        failed.setdefault((unit, expression), (why, []))[1].append(obj)


def _report(an: Analysis, unit: Unit, check: Check, key: Key, names: list[str]) -> None:
    what = f"{key[2]} {names[0]}{more(len(names) - 1)} in component {unit.name}"
    entry = json.dumps(check.entry)
    if key[3] == "diffed":
        message = (
            f"{what}: {check.why}, so the Application never stays Synced (selfHeal re-applies "
            f"it at every sync); add to the component's ignoreDifferences: {entry}"
        )
    else:
        message = (
            f"{what}: ignoreDifferences hides the field from the diff, but without {RESPECT} in "
            f"the component's syncOptions every sync {check.applied_harm}; add {RESPECT}"
        )
    an.add("error", check.rule, an.where(unit.name), message)
