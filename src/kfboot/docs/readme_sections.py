"""Generated sections of a Markdown file: found between markers, refreshed, checked for staleness.

A section is ``<!-- kfboot:NAME:start -->`` ... ``<!-- kfboot:NAME:end -->``, each marker on a
line of its own outside fenced code blocks (a marker shown in a code block is an example, not a
section). Only what lies between a pair of markers is ever replaced; a file without markers is
left alone. Three sections exist: ``graph`` (the Mermaid wave graph of the catalog),
``reference`` (the catalog field reference generated from the JSON Schema) and ``rules`` (every
rule, from the rule registry). All functions here are pure: text in, text out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kfboot.errors import KfbootError

if TYPE_CHECKING:
    from kfboot.catalog.models import Catalog

SECTIONS = ("graph", "reference", "rules")
_MARKER = re.compile(r"^<!-- kfboot:([a-z]+):(start|end) -->[ \t]*$", re.MULTILINE)
# A fenced code block opens with three or more backticks or tildes (CommonMark), and closes
# with a line of at least as many of the same character and nothing else.
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")


def start_marker(name: str) -> str:
    return f"<!-- kfboot:{name}:start -->"


def end_marker(name: str) -> str:
    return f"<!-- kfboot:{name}:end -->"


def generated_sections(catalog: Catalog) -> dict[str, str]:
    """What each section holds for ``catalog`` (each ends with a newline)."""
    from kfboot.docs.field_reference import reference_markdown
    from kfboot.docs.graph import graph
    from kfboot.docs.rules_reference import rules_markdown
    from kfboot.docs.schema import catalog_schema

    return {
        "graph": "```mermaid\n" + graph(catalog, "mermaid") + "```\n",
        "reference": reference_markdown(catalog_schema()),
        "rules": rules_markdown(),
    }


def _markers(text: str) -> Iterator[tuple[re.Match[str], int]]:
    """Each marker line outside fenced code blocks, with its line number."""
    fence: str | None = None
    offset = 0
    for number, line in enumerate(text.split("\n"), start=1):
        opening = _FENCE.match(line)
        stripped = line.strip()
        if fence is not None:
            if stripped.startswith(fence) and stripped == stripped[0] * len(stripped):
                fence = None
        elif opening:
            fence = opening.group(1)
        elif match := _MARKER.match(text, offset):
            yield match, number
        offset += len(line) + 1


def _spans(text: str, file: str) -> dict[str, tuple[int, int]]:
    """``{name: (start of body, end of body)}`` for each well-formed pair of markers."""
    spans: dict[str, tuple[int, int]] = {}
    open_name: str | None = None
    body_start = 0
    for match, line in _markers(text):
        name, which = match.groups()
        if name not in SECTIONS:
            raise KfbootError(f"{file}:{line}: unknown kfboot section {name!r}")
        if which == "start":
            if open_name is not None or name in spans:
                raise KfbootError(f"{file}:{line}: unexpected {start_marker(name)}")
            open_name, body_start = name, match.end() + 1
        else:
            if open_name != name:
                raise KfbootError(f"{file}:{line}: {end_marker(name)} without its start marker")
            spans[name] = (body_start, match.start())
            open_name = None
    if open_name is not None:
        raise KfbootError(f"{file}: {start_marker(open_name)} has no {end_marker(open_name)}")
    return spans


def marked_sections(text: str, file: str = "README.md") -> list[str]:
    """The names of the well-formed sections in ``text`` (raises on malformed markers)."""
    return sorted(_spans(text, file))


def refresh(text: str, sections: dict[str, str], file: str = "README.md") -> str:
    """``text`` with the body of every marked section replaced by its generated content."""
    out, pos = [], 0
    for name, (start, end) in sorted(_spans(text, file).items(), key=lambda kv: kv[1]):
        out += [text[pos:start], sections[name]]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def stale_sections(text: str, sections: dict[str, str], file: str = "README.md") -> list[str]:
    """The names of marked sections whose body differs from what would be generated."""
    return [
        name
        for name, (start, end) in sorted(_spans(text, file).items(), key=lambda kv: kv[1])
        if text[start:end] != sections[name]
    ]
