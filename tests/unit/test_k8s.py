"""The one table of Kubernetes kinds and the one Go duration syntax, shared by every feature."""

from __future__ import annotations

import pytest

from kfboot import k8s
from kfboot.cluster import waiting, workloads


def test_one_table_of_kinds() -> None:
    assert {(g, k) for g, kinds in k8s.BUILTIN_KINDS.items() for k in kinds} >= k8s.CLUSTER_SCOPED
    assert {(g, k) for g, kinds in k8s.BUILTIN_KINDS.items() for k in kinds} >= k8s.WORKLOADS
    assert {k8s.CRD, k8s.NAMESPACE} <= k8s.CLUSTER_SCOPED
    # The five groups the three former tables disagreed on.
    assert {"authentication.k8s.io", "authorization.k8s.io"} <= k8s.BUILTIN_GROUPS
    assert {"internal.apiserver.k8s.io", "storagemigration.k8s.io"} <= k8s.BUILTIN_GROUPS
    assert "metrics.k8s.io" not in k8s.BUILTIN_GROUPS  # metrics-server's, through an APIService
    assert workloads.KINDS == {
        "Deployment": "deployments.apps",
        "StatefulSet": "statefulsets.apps",
        "DaemonSet": "daemonsets.apps",
        "Job": "jobs.batch",
    }


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("5s", 5.0), ("1h30m", 5400.0), ("1.5h", 5400.0), ("250ms", 0.25), (".5s", 0.5)],
)
def test_one_duration_syntax(text: str, seconds: float) -> None:
    from kfboot.catalog.fieldtypes import _duration

    assert k8s.duration_seconds(text) == seconds
    assert waiting.parse_duration(text) == seconds
    assert _duration(text) == text


@pytest.mark.parametrize("text", ["", "5", "5x", "1h 30m", "5s5", "m", "five seconds"])
def test_not_a_duration(text: str) -> None:
    assert k8s.duration_seconds(text) is None
    assert not k8s.GO_DURATION.match(text)
