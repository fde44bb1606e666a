"""The Jinja2 environment kfboot renders with.

Every ``{{ expression }}`` is passed through :func:`kfboot.yamlio.scalar` by ``finalize``, so no
value can break or change the YAML around it; the ``yaml`` and ``comment`` filters return
:class:`Raw` text that ``finalize`` leaves alone. Undefined variables are errors, never "".
The Makefile has its own environment (:func:`makefile_environment`) whose ``finalize`` makes
each value one shell word instead, since YAML quoting means nothing to make or sh.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import shlex
import textwrap
from collections.abc import Callable, MutableMapping
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


def _wrapped(flat: str, width: int) -> list[str]:
    """``textwrap.wrap``'s lines of whitespace-flattened text; most comments fit on one line,
    and textwrap took a third of a render's time to say so."""
    if len(flat) <= width:
        return [flat]
    return textwrap.wrap(flat, width=width, break_long_words=False) or [""]


def _comment(value: str, prefix: str = "# ", width: int = 78) -> Raw:
    """Free text as comment lines: line breaks and control characters flattened to spaces."""
    flat = _NOT_IN_COMMENT.sub(" ", str(value)).strip()
    lines = _wrapped(flat, width - len(prefix))
    indent = prefix[: len(prefix) - len(prefix.lstrip())]
    return Raw(f"\n{indent}".join(f"{prefix.lstrip()}{line}".rstrip() for line in lines))


def templates_dir() -> Path:
    """The templates shipped in the wheel, or the repository's ``templates/`` in a checkout."""
    packaged = Path(str(resources.files("kfboot"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "templates"


COMPILED_PACKAGE = "kfboot.render.compiled"
COMPILED_DIR = Path(__file__).with_name("compiled")


def module_name(kind: str, template: str) -> str:
    """The module of ``template`` compiled for the environment ``kind`` ("yaml" or "make"):
    the generated code depends on the environment's ``finalize``, so each kind has its own."""
    return f"{kind}__{re.sub(r'[^A-Za-z0-9]', '_', template)}"


def source_digest(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


class PrecompiledLoader(jinja2.BaseLoader):
    """Loads a template from its compiled module when that is current, else from ``fallback``."""

    def __init__(self, fallback: jinja2.BaseLoader, kind: str) -> None:
        self.fallback = fallback
        self.kind = kind

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        return self.fallback.get_source(environment, template)

    def load(
        self,
        environment: jinja2.Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        source, _, _ = self.fallback.get_source(environment, name)
        namespace = _current_module(self.kind, name, source)
        if namespace is None:
            return self.fallback.load(environment, name, globals)
        # As jinja2.ModuleLoader.load does with an imported module's namespace.
        return environment.template_class.from_module_dict(
            environment, namespace, {} if globals is None else globals
        )


def _current_module(kind: str, name: str, source: str) -> dict[str, Any] | None:
    """A fresh namespace of the compiled module of ``name``, or None when there is none or it is
    stale. Fresh, because a template's code reads ``environment`` from its module's globals: two
    environments sharing one imported module would render with each other's ``finalize``."""
    spec = importlib.util.find_spec(f"{COMPILED_PACKAGE}.{module_name(kind, name)}")
    if spec is None or spec.loader is None or spec.origin is None:
        return None
    code = spec.loader.get_code(spec.name)  # type: ignore[attr-defined]  # from __pycache__
    namespace: dict[str, Any] = {"__name__": spec.name, "__file__": spec.origin}
    exec(code, namespace)
    if namespace.get("SOURCE_SHA256") != source_digest(source):
        return None
    if namespace.get("JINJA_VERSION") != jinja2.__version__:
        return None
    return namespace


def _loader(kind: str) -> jinja2.BaseLoader:
    # No bytecode cache: Jinja's unpickles and unmarshals code from a user-writable directory,
    # so a corrupt entry crashed every command and a crafted one (a restored CI cache) ran code
    # (docs/security.md). The templates are compiled ahead of time into modules of the package
    # instead (kfboot.render.precompile), which saves compiling them on every run.
    return PrecompiledLoader(jinja2.FileSystemLoader(str(templates_dir())), kind)


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=_loader("yaml"),
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
    env = environment().overlay(finalize=_make_finalize, loader=_loader("make"))
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


def template_kinds() -> dict[str, list[str]]:
    """Every template, by the environment that renders it: the Makefile's own, YAML for the rest."""
    root = templates_dir()
    names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.j2"))
    return {
        "yaml": [n for n in names if not n.startswith("Makefile")],
        "make": [n for n in names if n.startswith("Makefile")],
    }


def environment_for(kind: str) -> jinja2.Environment:
    return makefile_environment() if kind == "make" else environment()
