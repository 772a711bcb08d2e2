"""Promise files → `Document`s: the front matter as plain values with positions, and the body.

A leading BOM is ignored and CRLF line ends are read as LF. Every problem of reading becomes a
finding on the document (P001 unreadable, P002 no front matter, P003 bad YAML).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..findings import Finding
from ..model import Position
from ..rules.reading import BAD_YAML, NO_FRONT_MATTER, UNREADABLE
from .files import Unreadable, read_bounded
from .front import YamlRefused, load_yaml

_OPEN = re.compile(r"---[ \t]*\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_FRONT_MATTER_HINT = (
    "start the file with a line `---`, then the fields (`title: …`, `promiser: …`), "
    "then a line `---`, then the Markdown body"
)


@dataclass
class Document:
    """One promise file as read: its front matter values, their positions, the body."""

    path: str
    front: dict[str, Any] | None = None  # None when the file could not be read as front matter
    positions: dict[str, Position] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    findings: list[Finding] = field(default_factory=list)
    digest: str = ""  # SHA-256 of the bytes read ("" when none were): what this document was made from
    comments: dict[str, str] = field(default_factory=dict)  # path → the ` #…` YAML dropped after a plain value

    @property
    def readable(self) -> bool:
        return self.front is not None


def read_document(path: Path, rel: str, root: Path | None = None, limit: int | None = None) -> Document:
    """Read one promise file; every problem becomes a finding on the returned document. A file of
    more than `limit` bytes is not read at all, nor is anything that is not a regular file."""
    raw = read_bounded(path, limit, root)
    if isinstance(raw, Unreadable):
        return _unreadable(rel, raw.reason)
    doc = parse_bytes(raw, rel)
    doc.digest = hashlib.sha256(raw).hexdigest()
    return doc


def parse_bytes(raw: bytes, rel: str) -> Document:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return _unreadable(rel, "is UTF-16 text: save it as UTF-8, which every editor offers")
    if b"\0" in raw:
        line = raw[: raw.index(b"\0")].count(b"\n") + 1
        return _unreadable(
            rel,
            f"contains a NUL byte on line {line}, so it is binary, not text: save the promise as UTF-8 text",
            (line, 1),
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return _unreadable(
            rel,
            f"is not UTF-8 text (byte 0x{raw[error.start]:02X} on line {line}): save it "
            "as UTF-8, which every editor offers",
            (line, column),
        )
    return parse_text(text, rel)


def read_body(path: Path) -> str:
    """Only the Markdown body of a file already checked: the front matter is skipped, not parsed."""
    raw = read_bounded(path)
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else ""
    except UnicodeDecodeError:
        return ""  # changed since it was checked; the next build reports it
    text, _, closing = _front_matter(text)
    return text[closing.end() + 1 :] if closing else ""


def _front_matter(text: str) -> tuple[str, re.Match | None, re.Match | None]:
    """The text with a BOM and CRLFs normalised, and where its front matter opens and closes."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    opening = _OPEN.match(text)
    return text, opening, _CLOSE.search(text, opening.end()) if opening else None


def parse_text(text: str, rel: str) -> Document:
    text, opening, closing = _front_matter(text)
    if not opening:
        return Document(
            rel,
            findings=[
                NO_FRONT_MATTER.at(rel, (1, 1), f"the file does not start with front matter: {_FRONT_MATTER_HINT}")
            ],
        )
    if not closing:
        return Document(
            rel,
            findings=[
                NO_FRONT_MATTER.at(
                    rel,
                    (1, 1),
                    "the front matter opened by `---` on line 1 is never closed: add a line `---` "
                    "after the last field, before the Markdown body",
                )
            ],
        )
    yaml_text = text[opening.end() : closing.start()]
    body_line = yaml_text.count("\n") + 3  # opening line, the YAML, the closing line
    body = text[closing.end() + 1 :]
    doc = Document(rel, body=body, body_line=body_line)
    try:
        front, positions = load_yaml(yaml_text, line_offset=2, comments=doc.comments)
    except YamlRefused as refused:
        doc.findings.append(BAD_YAML.at(rel, refused.position, f"front matter: {refused}"))
        return doc
    if front is None:
        doc.findings.append(
            BAD_YAML.at(
                rel,
                (1, 1),
                "the front matter is empty: write at least title, promiser, customer, status, due and done_when",
            )
        )
    elif not isinstance(front, dict):
        doc.findings.append(
            BAD_YAML.at(rel, (2, 1), "the front matter is not a set of fields: write one `key: value` per line")
        )
    else:
        doc.front, doc.positions = front, positions
    return doc


def _unreadable(rel: str, message: str, position: Position = (1, 1)) -> Document:
    return Document(rel, findings=[UNREADABLE.at(rel, position, f"the file {message}")])
