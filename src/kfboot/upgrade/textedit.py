"""Write the merged catalog by editing the user's text in place.

Walking the user's document and the merged data side by side finds the smallest nodes that
differ: a mapping key whose value changed, a key or a keyed list item (a component, a wave)
added or removed. Only those lines change. A changed or added node whose merged value is
exactly the new preset's takes the preset's own text, comments included (re-indented); any
other takes kfboot's one dumper (:func:`kfboot.yamlio.block`). A one-line scalar is spliced
where it stands, so an end-of-line comment stays. Every other byte of the file is kept; the
caller re-parses the result and compares it with the merged data.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

import yaml

from kfboot import yamlio
from kfboot.upgrade.merge import KEYED, Path_, _canon, _shape


@dataclass(frozen=True)
class Doc:
    """A YAML text, its composed tree and its lines (with their breaks)."""

    text: str
    root: yaml.MappingNode
    lines: list[str]

    @classmethod
    def parse(cls, text: str) -> Doc:
        root = yaml.compose(text, Loader=yamlio.SafeLoader)
        assert isinstance(root, yaml.MappingNode)
        return cls(text, root, text.splitlines(keepends=True))

    def offset(self, line: int) -> int:
        return sum(len(x) for x in self.lines[:line])


@dataclass(frozen=True)
class _Op:
    start: int  # character offsets in the user's text
    end: int
    text: str


def _last_line(doc: Doc, node: yaml.Node) -> int:
    """The 0-based line of the node's last character (trailing comments not included)."""
    if isinstance(node, yaml.MappingNode) and node.value and not node.flow_style:
        return _last_line(doc, node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
        return _last_line(doc, node.value[-1])
    head = doc.text[: node.end_mark.index].rstrip()
    return head.count("\n") if "\r" not in head else len(head.splitlines()) - 1


def data(node: yaml.Node) -> Any:
    """The plain data a node holds, read as every catalog is read."""
    return yamlio._build(node, (), yamlio.Positions({}, {}))


def _item_key(node: yaml.Node, key: str) -> Any:
    for k, v in node.value if isinstance(node, yaml.MappingNode) else []:
        if k.value == key:
            return data(v)
    return None


def find(root: yaml.Node, path: Path_) -> tuple[yaml.Node | None, yaml.Node] | None:
    """The (key node, value node) at a path of mapping keys and keyed items."""
    key_node: yaml.Node | None = None
    node = root
    for step in path:
        if isinstance(step, tuple):
            if not isinstance(node, yaml.SequenceNode):
                return None
            hits = [item for item in node.value if _item_key(item, step[0]) == step[1]]
            if not hits:
                return None
            key_node, node = None, hits[0]
        elif isinstance(step, str) and isinstance(node, yaml.MappingNode):
            pair = next((p for p in node.value if p[0].value == step), None)
            if pair is None:
                return None
            key_node, node = pair
        else:
            return None
    return key_node, node


def _comments_above(doc: Doc, line: int) -> int:
    """The first line of the comment-only lines directly above ``line``."""
    while line > 0 and doc.lines[line - 1].lstrip(" ").startswith("#"):
        line -= 1
    return line


def _reindent(lines: list[str], by: int) -> str:
    if by >= 0:
        return "".join(" " * by + x if x.strip() else x for x in lines)
    return "".join(x[min(-by, len(x) - len(x.lstrip(" "))) :] for x in lines)


@dataclass
class Editor:
    """Collects the edits that turn the user's document into the merged data."""

    user: Doc
    target: Doc
    ops: list[_Op]

    def walk(self, node: yaml.Node, merged: Any, path: Path_) -> None:
        held = data(node)
        if _canon(held) == _canon(merged):
            return
        key = KEYED.get(_shape(path))
        if isinstance(node, yaml.MappingNode) and not node.flow_style and isinstance(merged, dict):
            self._mapping(node, held, merged, path)
        elif key and isinstance(node, yaml.SequenceNode) and not node.flow_style:
            self._keyed(node, held, merged, path, key)
        elif isinstance(node, yaml.SequenceNode) and node.value and not node.flow_style:
            if not isinstance(merged, list) or not merged:
                raise _Replace
            self._items(node, held, merged, path)
        else:
            raise _Replace

    def _mapping(self, node: yaml.MappingNode, held: Any, merged: Any, path: Path_) -> None:
        previous = None
        for key_node, value_node in node.value:
            key = key_node.value
            if key not in merged:
                self._delete(key_node, value_node)
                continue
            try:
                self.walk(value_node, merged[key], (*path, key))
            except _Replace:
                self._replace(key_node, value_node, merged[key], (*path, key))
        for key, value in merged.items():
            if key in held:
                previous = key  # new keys go after the last key the file already has
                continue
            after = find(node, (previous,)) if previous else None
            anchor = after[1] if after else node.value[-1][1]
            self._insert(anchor, node.value[0][0].start_mark.column, (*path, key), key, value)

    def _keyed(
        self, node: yaml.SequenceNode, held: Any, merged: Any, path: Path_, key: str
    ) -> None:
        mine = {item.get(key): n for item, n in zip(held, node.value, strict=True)}
        kept = {item.get(key) for item in merged}
        for name, item_node in mine.items():
            if name not in kept:
                self._delete(None, item_node)
        previous = None
        for item in merged:
            name = item.get(key)
            if name in mine:
                self.walk(mine[name], item, (*path, (key, name)))
            else:
                anchor = mine[previous] if previous is not None else None
                self._insert_item(node, anchor, (*path, (key, name)), item)
            previous = name if name in mine else previous

    def _items(self, node: yaml.SequenceNode, held: Any, merged: Any, path: Path_) -> None:
        """A list edited item by item (a diff of the user's items to the merged ones), so
        the comments between the items that stay are kept."""
        matcher = difflib.SequenceMatcher(
            None, [_canon(x) for x in held], [_canon(x) for x in merged], autojunk=False
        )
        col = node.value[0].start_mark.column
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            text = self._target_run(path, merged[j1:j2], col)
            if i1 < i2:
                first = node.value[i1].start_mark.line
                if j1 < j2:  # replaced: the new items' comments replace the old ones'
                    first = _comments_above(self.user, first)
                start = self.user.offset(first)
                end = self.user.offset(_last_line(self.user, node.value[i2 - 1]) + 1)
            elif i1 > 0:
                start = end = self.user.offset(_last_line(self.user, node.value[i1 - 1]) + 1)
            else:
                start = end = self.user.offset(_comments_above(self.user, node.start_mark.line))
            self.ops.append(_Op(start, end, text))

    def _target_run(self, path: Path_, items: list[Any], col: int) -> str:
        """The lines of ``items``: the preset's own (with their comments) when it lists them
        together at ``path``, else kfboot's dumper."""
        if not items:
            return ""
        found = find(self.target.root, path)
        seq = found[1] if found else None
        if isinstance(seq, yaml.SequenceNode) and not seq.flow_style:
            theirs = [_canon(data(n)) for n in seq.value]
            wanted = [_canon(x) for x in items]
            for k in range(len(theirs) - len(wanted) + 1):
                if theirs[k : k + len(wanted)] == wanted:
                    first = seq.value[k]
                    start = _comments_above(self.target, first.start_mark.line)
                    last = _last_line(self.target, seq.value[k + len(wanted) - 1])
                    lines = self.target.lines[start : last + 1]
                    return _reindent(lines, col - first.start_mark.column)
        return yamlio.block(items, col - 2).lstrip("\n") + "\n"

    def _target_text(self, path: Path_, value: Any, col: int, with_key: bool) -> str | None:
        """The preset's text of ``path`` re-indented to column ``col``, when its value is
        exactly ``value``; comment lines right above it come along."""
        found = find(self.target.root, path)
        if found is None:
            return None
        key_node, node = found
        if _canon(data(node)) != _canon(value):
            return None
        first = key_node if with_key and key_node is not None else node
        start = _comments_above(self.target, first.start_mark.line)
        lines = self.target.lines[start : _last_line(self.target, node) + 1]
        return _reindent(lines, col - first.start_mark.column)

    def _replace(self, key_node: yaml.Node, node: yaml.Node, value: Any, path: Path_) -> None:
        one_line = node.start_mark.line == _last_line(self.user, node) == key_node.start_mark.line
        if isinstance(node, yaml.ScalarNode) and one_line and not isinstance(value, dict | list):
            found = find(self.target.root, path)
            raw = yamlio.scalar(value)
            theirs = found[1] if found else None
            if (
                isinstance(theirs, yaml.ScalarNode)
                and _canon(data(theirs)) == _canon(value)
                and theirs.start_mark.line == theirs.end_mark.line
            ):
                raw = self.target.text[theirs.start_mark.index : theirs.end_mark.index]
            self.ops.append(_Op(node.start_mark.index, node.end_mark.index, raw))
            return
        col = key_node.start_mark.column
        text = self._target_text(path, value, col, with_key=True)
        if text is None:
            text = f"{' ' * col}{yamlio.scalar(key_node.value)}:{yamlio.block(value, col + 2)}\n"
        first = key_node.start_mark.line
        start = self.user.offset(first) + col if self.user.lines[first][:col].strip() else None
        if start is not None:  # the key shares its line with a list item's dash
            text = text[col:]
        else:
            start = self.user.offset(first)
        self.ops.append(_Op(start, self.user.offset(_last_line(self.user, node) + 1), text))

    def _delete(self, key_node: yaml.Node | None, node: yaml.Node) -> None:
        first = _comments_above(self.user, (key_node or node).start_mark.line)
        if key_node is None:  # a list item: its dash starts the line before the item's node
            first = _comments_above(self.user, node.start_mark.line)
        last = _last_line(self.user, node) + 1
        blank_above = first > 0 and not self.user.lines[first - 1].strip()
        if blank_above and (last >= len(self.user.lines) or not self.user.lines[last].strip()):
            first -= 1  # the blank line that separated it goes too
        self.ops.append(_Op(self.user.offset(first), self.user.offset(last), ""))

    def _insert(self, anchor: yaml.Node, col: int, path: Path_, key: str, value: Any) -> None:
        text = self._target_text(path, value, col, with_key=True)
        if text is None:
            text = f"{' ' * col}{yamlio.scalar(key)}:{yamlio.block(value, col + 2)}\n"
        at = self.user.offset(_last_line(self.user, anchor) + 1)
        self.ops.append(_Op(at, at, text))

    def _insert_item(
        self, seq: yaml.SequenceNode, anchor: yaml.Node | None, path: Path_, value: Any
    ) -> None:
        dash = seq.value[0].start_mark.column - 2 if seq.value else 2
        text = self._target_text(path, value, dash + 2, with_key=False)
        if text is None:
            body = yamlio.block([value], dash).lstrip("\n")
            text = body + "\n"
        # Items separated by a blank line (above their comments) get one too.
        second = _comments_above(self.user, seq.value[1].start_mark.line) if seq.value[1:] else 0
        spaced = second > 0 and not self.user.lines[second - 1].strip()
        if anchor is None:
            at = self.user.offset(_comments_above(self.user, seq.value[0].start_mark.line))
            text = text + ("\n" if spaced else "")
        else:
            at = self.user.offset(_last_line(self.user, anchor) + 1)
            text = ("\n" if spaced else "") + text
        self.ops.append(_Op(at, at, text))


class _Replace(Exception):
    """The node cannot be edited inside: its whole value is replaced."""


def rewrite(user_text: str, target_text: str, merged: Any) -> str:
    """The user's text edited to read as ``merged``."""
    user, target = Doc.parse(user_text), Doc.parse(target_text)
    editor = Editor(user, target, [])
    editor.walk(user.root, merged, ())
    text = user_text
    for op in sorted(editor.ops, key=lambda o: (o.start, o.end), reverse=True):
        text = text[: op.start] + op.text + text[op.end :]
    return text
