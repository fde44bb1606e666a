"""The Jinja2 environment kfboot renders with.

Every ``{{ expression }}`` is passed through :func:`kfboot.yamlio.scalar` by ``finalize``, so no
value can break or change the YAML around it; the ``yaml`` and ``comment`` filters return
:class:`Raw` text that ``finalize`` leaves alone. Undefined variables are errors, never "".
The Makefile has its own environment (:func:`makefile_environment`) whose ``finalize`` makes
each value one shell word instead, since YAML quoting means nothing to make or sh.
"""

from __future__ import annotations

import re
import shlex
import textwrap
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from kfboot import yamlio


class Raw(str):
    """Text a filter has already made safe for its place in the YAML."""

    __slots__ = ()


def _finalize(value: Any) -> Any:
    return value if isinstance(value, Raw) else yamlio.scalar(value)


def _yaml(value: Any, indent: int) -> Raw:
    """A nested value after ``key:``: block YAML whose lines sit at ``indent`` spaces."""
    return Raw(yamlio.block(value, indent))


def _document(value: Any) -> Raw:
    """A whole YAML document body (ends with a newline)."""
    return Raw(yamlio.dump(value))


_NOT_IN_COMMENT = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]+")


def _comment(value: str, prefix: str = "# ", width: int = 78) -> Raw:
    """Free text as comment lines: line breaks and control characters flattened to spaces."""
    flat = _NOT_IN_COMMENT.sub(" ", str(value)).strip()
    lines = textwrap.wrap(flat, width=width - len(prefix), break_long_words=False) or [""]
    indent = prefix[: len(prefix) - len(prefix.lstrip())]
    return Raw(f"\n{indent}".join(f"{prefix.lstrip()}{line}".rstrip() for line in lines))


def templates_dir() -> Path:
    """The templates shipped in the wheel, or the repository's ``templates/`` in a checkout."""
    packaged = Path(str(resources.files("kfboot"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "templates"


@cache
def environment() -> jinja2.Environment:
    # No bytecode cache: Jinja's unpickles and unmarshals code from a user-writable directory,
    # so a corrupt entry crashed every command and a crafted one (a restored CI cache) ran code.
    # Compiling the five templates costs about 30 ms (docs/security.md).
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["yaml"] = _yaml
    env.filters["comment"] = _comment
    env.filters["document"] = _document
    return env


def render_template(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)


# Line breaks and other control characters would end a make line or a shell word early; free text
# (wave labels) may hold them, so they become spaces. Names never do.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def shell_word(value: Any) -> str:
    """One value as a single sh word that make passes through unchanged in a recipe line."""
    text = _CONTROL.sub(" ", str(value))
    return shlex.quote(text).replace("$", "$$")


def _make_finalize(value: Any) -> Any:
    return value if isinstance(value, Raw) else shell_word(value)


def _words(values: Any, sep: str = " ") -> Raw:
    """A list as sh words joined by ``sep`` (``|`` makes a ``case`` pattern)."""
    return Raw(sep.join(shell_word(v) for v in values))


def _assign(value: Any) -> Raw:
    """The right-hand side of a make assignment, where an unescaped '#' starts a comment."""
    text = value if isinstance(value, Raw) else shell_word(value)
    return Raw(text.replace("#", "\\#"))


def _make_path(value: Any) -> Raw:
    """A path inside a make function such as ``$(abspath ...)``: no shell quoting there."""
    return Raw(_CONTROL.sub(" ", str(value)).replace("$", "$$").replace("#", "\\#"))


def _make_comment(value: str) -> Raw:
    # A comment line ending in a backslash would swallow the next line in make.
    return Raw(_comment(value).replace("\\", "/"))


@cache
def makefile_environment() -> jinja2.Environment:
    """Like :func:`environment`, but every ``{{ }}`` becomes a shell word safe inside make."""
    env = environment().overlay(finalize=_make_finalize)
    env.filters = {
        **env.filters,
        "words": _words,
        "assign": _assign,
        "makepath": _make_path,
        "comment": _make_comment,
    }
    return env


def render_makefile_template(name: str, **context: Any) -> str:
    return makefile_environment().get_template(name).render(**context)
