"""Webhook races: objects created while the webhook that must admit them is not served yet.

Inside one Application, Argo CD applies one sync wave's objects in a single pass and waits for
their health only before the next wave (gitops-engine ``pkg/sync/sync_context.go``, pinned by
argo-cd v3.4.7; ``docs/user-guide/sync-waves.md``). A webhook configuration with
``failurePolicy: Fail`` (the default) is registered in that pass, before the pod behind it is
ready, so the API server rejects every object the webhook's rules match that is applied in the
same pass or earlier than the serving Deployment's wave. Applications of one app-of-apps wave
sync in parallel, so objects of another component in the same wave race the same way. Upstream's
install scripts wait at exactly these steps (cert-manager, KServe, Trainer).

Resource names come from the CRDs in the builds and, for built-in kinds,
:func:`kfboot.k8s.builtin_resource`; an object whose resource name is unknown is not
judged. ``namespaceSelector`` and ``objectSelector`` are honoured with the labels in the builds.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kfboot import k8s as kinds
from kfboot.manifests.crosscheck import Analysis, more
from kfboot.manifests.units import Unit

if TYPE_CHECKING:
    from kfboot.manifests.objects import Obj

_ADMISSION = "admissionregistration.k8s.io"
_HOOK_KINDS = ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")


def selector_matches(selector: Any, labels: dict[str, str]) -> bool:
    """A Kubernetes label selector against ``labels`` (unset or empty selects everything)."""
    if not isinstance(selector, dict):
        return True
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != str(value):
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op = expr.get("key"), expr.get("operator")
        values = [str(v) for v in expr.get("values") or []]
        ok = {
            "In": key in labels and labels[key] in values,
            "NotIn": key not in labels or labels[key] not in values,
            "Exists": key in labels,
            "DoesNotExist": key not in labels,
        }.get(str(op), True)
        if not ok:
            return False
    return True


def rule_matches(rule: Any, group: str, version: str, resource: str, cluster: bool) -> bool:
    """Whether one webhook rule intercepts CREATE of ``group/version/resource``."""
    if not isinstance(rule, dict):
        return False

    def has(key: str, value: str) -> bool:
        found = rule.get(key) or []
        return value in found or "*" in found

    scope = rule.get("scope") or "*"
    return (
        has("operations", "CREATE")
        and has("apiGroups", group)
        and has("apiVersions", version)
        and (has("resources", resource) or "*/*" in (rule.get("resources") or []))
        and scope in ("*", "Cluster" if cluster else "Namespaced")
    )


@dataclass(frozen=True)
class Hook:
    """A webhook that fails closed, and where it is served from."""

    name: str
    configuration: str
    spec: dict[str, Any]
    server: Unit
    deployment: Obj


class _Races:
    def __init__(self, an: Analysis) -> None:
        self.an = an
        self.resources: dict[tuple[str, str], str] = {}
        self.services: dict[tuple[str, str], tuple[Unit, Obj]] = {}
        self.namespace_labels: dict[str, dict[str, str]] = {}
        for unit in an.analysed:
            for obj in unit.objects:
                self._index(unit, obj)

    def _index(self, unit: Unit, obj: Obj) -> None:
        if obj.crd is not None:
            names = obj.data().get("spec", {}).get("names", {})
            if names.get("plural"):
                self.resources[obj.crd[:2]] = str(names["plural"])
        elif obj.gk == ("", "Service"):
            self.services[(self.an.namespace_of(obj, unit), obj.name)] = (unit, obj)
        elif obj.gk == kinds.NAMESPACE:
            self.namespace_labels[obj.name] = dict(obj.labels)

    def resource(self, obj: Obj) -> str | None:
        return self.resources.get(obj.gk) or kinds.builtin_resource(*obj.gk)

    def hooks(self) -> list[Hook]:
        found = []
        for unit in self.an.analysed:
            for obj in unit.objects:
                if obj.group != _ADMISSION or obj.kind not in _HOOK_KINDS:
                    continue
                for spec in obj.data().get("webhooks") or []:
                    hook = self._hook(obj, spec)
                    if hook is not None:
                        found.append(hook)
        return found

    def _hook(self, config: Obj, spec: Any) -> Hook | None:
        if not isinstance(spec, dict) or spec.get("failurePolicy", "Fail") != "Fail":
            return None
        service = (spec.get("clientConfig") or {}).get("service")
        if not isinstance(service, dict):
            return None  # a URL webhook: served from outside the catalog
        served = self.services.get((str(service.get("namespace", "")), str(service.get("name"))))
        if served is None:
            return None
        unit, svc = served
        selector = svc.data().get("spec", {}).get("selector") or {}
        pods = [
            o
            for o in unit.objects
            if o.gk in kinds.WORKLOADS
            and self.an.namespace_of(o, unit) == self.an.namespace_of(svc, unit)
            and selector
            and selector_matches({"matchLabels": selector}, _template_labels(o))
        ]
        if not pods:
            return None
        deployment = max(pods, key=lambda o: (o.wave, o.name))
        return Hook(str(spec.get("name", "")), config.name, spec, unit, deployment)

    def intercepted(self, hook: Hook, unit: Unit, obj: Obj) -> bool:
        if obj.group == _ADMISSION or obj.gk == kinds.CRD:
            return False  # the API server never sends webhook configurations or CRDs
        resource = self.resource(obj)
        if resource is None:
            return False
        namespace = self.an.namespace_of(obj, unit)
        if obj.gk == kinds.NAMESPACE:
            ns_labels = dict(obj.labels)
        else:
            ns_labels = self.namespace_labels.get(namespace, {})
        if (namespace or obj.gk == kinds.NAMESPACE) and not selector_matches(
            hook.spec.get("namespaceSelector"), ns_labels
        ):
            return False
        if not selector_matches(hook.spec.get("objectSelector"), dict(obj.labels)):
            return False
        version = obj.api_version.rpartition("/")[2]
        return any(
            rule_matches(r, obj.group, version, resource, not namespace)
            for r in hook.spec.get("rules") or []
        )

    def racing(self, hook: Hook, unit: Unit, obj: Obj) -> bool:
        """Whether ``obj`` reaches the API server before the webhook's pod can answer."""
        if unit is hook.server:
            return obj.wave <= hook.deployment.wave
        return unit.wave == hook.server.wave


def _template_labels(obj: Obj) -> dict[str, str]:
    labels = obj.data().get("spec", {}).get("template", {}).get("metadata", {}).get("labels")
    return {str(k): str(v) for k, v in (labels or {}).items()}


def races(an: Analysis) -> None:
    """Every webhook race over the analysed components, one finding per object kind."""
    finder = _Races(an)
    found: dict[tuple[str, str, str, str], list[Obj]] = defaultdict(list)
    context: dict[tuple[str, str, str, str], tuple[Hook, Unit]] = {}
    for hook in finder.hooks():
        for unit in an.analysed:
            for obj in unit.objects:
                if finder.racing(hook, unit, obj) and finder.intercepted(hook, unit, obj):
                    key = (unit.name, hook.name, obj.group, obj.kind)
                    found[key].append(obj)
                    context[key] = (hook, unit)
    for key, objs in sorted(found.items()):
        hook, unit = context[key]
        _report(an, hook, unit, sorted(set(objs)))


def _report(an: Analysis, hook: Hook, unit: Unit, objs: list[Obj]) -> None:
    obj, server, dep = objs[0], hook.server, hook.deployment
    what = f"{obj.kind} {obj.name}{more(len(objs) - 1)} in component {unit.name}"
    served = (
        f"webhook {hook.name} (configuration {hook.configuration}, failurePolicy Fail) is served "
        f"by Deployment {dep.name} of component {server.name}"
    )
    if unit is server:
        entry = json.dumps({"group": obj.group, "kind": obj.kind, "wave": dep.wave + 1})
        message = (
            f"{what} is applied at in-Application wave {obj.wave}, not after the wave "
            f"{dep.wave} of its webhook's Deployment: {served}, and Argo CD does not wait for "
            f"it within one wave; add to the component's resourceWaves: {entry}"
        )
    else:
        message = (
            f"{what} (wave {unit.wave}) is synced in parallel with component {server.name} "
            f"(same wave): {served}; move component {unit.name} to a later wave than "
            f"{server.name}"
        )
    an.add("error", "manifests-webhook-race", an.where(unit.name), message)
