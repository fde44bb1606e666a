"""Property tests: every string kfboot emits reads back as the same string, in YAML 1.1
(PyYAML: what go-yaml, and so Argo CD, kubectl and kustomize, do) and in YAML 1.2 (ruamel)."""

from __future__ import annotations

import io
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from kfboot import yamlio
from kfboot.catalog.load import parse_catalog
from kfboot.findings import UNPRINTABLE
from kfboot.render.bootstrap import render

TRAPS = [
    "y",
    "Y",
    "n",
    "N",
    "yes",
    "no",
    "on",
    "off",
    "On",
    "OFF",
    "true",
    "False",
    "null",
    "~",
    "",
    "0o17",
    "017",
    "0x1F",
    "0b101",
    "1e3",
    "1E3",
    "1_000",
    "26.03",
    "1.10",
    ".5",
    "5.",
    ".inf",
    "-.inf",
    ".NaN",
    "1:20",
    "2001-12-14",
    "2001-12-14t21:59:43.10-05:00",
    "=",
    "<<",
    "#",
    "# x",
    "a #b",
    "a: b",
    ": ",
    "key:",
    "-",
    "- x",
    "--- ",
    "...",
    "*alias",
    "&anchor",
    "!tag",
    "!!str",
    "%YAML",
    "@at",
    "`tick",
    "'single'",
    '"double"',
    "|",
    ">",
    "[a]",
    "{a: 1}",
    "a,b",
    "?",
    "? x",
    "\t",
    " leading",
    "trailing ",
    "line\nbreak",
    "\r\n",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\x7f",
    "é",
    "日本語",
    "😀",
    "\\",
    "C:\\x",
    "a\x00b",
    "0",
    "-1",
    "+1",
    "0.0",
    "1,000",
    "https://x.y/z?a=b&c=d#f",
    "../up",
    "./here",
    "/abs",
    "$(cmd)",
    "{{ jinja }}",
    "{% x %}",
]
text = st.one_of(st.sampled_from(TRAPS), st.text(max_size=40))
ruamel = YAML(typ="safe", pure=True)


def load12(doc: str) -> Any:
    return ruamel.load(io.StringIO(doc))


@settings(max_examples=500)
@given(text)
def test_scalar_reads_back_as_the_same_string(value: str) -> None:
    doc = f"key: {yamlio.scalar(value)}\n"
    assert yaml.safe_load(doc) == {"key": value}
    assert load12(doc) == {"key": value}


json_like = st.recursive(
    st.one_of(text, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False)),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(text, children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=300)
@given(st.dictionaries(text, json_like, max_size=5))
def test_block_dump_round_trips(data: dict[str, Any]) -> None:
    doc = yamlio.dump(data)
    assert yaml.safe_load(doc) == (data or {})
    assert load12(doc) == (data or {})
    assert yamlio.parse_back(doc) == [data or {}]


CATALOG = """
repoURL: https://github.com/acme/manifests.git
targetRevision: {revision}
waves:
  - wave: 0
    label: {label}
    description: {description}
    deployTime: {label}
components:
  - name: common
    wave: 0
    namespace: kubeflow
    description: {description}
    annotations:
      example.com/note: {note}
    syncOptions: [{option}]
    ignoreDifferences:
      - kind: ConfigMap
        name: {note}
        jsonPointers: [{note}]
        jqPathExpressions: [{note}]
    paths: [a/b, c/d]
    kustomize:
      patches:
        - patch: {note}
  - name: chart
    wave: 0
    namespace: kubeflow
    helm:
      repoURL: https://charts.example.com
      chart: thing
      targetRevision: {revision}
      values:
        {note}: {note}
        list: [{note}, {label}]
"""
# NUL, control, bidi and zero-width characters in a catalog value are refused (docs/security.md),
# never rendered.
catalog_text = text.filter(lambda s: "\x00" not in s and not UNPRINTABLE.search(s))
revisions = st.sampled_from(["26.03", "1.10", "y", "on", "0o17", "1e3", "v1.11.0", "main", "0"])


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    note=catalog_text,
    label=catalog_text.filter(lambda s: 1 <= len(s) <= 80 and "\n" not in s),
    description=catalog_text,
    option=catalog_text,
    revision=revisions,
)
def test_free_text_survives_the_whole_render(
    note: str, label: str, description: str, option: str, revision: str
) -> None:
    q = yamlio.scalar
    catalog = parse_catalog(
        CATALOG.format(
            note=q(note),
            label=q(label),
            description=q(description),
            option=q(option),
            revision=q(revision),
        )
    )
    files = render(catalog)
    app = yaml.safe_load(files["apps/kubeflow/wave-0/common.yaml"])
    assert app["spec"]["source"]["targetRevision"] == revision
    assert app["metadata"]["annotations"]["example.com/note"] == note
    assert app["spec"]["syncPolicy"]["syncOptions"] == [option]
    ignored = app["spec"]["ignoreDifferences"][-1]
    assert ignored["name"] == note
    assert ignored["jsonPointers"] == [note] and ignored["jqPathExpressions"] == [note]
    wrapper = yaml.safe_load(files["apps/base/common/kustomization.yaml"])
    assert wrapper["patches"] == [{"patch": note}]
    chart = yaml.safe_load(files["apps/kubeflow/wave-0/chart.yaml"])["spec"]["source"]
    assert chart["targetRevision"] == revision
    assert yaml.safe_load(chart["helm"]["values"]) == {note: note, "list": [note, label]}
    for path, body in files.items():
        if path == "Makefile":
            continue  # not YAML: test_makefile.py covers free text there
        # Comments (wave label and description) never leak into the data.
        assert yamlio.parse_back(body), path
        assert load12(body.split("\n---\n", 1)[1]) == yaml.safe_load(body), path
    wave = yaml.safe_load(files["apps/kubeflow/wave-0/kustomization.yaml"])
    assert wave["resources"] == ["common.yaml", "chart.yaml"]
