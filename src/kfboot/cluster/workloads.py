"""The workloads an Application manages, from its ``status.resources``, and how to select their
pods. Argo CD no longer labels pods with the Application's name, so
``-l app.kubernetes.io/instance=APP`` finds nothing; the workloads' own selectors do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kfboot import k8s

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


def workloads(app: dict[str, Any]) -> list[Workload]:
    """The Deployments, StatefulSets, DaemonSets and Jobs in the Application's resource list."""
    found = set()
    for res in (app.get("status") or {}).get("resources") or []:
        kind = res.get("kind")
        if kind in KINDS and res.get("group", "") == _GROUPS[kind] and res.get("name"):
            found.add(Workload(str(res.get("namespace") or "default"), kind, str(res["name"])))
    return sorted(found)


def selector(obj: dict[str, Any]) -> str | None:
    """A workload's pod selector as ``k=v,...``; None when it uses expressions (or has none)."""
    sel = (obj.get("spec") or {}).get("selector") or {}
    labels = sel.get("matchLabels") or {}
    if not labels or sel.get("matchExpressions"):
        return None
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()))
