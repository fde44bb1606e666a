"""The built objects, reduced to what the ordering analysis needs, and kustomize's output parsed.

Kustomize prints canonical YAML (kyaml): top-level keys at column 0, sorted, children indented.
Only ``apiVersion``, ``kind``, ``metadata`` and a CRD's ``spec.group``/``scope``/``names``/
``preserveUnknownFields``/``conversion`` and each version's ``name``/``served``/``storage`` matter
here, so each document is cut down to those lines before parsing: CRD schemas are most of the
bytes of a Kubeflow build, and parsing them would dominate the run. The few small kinds the
convergence rules and ``plan --manifests`` read in full (webhook configurations, aggregated roles,
Services, workloads, PersistentVolumeClaims) keep the parts they read as ``detail``: for ``plan``,
the fields the API server refuses to change (:mod:`kfboot.plan.immutable`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from kfboot import k8s as kinds
from kfboot import yamlio


@dataclass(frozen=True, order=True)
class Obj:
    """One object of a build. ``namespace`` is as built ('' when unset); ``labels`` are the
    object's own (a Namespace's decide the namespace-label rules)."""

    api_version: str
    kind: str
    namespace: str
    name: str
    labels: tuple[tuple[str, str], ...] = ()
    # For a CustomResourceDefinition: (group, kind, scope) it defines.
    crd: tuple[str, str, str] | None = field(default=None)
    # The in-Application sync wave Argo CD reads from its annotations (see :func:`sync_wave`).
    wave: int = 0
    # JSON of the fields the convergence rules read (see :func:`_detail`); '' for other kinds.
    detail: str = ""

    @property
    def group(self) -> str:
        return self.api_version.rpartition("/")[0]

    @property
    def gk(self) -> tuple[str, str]:
        return self.group, self.kind

    def to_json(self) -> list[Any]:
        return [
            self.api_version,
            self.kind,
            self.namespace,
            self.name,
            dict(self.labels),
            list(self.crd) if self.crd else None,
            self.wave,
            self.detail,
        ]

    @classmethod
    def from_json(cls, item: Any) -> Obj:
        """What :meth:`to_json` wrote; ValueError for anything else (a foreign cache entry)."""
        if not (isinstance(item, list) and len(item) == 8 and _strings(item[:4])):
            raise ValueError("not a cached object")
        labels, crd, wave, detail = item[4], item[5], item[6], item[7]
        if not (isinstance(labels, dict) and _strings([*labels, *labels.values()])):
            raise ValueError("not a cached object's labels")
        if crd is not None and not (isinstance(crd, list) and len(crd) == 3 and _strings(crd)):
            raise ValueError("not a cached object's CRD")
        if type(wave) is not int or not isinstance(detail, str):
            raise ValueError("not a cached object's wave or detail")
        found = (item[0], item[1], item[2], item[3], tuple(sorted(labels.items())), _crd(crd))
        return cls(*found, wave, detail)

    def data(self) -> dict[str, Any]:
        """The object as the convergence rules see it: identity, labels and ``detail``."""
        meta: dict[str, Any] = {"name": self.name}
        if self.namespace:
            meta["namespace"] = self.namespace
        if self.labels:
            meta["labels"] = dict(self.labels)
        found: dict[str, Any] = json.loads(self.detail) if self.detail else {}
        return {"apiVersion": self.api_version, "kind": self.kind, "metadata": meta, **found}


def _strings(items: list[Any]) -> bool:
    return all(isinstance(x, str) for x in items)


def _crd(crd: list[str] | None) -> tuple[str, str, str] | None:
    return (crd[0], crd[1], crd[2]) if crd else None


_SPEC_KEYS = ("group:", "scope:", "names:", "preserveUnknownFields:", "conversion:")
_SPEC_BLOCKS = ("names", "conversion")
_WEBHOOKS = frozenset(
    ("admissionregistration.k8s.io", k)
    for k in ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")
)
_ROLES = frozenset(("rbac.authorization.k8s.io", k) for k in ("ClusterRole", "Role"))
_SERVICE = ("", "Service")
_PVC = ("", "PersistentVolumeClaim")
_STATEFULSET_KEYS = ("volumeClaimTemplates", "serviceName", "podManagementPolicy")
_VERSION_KEYS = ("name", "served", "storage")
# Kinds read in full: all are small, unlike CRDs.
FULL = _WEBHOOKS | _ROLES | {_SERVICE, _PVC} | kinds.WORKLOADS
_ATOI = re.compile(r"[+-]?[0-9]+\Z")


def atoi(text: str) -> int | None:
    """Go's ``strconv.Atoi`` on a 64-bit platform: an optional sign and digits, nothing else."""
    if not _ATOI.match(text):
        return None
    value = int(text)
    return value if -(2**63) <= value < 2**63 else None


def sync_wave(annotations: dict[str, Any]) -> int:
    """The wave Argo CD gives an object: its sync-wave annotation, else ``helm.sh/hook-weight``,
    else 0; a value ``strconv.Atoi`` rejects counts as missing (gitops-engine
    ``pkg/sync/syncwaves/waves.go`` and ``pkg/sync/hook/helm/weight.go``, argo-cd v3.4.7)."""
    for key in ("argocd.argoproj.io/sync-wave", "helm.sh/hook-weight"):
        value = atoi(str(annotations.get(key, "")))
        if value is not None:
            return value
    return 0


def _detail(gk: tuple[str, str], data: dict[str, Any]) -> dict[str, Any]:
    """What the convergence rules read of one object (empty for every other kind)."""
    spec: dict[str, Any] = data["spec"] if isinstance(data.get("spec"), dict) else {}
    found: dict[str, Any] = {}
    if gk in _WEBHOOKS:
        found = {"webhooks": data.get("webhooks") or []}
    elif gk in _ROLES and "aggregationRule" in data:
        found = {k: data[k] for k in ("aggregationRule", "rules") if k in data}
    elif gk == kinds.CRD:
        keep = ("names", "preserveUnknownFields", "conversion")
        found = {"spec": {k: spec[k] for k in keep if k in spec}}
        versions = [v for v in spec.get("versions") or [] if isinstance(v, dict)]
        if versions:
            found["spec"]["versions"] = [
                {k: v[k] for k in _VERSION_KEYS if k in v} for v in versions
            ]
    elif gk == _SERVICE:
        keep = ("clusterIP", "type", "externalName")
        found = {"spec": {"selector": spec.get("selector") or {}}}
        found["spec"].update({k: spec[k] for k in keep if k in spec})
    elif gk == _PVC:
        keep = ("storageClassName", "accessModes", "resources")
        found = {"spec": {k: spec[k] for k in keep if k in spec}}
    elif gk in kinds.WORKLOADS:
        found = {"spec": _workload(gk, spec)}
    return found


def _workload(gk: tuple[str, str], spec: dict[str, Any]) -> dict[str, Any]:
    """A workload's pod labels (convergence), and the fields ``plan`` compares: the selector,
    a StatefulSet's identity fields, a Job's whole template."""
    template = spec.get("template")
    meta = template.get("metadata") if isinstance(template, dict) else None
    meta = meta if isinstance(meta, dict) else {}
    found: dict[str, Any] = {"template": {"metadata": {"labels": meta.get("labels") or {}}}}
    if gk == ("batch", "Job") and isinstance(template, dict):
        found["template"] = template
    if "selector" in spec:
        found["selector"] = spec["selector"]
    if gk == ("apps", "StatefulSet"):
        found.update({k: spec[k] for k in _STATEFULSET_KEYS if k in spec})
    return found


def _reduce(doc: str) -> str:
    """The lines of one document that the analysis reads (see the module docstring)."""
    out: list[str] = []
    top = sub = ""
    versions = [-1, -1]  # the indentation of spec.versions' dashes, and of an item's keys
    for line in doc.split("\n"):
        if not line.strip() or line.startswith("#"):
            continue
        if line[0] != " ":
            top = line.split(":", 1)[0]
            if top in ("apiVersion", "kind", "metadata", "spec"):
                out.append(line)
            continue
        if top == "metadata":
            out.append(line)
        elif top == "spec":
            if line[2:3] not in (" ", "", "-"):
                sub = line[2:].split(":", 1)[0]
                if line[2:].startswith((*_SPEC_KEYS, "versions:")):
                    out.append(line)
                versions = [-1, -1]
            elif sub in _SPEC_BLOCKS:
                out.append(line)
            elif sub == "versions":
                _version_line(line, versions, out)
    return "\n".join(out) + "\n"


def _version_line(line: str, versions: list[int], out: list[str]) -> None:
    """Keep a ``spec.versions`` item's ``name``/``served``/``storage``, never its schema: an
    item's first line becomes ``- _: 0`` unless it is one of them. ``versions`` tracks the
    indentation of the sequence's dashes (indented or not) and of its items' keys."""
    body = line.lstrip(" ")
    indent = len(line) - len(body)
    if body.startswith("- ") and versions[0] in (-1, indent):
        key = body[2:].split(":", 1)[0]
        out.append(" " * indent + "- " + (body[2:] if key in _VERSION_KEYS else "_: 0"))
        versions[:] = [indent, indent + 2]
    elif indent == versions[1] and body.split(":", 1)[0] in _VERSION_KEYS:
        out.append(line)


def _obj(data: Any) -> Obj | None:
    if not isinstance(data, dict) or not isinstance(data.get("metadata"), dict):
        return None
    meta = data["metadata"]
    api, kind = str(data.get("apiVersion", "")), str(data.get("kind", ""))
    labels: tuple[tuple[str, str], ...] = ()
    crd = None
    if isinstance(meta.get("labels"), dict):
        labels = tuple(sorted((str(k), str(v)) for k, v in meta["labels"].items()))
    if (api.rpartition("/")[0], kind) == kinds.CRD and isinstance(data.get("spec"), dict):
        spec = data["spec"]
        names = spec.get("names") if isinstance(spec.get("names"), dict) else {}
        crd = (str(spec.get("group", "")), str(names.get("kind", "")), str(spec.get("scope", "")))
    annotations = meta.get("annotations") if isinstance(meta.get("annotations"), dict) else {}
    detail = _detail((api.rpartition("/")[0], kind), data)
    return Obj(
        api,
        kind,
        str(meta.get("namespace") or ""),
        str(meta.get("name", "")),
        labels,
        crd,
        sync_wave(annotations),
        json.dumps(detail, sort_keys=True, separators=(",", ":"), default=str) if detail else "",
    )


def _parse_doc(doc: str) -> Obj | None:
    try:
        found = _obj(next(iter(yamlio.load_all(_reduce(doc), trusted=True)), None))
    except ValueError:  # a reduction that does not parse: read the whole document
        found = None
    if found is None or not found.kind or not found.name or found.gk in FULL:
        docs = [d for d in yamlio.load_all(doc, trusted=True) if d]
        found = _obj(docs[0]) if docs else None
    return found


def parse_build(output: str) -> list[Obj]:
    """Every object of kustomize's output stream, in order."""
    found = []
    for doc in ("\n" + output).split("\n---\n"):
        if doc.strip():
            obj = _parse_doc(doc)
            if obj is not None:
                found.append(obj)
    return found
