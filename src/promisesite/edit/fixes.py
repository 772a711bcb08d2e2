"""The safe fixes: changes to a promise file that say what its author already meant, and nothing
more. A fix never changes a meaning: it never moves a date or a status, never picks between two
readings, and leaves every byte outside the span it fixes as it was.

- a status written as a synonym (`done` → `delivered` or `accepted`, by the milestones the file
  already has; `in progress` → `promised`), P007;
- a field written as a synonym (`due_date` → `due`) when the field is not there yet, P004;
- a date written another way that can mean one day only (`15 Dec 2026`, `2026/12/15`), P102;
- text that YAML would cut at ` #`, quoted whole, P011;
- `tags` written as one line of text, made a list, P005;
- a list item folded into the one above by its indentation, indented as its siblings, P005.

`check --fix`, `check --fix --diff` and the language server's code actions use these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..findings import Finding
from ..model import Registry
from ..read.dates import unambiguous
from ..read.document import Document, parse_text
from ..read.promise import FIELD_MEANT, STATUS_MEANT, build_promise
from .source import EditRefused, PromiseSource, Span, quoted

MAX_ROUNDS = 50  # fixes applied one at a time, each from a fresh reading; a file never needs more


@dataclass(frozen=True)
class Fix:
    """One safe fix: the finding it answers, what it does in words, and the change itself."""

    finding: Finding
    says: str
    change: Callable[[PromiseSource], None]


def safe_fixes(text: str, rel: str, registry: Registry, today: dt.date) -> list[Fix]:
    """The safe fixes for the findings a file's reading gives, each for the text as it is now."""
    document = parse_text(text, rel)
    if not document.readable:
        return []
    _, findings = build_promise(document, registry, today)
    return [fix for finding in findings for fix in _fixes_for(finding, document)]


def fix_text(text: str, rel: str, registry: Registry, today: dt.date) -> tuple[str, list[Fix]]:
    """The text with every safe fix applied, one at a time (each from the text the one before left),
    and the fixes in the order they were applied."""
    applied: list[Fix] = []
    for _ in range(MAX_ROUNDS):
        fixes = safe_fixes(text, rel, registry, today)
        if not fixes:
            break
        try:
            source = PromiseSource(text)
            fixes[0].change(source)
        except EditRefused:
            break
        if source.text() == text:
            break
        text = source.text()
        applied.append(fixes[0])
    return text, applied


def _fixes_for(finding: Finding, document: Document) -> Iterator[Fix]:
    front = document.front or {}
    key = _key_at(document, finding.line)
    if finding.code == "P007" and key == "status":
        status = _status_meant(str(front.get("status", "")), front)
        if status:
            yield Fix(finding, f"`status: {front['status']}` → `status: {status}`", _set("status", status))
    elif finding.code == "P004" and key is not None and "." not in key:
        meant = FIELD_MEANT.get(key.lower().replace("-", "_"))
        if meant and meant not in front:
            yield Fix(finding, f"`{key}:` → `{meant}:`", lambda source: source.rename_key(key, meant))
    elif finding.code == "P102" and key is not None and "." not in key and isinstance(front.get(key), str):
        day = unambiguous(front[key].strip())
        if day is not None and day.isoformat() != front[key].strip():
            yield Fix(finding, f"`{key}: {front[key]}` → `{key}: {day}`", _set(key, day.isoformat()))
    elif finding.code == "P011":
        path = _path_at(document, finding.line)
        if path is not None and path in document.comments:
            yield Fix(
                finding, f"quoted the value of `{path}`, so that ` #{_rest(document, path)}` is kept", _quote(path)
            )
    elif finding.code == "P005" and key == "tags" and isinstance(front.get("tags"), str):
        tags = [tag.strip() for tag in front["tags"].replace(";", ",").split(",") if tag.strip()]
        listed = "[" + ", ".join(quoted(tag) if any(c in tag for c in ",[]{}#:'\"") else tag for tag in tags) + "]"
        yield Fix(
            finding, f"`tags: {front['tags']}` → `tags: {listed}`", lambda source: _set_raw(source, "tags", listed)
        )
    elif finding.code == "P005" and "runs on into a line that starts with `- `" in finding.message:
        yield Fix(
            finding, f"indented the list item on line {finding.line} as the items above it", _indent(finding.line)
        )


def _status_meant(written: str, front: dict) -> str:
    """The one status a synonym can mean here, or "": `done` is `accepted` when the file says when it
    was accepted, `delivered` when it says only when it was delivered, and a choice otherwise."""
    meant = STATUS_MEANT.get(written.strip().lower().replace("_", " ").replace("-", " "), ())
    if len(meant) == 1:
        return meant[0]
    for status in ("accepted", "delivered", "cancelled", "withdrawn"):
        if status in meant and front.get({"cancelled": "closed", "withdrawn": "closed"}.get(status, status)):
            return status
    return ""


def _key_at(document: Document, line: int) -> str | None:
    """The top-level key written on a line of the file, or None."""
    for key, (at, _) in document.positions.items():
        if at == line and "." not in key and not key.endswith(("=", "-", "#")):
            return key
    return None


def _path_at(document: Document, line: int) -> str | None:
    """The key or list item whose text YAML cut on this line (`title`, `done_when.1`)."""
    for path in document.comments:
        if document.positions.get(path, (0, 0))[0] == line or document.positions.get(path + "=", (0, 0))[0] == line:
            return path
    return None


def _rest(document: Document, path: str) -> str:
    return document.comments[path].lstrip("#")


def _set(key: str, value: str) -> Callable[[PromiseSource], None]:
    return lambda source: source.set_scalar(key, value)


def _set_raw(source: PromiseSource, key: str, text: str) -> None:
    source.replace(source.value_span(key), text)


def _quote(path: str) -> Callable[[PromiseSource], None]:
    """Quote the value at `path` with the text YAML dropped after it, up to the end of its line."""

    def change(source: PromiseSource) -> None:
        document = parse_text(source.value, "x.md")
        line, column = document.positions.get(path + "=") or document.positions[path]
        start = _offset(source.value, line, column)
        if path + "=" not in document.positions:  # `- item` or `key: value`: the value starts after it
            start = _value_start(source.value, start)
        comment_line = document.positions[path + "#"][0]
        end = source.line_end(_offset(source.value, comment_line, 1))
        written = source.value[start:end]
        whole = " ".join(part.strip() for part in written.splitlines())
        source.replace(Span(start, end), quoted(whole))

    return change


def _indent(line: int) -> Callable[[PromiseSource], None]:
    """Indent a folded `- …` line as the nearest list item above it."""

    def change(source: PromiseSource) -> None:
        start = _offset(source.value, line, 1)
        end = source.line_end(start)
        indent = ""
        above = start - 1
        while above > 0:
            begin = source.line_start(above)
            text = source.value[begin:above]
            if text.lstrip(" ").startswith("- "):
                indent = text[: len(text) - len(text.lstrip(" "))]
                break
            above = begin - 1
        source.replace(Span(start, end), indent + source.value[start:end].lstrip(" "))

    return change


def _offset(text: str, line: int, column: int) -> int:
    """The index of a 1-based line and column in the text."""
    start = 0
    for _ in range(line - 1):
        start = text.index("\n", start) + 1
    return start + column - 1


def _value_start(text: str, index: int) -> int:
    """Past `- ` or `key: ` at `index`, to the first character of the value."""
    rest = text[index:]
    if rest.startswith("-"):
        return index + len(rest) - len(rest[1:].lstrip(" ")) if rest[1:2] == " " else index
    colon = rest.find(":")
    after = rest[colon + 1 :]
    return index + colon + 1 + len(after) - len(after.lstrip(" "))
