"""The shape of the source tree: no import cycles, few top-level modules, small modules and
functions (issue 13). These limits keep the architecture readable as features are added."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import REPO_ROOT

SRC = REPO_ROOT / "src"
PACKAGE = SRC / "kfboot"
MAX_TOP_LEVEL_MODULES = 12
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


# Jinja's generated code for the templates (kfboot.render.precompile) is not written by hand.
GENERATED = PACKAGE / "render" / "compiled"
MODULES = {
    _module_name(p): p
    for p in sorted(PACKAGE.rglob("*.py"))
    if p.parent != GENERATED or p.name == "__init__.py"
}


def _imports(tree: ast.AST, module: str, is_package: bool) -> Iterator[str]:
    """Every module ``module`` imports, at any level: in functions, and under TYPE_CHECKING too
    (a cycle of types is still two modules that cannot be understood apart)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                yield f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
        yield from _imports(node, module, is_package)


def _with_packages(targets: set[str], module: str) -> set[str]:
    """``targets`` and the packages Python runs first to import them: importing
    ``kfboot.check.rules.registry`` runs ``kfboot/check/rules/__init__.py`` too (a module's own
    packages are already running when it runs)."""
    found = set(targets)
    for target in targets:
        parts = target.split(".")
        for end in range(1, len(parts)):
            package = ".".join(parts[:end])
            if package in MODULES and not (module + ".").startswith(package + "."):
                found.add(package)
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found = set(_imports(tree, name, path.name == "__init__.py"))
        graph[name] = {t for t in _with_packages(found, name) if t in MODULES and t != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_function_level_cycles() -> None:
    a = ast.parse("def f():\n    from kfboot import yamlio\n")
    assert list(_imports(a, "kfboot.output", False)) == ["kfboot.yamlio"]
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    # Importing a module runs its packages: kfboot.catalog.models runs kfboot.catalog.
    assert _with_packages({"kfboot.catalog.models"}, "kfboot.output") == {
        "kfboot.catalog",
        "kfboot.catalog.models",
    }
    assert _with_packages({"kfboot.catalog.load"}, "kfboot.catalog.models") == {
        "kfboot.catalog.load"
    }


def test_few_top_level_modules() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top


def test_small_modules() -> None:
    long = {
        name: n
        for name, path in MODULES.items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_short_functions() -> None:
    long = {}
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long[f"{name}.{node.name}"] = length
    assert long == {}
