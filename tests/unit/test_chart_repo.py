"""A chart repository in every form Argo CD reads, Helm OCI without a scheme included."""

from __future__ import annotations

import pytest

from kfboot.catalog.load import parse_catalog
from kfboot.errors import KfbootError

CATALOG = """\
repoURL: https://github.com/acme/platform.git
targetRevision: main
waves: [{{wave: 1, label: One}}]
components:
  - name: a
    wave: 1
    helm: {{repoURL: {url}, chart: a, targetRevision: 1.0.0}}
  - name: b
    wave: 1
    sources:
      - {{repoURL: {url}, chart: b, targetRevision: 1.0.0}}
"""


@pytest.mark.parametrize(
    "url",
    [
        "https://charts.example.com",
        "oci://ghcr.io/acme/charts",
        # Argo CD's Helm OCI form (argo-cd v3.4.7 util/helm/client.go IsHelmOciRepo): import
        # carried it, and the catalog refused its own output ("internal error").
        "ghcr.io/stefanprodan/charts",
        "registry.example.com:5000/charts",
    ],
)
def test_a_chart_repository_in_any_form_argo_cd_reads_loads(url: str) -> None:
    catalog = parse_catalog(CATALOG.format(url=url))
    assert catalog.components[0].helm is not None
    assert catalog.components[0].helm.repoURL == url
    assert catalog.components[1].sources[0].repoURL == url


@pytest.mark.parametrize("url", ["charts", "ghcr.io", "./charts/x", "git@github.com:a/b"])
def test_a_chart_repository_that_is_none_is_refused(url: str) -> None:
    # The schema stops at the helm: form first; the sources: list is refused on its own.
    with pytest.raises(KfbootError) as err:
        parse_catalog(CATALOG.format(url=url))
    assert "components[0].helm.repoURL" in str(err.value)
    listed = CATALOG.format(url=url).replace("helm: {", "paths: [a]\n    x: {")
    listed = listed.replace("\n    x: {repoURL: " + url + ", chart: a, targetRevision: 1.0.0}", "")
    with pytest.raises(KfbootError) as err:
        parse_catalog(listed)
    assert "components[1].sources[0].repoURL: a chart source needs" in str(err.value)
