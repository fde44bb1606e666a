"""A small jq evaluator for the path expressions people write in ``jqPathExpressions``.

Argo CD runs each expression as ``del(EXPR)`` with gojq (argo-cd v3.1.8
``util/argo/normalizers/diff_normalizer.go``). kfboot's runtime dependencies do not include a jq,
so this module evaluates the subset Argo CD users write, with jq's semantics:

- paths: ``.``, ``.a``, ``."a-b"``, ``.["a"]``, ``.[0]``, ``.[]``, and ``?`` after any of them;
- ``select(COND)``, where COND compares (``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``) paths,
  ``length`` and literals (strings, numbers, ``true``, ``false``, ``null``), joined by ``and``
  / ``or``, with ``|`` and parentheses;
- ``|`` between any of these.

Anything else (functions, ``,``, ``//``, assignments, ...) raises :class:`NotEvaluable`: kfboot
then says it cannot evaluate the expression rather than guess. A runtime error (``.a`` on a
list, ``.[]`` on null without ``?``) raises :class:`JqError`; Argo CD skips such a patch, so the
field stays diffed. The tests compare this module with the ``jq`` binary where it is installed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Path = tuple[str | int, ...]


class NotEvaluable(ValueError):
    """The expression uses jq beyond the subset this module implements."""


class JqError(ValueError):
    """jq would fail at run time on this input."""


_TOKEN = re.compile(
    r"""\s*(?:
      (?P<str>"(?:[^"\\]|\\.)*")
    | (?P<num>-?[0-9]+(?:\.[0-9]+)?)
    | (?P<op>==|!=|<=|>=|<|>|\[\]|\.\.|//|[.\[\]()|?,])
    | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<bad>\S)
    )""",
    re.X,
)


def _tokens(text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    dot_end = -1  # where the last '.' ended
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind is None:
            continue
        value = match.group(kind)
        if kind == "bad" or value in ("..", ",", "//"):
            raise NotEvaluable(f"{value!r} is outside the jq subset kfboot evaluates")
        # jq reads '.name' as one token: '. name' does not compile (gojq, as Argo CD runs it).
        spaced = match.start(kind) != dot_end and found and found[-1][1] == "."
        if kind == "ident" and spaced and value not in ("and", "or"):
            raise NotEvaluable(f"'. {value}' is not jq: write '.{value}'")
        dot_end = match.end() if value == "." else -1
        found.append((kind, value))
    return found


# The syntax tree: tuples, tagged by their first item.
Node = tuple[Any, ...]
_COMPARE = ("==", "!=", "<", "<=", ">", ">=")


@dataclass
class _Parser:
    tokens: list[tuple[str, str]]
    at: int = 0

    def peek(self) -> str:
        return self.tokens[self.at][1] if self.at < len(self.tokens) else ""

    def take(self, expected: str | None = None) -> tuple[str, str]:
        if self.at >= len(self.tokens):
            raise NotEvaluable("the expression ends too early")
        token = self.tokens[self.at]
        if expected is not None and token[1] != expected:
            raise NotEvaluable(f"expected {expected!r}, found {token[1]!r}")
        self.at += 1
        return token

    def pipe(self) -> Node:
        return self._chain("|", "pipe", self.disjunction)

    def disjunction(self) -> Node:
        return self._chain("or", "or", self.conjunction)

    def conjunction(self) -> Node:
        return self._chain("and", "and", self.comparison)

    def _chain(self, word: str, tag: str, operand: Callable[[], Node]) -> Node:
        """Left-associative ``operand (word operand)*``."""
        node = operand()
        while self.peek() == word:
            self.take()
            node = (tag, node, operand())
        return node

    def comparison(self) -> Node:
        node = self.postfix()
        if self.peek() in _COMPARE:
            op = self.take()[1]
            node = ("cmp", op, node, self.postfix())
        return node

    def postfix(self) -> Node:
        """A term and its suffixes. A ``?`` right after a suffix makes only that step optional
        (jq's grammar: ``Term '[' ']' '?'``, ``Term '.' IDENT '?'``); errors of the term before
        it still fail, as the jq binary shows."""
        base = self.primary()
        steps: list[Node] = []
        while True:
            token = self.peek()
            if token == "?":
                self.take()
                if steps:
                    steps[-1] = ("try", steps[-1])
                else:
                    base = ("try", base)
            elif token == "[]":
                self.take()
                steps.append(("each",))
            elif token == "[":
                steps.append(self.index())
            elif token == "." and self._field_follows():
                self.take()
                steps.append(self.field_or_index())
            else:
                break
        for step in steps:
            base = ("pipe", base, step)
        return base

    def _field_follows(self) -> bool:
        if self.at + 1 >= len(self.tokens):
            return False
        nxt = self.tokens[self.at + 1]
        return nxt[0] in ("ident", "str") or nxt[1] == "["

    def index(self) -> Node:
        self.take("[")
        kind, value = self.take()
        self.take("]")
        if kind == "num" and "." not in value:
            return ("index", int(value))
        if kind == "str":
            return ("field", json.loads(value))
        raise NotEvaluable(f"index {value!r} is outside the jq subset kfboot evaluates")

    def field_or_index(self) -> Node:
        """What follows a '.': a name, a quoted name, or a bracket."""
        if self.peek() == "[":
            return ("each",) if self._each() else self.index()
        kind, value = self.take()
        if kind not in ("ident", "str"):
            raise NotEvaluable(f"'.{value}' is outside the jq subset kfboot evaluates")
        return ("field", value if kind == "ident" else json.loads(value))

    def _each(self) -> bool:
        return self.tokens[self.at + 1][1] == "]" if self.at + 1 < len(self.tokens) else False

    def primary(self) -> Node:
        kind, value = self.take()
        if value == ".":
            nxt = self.peek()
            if nxt == "[]":
                self.take()
                return ("each",)
            if nxt == "[" or (self.at < len(self.tokens) and self.tokens[self.at][0] != "op"):
                if nxt in ("and", "or"):
                    return ("identity",)
                return self.field_or_index()
            return ("identity",)
        if value == "(":
            node = self.pipe()
            self.take(")")
            return node
        if kind == "ident" and value == "select":
            self.take("(")
            node = self.pipe()
            self.take(")")
            return ("select", node)
        if kind == "ident" and value == "length":
            return ("length",)
        if kind == "ident" and value in ("true", "false", "null"):
            return ("literal", {"true": True, "false": False, "null": None}[value])
        if kind in ("str", "num"):
            return ("literal", json.loads(value))
        raise NotEvaluable(f"{value!r} is outside the jq subset kfboot evaluates")


def parse(expression: str) -> Node:
    """The syntax tree of ``expression``; :class:`NotEvaluable` outside the subset."""
    parser = _Parser(_tokens(expression))
    node = parser.pipe()
    if parser.at != len(parser.tokens):
        raise NotEvaluable(f"unexpected {parser.peek()!r}")
    return node


Result = list[tuple[Any, Path | None]]


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return "string" if isinstance(value, str) else "number"


def _order(value: Any) -> tuple[int, Any]:
    """jq's total order: null < false < true < numbers < strings < arrays < objects."""
    rank = {"null": 0, "boolean": 1, "number": 2, "string": 3, "array": 4, "object": 5}
    name = _type_name(value)
    if name == "boolean":
        return 1, int(value)
    if name in ("array", "object"):
        return rank[name], json.dumps(value, sort_keys=True)
    return rank[name], value if value is not None else 0


def _compare(op: str, left: Any, right: Any) -> bool:
    if op in ("==", "!="):
        same = _order(left) == _order(right)
        return same if op == "==" else not same
    a, b = _order(left), _order(right)
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _truthy(value: Any) -> bool:
    return value is not None and value is not False


def _length(value: Any) -> int | float:
    if value is None:
        return 0
    if isinstance(value, bool):
        raise JqError("boolean has no length")
    if isinstance(value, (dict, list, str)):
        return len(value)
    return abs(float(value)) if isinstance(value, float) else abs(int(value))


def _field(value: Any, path: Path | None, key: str) -> Result:
    if value is None:
        return [(None, _extend(path, key))]
    if not isinstance(value, dict):
        raise JqError(f"cannot index {_type_name(value)} with {key!r}")
    return [(value.get(key), _extend(path, key))]


def _index(value: Any, path: Path | None, index: int) -> Result:
    if value is None:
        return [(None, _extend(path, index))]
    if not isinstance(value, list):
        raise JqError(f"cannot index {_type_name(value)} with a number")
    at = index + len(value) if index < 0 else index
    item = value[at] if 0 <= at < len(value) else None
    return [(item, _extend(path, at if at >= 0 else index))]


def _each(value: Any, path: Path | None) -> Result:
    if isinstance(value, list):
        return [(v, _extend(path, i)) for i, v in enumerate(value)]
    if isinstance(value, dict):
        return [(v, _extend(path, k)) for k, v in value.items()]
    raise JqError(f"cannot iterate over {_type_name(value)}")


def _extend(path: Path | None, key: str | int) -> Path | None:
    return None if path is None else (*path, key)


def evaluate(node: Node, value: Any, path: Path | None = ()) -> Result:
    """Every output of ``node`` on ``value``, with its path (None where it is not a path)."""
    tag = node[0]
    if tag == "identity":
        return [(value, path)]
    if tag == "field":
        return _field(value, path, node[1])
    if tag == "index":
        return _index(value, path, node[1])
    if tag == "each":
        return _each(value, path)
    if tag == "try":
        try:
            return evaluate(node[1], value, path)
        except JqError:
            return []
    if tag == "pipe":
        out: Result = []
        for item, item_path in evaluate(node[1], value, path):
            out.extend(evaluate(node[2], item, item_path))
        return out
    if tag == "select":
        return [(value, path) for cond, _ in evaluate(node[1], value, path) if _truthy(cond)]
    return _values(node, value, path)


def _values(node: Node, value: Any, path: Path | None) -> Result:
    """The nodes whose outputs are plain values, never paths."""
    tag = node[0]
    if tag == "literal":
        return [(node[1], None)]
    if tag == "length":
        return [(_length(value), None)]
    if tag == "cmp":
        return [
            (_compare(node[1], left, right), None)
            for right, _ in evaluate(node[3], value, path)
            for left, _ in evaluate(node[2], value, path)
        ]
    if tag in ("and", "or"):
        out: Result = []
        for left, _ in evaluate(node[1], value, path):
            if tag == "and" and not _truthy(left):
                out.append((False, None))
            elif tag == "or" and _truthy(left):
                out.append((True, None))
            else:
                out.extend((_truthy(r), None) for r, _ in evaluate(node[2], value, path))
        return out
    raise NotEvaluable(f"unknown node {tag}")  # pragma: no cover - the parser makes no others


def paths(expression: str, document: Any) -> list[Path]:
    """``path(EXPR)`` on ``document``: what ``del(EXPR)`` deletes."""
    found = []
    for _, path in evaluate(parse(expression), document):
        if path is None:
            raise JqError("invalid path expression (it yields a value, not a path)")
        found.append(path)
    return found


def delete(expression: str, document: Any) -> Any:
    """``del(EXPR)`` on a copy of ``document``, as Argo CD's normaliser runs it."""
    copy = json.loads(json.dumps(document))
    # jq's delpaths deletes the longest and last paths first, so indexes stay valid.
    for path in sorted(set(paths(expression, document)), key=_sort_key, reverse=True):
        copy = _delete_one(copy, path)
    return copy


def _sort_key(path: Path) -> list[tuple[int, Any]]:
    return [(0, p) if isinstance(p, int) else (1, p) for p in path]


def _step(parent: Any, key: str | int) -> Any:
    if isinstance(parent, dict) and isinstance(key, str):
        return parent.get(key)
    if isinstance(parent, list) and isinstance(key, int) and 0 <= key < len(parent):
        return parent[key]
    return None


def _delete_one(document: Any, path: Path) -> Any:
    if not path:
        return None
    parent = document
    for key in path[:-1]:
        parent = _step(parent, key)
        if parent is None:
            return document
    last = path[-1]
    if isinstance(parent, dict) and isinstance(last, str):
        parent.pop(last, None)
    elif isinstance(parent, list) and isinstance(last, int) and 0 <= last < len(parent):
        del parent[last]
    return document
