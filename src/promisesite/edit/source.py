"""A promise file as text that can be changed in place: each change replaces one span of the front
matter, and every byte outside the changed spans stays as it was (comments, key order, quoting
style, blank lines, the body, the line endings and a byte-order mark).

The spans come from YAML's own reading of the front matter (its nodes' start and end), so a
change lands exactly on a key or a value, however the author wrote it. `--fix`, the lifecycle
commands and the language server's code actions all edit through this one class.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import yaml

_OPEN = re.compile(r"---[ \t]*\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


_PLAIN = re.compile(r"[A-Za-z0-9(][^:#\n]*")  # safe as a plain YAML scalar (no `: ` or ` #`)
_RESERVED = {"yes", "no", "on", "off", "true", "false", "null", "~", "y", "n"}


def scalar(value: str) -> str:
    """A value as YAML writes it plainly when that is safe, else double-quoted (JSON is valid YAML)."""
    if _PLAIN.fullmatch(value) and value == value.strip() and value.lower() not in _RESERVED:
        return value
    return json.dumps(value, ensure_ascii=False)


class EditRefused(Exception):
    """A file this editor will not change: the reason says what to do instead."""


class _Loader(yaml.SafeLoader):
    """The pure-Python safe loader (its marks count characters of the text), every scalar as text."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            return "tag:yaml.org,2002:str"
        return "tag:yaml.org,2002:seq" if kind is yaml.SequenceNode else "tag:yaml.org,2002:map"


@dataclass(frozen=True)
class Span:
    """Characters `start` to `end` of the normalised text (LF line ends, no BOM)."""

    start: int
    end: int


class PromiseSource:
    """One promise file's text, changed span by span; `text()` gives it back as it was written,
    with only the changed spans different."""

    def __init__(self, raw: str):
        self.bom = raw.startswith("\ufeff")
        body = raw[1:] if self.bom else raw
        self.crlf = "\r\n" in body
        if self.crlf and body.count("\r\n") != body.count("\n"):
            raise EditRefused("the file mixes CRLF and LF line ends: save it with one kind, then run this again")
        self.value = body.replace("\r\n", "\n") if self.crlf else body
        self._parse()

    def text(self) -> str:
        out = self.value.replace("\n", "\r\n") if self.crlf else self.value
        return ("\ufeff" if self.bom else "") + out

    # --- reading the spans ------------------------------------------------------------------

    def _parse(self) -> None:
        opening = _OPEN.match(self.value)
        closing = _CLOSE.search(self.value, opening.end()) if opening else None
        if not opening or not closing:
            raise EditRefused("the file has no front matter between two `---` lines: write it by hand first")
        self.front_start, self.front_end = opening.end(), closing.start()
        try:
            root = yaml.compose(self.value[self.front_start : self.front_end], Loader=_Loader)
        except yaml.YAMLError as error:
            raise EditRefused(f"the front matter is not valid YAML ({error}): fix it by hand first") from None
        if root is not None and not isinstance(root, yaml.MappingNode):
            raise EditRefused("the front matter is not a set of `key: value` lines: fix it by hand first")
        self.root = root
        self.keys: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key, value in root.value if root is not None else ():
            if isinstance(key, yaml.ScalarNode):
                self.keys.setdefault(key.value, (key, value))

    def _span(self, node: yaml.Node) -> Span:
        return Span(self.front_start + node.start_mark.index, self.front_start + node.end_mark.index)

    def has(self, key: str) -> bool:
        return key in self.keys

    def node(self, key: str) -> yaml.Node | None:
        found = self.keys.get(key)
        return found[1] if found else None

    def value_of(self, key: str) -> str | None:
        """A top-level scalar's text (as YAML reads it), or None."""
        node = self.node(key)
        return node.value if isinstance(node, yaml.ScalarNode) else None

    def key_span(self, key: str) -> Span:
        return self._span(self.keys[key][0])

    def value_span(self, key: str) -> Span:
        """The value's characters; for a value YAML reads as empty (`key:`), the place right after the colon."""
        key_node, value = self.keys[key]
        span = self._span(value)
        if span.start == span.end or (isinstance(value, yaml.ScalarNode) and value.value == "" and not value.style):
            end = self._span(key_node).end
            colon = self.value.index(":", end)
            return Span(colon + 1, colon + 1)
        return span

    def line_end(self, index: int) -> int:
        """The index of the line end at or after `index` (its `\\n`, or the end of the text)."""
        found = self.value.find("\n", index)
        return len(self.value) if found == -1 else found

    def line_start(self, index: int) -> int:
        return self.value.rfind("\n", 0, index) + 1

    def position(self, index: int) -> tuple[int, int]:
        """The 1-based line and column of a character, as findings give them."""
        line = self.value.count("\n", 0, index) + 1
        return line, index - self.line_start(index) + 1

    # --- changing them -----------------------------------------------------------------------

    def replace(self, span: Span, text: str) -> None:
        self.value = self.value[: span.start] + text + self.value[span.end :]
        self._parse()

    def set_scalar(self, key: str, value: str) -> None:
        """`key: value` with the value written as YAML writes it plainly, or quoted when it must be;
        a key that is absent is added before the end of the front matter."""
        if key not in self.keys:
            self.insert_lines([f"{key}: {scalar(value)}"])
            return
        span = self.value_span(key)
        text = scalar(value)
        if span.start == span.end:
            text = " " + text
        self.replace(span, text)

    def rename_key(self, old: str, new: str) -> None:
        self.replace(self.key_span(old), new)

    def remove_key(self, key: str) -> None:
        """The key's lines, from its line's start to the end of its value's last line."""
        key_span, value_span = self.key_span(key), self.value_span(key)
        start = self.line_start(key_span.start)
        end = self.line_end(max(value_span.end - 1, key_span.end))
        self.replace(Span(start, min(end + 1, len(self.value))), "")

    def insert_lines(self, lines: list[str], after: str | None = None) -> None:
        """Lines added after `after`'s key and value (or at the end of the front matter)."""
        if after is not None and after in self.keys:
            span = self.value_span(after)
            at = self.line_end(max(span.end - 1, self.key_span(after).end)) + 1
            at = min(at, self.front_end)
        else:
            at = self.front_end
        self.replace(Span(at, at), "".join(line + "\n" for line in lines))

    def append_entry(self, key: str, entry: list[str]) -> None:
        """One more entry (its `key: value` lines, unindented) at the end of a block list of mappings,
        indented as the entries before it; the list is made when there is none."""
        node = self.node(key)
        if node is None or (isinstance(node, yaml.ScalarNode) and node.value == ""):
            if node is not None:
                self.remove_key(key)
            self.insert_lines([f"{key}:", *_item(entry, "  ")])
            return
        if not isinstance(node, yaml.SequenceNode) or node.flow_style:
            raise EditRefused(f"`{key}` is not a list written one entry per line: edit it by hand")
        items = node.value
        if items:
            first = self._span(items[0])
            indent = self.value[self.line_start(first.start) : first.start]
            dash = indent.rstrip(" ")
            prefix = dash[: len(dash) - 1] if dash.endswith("-") else indent
            at = self.line_end(self._span(items[-1]).end - 1) + 1
        else:
            prefix, at = "  ", self.line_end(self.key_span(key).end) + 1
        self.replace(Span(at, at), "".join(line + "\n" for line in _item(entry, prefix)))

    def append_item(self, key: str, text: str) -> None:
        """One more text item at the end of a block list of text (`done_when`, `risks`)."""
        node = self.node(key)
        if not isinstance(node, yaml.SequenceNode) or node.flow_style or not node.value:
            raise EditRefused(f"`{key}` is not a list written one item per line: edit it by hand")
        first = self._span(node.value[0])
        indent = self.value[self.line_start(first.start) : first.start]
        at = self.line_end(self._span(node.value[-1]).end - 1) + 1
        self.replace(Span(at, at), f"{indent}{scalar(text)}\n")


def _item(lines: list[str], prefix: str) -> list[str]:
    """`  - first: …` then `    second: …`: one entry of a block list, at `prefix`."""
    return [f"{prefix}{'- ' if index == 0 else '  '}{line}" for index, line in enumerate(lines)]


def quoted(text: str) -> str:
    """Text in double quotes, as YAML and JSON both read it."""
    return json.dumps(text, ensure_ascii=False)
