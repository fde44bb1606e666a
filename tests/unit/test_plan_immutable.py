"""``plan --manifests``' immutable fields: one object at two revisions, parsed as kustomize's
output is, and what the API server refuses (a positive and a negative case per field)."""

from __future__ import annotations

import pytest

from kfboot.manifests.objects import Obj, parse_build
from kfboot.plan.immutable import FORCE_REPLACE, immutable_changes, quantity
from tests import manifests_tree as tree


def one(text: str) -> Obj:
    (found,) = parse_build(text)
    return found


def fields(old: str, new: str) -> list[str]:
    return [c.text() for c in immutable_changes(one(old), one(new))]


DEPLOY = tree.deployment("app", "team")
STS = """apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: team}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: "db:1"}]}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
"""
SVC = """apiVersion: v1
kind: Service
metadata: {name: web, namespace: team}
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""
JOB = """apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: team}
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: m, image: "migrate:1"}]
"""
PVC = """apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: team}
spec:
  storageClassName: fast
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 10Gi}}
"""
CRD = tree.crd("gadgets", "example.com", "Gadget")


def test_a_workload_selector() -> None:
    changed = DEPLOY.replace("matchLabels: {app: app}", "matchLabels: {app: app, tier: web}")
    assert fields(DEPLOY, changed) == [
        'spec.selector {"matchLabels": {"app": "app"}} -> '
        '{"matchLabels": {"app": "app", "tier": "web"}}'
    ]
    assert immutable_changes(one(DEPLOY), one(changed))[0].fix == FORCE_REPLACE
    # The image and the pod labels may change: a rollout, not a refusal.
    rollout = DEPLOY.replace("app:1", "app:2").replace(
        "labels: {app: app}", "labels: {app: app, v: two}"
    )
    assert fields(DEPLOY, rollout) == []


def test_a_statefulset_service_name_claims_and_policy() -> None:
    renamed = STS.replace("serviceName: db", "serviceName: db-headless")
    assert fields(STS, renamed) == ["spec.serviceName db -> db-headless"]
    assert "--cascade=orphan" in immutable_changes(one(STS), one(renamed))[0].fix
    bigger = STS.replace("storage: 1Gi", "storage: 5Gi")
    assert fields(STS, bigger) == ["spec.volumeClaimTemplates changed"]
    parallel = STS.replace(
        "  serviceName: db\n", "  serviceName: db\n  podManagementPolicy: Parallel\n"
    )
    assert fields(STS, parallel) == ["spec.podManagementPolicy OrderedReady -> Parallel"]
    # The default written out, replicas and the template change nothing immutable.
    same = STS.replace(
        "  serviceName: db\n",
        "  serviceName: db\n  podManagementPolicy: OrderedReady\n  replicas: 3\n",
    )
    assert fields(STS, same.replace('"db:1"', '"db:2"')) == []


def test_a_service_cluster_ip_and_external_name() -> None:
    fixed = SVC.replace("  ports:", "  clusterIP: 10.0.0.10\n  ports:")
    assert fields(SVC, fixed) == ["spec.clusterIP (allocated) -> 10.0.0.10"]
    headless = SVC.replace("  ports:", "  clusterIP: None\n  ports:")
    assert fields(SVC, headless) == ["spec.clusterIP (allocated) -> None"]
    external = SVC.replace(
        "  ports:", "  type: ExternalName\n  externalName: web.example.com\n  ports:"
    )
    assert fields(SVC, external) == ["spec.type ClusterIP -> ExternalName"]
    assert fields(external, SVC) == ["spec.type ExternalName -> ClusterIP"]
    # Another port, the same clusterIP kept, or a NodePort: the update is accepted.
    assert fields(fixed, fixed.replace("port: 80", "port: 8080")) == []
    assert fields(SVC, SVC.replace("  ports:", "  type: NodePort\n  ports:")) == []


def test_a_job_template() -> None:
    assert fields(JOB, JOB.replace("migrate:1", "migrate:2")) == ["spec.template changed"]
    assert fields(JOB, JOB.replace("backoffLimit: 2", "backoffLimit: 5")) == []


def test_a_claim_class_modes_and_shrinking() -> None:
    assert fields(PVC, PVC.replace("fast", "slow")) == ["spec.storageClassName fast -> slow"]
    assert fields(PVC, PVC.replace("[ReadWriteOnce]", "[ReadWriteMany]")) == [
        'spec.accessModes ["ReadWriteOnce"] -> ["ReadWriteMany"]'
    ]
    assert fields(PVC, PVC.replace("10Gi", "5000Mi")) == [
        "spec.resources.requests.storage 10Gi -> 5000Mi"
    ]
    # Growing a claim is an expansion the class may allow; the same size otherwise written is
    # no change.
    assert fields(PVC, PVC.replace("10Gi", "20Gi")) == []
    assert fields(PVC, PVC.replace("10Gi", "10240Mi")) == []


def test_a_crd_scope_and_a_removed_version() -> None:
    cluster = tree.crd("gadgets", "example.com", "Gadget", "Cluster")
    assert fields(CRD, cluster) == ["spec.scope Namespaced -> Cluster"]
    two = CRD.replace(
        "  versions:\n",
        "  versions:\n    - name: v1beta1\n      served: true\n      storage: false\n",
    )
    assert fields(two, CRD) == ["spec.versions v1beta1 -> (removed)"]
    assert immutable_changes(one(two), one(CRD))[0].fix.startswith("it may be stored:")
    # A version added, or another schema, is an update the API server accepts.
    assert fields(CRD, two) == []
    assert fields(CRD, CRD.replace("decoy", "other")) == []


def test_the_storage_version_removed_is_certainly_stored() -> None:
    v2 = CRD.replace("name: v1", "name: v2")
    both = CRD.replace(
        "  versions:\n", "  versions:\n    - name: v2\n      served: true\n      storage: false\n"
    )
    (change,) = immutable_changes(one(both), one(v2))
    assert change.text() == "spec.versions v1 -> (removed)"
    assert change.fix.startswith("it is the storage version:")


@pytest.mark.parametrize(
    ("text", "value"),
    [("10Gi", 10 * 2**30), ("500M", 500 * 10**6), ("1e3", 1000), ("1.5Ki", 1536), ("250m", 0.25)],
)
def test_quantities(text: str, value: float) -> None:
    assert quantity(text) == pytest.approx(value)


def test_a_quantity_that_is_not_one() -> None:
    assert quantity("lots") is None
    assert quantity("10GB") is None
