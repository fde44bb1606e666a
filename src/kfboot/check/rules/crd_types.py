"""kfboot's own description of the fields and types of Argo CD's three kinds, as code.

The API server validates an Application, ApplicationSet or AppProject against the structural
schema of its CRD (argoproj/argo-cd ``manifests/crds/*-crd.yaml``, v3.4.7) and refuses a value of
the wrong type (``automated.prune: "true"``, ``directory.recurse: "yes"``) and prunes a field the
schema does not have. kfboot needs no CRD file at run time: this table says the same in a few
lines, and a test proves every path and type of it against the real CRDs whenever the shared
reference copies are present (tests/unit/test_crd_types.py).

A type is one of the names in :data:`SCALARS`, ``"string-map"`` (a map of strings),
``"bool-map"``, ``"object"`` (free-form: any keys, e.g. ``valuesObject``), a list ``[type]`` or a
mapping of field names to types. Deliberately left out (free-form here): the content of
ApplicationSet ``generators`` (ten generator kinds nested through matrix/merge: 760 kB of schema),
and ``status``/``operation``, which Argo CD writes.
"""

from __future__ import annotations

from typing import Any

Schema = Any  # str | list[Schema] | dict[str, Schema]

SCALARS = ("string", "boolean", "integer", "int-or-string")
S, B, INT, IS = SCALARS
STRINGS = [S]


def _fields(type_: Schema, names: str) -> dict[str, Schema]:
    return dict.fromkeys(names.split(), type_)


_JSONNET_VAR = {"code": B, "name": S, "value": S}
_DIRECTORY = {
    **_fields(B, "disableExtensionFilter recurse"),
    **_fields(S, "exclude include"),
    "jsonnet": {"extVars": [_JSONNET_VAR], "libs": STRINGS, "tlas": [_JSONNET_VAR]},
}
_HELM = {
    **_fields(B, "ignoreMissingValueFiles passCredentials skipCrds skipSchemaValidation skipTests"),
    **_fields(S, "kubeVersion namespace releaseName values version"),
    "apiVersions": STRINGS,
    "valueFiles": STRINGS,
    "valuesObject": "object",
    "fileParameters": [{"name": S, "path": S}],
    "parameters": [{"forceString": B, "name": S, "value": S}],
}
_KUSTOMIZE = {
    **_fields(
        B,
        "commonAnnotationsEnvsubst forceCommonAnnotations forceCommonLabels "
        "ignoreMissingComponents labelIncludeTemplates labelWithoutSelector",
    ),
    **_fields(S, "kubeVersion namePrefix nameSuffix namespace version"),
    **_fields("string-map", "commonAnnotations commonLabels"),
    **_fields(STRINGS, "apiVersions components images"),
    "patches": [
        {
            "options": "bool-map",
            "patch": S,
            "path": S,
            "target": _fields(
                S, "annotationSelector group kind labelSelector name namespace version"
            ),
        }
    ],
    "replicas": [{"count": IS, "name": S}],
}
_PLUGIN = {
    "name": S,
    "env": [{"name": S, "value": S}],
    "parameters": [{"array": STRINGS, "map": "string-map", "name": S, "string": S}],
}
_KINDS = {"directory": _DIRECTORY, "helm": _HELM, "kustomize": _KUSTOMIZE, "plugin": _PLUGIN}
SOURCE = {**_fields(S, "chart name path ref repoURL tagPrefix targetRevision"), **_KINDS}

APPLICATION_SPEC: dict[str, Schema] = {
    "project": S,
    "revisionHistoryLimit": INT,
    "destination": _fields(S, "name namespace server"),
    "ignoreDifferences": [
        {
            **_fields(S, "group kind name namespace"),
            **_fields(STRINGS, "jqPathExpressions jsonPointers managedFieldsManagers"),
        }
    ],
    "info": [{"name": S, "value": S}],
    "source": SOURCE,
    "sources": [SOURCE],
    "sourceHydrator": {
        "drySource": {**_fields(S, "path repoURL targetRevision"), **_KINDS},
        "hydrateTo": {"targetBranch": S},
        "syncSource": _fields(S, "path repoURL targetBranch"),
    },
    "syncPolicy": {
        "automated": _fields(B, "allowEmpty enabled prune selfHeal"),
        "managedNamespaceMetadata": _fields("string-map", "annotations labels"),
        "retry": {
            "limit": INT,
            "refresh": B,
            "backoff": {"duration": S, "factor": INT, "maxDuration": S},
        },
        "syncOptions": STRINGS,
    },
}

_GROUP_KIND = {"group": S, "kind": S}
APPPROJECT_SPEC: dict[str, Schema] = {
    "description": S,
    "permitOnlyProjectScopedClusters": B,
    "sourceRepos": STRINGS,
    "sourceNamespaces": STRINGS,
    "destinations": [_fields(S, "name namespace server")],
    "destinationServiceAccounts": [_fields(S, "defaultServiceAccount namespace server")],
    "clusterResourceBlacklist": [{**_GROUP_KIND, "name": S}],
    "clusterResourceWhitelist": [{**_GROUP_KIND, "name": S}],
    "namespaceResourceBlacklist": [_GROUP_KIND],
    "namespaceResourceWhitelist": [_GROUP_KIND],
    "orphanedResources": {"ignore": [{**_GROUP_KIND, "name": S}], "warn": B},
    "roles": [
        {
            "description": S,
            "name": S,
            "groups": STRINGS,
            "policies": STRINGS,
            "jwtTokens": [{"exp": INT, "iat": INT, "id": S}],
        }
    ],
    "signatureKeys": [{"keyID": S}],
    "sourceIntegrity": {
        "git": {"policies": [{"gpg": {"keys": STRINGS, "mode": S}, "repos": [{"url": S}]}]}
    },
    "syncWindows": [
        {
            **_fields(B, "andOperator manualSync syncOverrun"),
            **_fields(S, "description duration kind schedule timeZone"),
            **_fields(STRINGS, "applications clusters namespaces"),
        }
    ],
}

_GENERATORS = "clusterDecisionResource clusters git list matrix merge plugin pullRequest "
_GENERATORS += "scmProvider selector"
APPLICATIONSET_SPEC: dict[str, Schema] = {
    "applyNestedSelectors": B,
    "goTemplate": B,
    "goTemplateOptions": STRINGS,
    "generators": [_fields("object", _GENERATORS)],
    "ignoreApplicationDifferences": [
        {"name": S, **_fields(STRINGS, "jqPathExpressions jsonPointers")}
    ],
    "preservedFields": _fields(STRINGS, "annotations labels"),
    "strategy": {
        "type": S,
        "deletionOrder": S,
        "rollingSync": {
            "steps": [
                {
                    "matchExpressions": [{"key": S, "operator": S, "values": STRINGS}],
                    "maxUpdate": IS,
                }
            ]
        },
    },
    "syncPolicy": {"applicationsSync": S, "preserveResourcesOnDeletion": B},
    "template": {
        "metadata": {
            **_fields(S, "name namespace"),
            **_fields("string-map", "annotations labels"),
            "finalizers": STRINGS,
        },
        "spec": APPLICATION_SPEC,
    },
    "templatePatch": S,
}

# Kubernetes ObjectMeta: the CRDs leave metadata to the API server, which knows these fields.
METADATA: dict[str, Schema] = {
    **_fields(S, "name namespace generateName"),
    **_fields("object", "annotations labels finalizers ownerReferences managedFields"),
    **_fields(
        "object",
        "creationTimestamp deletionGracePeriodSeconds deletionTimestamp generation "
        "resourceVersion selfLink uid",
    ),
}

# kind -> the schema of the whole object ("object": written by Argo CD, not judged).
BY_KIND: dict[str, dict[str, Schema]] = {
    kind: {
        "apiVersion": S,
        "kind": S,
        "metadata": METADATA,
        "spec": spec,
        "status": "object",
        **({"operation": "object"} if kind == "Application" else {}),
    }
    for kind, spec in (
        ("Application", APPLICATION_SPEC),
        ("ApplicationSet", APPLICATIONSET_SPEC),
        ("AppProject", APPPROJECT_SPEC),
    )
}
