"""Shapes of real repositories import must read as Argo CD and kustomize read them (issue 20)."""

from __future__ import annotations

import pytest

from kfboot.importing.tree import is_remote


@pytest.mark.parametrize(
    ("item", "remote"),
    [
        ("github.com/kubeflow/manifests/common/kubeflow-namespace/base?ref=v1.2.0", True),
        ("git::https://github.com/kubeflow/manifests.git//common/istio?ref=v1.10.0", True),
        ("ssh://git@github.com/kubeflow/manifests.git/common?ref=v1", True),
        ("https://github.com/kubeflow/manifests//common?ref=v1", True),
        ("git@github.com:kubeflow/manifests.git/common", True),
        ("../base", False),
        ("istio-1.9/base", False),
        ("gitlab.example.com/local-dir", False),  # without a scheme, only github.com is remote
    ],
)
def test_every_kustomize_remote_form_is_remote(item: str, remote: bool) -> None:
    assert is_remote(item) is remote
