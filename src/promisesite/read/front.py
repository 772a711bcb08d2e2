"""Front matter → plain values, with a position for every key and list item.

The YAML is composed by the safe loader (the C one when present) and then walked here, so that
keys are always text (`on:` is the key "on"), every scalar stays the text the author wrote
(dates are validated later, as text), tags outside the core schema are refused, and alias bombs
or absurd nesting stop at a budget instead of eating memory.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..model import Position

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's C parser when PyYAML has it


class Loader(_SafeLoader):  # type: ignore[misc, valid-type]
    """YAML's safe loader with every scalar read as text (nulls are told apart while walking).

    The implicit types of YAML 1.1 would only turn `on` into a boolean and dates into dates,
    which promise files must not have; skipping their regexes also makes parsing twice as
    fast. Explicit tags stay as written, so `!!python/...` is still seen and refused.
    """

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            return "tag:yaml.org,2002:str"
        return "tag:yaml.org,2002:seq" if kind is yaml.SequenceNode else "tag:yaml.org,2002:map"


MAX_DEPTH = 20  # a promise needs 3 levels (renegotiations → entry → key)
MAX_NODES = 20_000  # values in one front matter: far beyond any real promise
MAX_ALIASED = 10_000  # values reached a second time through `*aliases`: far below an alias bomb
_CORE_TAGS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")
)
_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


class YamlRefused(Exception):
    """YAML that cannot be read as plain data; the message says what to write instead."""

    def __init__(self, message: str, position: Position):
        super().__init__(message)
        self.position = position


def load_yaml(
    text: str, line_offset: int = 1, max_nodes: int = MAX_NODES, comments: dict[str, str] | None = None
) -> tuple[Any, dict[str, Position]]:
    """Plain values (every scalar as its text, nulls as None) and the position of every key and item.

    `line_offset` is the file line of the text's first line, so positions are file positions.
    At most `max_nodes` distinct values, and at most MAX_ALIASED values reached again through aliases.
    `comments` receives, by path, the ` #…` that ends a plain value's line (YAML drops it).
    """
    try:
        root = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as error:
        # The context is where the broken construct began (the key whose value is an unclosed `[`),
        # except for a tab, which is exactly where the problem is.
        tab = "tab" in (error.problem or "")
        mark = (error.problem_mark if tab else None) or error.context_mark or error.problem_mark
        position = (mark.line + line_offset, mark.column + 1) if mark else (1, 1)
        problem = error.problem or error.context or "invalid YAML"
        raise YamlRefused(
            f"not valid YAML ({problem}): {_yaml_hint(text, position[0] - line_offset)}", position
        ) from None
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        raise YamlRefused(f"not valid YAML ({error}): write plain `key: value` lines", (1, 1)) from None
    if root is None:
        return None, {}
    positions: dict[str, Position] = {}
    walker = _Walker(positions, line_offset, max_nodes, text)
    walker.comments = comments if comments is not None else {}
    return walker.value(root, "", 0), positions


def declared(text: str, key: str) -> Any:
    """One top-level value of a YAML mapping (a config's `source:`), or None when the text is not one;
    read for a search or a comparison, its errors left to the full read."""
    try:
        data, _ = load_yaml(text)
    except YamlRefused:
        return None
    return data.get(key) if isinstance(data, dict) else None


def _yaml_hint(yaml_text: str, index: int) -> str:
    lines = yaml_text.split("\n")
    line = lines[index] if 0 <= index < len(lines) else ""
    if "\t" in line[: len(line) - len(line.lstrip())]:
        return "indent with spaces, not tabs"
    key, _, value = line.partition(": ")
    opener = value.strip()[:1]
    if opener in ("[", "{") and {"[": "]", "{": "}"}[opener] not in value:
        rest = value.strip()[1:].strip()
        return (
            f"`{opener}` opens a {'list' if opener == '[' else 'mapping'} that is never closed: delete it "
            f"(`{key.strip()[:40]}: {rest[:60]}`), or quote the whole value if the `{opener}` is part of the text"
        )
    if value[:1] in ("[", "{", "*", "&", "!", "%", "@", "`") or ": " in value or " #" in value:
        key, value = key.strip()[:40], value.strip()
        shown = value if len(value) <= 60 else value[:57] + "…"
        escaped = shown.replace("\\", "\\\\").replace('"', '\\"')
        return f'quote the value in double quotes, e.g. `{key}: "{escaped}"`'
    return "check the indentation and quote any value that contains `: ` or ` #`"


class _Walker:
    """Turns composed YAML nodes into plain values, recording where each key and item stands."""

    def __init__(self, positions: dict[str, Position], line_offset: int, max_nodes: int, text: str = ""):
        self.positions = positions
        self.lines = text.splitlines()
        self.line_offset = line_offset
        self.max_nodes = max_nodes
        self.seen: set[int] = set()
        self.aliased = 0
        self.comments: dict[str, str] = {}

    def at(self, node: yaml.Node) -> Position:
        return node.start_mark.line + self.line_offset, node.start_mark.column + 1

    def folded_item(self, first: int, last: int) -> tuple[int, int] | None:
        """Where a line `- …` was folded into the plain text above it (a list item indented too far
        or not far enough), between lines `first` and `last` (0-based)."""
        for number in range(first, min(last, len(self.lines) - 1) + 1):
            stripped = self.lines[number].lstrip()
            if stripped.startswith("- "):
                return number, len(self.lines[number]) - len(stripped)
        return None

    def cut_by_comment(self, node: yaml.ScalarNode, path: str) -> None:
        """Where a plain value's line goes on with ` #…`, which YAML drops as a comment, or the value
        goes on in a comment line indented under it (`title: Login bug` then `  #4512 fixed`):
        recorded as `path#` (the position of the `#`), so that text cut short is never dropped in silence."""
        end = node.end_mark
        line = self.lines[end.line] if end.line < len(self.lines) else ""
        rest = line[end.column :]
        stripped = rest.lstrip(" \t")
        if stripped.startswith("#") and len(stripped) < len(rest):
            column = end.column + len(rest) - len(stripped)
        elif not stripped and end.line + 1 < len(self.lines):
            own = self.lines[node.start_mark.line]
            following = self.lines[end.line + 1]
            stripped = following.lstrip(" \t")
            indent = len(following) - len(stripped)
            if not stripped.startswith("#") or indent <= len(own) - len(own.lstrip(" \t")):
                return
            column, end = indent, type(end)(end.name, end.index, end.line + 1, indent, end.buffer, end.pointer)
        else:
            return
        self.positions[path + "#"] = (end.line + self.line_offset, column + 1)
        self.comments[path] = stripped.rstrip()

    def value(self, node: yaml.Node, path: str, depth: int) -> Any:
        if id(node) in self.seen:
            self.aliased += 1
            if self.aliased > MAX_ALIASED:
                raise YamlRefused(
                    f"`*aliases` repeat more than {MAX_ALIASED:,} values (an alias bomb?): write the "
                    "values out plainly, without `&anchors` and `*aliases`",
                    self.at(node),
                )
        else:
            self.seen.add(id(node))
            if len(self.seen) > self.max_nodes:
                raise YamlRefused(
                    f"the YAML holds more than {self.max_nodes:,} values: a promise needs a few "
                    "dozen; move long material into the Markdown body",
                    self.at(node),
                )
        if depth > MAX_DEPTH:
            raise YamlRefused(
                f"the YAML nests deeper than {MAX_DEPTH} levels: a promise needs at most 3", self.at(node)
            )
        if node.tag not in _CORE_TAGS:
            raise YamlRefused(
                f"the tag {node.tag!r} is not allowed: this file holds plain data, so remove the "
                "tag and write the value as text",
                self.at(node),
            )
        positions, offset = self.positions, self.line_offset
        if isinstance(node, yaml.ScalarNode):
            start = node.start_mark
            if path and not node.style and node.value:
                self.cut_by_comment(node, path)
            if path and start.line == node.end_mark.line:
                quote = 1 if node.style in ("'", '"') else 0
                positions[path + "="] = (start.line + offset, start.column + 1 + quote)
            elif path and not node.style:
                folded = self.folded_item(start.line + 1, node.end_mark.line)
                if folded is not None:
                    positions[path + "-"] = (folded[0] + offset, folded[1] + 1)
            if not node.style and node.value in _NULLS and node.tag == _STR:  # C: "", Python: None
                return None  # `key:`, `key: ~`, `key: null` (plain, untagged)
            return None if node.tag == _NULL else node.value
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                item_path = f"{path}.{index}"
                mark = item.start_mark
                positions[item_path] = (mark.line + offset, mark.column + 1)
                items.append(self.value(item, item_path, depth + 1))
            return items
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlRefused("a key is a list or mapping: write keys as plain words", self.at(key_node))
            key = key_node.value
            key_path = f"{path}.{key}" if path else key
            if key in mapping:
                first = positions[key_path][0]
                raise YamlRefused(
                    f"the key {key!r} appears twice (lines {first} and {self.at(key_node)[0]}): keep one",
                    self.at(key_node),
                )
            mark = key_node.start_mark
            positions[key_path] = (mark.line + offset, mark.column + 1)
            mapping[key] = self.value(value_node, key_path, depth + 1)
        return mapping
