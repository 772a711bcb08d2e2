"""Positions between promisesite and an editor. promisesite counts lines from 1 and columns in
characters (code points); the Language Server Protocol counts from 0 and, unless the client says
otherwise, columns in UTF-16 code units, so `é` is one and `😀` is two. Every position crosses here."""

from __future__ import annotations

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec


class Lines:
    """A document's lines, and the conversions of positions in them."""

    def __init__(self, text: str, codec: PositionCodec):
        self.lines = text.split("\n")
        self.codec = codec

    def text(self, line: int) -> str:
        return self.lines[line].rstrip("\r") if 0 <= line < len(self.lines) else ""

    def client(self, line: int, character: int) -> types.Position:
        """A position in code points (0-based) as the client counts it."""
        return self.codec.position_to_client_units(self.lines, types.Position(line=line, character=character))

    def server_position(self, position: types.Position) -> tuple[int, int]:
        """A client's position as a line and a column in code points (0-based)."""
        found = self.codec.position_from_client_units(self.lines, position)
        return found.line, found.character

    def finding_range(self, line: int, column: int) -> types.Range:
        """From a finding's 1-based line and column to the end of the word or value it points at."""
        row = max(line - 1, 0)
        text = self.text(row)
        start = min(max(column - 1, 0), len(text))
        end = len(text.rstrip())
        if text[start:].split(" #")[0].strip():
            end = start + len(text[start:].split(" #")[0].rstrip())
        if end <= start:
            end = len(text)
        return types.Range(start=self.client(row, start), end=self.client(row, end))


def minimal_edit(old: str, new: str, lines: Lines) -> types.TextEdit:
    """One edit that turns `old` into `new`: the span between their common start and end."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    return types.TextEdit(
        range=types.Range(start=_position(old, start, lines), end=_position(old, end_old, lines)),
        new_text=new[start:end_new],
    )


def _position(text: str, index: int, lines: Lines) -> types.Position:
    line = text.count("\n", 0, index)
    column = index - (text.rfind("\n", 0, index) + 1)
    return lines.client(line, column)
