"""The fields an Argo CD Application has, as a compact tree, for the ``unknown-field`` rule.

Taken from Argo CD's Application CRD (``manifests/crds/application-crd.yaml``, 3.x); a test
compares this tree with the real CRD whenever the shared reference data is present. At run time
kfboot needs no network and no CRD file. A value of ``None`` is free-form (a map of any keys, or
a scalar); lists are transparent (their items follow the tree). ``status`` and ``operation`` are
written by Argo CD, so their content is not judged.
"""

from __future__ import annotations

Tree = dict[str, "Tree | None"]


def _leaves(names: str) -> Tree:
    return dict.fromkeys(names.split())


_DIRECTORY: Tree = {
    **_leaves("disableExtensionFilter exclude include recurse"),
    "jsonnet": {
        "libs": None,
        "extVars": _leaves("code name value"),
        "tlas": _leaves("code name value"),
    },
}
_HELM: Tree = {
    **_leaves(
        "apiVersions ignoreMissingValueFiles kubeVersion namespace passCredentials releaseName "
        "skipCrds skipSchemaValidation skipTests valueFiles values valuesObject version"
    ),
    "fileParameters": _leaves("name path"),
    "parameters": _leaves("forceString name value"),
}
_KUSTOMIZE: Tree = {
    **_leaves(
        "apiVersions commonAnnotations commonAnnotationsEnvsubst commonLabels components "
        "forceCommonAnnotations forceCommonLabels ignoreMissingComponents images kubeVersion "
        "labelIncludeTemplates labelWithoutSelector namePrefix nameSuffix namespace version"
    ),
    "patches": {
        **_leaves("options patch path"),
        "target": _leaves("annotationSelector group kind labelSelector name namespace version"),
    },
    "replicas": _leaves("count name"),
}
_PLUGIN: Tree = {
    "name": None,
    "env": _leaves("name value"),
    "parameters": _leaves("array map name string"),
}
_SOURCE: Tree = {
    **_leaves("chart name path ref repoURL tagPrefix targetRevision"),
    "directory": _DIRECTORY,
    "helm": _HELM,
    "kustomize": _KUSTOMIZE,
    "plugin": _PLUGIN,
}

SPEC: Tree = {
    **_leaves("project revisionHistoryLimit"),
    "destination": _leaves("name namespace server"),
    "ignoreDifferences": _leaves(
        "group jqPathExpressions jsonPointers kind managedFieldsManagers name namespace"
    ),
    "info": _leaves("name value"),
    "source": _SOURCE,
    "sources": _SOURCE,
    "sourceHydrator": {
        "drySource": {
            **_leaves("path repoURL targetRevision"),
            "directory": _DIRECTORY,
            "helm": _HELM,
            "kustomize": _KUSTOMIZE,
            "plugin": _PLUGIN,
        },
        "hydrateTo": _leaves("targetBranch"),
        "syncSource": _leaves("path repoURL targetBranch"),
    },
    "syncPolicy": {
        "automated": _leaves("allowEmpty enabled prune selfHeal"),
        "managedNamespaceMetadata": _leaves("annotations labels"),
        "retry": {
            **_leaves("limit refresh"),
            "backoff": _leaves("duration factor maxDuration"),
        },
        "syncOptions": None,
    },
}

# Kubernetes ObjectMeta: the CRD leaves metadata to the API server, which knows these fields.
METADATA: Tree = _leaves(
    "annotations creationTimestamp deletionGracePeriodSeconds deletionTimestamp finalizers "
    "generateName generation labels managedFields name namespace ownerReferences "
    "resourceVersion selfLink uid"
)

APPLICATION: Tree = {
    **_leaves("apiVersion kind operation status"),
    "metadata": METADATA,
    "spec": SPEC,
}
