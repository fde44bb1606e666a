"""Fleet catalogs for the tests: the default catalog plus a ``clusters:`` section."""

from __future__ import annotations

from tests.conftest import DEFAULT_CATALOG

THREE_CLUSTERS = """
clusters:
  - name: hub
    hub: true
    server: https://kubernetes.default.svc
    components:
      spark: {enabled: true}
  - name: dev
    labels: {env: dev}
    components:
      jupyter: {enabled: false}
  - name: prod
    targetRevision: v1.12.0
    components:
      common-services:
        patches:
          - patch: |
              apiVersion: v1
              kind: Namespace
              metadata:
                name: kubeflow
                labels:
                  tier: prod
"""


def default_text() -> str:
    return DEFAULT_CATALOG.read_text(encoding="utf-8")


def spark_disabled(text: str) -> str:
    """The catalog with spark disabled (the hub enables it back in ``THREE_CLUSTERS``)."""
    marker = "  - name: spark\n"
    assert marker in text
    return text.replace(marker, marker + "    enabled: false\n", 1)


def fleet_text(clusters: str = THREE_CLUSTERS, layout: str | None = None) -> str:
    extra = f"layout: {layout}\n" if layout else ""
    return spark_disabled(default_text()) + extra + clusters
