"""Writing a new catalog: sections emitted by kfboot's one dumper, with comments between them.

Used by ``kfboot import``. Every value goes through :func:`kfboot.yamlio.block`, so the quoting
rules are the ones every other file kfboot writes follows; only comment lines are added here.
"""

from __future__ import annotations

from typing import Any

from kfboot import yamlio
from kfboot.docs.schema import MODELINE
from kfboot.findings import neutral

# YAML 1.1 also breaks lines at U+2028 and U+2029 (PyYAML does); ``neutral`` covers CR, NEL.
_LINE_SEPARATORS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029"})


def _comment(text: str) -> str:
    """``text`` made safe for one comment line: a file name holding a carriage return (or any
    line break or control character) once ended the comment and wrote YAML into the catalog."""
    return neutral(text, one_line=True).translate(_LINE_SEPARATORS)


def _section(comment: str, key: str, value: Any) -> str:
    return f"\n# {comment}\n{key}:{yamlio.block(value, 2)}\n"


def write(
    *,
    source: str,
    count: tuple[int, int],
    top: dict[str, Any],
    app_of_apps: dict[str, Any],
    defaults: dict[str, Any],
    waves: list[int],
    components: list[tuple[str, dict[str, Any]]],
) -> str:
    """The catalog text; ``components`` pairs each component with where it came from (lines)."""
    apps, files = count
    parts = [
        MODELINE + "\n",  # editors validate and complete it against waves.schema.json
        "# kfboot catalog written by `kfboot import` from "
        f"{apps} Application(s) in {files} file(s) of\n"
        f"# {_comment(source)}\n"
        "# Review the findings import printed, then run `kfboot render` and commit both.\n"
        "---\n",
        yamlio.dump(top),
        _section(
            'The root Application ("app of apps"). It never uses ServerSideApply=true.',
            "appOfApps",
            app_of_apps,
        ),
        "\n# What the imported Applications shared. A component's syncOptions replace this\n"
        "# list; its ignoreDifferences are added to it; labels and annotations are merged.\n"
        f"defaults:{yamlio.block(defaults, 2)}\n",
        _section(
            "Sync waves, from the Applications' sync-wave annotations.",
            "waves",
            [{"wave": w, "label": f"Wave {w}"} for w in waves],
        ),
        "\ncomponents:\n",
    ]
    for i, (origin, component) in enumerate(components):
        blank = "\n" if i else ""
        comment = "".join(f"  # {_comment(line)}\n" for line in f"From {origin}.".split("\n"))
        parts.append(f"{blank}{comment}{yamlio.block([component], 2).lstrip(chr(10))}\n")
    return "".join(parts)
