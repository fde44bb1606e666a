"""What kfboot knows about Kubernetes itself: built-in API groups, scopes and workloads.

A custom resource is one whose API group is not built into the API server; its
CustomResourceDefinition must come from somewhere (a component, or the cluster already).
"""

from __future__ import annotations

BUILTIN_GROUPS = frozenset(
    [
        "",
        "admissionregistration.k8s.io",
        "apiextensions.k8s.io",
        "apiregistration.k8s.io",
        "apps",
        "authentication.k8s.io",
        "authorization.k8s.io",
        "autoscaling",
        "batch",
        "certificates.k8s.io",
        "coordination.k8s.io",
        "discovery.k8s.io",
        "events.k8s.io",
        "flowcontrol.apiserver.k8s.io",
        "internal.apiserver.k8s.io",
        "metrics.k8s.io",
        "networking.k8s.io",
        "node.k8s.io",
        "policy",
        "rbac.authorization.k8s.io",
        "resource.k8s.io",
        "scheduling.k8s.io",
        "storage.k8s.io",
        "storagemigration.k8s.io",
    ]
)

_CLUSTER_SCOPED = {
    "": "Namespace Node PersistentVolume ComponentStatus",
    "admissionregistration.k8s.io": (
        "MutatingWebhookConfiguration ValidatingWebhookConfiguration ValidatingAdmissionPolicy "
        "ValidatingAdmissionPolicyBinding MutatingAdmissionPolicy MutatingAdmissionPolicyBinding"
    ),
    "apiextensions.k8s.io": "CustomResourceDefinition",
    "apiregistration.k8s.io": "APIService",
    "certificates.k8s.io": "CertificateSigningRequest ClusterTrustBundle",
    "flowcontrol.apiserver.k8s.io": "FlowSchema PriorityLevelConfiguration",
    "networking.k8s.io": "IngressClass IPAddress ServiceCIDR",
    "node.k8s.io": "RuntimeClass",
    "rbac.authorization.k8s.io": "ClusterRole ClusterRoleBinding",
    "resource.k8s.io": "DeviceClass ResourceSlice",
    "scheduling.k8s.io": "PriorityClass",
    "storage.k8s.io": "StorageClass CSIDriver CSINode VolumeAttachment VolumeAttributesClass",
    "storagemigration.k8s.io": "StorageVersionMigration",
}
CLUSTER_SCOPED = frozenset(
    (group, kind) for group, kinds in _CLUSTER_SCOPED.items() for kind in kinds.split()
)

# Objects that start pods: they must land in a namespace that already carries its labels
# (Pod Security, istio-injection), or the pods start without them.
WORKLOADS = frozenset(
    ("apps", k) for k in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet")
) | frozenset([("", "Pod"), ("", "ReplicationController"), ("batch", "Job"), ("batch", "CronJob")])

# Namespaces every cluster has.
ALWAYS_THERE = frozenset(["default", "kube-system", "kube-public", "kube-node-lease"])

CRD = ("apiextensions.k8s.io", "CustomResourceDefinition")
NAMESPACE = ("", "Namespace")


def is_builtin(group: str) -> bool:
    return group in BUILTIN_GROUPS
