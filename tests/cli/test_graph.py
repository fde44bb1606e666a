"""``kfboot graph``: the wave graph of a catalog as Mermaid, DOT and text, golden for the default
catalog, with disabled components, escaping and derived edges asserted exactly."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from kfboot.catalog.load import load_catalog, parse_catalog
from kfboot.docs.graph import FORMATS, graph
from tests.conftest import DATA, DEFAULT_CATALOG, Result

GOLDEN = DATA / "golden"

SMALL = """\
repoURL: https://github.com/acme/manifests.git
waves:
  - wave: -1
    label: 'Say "hi" #1 <b>'
  - wave: 0
    label: Base
  - wave: 1
    label: Empty
  - wave: 2
    label: Apps
components:
  - name: end
    wave: -1
    namespace: a
    paths: [a]
  - name: base-one
    wave: 0
    namespace: a
    dependsOn: [end]
    paths: [b]
  - name: extra
    wave: 0
    namespace: a
    enabled: false
    paths: [c]
  - name: app
    wave: 2
    namespace: a
    dependsOn: [base-one, end]
    paths: [d]
  - name: lab
    wave: 2
    namespace: a
    enabled: false
    dependsOn: [extra, base-one]
    paths: [e]
"""


@pytest.fixture(scope="module")
def small() -> object:
    return parse_catalog(SMALL)


@pytest.mark.parametrize("fmt", FORMATS)
def test_default_catalog_golden(fmt: str, kfboot: Callable[..., Result]) -> None:
    result = kfboot("graph", "--format", fmt, "--catalog", str(DEFAULT_CATALOG))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (GOLDEN / f"graph-default.{fmt}").read_text()


def test_mermaid_is_the_default_format(kfboot: Callable[..., Result]) -> None:
    result = kfboot("graph", "--catalog", str(DEFAULT_CATALOG))
    assert result.stdout == (GOLDEN / "graph-default.mermaid").read_text()


def test_mermaid_leaves_disabled_out_and_escapes(small: object) -> None:
    assert graph(small, "mermaid") == (  # type: ignore[arg-type]
        "flowchart TB\n"
        '  subgraph w0["Wave -1: Say #quot;hi#quot; #35;1 #lt;b#gt;"]\n'
        '    c_end["end"]\n'
        "  end\n"
        '  subgraph w1["Wave 0: Base"]\n'
        '    c_base_one["base-one"]\n'
        "  end\n"
        '  subgraph w2["Wave 2: Apps"]\n'
        '    c_app["app"]\n'
        "  end\n"
        "  w0 ~~~ w1\n"
        "  w1 ~~~ w2\n"
        "  c_end --> c_base_one\n"
        "  c_base_one --> c_app\n"
        "  c_end --> c_app\n"
    )


def test_mermaid_all_greys_disabled(small: object) -> None:
    out = graph(small, "mermaid", include_disabled=True)  # type: ignore[arg-type]
    assert out.splitlines()[4:] == [
        '  subgraph w1["Wave 0: Base"]',
        '    c_base_one["base-one"]',
        '    c_extra["extra"]',
        "  end",
        '  subgraph w2["Wave 2: Apps"]',
        '    c_app["app"]',
        '    c_lab["lab"]',
        "  end",
        "  w0 ~~~ w1",
        "  w1 ~~~ w2",
        "  c_end --> c_base_one",
        "  c_base_one --> c_app",
        "  c_end --> c_app",
        "  c_extra -.-> c_lab",
        "  c_base_one -.-> c_lab",
        "  classDef disabled fill:#f4f4f4,stroke:#999,color:#999,stroke-dasharray:4 3",
        "  class c_extra,c_lab disabled",
    ]


def test_dot_with_all(small: object) -> None:
    assert graph(small, "dot", include_disabled=True) == (  # type: ignore[arg-type]
        "digraph kfboot {\n"
        "  rankdir=TB;\n"
        '  node [shape=box, style=rounded, fontname="sans-serif"];\n'
        "  subgraph cluster_0 {\n"
        '    label="Wave -1: Say \\"hi\\" #1 <b>";\n'
        '    "end";\n'
        "  }\n"
        "  subgraph cluster_1 {\n"
        '    label="Wave 0: Base";\n'
        '    "base-one";\n'
        '    "extra" [style="rounded,dashed", color=gray, fontcolor=gray];\n'
        '    {rank=same; "base-one" "extra"}\n'
        "  }\n"
        "  subgraph cluster_2 {\n"
        '    label="Wave 2: Apps";\n'
        '    "app";\n'
        '    "lab" [style="rounded,dashed", color=gray, fontcolor=gray];\n'
        '    {rank=same; "app" "lab"}\n'
        "  }\n"
        '  "end" -> "base-one" [style=invis];\n'
        '  "base-one" -> "app" [style=invis];\n'
        '  "end" -> "base-one";\n'
        '  "base-one" -> "app";\n'
        '  "end" -> "app";\n'
        '  "extra" -> "lab" [style=dashed, color=gray];\n'
        '  "base-one" -> "lab" [style=dashed, color=gray];\n'
        "}\n"
    )


def test_text_with_and_without_disabled(small: object) -> None:
    assert graph(small, "text") == (  # type: ignore[arg-type]
        'Wave -1: Say "hi" #1 <b>\n'
        "  end\n"
        "Wave 0: Base\n"
        "  base-one  after end\n"
        "Wave 2: Apps\n"
        "  app       after base-one, end\n"
    )
    assert graph(small, "text", include_disabled=True) == (  # type: ignore[arg-type]
        'Wave -1: Say "hi" #1 <b>\n'
        "  end\n"
        "Wave 0: Base\n"
        "  base-one  after end\n"
        "  extra     [disabled]\n"
        "Wave 2: Apps\n"
        "  app       after base-one, end\n"
        "  lab       [disabled]; after extra, base-one\n"
    )


def test_derived_edges_are_drawn_apart(small: object) -> None:
    derived = [("base-one", "app"), ("end", "base-one"), ("app", "lab"), ("nowhere", "app")]
    # Declared edges are not repeated; edges to components not shown are dropped.
    text = graph(small, "text", derived=[*derived, ("end", "app")])  # type: ignore[arg-type]
    assert text.splitlines()[-1] == "  app       after base-one, end"
    derived = [("end", "app"), ("base-one", "app")]
    small_without_edges = parse_catalog(
        SMALL.replace("dependsOn: [base-one, end]", "dependsOn: []")
    )
    assert graph(small_without_edges, "text", derived=derived).splitlines()[-1] == (
        "  app       derived: after base-one, end"
    )
    mermaid = graph(small_without_edges, "mermaid", derived=derived)
    assert mermaid.splitlines()[-2:] == [
        "  c_base_one -.->|derived| c_app",
        "  c_end -.->|derived| c_app",
    ]
    dot = graph(small_without_edges, "dot", derived=derived)
    assert dot.splitlines()[-3:-1] == [
        '  "base-one" -> "app" [style=dotted, label="derived"];',
        '  "end" -> "app" [style=dotted, label="derived"];',
    ]


def test_unknown_format_is_a_usage_error(kfboot: Callable[..., Result]) -> None:
    result = kfboot("graph", "--format", "svg", "--catalog", str(DEFAULT_CATALOG))
    assert result.exit_code == 2
    assert "Invalid value for '--format': 'svg' is not one of 'mermaid', 'dot', 'text'." in (
        result.stderr
    )
    with pytest.raises(ValueError, match="unknown graph format 'svg'"):
        graph(load_catalog(DEFAULT_CATALOG), "svg")


def test_invalid_catalog_is_reported_like_render(
    kfboot: Callable[..., Result], tmp_path: Path
) -> None:
    (tmp_path / "waves.yaml").write_text(
        SMALL.replace("wave: 2\n    namespace", "wave: 7\n    namespace", 1)
    )
    result = kfboot("graph", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert (
        result.stderr
        == "waves.yaml:27:11: components[3].wave: wave 7 is not declared in waves (-1, 0, 1, 2)\n"
    )


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")
def test_graphviz_accepts_the_dot(small: object) -> None:
    for source in (
        graph(load_catalog(DEFAULT_CATALOG), "dot"),
        graph(small, "dot", include_disabled=True, derived=[("end", "app")]),  # type: ignore[arg-type]
    ):
        subprocess.run(["dot", "-Tsvg"], input=source, text=True, check=True, capture_output=True)


def test_the_command_offers_every_format() -> None:
    from kfboot.commands.docs import GRAPH_FORMATS

    assert GRAPH_FORMATS == FORMATS
