"""The Argo CD rules ``kfboot import`` applies to hand-written Applications, with their fixes.

Rule ids and severities are ``kfboot check``'s, so a defect reads the same whichever command
found it. Written for import before check's rule set landed; each function returns the value to
carry into the catalog (fixed where the fix is certain) with the findings that explain it.
"""

from __future__ import annotations

import re
from typing import Any

from kfboot.appfiles import WAVE_ANNOTATION, AppDoc
from kfboot.findings import Finding, Severity
from kfboot.fits import fits
from kfboot.models import Component

# Fields of an Application (argoproj.io/v1alpha1) by place, per the CRD. Anything else is
# pruned by the API server or ignored by Argo CD.
FIELDS: dict[tuple[str, ...], frozenset[str]] = {
    (): frozenset({"apiVersion", "kind", "metadata", "spec", "status", "operation"}),
    ("spec",): frozenset(
        {"source", "sources", "destination", "project", "syncPolicy", "ignoreDifferences"}
        | {"info", "revisionHistoryLimit", "sourceHydrator"}
    ),
    ("spec", "destination"): frozenset({"server", "name", "namespace"}),
    ("spec", "syncPolicy"): frozenset(
        {"automated", "syncOptions", "retry", "managedNamespaceMetadata"}
    ),
    ("spec", "syncPolicy", "automated"): frozenset({"prune", "selfHeal", "allowEmpty", "enabled"}),
    ("spec", "syncPolicy", "retry"): frozenset({"limit", "backoff", "refresh"}),
    ("spec", "syncPolicy", "retry", "backoff"): frozenset({"duration", "factor", "maxDuration"}),
}
SOURCE_FIELDS = frozenset(
    {"repoURL", "path", "targetRevision", "chart", "helm", "kustomize", "directory", "plugin"}
    | {"ref", "name", "tagPrefix"}
)
IGNORE_FIELDS = frozenset(
    {"group", "kind", "name", "namespace", "jsonPointers", "jqPathExpressions"}
    | {"managedFieldsManagers"}
)

# Kinds per API group, for the groups whose every kind is known; other groups are not judged.
KINDS: dict[str, frozenset[str]] = {
    "": frozenset(
        [
            "ConfigMap",
            "Endpoints",
            "Event",
            "LimitRange",
            "Namespace",
            "Node",
            "PersistentVolume",
            "PersistentVolumeClaim",
            "Pod",
            "PodTemplate",
            "ReplicationController",
            "ResourceQuota",
            "Secret",
            "Service",
            "ServiceAccount",
        ]
    ),
    "apps": frozenset(
        ["ControllerRevision", "DaemonSet", "Deployment", "ReplicaSet", "StatefulSet"]
    ),
    "batch": frozenset({"CronJob", "Job"}),
    "admissionregistration.k8s.io": frozenset(
        [
            "MutatingWebhookConfiguration",
            "ValidatingWebhookConfiguration",
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding",
            "MutatingAdmissionPolicy",
            "MutatingAdmissionPolicyBinding",
        ]
    ),
    "apiextensions.k8s.io": frozenset({"CustomResourceDefinition"}),
    "apiregistration.k8s.io": frozenset({"APIService"}),
    "rbac.authorization.k8s.io": frozenset(
        {"ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"}
    ),
    "networking.k8s.io": frozenset({"Ingress", "IngressClass", "NetworkPolicy"}),
    "policy": frozenset({"PodDisruptionBudget"}),
    "autoscaling": frozenset({"HorizontalPodAutoscaler"}),
}
# Kinds people write for the webhook configurations, and what they meant.
MEANT = {
    "ValidatingAdmissionWebhook": "ValidatingWebhookConfiguration",
    "MutatingAdmissionWebhook": "MutatingWebhookConfiguration",
    "ValidatingWebhook": "ValidatingWebhookConfiguration",
    "MutatingWebhook": "MutatingWebhookConfiguration",
}
DESTRUCTIVE = ("Force=true", "Replace=true")
# kfboot check's severities for the rules import reports.
SEVERITY: dict[str, Severity] = {
    "unknown-field": "error",
    "sync-wave-format": "error",
    "root-server-side-apply": "error",
    "ignore-differences-unknown-kind": "error",
    "ignore-differences-list-index": "warning",
    "destructive-sync-option": "warning",
}
# Every defect message reads "<what check says>; import <what import did>".
ACTION = "; import "
NOT_CARRIED = "import-not-carried-over"
DEFAULTED = "import-default-applied"
_INT = re.compile(r"-?[0-9]+\Z")
_JQ_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def unknown_fields(app: AppDoc) -> list[Finding]:
    """``unknown-field`` for every key Argo CD does not have (``dependsOn`` is explained)."""
    found = []
    for place, allowed in FIELDS.items():
        node = _at(app.data, place)
        for key in node if isinstance(node, dict) else {}:
            if key not in allowed:
                found.append(_unknown(app, (*place, key)))
    for i, source in sources(app):
        base: tuple[str | int, ...] = ("spec", "source") if i is None else ("spec", "sources", i)
        found.extend(_unknown(app, (*base, k)) for k in source if k not in SOURCE_FIELDS)
    for i, entry in enumerate(_list(app.spec.get("ignoreDifferences"))):
        if isinstance(entry, dict):
            found.extend(
                _unknown(app, ("spec", "ignoreDifferences", i, k))
                for k in entry
                if k not in IGNORE_FIELDS
            )
    return found


def defect(
    app: AppDoc, path: tuple[str | int, ...], rule: str, what: str, action: str, key: bool = False
) -> Finding:
    """A ``kfboot check`` finding, and what import did about it."""
    return app.finding(path, rule, f"{what}{ACTION}{action}", SEVERITY[rule], key=key)


def _unknown(app: AppDoc, path: tuple[str | int, ...]) -> Finding:
    where = ".".join(str(p) for p in path)
    what = f"{where}: Argo CD has no such field (the API server drops it)"
    if path[-1] == "dependsOn":
        action = "carried it into the catalog's dependsOn, where ordering belongs"
    else:
        action = "dropped it"
    return defect(app, path, "unknown-field", what, action, key=True)


def _at(data: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def sources(app: AppDoc) -> list[tuple[int | None, dict[str, Any]]]:
    spec = app.spec
    found: list[tuple[int | None, dict[str, Any]]] = []
    if isinstance(spec.get("source"), dict):
        found.append((None, spec["source"]))
    found.extend((i, s) for i, s in enumerate(_list(spec.get("sources"))) if isinstance(s, dict))
    return found


def wave(app: AppDoc) -> tuple[int, list[Finding]]:
    """The sync wave; Argo CD reads anything but a string integer as wave 0."""
    annotations = app.metadata.get("annotations")
    path = ("metadata", "annotations", WAVE_ANNOTATION)
    if not isinstance(annotations, dict) or WAVE_ANNOTATION not in annotations:
        msg = "no sync-wave annotation; imported into wave 0"
        return 0, [app.finding(("metadata", "name"), "import-default-applied", msg)]
    value = annotations[WAVE_ANNOTATION]
    if isinstance(value, str) and _INT.match(value.strip()):
        return int(value), []
    if isinstance(value, int) and not isinstance(value, bool):
        what = (
            f'sync-wave {value} is an integer, not the string "{value}" annotations must be, '
            f"so Argo CD does not read it as wave {value}"
        )
        return value, [defect(app, path, "sync-wave-format", what, f"keeps wave {value}")]
    what = f"sync-wave {value!r} is not an integer, so Argo CD uses wave 0"
    return 0, [defect(app, path, "sync-wave-format", what, "uses wave 0 too")]


def sync_options(app: AppDoc, *, root: bool) -> tuple[list[str], list[Finding]]:
    """Sync options as strings; the root loses ``ServerSideApply=true`` (argo-cd#13320)."""
    path: tuple[str | int, ...] = ("spec", "syncPolicy", "syncOptions")
    options: list[str] = []
    found: list[Finding] = []
    for i, option in enumerate(_list(_at(app.data, ("spec", "syncPolicy", "syncOptions")))):
        where = (*path, i)
        if not isinstance(option, str):
            msg = f"sync option {option!r} is not a string; not carried over"
            found.append(app.finding(where, "import-not-carried-over", msg))
        elif root and option.replace(" ", "") == "ServerSideApply=true":
            what = (
                "ServerSideApply=true on the root Application makes Argo CD ignore its "
                "children's sync waves (argo-cd#13320)"
            )
            found.append(defect(app, where, "root-server-side-apply", what, "removed it"))
        else:
            if option in DESTRUCTIVE:
                what = f"{option} deletes and recreates resources that fail to apply"
                found.append(defect(app, where, "destructive-sync-option", what, "carried it over"))
            options.append(option)
    return options, found


def ignore_differences(app: AppDoc) -> tuple[list[dict[str, Any]], list[Finding]]:
    """The entries in the catalog's shape, with misnamed kinds and list-index pointers fixed."""
    entries: list[dict[str, Any]] = []
    found: list[Finding] = []
    for i, raw in enumerate(_list(app.spec.get("ignoreDifferences"))):
        path: tuple[str | int, ...] = ("spec", "ignoreDifferences", i)
        if not isinstance(raw, dict) or not isinstance(raw.get("kind"), str) or not raw["kind"]:
            msg = "an ignoreDifferences entry needs a kind; not carried over"
            found.append(app.finding(path, "import-not-carried-over", msg))
            continue
        entry = {k: v for k, v in raw.items() if k in IGNORE_FIELDS}
        kept, notes = _fix_kind(app, path, entry)
        found.extend(notes)
        if kept:
            found.extend(_fix_pointers(app, path, entry))
            entry = {k: entry[k] for k in sorted(IGNORE_FIELDS, key=_order) if k in entry}
            if fits(Component, "ignoreDifferences", [entry]):
                entries.append(entry)
            else:
                msg = "an ignoreDifferences entry with values of the wrong type; not carried over"
                found.append(app.finding(path, "import-not-carried-over", msg))
    return entries, found


_FIELD_order = [
    "group",
    "kind",
    "name",
    "namespace",
    "jsonPointers",
    "jqPathExpressions",
    "managedFieldsManagers",
]


def _order(key: str) -> int:
    return _FIELD_order.index(key)


def _fix_kind(
    app: AppDoc, path: tuple[str | int, ...], entry: dict[str, Any]
) -> tuple[bool, list[Finding]]:
    group, kind = entry.get("group") or "", entry["kind"]
    known = KINDS.get(group) if isinstance(group, str) else None
    if known is None or kind in known:
        return True, []
    where = (*path, "kind")
    label = f"{group}/{kind}" if group else kind
    what = f"kind {label} does not exist, so this entry ignores nothing"
    if MEANT.get(kind) in known:
        entry["kind"] = MEANT[kind]
        action = f"wrote {MEANT[kind]}, the kind that was meant"
        return True, [defect(app, where, "ignore-differences-unknown-kind", what, action)]
    return False, [defect(app, where, "ignore-differences-unknown-kind", what, "dropped it")]


def _fix_pointers(app: AppDoc, path: tuple[str | int, ...], entry: dict[str, Any]) -> list[Finding]:
    pointers = _list(entry.get("jsonPointers"))
    kept: list[Any] = []
    jq: list[Any] = list(_list(entry.get("jqPathExpressions")))
    found = []
    for j, pointer in enumerate(pointers):
        expression = _as_jq(pointer) if isinstance(pointer, str) else None
        if expression is None:
            kept.append(pointer)
            continue
        what = f"JSON pointer {pointer} ignores one list item only"
        action = f"wrote the jq path {expression}, which covers every item"
        found.append(
            defect(app, (*path, "jsonPointers", j), "ignore-differences-list-index", what, action)
        )
        if expression not in jq:
            jq.append(expression)
    entry.pop("jsonPointers", None)
    entry.pop("jqPathExpressions", None)
    if kept:
        entry["jsonPointers"] = kept
    if jq:
        entry["jqPathExpressions"] = jq
    return found


def _as_jq(pointer: str) -> str | None:
    """``/webhooks/0/clientConfig/caBundle`` -> ``.webhooks[]?.clientConfig.caBundle``; None when
    the pointer has no list index or a segment jq would need quoting for."""
    parts = pointer.split("/")[1:]
    if not pointer.startswith("/") or not any(p.isdigit() for p in parts):
        return None
    out = ""
    for part in parts:
        if part.isdigit():
            out += "[]?"
        elif _JQ_KEY.match(part):
            out += f".{part}"
        else:
            return None
    return out
