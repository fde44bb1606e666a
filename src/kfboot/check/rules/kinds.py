"""The kinds of Kubernetes' built-in API groups, for judging ``ignoreDifferences`` entries.

Honest by construction: a group that is not listed here may belong to a CRD, so it is never
judged; only a known built-in group with a kind it does not serve is an error. The list follows
the Kubernetes API reference (v1.33), including deprecated kinds still served by some clusters.
"""

from __future__ import annotations

BUILTIN_KINDS: dict[str, frozenset[str]] = {
    group: frozenset(kinds.split())
    for group, kinds in {
        "": "Binding ComponentStatus ConfigMap Endpoints Event LimitRange Namespace Node "
        "PersistentVolume PersistentVolumeClaim Pod PodTemplate ReplicationController "
        "ResourceQuota Secret Service ServiceAccount",
        "admissionregistration.k8s.io": "MutatingWebhookConfiguration "
        "ValidatingWebhookConfiguration ValidatingAdmissionPolicy "
        "ValidatingAdmissionPolicyBinding MutatingAdmissionPolicy MutatingAdmissionPolicyBinding",
        "apiextensions.k8s.io": "CustomResourceDefinition",
        "apiregistration.k8s.io": "APIService",
        "apps": "ControllerRevision DaemonSet Deployment ReplicaSet StatefulSet",
        "autoscaling": "HorizontalPodAutoscaler",
        "batch": "CronJob Job",
        "certificates.k8s.io": "CertificateSigningRequest ClusterTrustBundle",
        "coordination.k8s.io": "Lease LeaseCandidate",
        "discovery.k8s.io": "EndpointSlice",
        "events.k8s.io": "Event",
        "flowcontrol.apiserver.k8s.io": "FlowSchema PriorityLevelConfiguration",
        "networking.k8s.io": "Ingress IngressClass IPAddress NetworkPolicy ServiceCIDR",
        "node.k8s.io": "RuntimeClass",
        "policy": "PodDisruptionBudget PodSecurityPolicy",
        "rbac.authorization.k8s.io": "ClusterRole ClusterRoleBinding Role RoleBinding",
        "scheduling.k8s.io": "PriorityClass",
        "storage.k8s.io": "CSIDriver CSINode CSIStorageCapacity StorageClass VolumeAttachment "
        "VolumeAttributesClass",
        "resource.k8s.io": "DeviceClass ResourceClaim ResourceClaimTemplate ResourceSlice",
    }.items()
}

# Names people write where a kind belongs: Kubernetes' admission *plugins* are called
# ValidatingAdmissionWebhook / MutatingAdmissionWebhook; the objects they read are these kinds.
LIKELY_MEANT: dict[str, str] = {
    "ValidatingAdmissionWebhook": "ValidatingWebhookConfiguration",
    "MutatingAdmissionWebhook": "MutatingWebhookConfiguration",
}
