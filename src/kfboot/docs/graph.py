"""The wave graph of a catalog, as Mermaid, Graphviz DOT or plain text: a pure function.

Waves are drawn as subgraphs (clusters) in catalog order, components inside them, and an arrow
from each dependency to the component that declares it in ``dependsOn`` (the arrow reads "comes
before"). Disabled components are left out, or drawn greyed and dashed with ``include_disabled``.
``derived`` adds edges found by analysing the built manifests, drawn dotted and labelled.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from kfboot.catalog.models import Catalog, Component
from kfboot.catalog.waves import wave_members

FORMATS = ("mermaid", "dot", "text")
Edge = tuple[str, str]  # (dependency, dependent)


@dataclass(frozen=True)
class _View:
    waves: list[tuple[str, list[Component]]]  # (wave title, members) for waves with members
    edges: list[Edge]
    derived: list[Edge]
    disabled: frozenset[str]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _view(catalog: Catalog, include_disabled: bool, derived: Iterable[Edge]) -> _View:
    shown = [c for c in catalog.components if c.enabled or include_disabled]
    names = {c.name for c in shown}
    waves = [
        (_flat(f"Wave {wave.wave}: {wave.label}"), members)
        for wave, members in wave_members(catalog, disabled=include_disabled)
    ]
    ordered = [c for _, members in waves for c in members]
    edges = [(dep, c.name) for c in ordered for dep in c.dependsOn if dep in names]
    extra = sorted({e for e in derived if e[0] in names and e[1] in names} - set(edges))
    return _View(waves, edges, extra, frozenset(c.name for c in shown if not c.enabled))


def graph(
    catalog: Catalog,
    fmt: str = "mermaid",
    *,
    include_disabled: bool = False,
    derived: Iterable[Edge] = (),
) -> str:
    """The catalog's wave graph in ``fmt`` (one of :data:`FORMATS`), ending with a newline."""
    view = _view(catalog, include_disabled, derived)
    if fmt == "mermaid":
        return _mermaid(view)
    if fmt == "dot":
        return _dot(view)
    if fmt == "text":
        return _text(view)
    raise ValueError(f"unknown graph format {fmt!r}")


# --------------------------------------------------------------------------- Mermaid


def _mid(name: str) -> str:
    # Prefixed, with '-' mapped to '_': a bare id such as "end" or "graph" breaks Mermaid's parser.
    return "c_" + name.replace("-", "_")


def _mlabel(text: str) -> str:
    """Text for a quoted Mermaid label: entity codes for what would end or restyle it."""
    for char, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("`", "#96;")):
        text = text.replace(char, code)
    return text


def _mermaid(view: _View) -> str:
    lines = ["flowchart TB"]
    for i, (title, members) in enumerate(view.waves):
        lines.append(f'  subgraph w{i}["{_mlabel(title)}"]')
        lines.extend(f'    {_mid(c.name)}["{_mlabel(c.name)}"]' for c in members)
        lines.append("  end")
    # Invisible links between the waves stack them in order, whatever the edges suggest.
    lines.extend(f"  w{i} ~~~ w{i + 1}" for i in range(len(view.waves) - 1))
    for a, b in view.edges:
        arrow = "-.->" if {a, b} & view.disabled else "-->"
        lines.append(f"  {_mid(a)} {arrow} {_mid(b)}")
    lines.extend(f"  {_mid(a)} -.->|derived| {_mid(b)}" for a, b in view.derived)
    if view.disabled:
        lines.append("  classDef disabled fill:#f4f4f4,stroke:#999,color:#999,stroke-dasharray:4 3")
        greyed = [c.name for _, ms in view.waves for c in ms if c.name in view.disabled]
        lines.append(f"  class {','.join(_mid(n) for n in greyed)} disabled")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- Graphviz DOT


def _dq(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _dot(view: _View) -> str:
    lines = [
        "digraph kfboot {",
        "  rankdir=TB;",
        '  node [shape=box, style=rounded, fontname="sans-serif"];',
    ]
    for i, (title, members) in enumerate(view.waves):
        lines.append(f"  subgraph cluster_{i} {{")
        lines.append(f"    label={_dq(title)};")
        for c in members:
            style = ' [style="rounded,dashed", color=gray, fontcolor=gray]'
            lines.append(f"    {_dq(c.name)}{style if c.name in view.disabled else ''};")
        if len(members) > 1:
            lines.append(f"    {{rank=same; {' '.join(_dq(c.name) for c in members)}}}")
        lines.append("  }")
    # One row per wave, in wave order, whatever the dependency edges would suggest.
    firsts = [members[0].name for _, members in view.waves]
    lines.extend(f"  {_dq(a)} -> {_dq(b)} [style=invis];" for a, b in itertools.pairwise(firsts))
    for a, b in view.edges:
        style = " [style=dashed, color=gray]" if {a, b} & view.disabled else ""
        lines.append(f"  {_dq(a)} -> {_dq(b)}{style};")
    lines.extend(
        f'  {_dq(a)} -> {_dq(b)} [style=dotted, label="derived"];' for a, b in view.derived
    )
    lines.append("}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- text


def _text(view: _View) -> str:
    needs: dict[str, list[str]] = {}
    for a, b in view.edges:
        needs.setdefault(b, []).append(a)
    found: dict[str, list[str]] = {}
    for a, b in view.derived:
        found.setdefault(b, []).append(a)
    width = max((len(c.name) for _, ms in view.waves for c in ms), default=0)
    lines = []
    for title, members in view.waves:
        lines.append(title)
        for c in members:
            notes = []
            if c.name in view.disabled:
                notes.append("[disabled]")
            if c.name in needs:
                notes.append("after " + ", ".join(needs[c.name]))
            if c.name in found:
                notes.append("derived: after " + ", ".join(found[c.name]))
            lines.append(f"  {c.name.ljust(width)}  {'; '.join(notes)}".rstrip())
    return "\n".join(lines) + "\n"
