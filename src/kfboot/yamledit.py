"""In-place edits of YAML text: change one scalar where it stands, keep every other byte.

Re-dumping a file loses its comments, quoting and layout (pre-commit's fallback does exactly
that), and line-based sed cannot tell a git ``repoURL`` from a Helm chart's. Here the scalar's
parse-tree marks give its exact span in the text, and only that span is replaced; a missing key
is inserted as one new line beside a sibling. :func:`verify` then re-parses the result and
confirms that nothing but the intended values changed.

Marks come from PyYAML's pure-Python composer, not libyaml: the Python reader counts characters
of the ``str`` it is given (CRLF as two, a BOM as one, an astral character as one), which is
exactly the index to splice at, while libyaml's indexes skip a leading BOM and are then off by
one for the whole file.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

import yaml

from kfboot import yamlio
from kfboot.errors import KfbootError

Path_ = tuple[str | int, ...]
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Single quotes can hold any printable one-line text; anything else needs double-quote escapes.
_SINGLE_OK = re.compile(r"[^\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]*\Z")


@dataclass(frozen=True)
class Edit:
    """Set the string at ``path``; when the key is absent, add it after the key ``after``."""

    path: Path_
    value: str
    after: str | None = None


@dataclass(frozen=True)
class Done:
    """What :func:`apply` did for one edit: ``replaced`` or ``inserted``, and at which line."""

    edit: Edit
    action: str
    line: int


def dotted(path: Path_) -> str:
    """``('components', 3, 'repoURL')`` -> ``components[3].repoURL``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _compose(text: str) -> yaml.Node:
    try:
        node = yaml.compose(text, Loader=yamlio.SafeLoader)
    except yaml.YAMLError as exc:
        raise KfbootError(f"cannot edit: the file is not valid YAML: {exc}") from None
    if not isinstance(node, yaml.MappingNode):
        raise KfbootError("cannot edit: the document is not a YAML mapping")
    return node


def _lookup(node: yaml.Node, key: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    """The (key node, value node) of ``key`` in a mapping, or of item ``key`` in a sequence."""
    if isinstance(key, int) and isinstance(node, yaml.SequenceNode):
        return (node.value[key], node.value[key]) if 0 <= key < len(node.value) else None
    if isinstance(key, str) and isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return key_node, value_node
    return None


def _parent(root: yaml.Node, path: Path_) -> yaml.MappingNode:
    node = root
    for depth, key in enumerate(path[:-1]):
        found = _lookup(node, key)
        if found is None:
            raise KfbootError(f"cannot edit: {dotted(path[: depth + 1])} is not in the file")
        node = found[1]
    if not isinstance(node, yaml.MappingNode):
        raise KfbootError(f"cannot edit: {dotted(path[:-1]) or 'the document'} is not a mapping")
    return node


def styled(value: str, style: str | None) -> str:
    """``value`` as YAML text in the old scalar's style, or quoted when that would misread it.

    Plain ``26.03`` reads back as a float and plain ``on`` as a boolean, so a plain value that is
    not safe becomes double-quoted (:func:`yamlio.scalar` decides); quoted styles stay quoted.
    """
    if style == "'" and _SINGLE_OK.match(value):
        return "'" + value.replace("'", "''") + "'"
    if style in ("'", '"'):
        return yamlio.quoted(value)
    return yamlio.scalar(value)


def _replace(text: str, path: Path_, node: yaml.Node, value: str) -> tuple[str, int]:
    where = f"{dotted(path)} (line {node.start_mark.line + 1})"
    if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
        raise KfbootError(f"cannot edit: {where} is not a string")
    if node.style in ("|", ">"):
        raise KfbootError(f"cannot edit: {where} is a block scalar; write it on one line")
    start, end = node.start_mark.index, node.end_mark.index
    if text[start] in "&!":
        raise KfbootError(f"cannot edit: {where} carries a YAML anchor or tag; edit it by hand")
    return text[:start] + styled(value, node.style) + text[end:], node.start_mark.line + 1


def _line_after(text: str, index: int) -> tuple[int, str]:
    """Where the line following ``index`` starts, and the line break in use there."""
    brk = _LINE_BREAK.search(text, index)
    if brk is None:
        eol = _LINE_BREAK.search(text)
        return len(text), eol.group() if eol else "\n"
    return brk.end(), brk.group()


@dataclass(frozen=True)
class _Slot:
    """Where a new ``key: value`` line goes: index, what precedes it, its break and indent."""

    at: int
    prefix: str
    eol: str
    indent: str
    line: int


def _slot(text: str, path: Path_, parent: yaml.MappingNode, after: str | None) -> _Slot:
    """The line after sibling ``after`` (past any end-of-line comment), else the first key's."""
    if parent.flow_style or not parent.value:
        raise KfbootError(f"cannot edit: {dotted(path)} would go into a flow mapping")
    sibling = _lookup(parent, after) if after is not None else None
    key_node, value_node = sibling or parent.value[0]
    indent = " " * key_node.start_mark.column
    if sibling is not None:
        if not isinstance(value_node, yaml.ScalarNode) or value_node.style in ("|", ">"):
            raise KfbootError(f"cannot edit: {after} is not a one-line value to insert after")
        at, eol = _line_after(text, value_node.end_mark.index)
        prefix = eol if at == len(text) and not text.endswith(("\n", "\r")) else ""
        return _Slot(at, prefix, eol, indent, value_node.end_mark.line + 2)
    at = key_node.start_mark.index - key_node.start_mark.column
    if text[at : key_node.start_mark.index].strip(" "):
        raise KfbootError(f"cannot edit: no place to insert {dotted(path)}")
    line = key_node.start_mark.line + 1
    # Comments right above the first key are about it: the new line goes above them.
    while (above := _comment_above(text, at)) is not None:
        at, line = above, line - 1
    return _Slot(at, "", _line_after(text, at)[1], indent, line)


def _comment_above(text: str, at: int) -> int | None:
    """Where the line before the one starting at ``at`` starts, if it is a comment-only line."""
    brk = re.search(r"(?:\r\n|\r|\n)\Z", text[:at])
    if brk is None:
        return None
    start = max(text.rfind("\n", 0, brk.start()), text.rfind("\r", 0, brk.start())) + 1
    return start if text[start : brk.start()].lstrip(" ").startswith("#") else None


def _insert(text: str, path: Path_, parent: yaml.MappingNode, edit: Edit) -> tuple[str, int]:
    slot = _slot(text, path, parent, edit.after)
    new_line = f"{slot.prefix}{slot.indent}{yamlio.scalar(path[-1])}: {yamlio.scalar(edit.value)}"
    # A file that ended without a line break still does: the break goes before the new line.
    end = "" if slot.prefix else slot.eol
    return text[: slot.at] + new_line + end + text[slot.at :], slot.line


def apply(text: str, edits: list[Edit]) -> tuple[str, list[Done]]:
    """Apply ``edits`` one after the other (each re-parses the text: indexes stay exact)."""
    done = []
    for edit in edits:
        parent = _parent(_compose(text), edit.path)
        found = _lookup(parent, edit.path[-1])
        if found is not None:
            text, line = _replace(text, edit.path, found[1], edit.value)
            done.append(Done(edit, "replaced", line))
        else:
            text, line = _insert(text, edit.path, parent, edit)
            done.append(Done(edit, "inserted", line))
    return text, done


def _assign(data: Any, path: Path_, value: str) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def verify(old_text: str, new_text: str, edits: list[Edit]) -> None:
    """Re-parse both texts and confirm that exactly the edited values changed, as strings."""
    old, _ = yamlio.load_with_positions(old_text)
    new, _ = yamlio.load_with_positions(new_text)
    expected = copy.deepcopy(old)
    for edit in edits:
        _assign(expected, edit.path, edit.value)
    if new != expected or not all(_is_str_at(new, e.path, e.value) for e in edits):
        raise KfbootError(
            "internal error: the edited file does not read back as intended; nothing was written"
        )


def _is_str_at(data: Any, path: Path_, value: str) -> bool:
    for key in path:
        data = data[key]
    return isinstance(data, str) and data == value


def has_key(text: str, *path: str | int) -> bool:
    """Whether the document spells out ``path`` (rather than leaving it to a default)."""
    node: yaml.Node | None = _compose(text)
    for key in path:
        found = _lookup(node, key) if node is not None else None
        node = found[1] if found else None
    return node is not None
