"""The rules over what the Applications deploy (``kfboot lint --manifests``).

- ``manifests-duplicate-object``: two Applications deploy one object (Argo CD's shared-resource
  conflict, as ``check --manifests`` reports it between components).
- ``manifests-hpa-self-heal``: git sets a workload's ``replicas``, an HorizontalPodAutoscaler
  scales it, and the Application self-heals without ignoring ``/spec/replicas``: every HPA
  change is undone. Only when git sets ``replicas`` (without it Argo CD has nothing to restore).
- ``manifests-removed-api``: with ``--kube-version X.Y``, an object whose apiVersion that
  Kubernetes no longer serves (:data:`REMOVED`, from the Kubernetes deprecation guide).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kfboot.check.rules.application import Hit, get_path
from kfboot.lint.engine import Located, place
from kfboot.lint.manifests import Built, identity

GUIDE = "https://kubernetes.io/docs/reference/using-api/deprecation-guide/"
# (apiVersion, kind or "*") -> (the release that stopped serving it, what to use instead), from
# the Kubernetes Deprecated API Migration Guide (GUIDE), v1.16 to v1.32.
REMOVED: dict[tuple[str, str], tuple[tuple[int, int], str]] = {
    **{
        (v, k): ((1, 16), "apps/v1")
        for v in ("extensions/v1beta1", "apps/v1beta1", "apps/v1beta2")
        for k in ("Deployment", "DaemonSet", "ReplicaSet", "StatefulSet")
    },
    ("extensions/v1beta1", "NetworkPolicy"): ((1, 16), "networking.k8s.io/v1"),
    ("extensions/v1beta1", "Ingress"): ((1, 22), "networking.k8s.io/v1"),
    ("networking.k8s.io/v1beta1", "*"): ((1, 22), "networking.k8s.io/v1"),
    ("admissionregistration.k8s.io/v1beta1", "*"): ((1, 22), "admissionregistration.k8s.io/v1"),
    ("apiextensions.k8s.io/v1beta1", "*"): ((1, 22), "apiextensions.k8s.io/v1"),
    ("apiregistration.k8s.io/v1beta1", "*"): ((1, 22), "apiregistration.k8s.io/v1"),
    ("certificates.k8s.io/v1beta1", "*"): ((1, 22), "certificates.k8s.io/v1"),
    ("coordination.k8s.io/v1beta1", "*"): ((1, 22), "coordination.k8s.io/v1"),
    ("rbac.authorization.k8s.io/v1beta1", "*"): ((1, 22), "rbac.authorization.k8s.io/v1"),
    ("scheduling.k8s.io/v1beta1", "*"): ((1, 22), "scheduling.k8s.io/v1"),
    ("storage.k8s.io/v1beta1", "CSIDriver"): ((1, 22), "storage.k8s.io/v1"),
    ("storage.k8s.io/v1beta1", "CSINode"): ((1, 22), "storage.k8s.io/v1"),
    ("storage.k8s.io/v1beta1", "StorageClass"): ((1, 22), "storage.k8s.io/v1"),
    ("storage.k8s.io/v1beta1", "VolumeAttachment"): ((1, 22), "storage.k8s.io/v1"),
    ("batch/v1beta1", "CronJob"): ((1, 25), "batch/v1"),
    ("discovery.k8s.io/v1beta1", "EndpointSlice"): ((1, 25), "discovery.k8s.io/v1"),
    ("events.k8s.io/v1beta1", "Event"): ((1, 25), "events.k8s.io/v1"),
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler"): ((1, 25), "autoscaling/v2"),
    ("policy/v1beta1", "PodDisruptionBudget"): ((1, 25), "policy/v1"),
    ("policy/v1beta1", "PodSecurityPolicy"): ((1, 25), "Pod Security Admission"),
    ("node.k8s.io/v1beta1", "RuntimeClass"): ((1, 25), "node.k8s.io/v1"),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"): ((1, 26), "autoscaling/v2"),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "*"): ((1, 26), "flowcontrol.apiserver.k8s.io/v1"),
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity"): ((1, 27), "storage.k8s.io/v1"),
    ("flowcontrol.apiserver.k8s.io/v1beta2", "*"): ((1, 29), "flowcontrol.apiserver.k8s.io/v1"),
    ("flowcontrol.apiserver.k8s.io/v1beta3", "*"): ((1, 32), "flowcontrol.apiserver.k8s.io/v1"),
}
_SCALED = ("Deployment", "StatefulSet", "ReplicaSet")


def _named(obj: dict[str, Any], ns: str = "") -> str:
    _group, kind, namespace, name = identity(obj, ns)
    where = f"{namespace}/" if namespace else ""
    return f"{kind} {where}{name}"


def build_failures(built: list[Built]) -> Iterator[Located]:
    for b in built:
        for at, message, rule in b.failed:
            yield place(b.app, Hit(rule, at, message))


def duplicates(built: list[Built]) -> Iterator[Located]:
    owner: dict[tuple[str, str, str, str], Built] = {}
    for b in built:
        seen = set()
        for at, obj in b.objects:
            key = identity(obj, "")
            if key in seen:
                continue
            seen.add(key)
            first = owner.setdefault(key, b)
            if first is not b:
                yield place(
                    b.app,
                    Hit(
                        "manifests-duplicate-object",
                        at,
                        f"{_named(obj)} is also deployed by Application {first.app.name!r} "
                        f"({first.app.file}); the two fight over it",
                    ),
                )


def removed_apis(built: list[Built], version: tuple[int, int]) -> Iterator[Located]:
    for b in built:
        for at, obj in b.objects:
            api, kind = str(obj.get("apiVersion", "")), str(obj.get("kind", ""))
            gone = REMOVED.get((api, kind)) or REMOVED.get((api, "*"))
            if gone is not None and gone[0] <= version:
                yield place(
                    b.app,
                    Hit(
                        "manifests-removed-api",
                        at,
                        f"{_named(obj)} uses {api}, which Kubernetes stopped serving in "
                        f"{gone[0][0]}.{gone[0][1]}; use {gone[1]}",
                    ),
                )


def _ignores_replicas(app: dict[str, Any], obj: dict[str, Any]) -> bool:
    group, kind, ns, name = identity(obj, "")
    entries = get_path(app, "spec", "ignoreDifferences")
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or entry.get("kind") != kind:
            continue
        if (entry.get("group") or "") != group or entry.get("name") not in (None, "", name):
            continue
        if entry.get("namespace") not in (None, "", ns):
            continue
        pointers = entry.get("jsonPointers") or []
        jq = entry.get("jqPathExpressions") or []
        if "/spec/replicas" in pointers or ".spec.replicas" in jq:
            return True
    return False


def hpa_self_heal(built: list[Built]) -> Iterator[Located]:
    targets: set[tuple[str, str, str]] = set()
    for b in built:
        for _, obj in b.objects:
            if obj.get("kind") == "HorizontalPodAutoscaler":
                ref = get_path(obj, "spec", "scaleTargetRef")
                ns = identity(obj, "")[2]
                if isinstance(ref, dict):
                    targets.add((str(ref.get("kind")), ns, str(ref.get("name"))))
    for b in built:
        if get_path(b.app.doc, "spec", "syncPolicy", "automated", "selfHeal") is not True:
            continue
        for _at, obj in b.objects:
            _, kind, ns, name = identity(obj, "")
            replicas = get_path(obj, "spec", "replicas")
            if kind not in _SCALED or replicas is None or (kind, ns, name) not in targets:
                continue
            if not _ignores_replicas(b.app.doc, obj):
                yield place(
                    b.app,
                    Hit(
                        "manifests-hpa-self-heal",
                        ("spec", "syncPolicy", "automated", "selfHeal"),
                        f"{_named(obj)} sets replicas: {replicas} in git and an "
                        "HorizontalPodAutoscaler scales it: selfHeal undoes every scaling; "
                        "ignore /spec/replicas (ignoreDifferences, with "
                        "RespectIgnoreDifferences=true) or drop replicas from git",
                    ),
                )
