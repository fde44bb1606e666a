"""What kfboot knows about Kubernetes itself: the one table of built-in API groups and kinds.

``check`` judges ``ignoreDifferences`` kinds with it, ``manifests`` decides which objects need a
CRD, a namespace or namespace labels, and ``cluster`` which workloads an Application runs. A group
that is not listed may belong to a CRD, so it is never judged.

The table follows the Kubernetes API reference (v1.33: kubernetes/kubernetes
pkg/controlplane/instance.go and the staging/src/k8s.io/api/ groups), including deprecated kinds
still served by some clusters. The three copies it replaces disagreed on five groups; chosen:
``authentication.k8s.io``, ``authorization.k8s.io``, ``internal.apiserver.k8s.io`` and
``storagemigration.k8s.io`` are served by kube-apiserver itself, so they are built in (with their
kinds); ``metrics.k8s.io`` is not: metrics-server serves it through an APIService (aggregation),
so it is not listed.
"""

from __future__ import annotations

import re

# group -> its kinds; a kind ending in "*" is cluster-scoped (the others live in a namespace).
_TABLE = {
    "": "Binding ComponentStatus* ConfigMap Endpoints Event LimitRange Namespace* Node* "
    "PersistentVolume* PersistentVolumeClaim Pod PodTemplate ReplicationController "
    "ResourceQuota Secret Service ServiceAccount",
    "admissionregistration.k8s.io": "MutatingWebhookConfiguration* "
    "ValidatingWebhookConfiguration* ValidatingAdmissionPolicy* "
    "ValidatingAdmissionPolicyBinding* MutatingAdmissionPolicy* MutatingAdmissionPolicyBinding*",
    "apiextensions.k8s.io": "CustomResourceDefinition*",
    "apiregistration.k8s.io": "APIService*",
    "apps": "ControllerRevision DaemonSet Deployment ReplicaSet StatefulSet",
    "authentication.k8s.io": "SelfSubjectReview* TokenReview*",
    "authorization.k8s.io": "LocalSubjectAccessReview SelfSubjectAccessReview* "
    "SelfSubjectRulesReview* SubjectAccessReview*",
    "autoscaling": "HorizontalPodAutoscaler",
    "batch": "CronJob Job",
    "certificates.k8s.io": "CertificateSigningRequest* ClusterTrustBundle*",
    "coordination.k8s.io": "Lease LeaseCandidate",
    "discovery.k8s.io": "EndpointSlice",
    "events.k8s.io": "Event",
    "flowcontrol.apiserver.k8s.io": "FlowSchema* PriorityLevelConfiguration*",
    "internal.apiserver.k8s.io": "StorageVersion*",
    "networking.k8s.io": "Ingress IngressClass* IPAddress* NetworkPolicy ServiceCIDR*",
    "node.k8s.io": "RuntimeClass*",
    "policy": "PodDisruptionBudget PodSecurityPolicy*",
    "rbac.authorization.k8s.io": "ClusterRole* ClusterRoleBinding* Role RoleBinding",
    "resource.k8s.io": "DeviceClass* ResourceClaim ResourceClaimTemplate ResourceSlice*",
    "scheduling.k8s.io": "PriorityClass*",
    "storage.k8s.io": "CSIDriver* CSINode* CSIStorageCapacity StorageClass* VolumeAttachment* "
    "VolumeAttributesClass*",
    "storagemigration.k8s.io": "StorageVersionMigration*",
}

BUILTIN_KINDS: dict[str, frozenset[str]] = {
    group: frozenset(kind.rstrip("*") for kind in kinds.split()) for group, kinds in _TABLE.items()
}
BUILTIN_GROUPS = frozenset(BUILTIN_KINDS)
CLUSTER_SCOPED = frozenset(
    (group, kind.rstrip("*"))
    for group, kinds in _TABLE.items()
    for kind in kinds.split()
    if kind.endswith("*")
)

# Objects that start pods: they must land in a namespace that already carries its labels
# (Pod Security, istio-injection), or the pods start without them.
WORKLOADS = frozenset(
    [
        ("apps", "Deployment"),
        ("apps", "StatefulSet"),
        ("apps", "DaemonSet"),
        ("apps", "ReplicaSet"),
        ("", "Pod"),
        ("", "ReplicationController"),
        ("batch", "Job"),
        ("batch", "CronJob"),
    ]
)

# Namespaces every cluster has.
ALWAYS_THERE = frozenset(["default", "kube-system", "kube-public", "kube-node-lease"])

CRD = ("apiextensions.k8s.io", "CustomResourceDefinition")
NAMESPACE = ("", "Namespace")

# Names people write where a kind belongs: Kubernetes' admission *plugins* are called
# ValidatingAdmissionWebhook / MutatingAdmissionWebhook; the objects they read are these kinds.
LIKELY_MEANT: dict[str, str] = {
    "ValidatingAdmissionWebhook": "ValidatingWebhookConfiguration",
    "MutatingAdmissionWebhook": "MutatingWebhookConfiguration",
}


def is_builtin(group: str) -> bool:
    return group in BUILTIN_GROUPS


# Built-in kinds whose resource name is not the lower-case kind made plural by English rules.
_IRREGULAR_RESOURCES = {("", "Endpoints"): "endpoints"}


def builtin_resource(group: str, kind: str) -> str | None:
    """The resource name (``deployments``) of a built-in kind, as webhook rules name it; None
    for a kind of a group that is not built in (its CRD says)."""
    if not is_builtin(group):
        return None
    found = _IRREGULAR_RESOURCES.get((group, kind))
    if found is not None:
        return found
    # apimachinery's meta.UnsafeGuessKindToResource, right for every other built-in kind.
    lower = kind.lower()
    if lower.endswith("s"):
        return lower + "es"
    if lower.endswith("y"):
        return lower[:-1] + "ies"
    return lower + "s"


# Go's time.ParseDuration grammar (an optional sign, then numbers each with a unit), the one
# duration syntax: Argo CD reads retry backoffs with it (argoproj/argo-cd
# pkg/apis/application/v1alpha1/types.go), kubectl its --timeout.
GO_DURATION = re.compile(r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+\Z")
_GO_PART = re.compile(r"([0-9]*\.?[0-9]*)(ns|us|µs|μs|ms|s|m|h)")
_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def duration_seconds(text: str) -> float | None:
    """A Go duration in seconds (``1h30m`` -> 5400.0); None when ``text`` is not one."""
    if not GO_DURATION.match(text):
        return None
    sign = -1.0 if text.startswith("-") else 1.0
    parts = _GO_PART.findall(text.lstrip("+-"))
    return sign * sum(float(n) * _SECONDS.get(unit, 3600.0) for n, unit in parts)
