"""The workloads an Application manages, from its ``status.resources``, and how to select their
pods. Argo CD no longer labels pods with the Application's name, so
``-l app.kubernetes.io/instance=APP`` finds nothing; the workloads' own selectors do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kfboot import k8s
from kfboot.cluster import untrusted

# The workloads status, wait and logs follow (ReplicaSets and Pods belong to them; a CronJob's
# runs are Jobs). kind -> its group, from the one table of Kubernetes kinds.
_GROUPS = {
    kind: group
    for group, kind in k8s.WORKLOADS
    if kind in ("Deployment", "StatefulSet", "DaemonSet", "Job")
}
# kind -> the resource name kubectl takes (group-qualified, so a CRD of the same kind cannot match)
KINDS = {kind: f"{kind.lower()}s.{group}" for kind, group in _GROUPS.items()}


@dataclass(frozen=True, order=True)
class Workload:
    namespace: str
    kind: str
    name: str

    @property
    def resource(self) -> str:
        return KINDS[self.kind]

    def __str__(self) -> str:
        return f"{self.kind} {self.namespace}/{self.name}"


def workloads(app: Any) -> list[Workload]:
    """The Deployments, StatefulSets, DaemonSets and Jobs in the Application's resource list.

    Their names and namespaces reach kubectl's argv, so each must be a valid Kubernetes name.
    """
    found = set()
    status = app.get("status") if isinstance(app, dict) else None
    resources = status.get("resources") if isinstance(status, dict) else None
    for res in resources if isinstance(resources, list) else []:
        if not isinstance(res, dict):
            continue
        kind = res.get("kind")
        if kind in KINDS and res.get("group", "") == _GROUPS[kind] and res.get("name"):
            name = untrusted.name(str(res["name"]))
            namespace = untrusted.namespace(str(res.get("namespace") or "default"))
            found.add(Workload(namespace, kind, name))
    return sorted(found)


def selector(obj: dict[str, Any]) -> str | None:
    """A workload's pod selector as ``k=v,...``; None when it uses expressions (or has none)."""
    spec = obj.get("spec")
    sel = spec.get("selector") if isinstance(spec, dict) else None
    if not isinstance(sel, dict):
        return None
    labels = sel.get("matchLabels")
    if not isinstance(labels, dict) or not labels or sel.get("matchExpressions"):
        return None
    return untrusted.selector(labels)
