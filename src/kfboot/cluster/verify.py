"""``kfboot verify``'s checks, as pure functions from cluster JSON to pass/fail results.

They are a post-install checklist, minus what needs a browser: every Application Synced and Healthy,
the namespaces exist, no pod failing or stuck in Pending, no pod rejected by Pod Security, and the
Istio ingress gateway in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kfboot.catalog.models import Catalog
from kfboot.cluster.status import Report

BAD_WAITING = ("CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull")
PSS_LABEL = "pod-security.kubernetes.io/enforce"
GATEWAY = ("istio-system", "istio-ingressgateway")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    details: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"{'PASS' if self.ok else 'FAIL'}  {self.name}",
            *(f"        {d}" for d in self.details),
        ]


def namespaces_to_check(catalog: Catalog) -> list[str]:
    """The catalog's ``verifyNamespaces``, then its destination namespaces not already listed."""
    extra = sorted(
        {c.namespace for c in catalog.enabled_components() if c.namespace}
        - set(catalog.verifyNamespaces)
    )
    return [*catalog.verifyNamespaces, *extra]


def check_applications(report: Report) -> Check:
    apps = [a for w in report.waves for a in w.apps]
    bad = [a for a in apps if not a.ready]
    name = f"Applications Synced and Healthy: {len(apps) - len(bad)}/{len(apps)}"
    return Check(name, not bad, [a.describe() for a in bad])


def check_namespace(namespace: str, existing: set[str]) -> Check:
    return Check(f"namespace {namespace} exists", namespace in existing)


def _age(pod: dict[str, Any], now: datetime) -> float:
    meta = pod.get("metadata")
    created = meta.get("creationTimestamp") if isinstance(meta, dict) else None
    try:
        when = datetime.fromisoformat(str(created).replace("Z", "+00:00"))
        # A timestamp without a zone (the API server always writes one) is read as UTC.
        return (now - (when if when.tzinfo else when.replace(tzinfo=now.tzinfo))).total_seconds()
    except (ValueError, TypeError, OverflowError):
        return 0.0  # the cluster's answer is not a timestamp: treat the pod as new


def pod_problem(pod: dict[str, Any], now: datetime, grace: float) -> str | None:
    """Why a pod counts as failing, or None: CrashLoopBackOff, Error, image pulls, long Pending."""
    status = pod.get("status") or {}
    phase = status.get("phase", "")
    if phase == "Succeeded":
        return None
    if phase == "Failed":
        return f"Failed ({status.get('reason') or 'Error'})"
    statuses = [*status.get("initContainerStatuses", []), *status.get("containerStatuses", [])]
    for cs in statuses:
        state = cs.get("state") or {}
        waiting = (state.get("waiting") or {}).get("reason")
        if waiting in BAD_WAITING:
            return f"{waiting} (container {cs.get('name')})"
        if (state.get("terminated") or {}).get("reason") == "Error":
            return f"Error (container {cs.get('name')})"
    if phase == "Pending" and _age(pod, now) > grace:
        return f"Pending for {int(_age(pod, now) // 60)}m"
    return None


def check_pods(namespace: str, pods: list[dict[str, Any]], now: datetime, grace: float) -> Check:
    details = []
    for pod in sorted(pods, key=lambda p: str(p.get("metadata", {}).get("name"))):
        problem = pod_problem(pod, now, grace)
        if problem:
            details.append(f"{pod['metadata']['name']}: {problem}")
    name = f"pods in {namespace}: {len(pods)} pods, {len(details) or 'none'} failing"
    return Check(name, not details, details)


def podsecurity_events(events: list[dict[str, Any]]) -> list[str]:
    """``Kind/name: message`` for each object whose pods Pod Security rejected, once each."""
    seen: dict[str, str] = {}
    for event in events:
        message = " ".join(str(event.get("message", "")).split())
        if "violates PodSecurity" in message:
            obj = event.get("involvedObject") or {}
            seen.setdefault(f"{obj.get('kind')}/{obj.get('name')}", message)
    return [f"{key}: {message}" for key, message in sorted(seen.items())]


def podsecurity_fix(catalog: Catalog, namespace: str, source: str) -> str:
    """Where the catalog sets (or should set) the namespace's Pod Security level."""
    for comp in catalog.enabled_components():
        for patch in comp.kustomize.patches if comp.kustomize else []:
            target = patch.target
            targeted = target is not None and (target.kind, target.name) == ("Namespace", namespace)
            if targeted and PSS_LABEL in (patch.patch or ""):
                return (
                    f"fix: {source} sets {PSS_LABEL} on namespace {namespace} in component "
                    f"{comp.name} (kustomize.patches); make it 'baseline' there, run "
                    f"'kfboot render', commit, and check that {comp.app_name} is synced"
                )
    return (
        f"fix: make the rejected workload comply (upstream runs Kubeflow under 'restricted'); "
        f"or, knowingly, in {source} add a kustomize patch labelling Namespace {namespace} with "
        f"{PSS_LABEL}: baseline to the component that creates it (docs/converge.md, Pod "
        "Security), then 'kfboot render'; a kubectl patch would be reverted by selfHeal"
    )


def check_podsecurity(
    catalog: Catalog, namespace: str, events: list[dict[str, Any]], source: str
) -> Check:
    found = podsecurity_events(events)
    name = f"Pod Security in {namespace}: {len(found) or 'no'} rejected workloads"
    if not found:
        return Check(name, True)
    return Check(name, False, [*found, podsecurity_fix(catalog, namespace, source)])


def check_gateway(service: Any) -> Check:
    namespace, name = GATEWAY
    return Check(f"service {namespace}/{name} exists", isinstance(service, dict))


def summary(checks: list[Check]) -> str:
    failed = sum(not c.ok for c in checks)
    if not failed:
        return f"all {len(checks)} checks passed"
    return f"{failed} of {len(checks)} checks failed"
