"""Fields the API server refuses to change: one object at two revisions in, what blocks out.

A change to one of these fails the sync ("field is immutable") until the object is replaced.
Argo CD's ``Replace=true`` alone does not help: it runs ``kubectl replace`` (an update), and for
a CRD or a Namespace an update even then; only ``Force=true,Replace=true`` deletes and recreates
the object (gitops-engine/pkg/sync/sync_context.go:1380-1407@v3.4.7). Each change says which fix
applies. The rules (Kubernetes v1.33 validation):

- Deployment/StatefulSet/DaemonSet ``spec.selector`` (apps/v1, pkg/apis/apps/validation);
- StatefulSet: every field but replicas, ordinals, template, updateStrategy,
  persistentVolumeClaimRetentionPolicy and minReadySeconds; kfboot compares
  ``volumeClaimTemplates``, ``serviceName`` and ``podManagementPolicy``;
- Service ``clusterIP`` once allocated, and ``type`` to or from ``ExternalName``;
- Job ``spec.template`` (pkg/apis/batch/validation ``ValidateJobSpecUpdate``);
- PersistentVolumeClaim ``storageClassName`` and ``accessModes`` once bound, and a smaller
  ``resources.requests.storage`` (a claim only grows);
- CustomResourceDefinition ``spec.scope``, and a version removed that ``status.storedVersions``
  still lists (apiextensions validation: every stored version must stay in ``spec.versions``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from kfboot.k8s import CRD
from kfboot.manifests.objects import Obj

FORCE_REPLACE = (
    "annotate it `argocd.argoproj.io/sync-options: Force=true,Replace=true` (Argo CD deletes "
    "and recreates it; Replace=true alone updates in place and fails the same way), or delete "
    "it before the sync"
)
_SUFFIX = {
    **{s: Decimal(1024) ** (i + 1) for i, s in enumerate(("Ki", "Mi", "Gi", "Ti", "Pi", "Ei"))},
    **{s: Decimal(1000) ** (i + 1) for i, s in enumerate(("k", "M", "G", "T", "P", "E"))},
    "n": Decimal("1e-9"),
    "u": Decimal("1e-6"),
    "m": Decimal("1e-3"),
    "": Decimal(1),
}
_QUANTITY = re.compile(r"([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]?)\Z")


@dataclass(frozen=True)
class Change:
    """One refused change: the field, its values, and how to get past it."""

    field: str
    before: str
    after: str
    fix: str

    def text(self) -> str:
        if len(self.before) + len(self.after) > 80:  # a pod template: say what, not all of it
            return f"{self.field} changed"
        return f"{self.field} {self.before} -> {self.after}"


def quantity(value: Any) -> Decimal | None:
    """A Kubernetes quantity (``10Gi``, ``500M``, ``1e3``) as a number, None if it is not one."""
    match = _QUANTITY.match(str(value).strip())
    if match is None:
        return None
    try:
        return Decimal(match.group(1)) * _SUFFIX[match.group(2)]
    except InvalidOperation:
        return None


def _show(value: Any) -> str:
    if value is None:
        return "(unset)"
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _spec(obj: Obj) -> dict[str, Any]:
    spec = obj.data().get("spec")
    return spec if isinstance(spec, dict) else {}


def _differs(
    old: dict[str, Any], new: dict[str, Any], key: str, fix: str, default: Any = None
) -> list[Change]:
    before, after = old.get(key, default), new.get(key, default)
    return [] if before == after else [Change(f"spec.{key}", _show(before), _show(after), fix)]


def _workload(obj: Obj, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    found = _differs(old, new, "selector", FORCE_REPLACE)
    if obj.kind == "StatefulSet":
        orphan = (
            f"delete it keeping its pods and volumes (`kubectl delete statefulset -n "
            f"{obj.namespace or 'NAMESPACE'} {obj.name} --cascade=orphan`), then sync"
        )
        found += _differs(old, new, "volumeClaimTemplates", orphan)
        found += _differs(old, new, "serviceName", orphan)
        found += _differs(old, new, "podManagementPolicy", orphan, "OrderedReady")
    return found


def _service(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    found: list[Change] = []
    # An update that leaves clusterIP out keeps the allocated one; setting another is refused.
    if new.get("clusterIP") and new.get("clusterIP") != old.get("clusterIP"):
        before = old.get("clusterIP") or "(allocated)"
        found.append(Change("spec.clusterIP", before, new["clusterIP"], FORCE_REPLACE))
    before, after = old.get("type", "ClusterIP"), new.get("type", "ClusterIP")
    if before != after and "ExternalName" in (before, after):
        found.append(Change("spec.type", before, after, FORCE_REPLACE))
    return found


def _claim(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    data_loss = (
        "a claim cannot be changed or shrunk: create a new claim and move the data "
        "(deleting this one releases its volume by the class's reclaimPolicy)"
    )
    found: list[Change] = []
    if new.get("storageClassName") is not None:
        found += _differs(old, new, "storageClassName", data_loss)
    if sorted(old.get("accessModes") or []) != sorted(new.get("accessModes") or []):
        found += _differs(old, new, "accessModes", data_loss)
    sizes = [((s.get("resources") or {}).get("requests") or {}).get("storage") for s in (old, new)]
    amounts = [quantity(s) for s in sizes]
    if amounts[0] is not None and amounts[1] is not None and amounts[1] < amounts[0]:
        found.append(
            Change("spec.resources.requests.storage", str(sizes[0]), str(sizes[1]), data_loss)
        )
    return found


def _crd(old_obj: Obj, new_obj: Obj, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    found: list[Change] = []
    if old_obj.crd and new_obj.crd and old_obj.crd[2] != new_obj.crd[2]:
        fix = (
            "delete the CustomResourceDefinition first (every custom resource of it goes with "
            "it: back them up); Argo CD updates a CRD even with Replace=true"
        )
        found.append(Change("spec.scope", old_obj.crd[2], new_obj.crd[2], fix))
    kept = {v.get("name") for v in new.get("versions") or []}
    for version in old.get("versions") or []:
        name = version.get("name")
        if name in kept:
            continue
        stored = "it is the storage version" if version.get("storage") else "it may be stored"
        fix = (
            f"{stored}: rewrite every custom resource at the new storage version (e.g. "
            f"kube-storage-version-migrator), remove {name} from the CRD's "
            "status.storedVersions (kubectl patch --subresource=status), then sync"
        )
        found.append(Change("spec.versions", str(name), "(removed)", fix))
    return found


def immutable_changes(old: Obj, new: Obj) -> list[Change]:
    """What the API server refuses in the update from ``old`` to ``new`` (one object)."""
    before, after = _spec(old), _spec(new)
    gk = new.gk
    if gk in (("apps", "Deployment"), ("apps", "StatefulSet"), ("apps", "DaemonSet")):
        return _workload(new, before, after)
    if gk == ("batch", "Job"):
        return _differs(before, after, "template", FORCE_REPLACE)
    if gk == ("", "Service"):
        return _service(before, after)
    if gk == ("", "PersistentVolumeClaim"):
        return _claim(before, after)
    if gk == CRD:
        return _crd(old, new, before, after)
    return []
