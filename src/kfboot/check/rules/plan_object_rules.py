"""``kfboot plan --manifests``' object-level items, part of the registry: what a change does to
the objects the Applications manage, both revisions built (:mod:`kfboot.plan.objects`).

Like every ``plan-*`` id they describe a change, not the catalog, so ``ignore:`` cannot name
them; ``error`` ones are destructive (plan exits 1 unless ``--allow-destructive``).
"""

from __future__ import annotations

from kfboot.check.rules.rule import Rule

_OBJECTS = "kfboot.plan.objects:object_items"
_PRUNE = "https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#no-prune-resources"
_REPLACE = (
    "https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/"
    "#replace-resource-instead-of-applying-changes"
)

PLAN_OBJECT_RULES: tuple[Rule, ...] = (
    Rule(
        "plan-objects-pruned",
        "warning",
        "Objects an Application applies at the base are no longer in its build.",
        "Argo CD prunes them: automated prune deletes them at the next sync, otherwise the "
        "Application stays OutOfSync until a sync with prune. A Namespace takes everything in "
        "it, a claim its volume.",
        _PRUNE,
        "Review the names (`plan --manifests -v`); annotate an object "
        "`argocd.argoproj.io/sync-options: Prune=false` to keep it.",
        ignorable=False,
        check=_OBJECTS,
    ),
    Rule(
        "plan-crd-removed",
        "error",
        "A CustomResourceDefinition is no longer built: its Application prunes it (or deletes "
        "it with a cascading deletion).",
        "Deleting a CRD deletes every custom resource of it, in every namespace: the data of "
        "whatever operator they describe (profiles, notebooks, pipelines, certificates).",
        "https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/"
        "custom-resource-definitions/#delete-a-customresourcedefinition",
        "Keep the CRD in a component (move it, do not drop it), or annotate the live CRD "
        "`argocd.argoproj.io/sync-options: Prune=false` before the change lands.",
        ignorable=False,
        check=_OBJECTS,
    ),
    Rule(
        "plan-object-moved",
        "warning",
        "An object moves from one Application to another (destructive for a CRD, a Namespace "
        "or a PersistentVolumeClaim).",
        "The old Application prunes what the new one applies, in whichever order the two "
        "sync: when the old one syncs first the object is deleted, then created again (a CRD "
        "with none of its custom resources, a Namespace empty, a claim with a new volume).",
        _PRUNE,
        "Before the change lands, annotate the live objects `argocd.argoproj.io/sync-options="
        "Prune=false` (plan prints the kubectl command); drop it once the new Application "
        "manages them.",
        ignorable=False,
        check=_OBJECTS,
    ),
    Rule(
        "plan-object-namespace-moved",
        "warning",
        "An object keeps its name and kind but moves to another namespace (destructive for a "
        "PersistentVolumeClaim).",
        "Namespace is part of an object's identity: Argo CD creates a new object there and "
        "prunes the old one, with whatever it held.",
        _PRUNE,
        "Expected when a component's namespace changes; move the data (a claim's volume) first.",
        ignorable=False,
        check=_OBJECTS,
    ),
    Rule(
        "plan-immutable-field",
        "error",
        "A field the API server refuses to change changes: a workload's `spec.selector`, a "
        "StatefulSet's `volumeClaimTemplates`/`serviceName`/`podManagementPolicy`, a Service's "
        "`clusterIP` or a change to or from `ExternalName`, a Job's `spec.template`, a claim's "
        "`storageClassName`/`accessModes` or a smaller size, a CRD's `scope`, a CRD version "
        "removed that may still be stored.",
        "The sync fails ('field is immutable') until the object is replaced; `Replace=true` "
        "alone updates in place and fails the same way.",
        _REPLACE,
        "Do what the message says for that object: annotate it `argocd.argoproj.io/"
        "sync-options: Force=true,Replace=true` (delete and recreate), delete it first (a "
        "StatefulSet with `--cascade=orphan`), or for a claim or a CRD move the data first.",
        ignorable=False,
        check=_OBJECTS,
    ),
    Rule(
        "plan-objects-not-compared",
        "warning",
        "An Application's objects could not be built offline on one side (a Helm chart, a "
        "remote base, a failed build), so they are not compared.",
        "kfboot never reaches the network while planning; what it cannot build it does not guess.",
        "https://argo-cd.readthedocs.io/en/stable/user-guide/diffing/",
        "Review that Application's change by hand, or compare with `argocd app diff` once the "
        "change is pushed.",
        ignorable=False,
        check=_OBJECTS,
    ),
)
