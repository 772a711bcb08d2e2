"""Promise files → `Document`s: front matter as plain values with a position for every key.

The front matter is composed by YAML's safe loader (the C one when present) and then
walked here, so that keys are always text (`on:` is the key "on"), every scalar stays the
text the author wrote (dates are validated later, as text), tags outside the core schema
are refused, and alias bombs or absurd nesting stop at a budget instead of eating memory.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .findings import Finding
from .model import Position
from .rules.fields import BAD_YAML, NO_FRONT_MATTER, UNREADABLE

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
_CORE_TAGS = frozenset("tag:yaml.org,2002:" + name for name in
                       ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge"))
_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_OPEN = re.compile(r"---[ \t]*\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_FRONT_MATTER_HINT = ("start the file with a line `---`, then the fields (`title: …`, `promiser: …`), "
                      "then a line `---`, then the Markdown body")


@dataclass
class Document:
    """One promise file as read: its front matter values, their positions, the body."""

    path: str
    front: dict[str, Any] | None = None  # None when the file could not be read as front matter
    positions: dict[str, Position] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    findings: list[Finding] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return self.front is not None


@dataclass
class Sources:
    """What a walk of a folder found: the promise files, and the entries it could not read."""

    files: dict[str, Path] = field(default_factory=dict)  # repository-relative path → file, in path order
    problems: dict[str, str] = field(default_factory=dict)  # path → why it cannot be read (P001)

    def findings(self) -> list[Finding]:
        return [UNREADABLE.at(rel, (1, 1), f"the {message}") for rel, message in self.problems.items()]


def walk(folder: Path, prefix: str = "") -> Sources:
    """Every `*.md` below a folder with its path relative to it (after `prefix`), in path order.

    Links to folders are not followed and folders that cannot be read are not skipped in silence:
    each is a problem on its own path. A name that is not UTF-8 is shown with its bytes escaped.
    """
    found = Sources()
    pending = [(os.fspath(folder), prefix)]
    while pending:  # a stack, not recursion: any depth of folders
        pending.extend(_visit(*pending.pop(), found))
    found.files = dict(sorted(found.files.items()))
    found.problems = dict(sorted(found.problems.items()))
    return found


def _visit(directory: str, prefix: str, found: Sources) -> list[tuple[str, str]]:
    """Take in one folder's files; return its sub-folders to visit."""
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as error:
        found.problems[prefix.rstrip("/") or "."] = (f"folder cannot be read ({error.strerror or error}), so the "
                                                     "promises in it were not checked: make it readable")
        return []
    folders = []
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        shown = printable_name(name)
        rel = prefix + shown
        try:
            is_link = entry.is_symlink()
            is_dir = entry.is_dir(follow_symlinks=not is_link) or (is_link and _links_to_folder(entry.path))
        except OSError:
            is_dir = False
        if shown != name and (is_dir or name.endswith(".md")):
            found.problems[rel] = (f"name is not UTF-8 ({shown}), so it cannot be shown or linked: rename it "
                                   "with UTF-8 letters, digits and `-`")
        elif is_dir and is_link:
            found.problems[rel] = (f"folder is a symbolic link (to {_target(entry.path)}), which promisesite does "
                                   "not follow: move the promise files into this repository's source folder")
        elif is_dir:
            folders.append((entry.path, rel + "/"))
        elif name.endswith(".md"):
            found.files[rel] = Path(entry.path)
    return folders


def _links_to_folder(path: str) -> bool:
    try:
        return os.path.isdir(path)
    except OSError:  # pragma: no cover - isdir swallows these itself
        return False


def _target(path: str) -> str:
    try:
        return printable_name(os.readlink(path))
    except OSError:
        return "somewhere unreadable"


def printable_name(name: str) -> str:
    """A file name as text that can always be printed: bytes that are not UTF-8 escaped as `\\xNN`."""
    if not any("\udc80" <= char <= "\udcff" for char in name):
        return name
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def read_document(path: Path, rel: str, root: Path | None = None, limit: int | None = None) -> Document:
    """Read one promise file; every problem becomes a finding on the returned document. A file of
    more than `limit` bytes is not read at all, nor is anything that is not a regular file."""
    raw = read_bounded(path, limit, root)
    if isinstance(raw, Unreadable):
        return _unreadable(rel, raw.reason)
    return parse_bytes(raw, rel)


@dataclass(frozen=True)
class Unreadable:
    reason: str  # completes "the file …"


def read_bounded(path: Path, limit: int | None = None, root: Path | None = None) -> bytes | Unreadable:
    """The bytes of a regular file, read without following a link out of `root`, without blocking on a
    FIFO or device, and at most `limit` + 1 of them; or why it cannot be read."""
    if root is not None and path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return Unreadable("is a symbolic link that leads nowhere (to a missing file, or round in a loop): "
                              "remove it, or replace it with the promise file itself")
        if not target.is_relative_to(root.resolve()):
            return Unreadable(f"is a symbolic link to {printable_name(str(target))}, outside the repository, and "
                              "is not followed: copy the file into the repository instead")
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        return Unreadable(f"cannot be read ({error.strerror or error}): check that it is a file you may read")
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode)
                    or stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else "a folder"
                    if stat.S_ISDIR(mode) else "not a plain file")
            return Unreadable(f"is {kind}, not a regular file, and was not read: a promise is a text file; "
                              "remove it or rename it so that it does not end in `.md`")
        with open(descriptor, "rb", closefd=False) as handle:
            raw = handle.read() if limit is None else _read_at_most(handle, limit + 1)
    except OSError as error:
        return Unreadable(f"cannot be read ({error.strerror or error}): check that it is a file you may read")
    finally:
        os.close(descriptor)
    if limit is not None and len(raw) > limit:
        return Unreadable(f"is larger than {_size(limit)}, the limit for a promise file, and was not read: move "
                          "long notes into a linked document, or raise `max_file_size` in promisesite.yaml")
    return raw


def _read_at_most(handle, count: int) -> bytes:
    """Up to `count` bytes, in chunks: a generous limit is never allocated at once."""
    chunks, left = [], count
    while left > 0:
        chunk = handle.read(min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _size(count: int) -> str:
    for unit, factor in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if count >= factor:
            return f"{count / factor:g} {unit}"
    return f"{count} bytes"


def parse_bytes(raw: bytes, rel: str) -> Document:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return _unreadable(rel, "is UTF-16 text: save it as UTF-8, which every editor offers")
    if b"\0" in raw:
        line = raw[:raw.index(b"\0")].count(b"\n") + 1
        return _unreadable(rel, f"contains a NUL byte on line {line}, so it is binary, not text: "
                                "save the promise as UTF-8 text", (line, 1))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return _unreadable(rel, f"is not UTF-8 text (byte 0x{raw[error.start]:02X} on line {line}): save it "
                                "as UTF-8, which every editor offers", (line, column))
    return parse_text(text, rel)


def read_body(path: Path) -> str:
    """Only the Markdown body of a file already checked: the front matter is skipped, not parsed."""
    raw = read_bounded(path)
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else ""
    except UnicodeDecodeError:
        return ""  # changed since it was checked; the next build reports it
    text, _, closing = _front_matter(text)
    return text[closing.end() + 1:] if closing else ""


def _front_matter(text: str) -> tuple[str, re.Match | None, re.Match | None]:
    """The text with a BOM and CRLFs normalised, and where its front matter opens and closes."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    opening = _OPEN.match(text)
    return text, opening, _CLOSE.search(text, opening.end()) if opening else None


def parse_text(text: str, rel: str) -> Document:
    text, opening, closing = _front_matter(text)
    if not opening:
        return Document(rel, findings=[NO_FRONT_MATTER.at(
            rel, (1, 1), f"the file does not start with front matter: {_FRONT_MATTER_HINT}")])
    if not closing:
        return Document(rel, findings=[NO_FRONT_MATTER.at(
            rel, (1, 1), "the front matter opened by `---` on line 1 is never closed: add a line `---` "
                         "after the last field, before the Markdown body")])
    yaml_text = text[opening.end():closing.start()]
    body_line = yaml_text.count("\n") + 3  # opening line, the YAML, the closing line
    body = text[closing.end() + 1:]
    doc = Document(rel, body=body, body_line=body_line)
    try:
        front, positions = load_yaml(yaml_text, line_offset=2)
    except YamlRefused as refused:
        doc.findings.append(BAD_YAML.at(rel, refused.position, f"front matter: {refused}"))
        return doc
    if front is None:
        doc.findings.append(BAD_YAML.at(rel, (1, 1), "the front matter is empty: write at least title, "
                                                     "promiser, customer, status, due and done_when"))
    elif not isinstance(front, dict):
        doc.findings.append(BAD_YAML.at(rel, (2, 1), "the front matter is not a set of fields: "
                                                     "write one `key: value` per line"))
    else:
        doc.front, doc.positions = front, positions
    return doc


class YamlRefused(Exception):
    """YAML that cannot be read as plain data; the message says what to write instead."""

    def __init__(self, message: str, position: Position):
        super().__init__(message)
        self.position = position


def load_yaml(text: str, line_offset: int = 1, max_nodes: int = MAX_NODES) -> tuple[Any, dict[str, Position]]:
    """Plain values (every scalar as its text, nulls as None) and the position of every key and item.

    `line_offset` is the file line of the text's first line, so positions are file positions.
    At most `max_nodes` distinct values, and at most MAX_ALIASED values reached again through aliases.
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
        raise YamlRefused(f"not valid YAML ({problem}): {_yaml_hint(text, position[0] - line_offset)}",
                          position) from None
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        raise YamlRefused(f"not valid YAML ({error}): write plain `key: value` lines", (1, 1)) from None
    if root is None:
        return None, {}
    positions: dict[str, Position] = {}
    return _Walker(positions, line_offset, max_nodes).value(root, "", 0), positions


def _unreadable(rel: str, message: str, position: Position = (1, 1)) -> Document:
    return Document(rel, findings=[UNREADABLE.at(rel, position, f"the file {message}")])


def _yaml_hint(yaml_text: str, index: int) -> str:
    lines = yaml_text.split("\n")
    line = lines[index] if 0 <= index < len(lines) else ""
    if "\t" in line[:len(line) - len(line.lstrip())]:
        return "indent with spaces, not tabs"
    key, _, value = line.partition(": ")
    if value[:1] in ("[", "{", "*", "&", "!", "%", "@", "`") or ": " in value or " #" in value:
        key, value = key.strip()[:40], value.strip()
        shown = value if len(value) <= 60 else value[:57] + "…"
        escaped = shown.replace("\\", "\\\\").replace('"', '\\"')
        return f'quote the value in double quotes, e.g. `{key}: "{escaped}"`'
    return "check the indentation and quote any value that contains `: ` or ` #`"


class _Walker:
    """Turns composed YAML nodes into plain values, recording where each key and item stands."""

    def __init__(self, positions: dict[str, Position], line_offset: int, max_nodes: int):
        self.positions = positions
        self.line_offset = line_offset
        self.max_nodes = max_nodes
        self.seen: set[int] = set()
        self.aliased = 0

    def at(self, node: yaml.Node) -> Position:
        return node.start_mark.line + self.line_offset, node.start_mark.column + 1

    def value(self, node: yaml.Node, path: str, depth: int) -> Any:
        if id(node) in self.seen:
            self.aliased += 1
            if self.aliased > MAX_ALIASED:
                raise YamlRefused(f"`*aliases` repeat more than {MAX_ALIASED:,} values (an alias bomb?): write the "
                                  "values out plainly, without `&anchors` and `*aliases`", self.at(node))
        else:
            self.seen.add(id(node))
            if len(self.seen) > self.max_nodes:
                raise YamlRefused(f"the YAML holds more than {self.max_nodes:,} values: a promise needs a few "
                                  "dozen; move long material into the Markdown body", self.at(node))
        if depth > MAX_DEPTH:
            raise YamlRefused(f"the YAML nests deeper than {MAX_DEPTH} levels: a promise needs at most 3",
                              self.at(node))
        if node.tag not in _CORE_TAGS:
            raise YamlRefused(f"the tag {node.tag!r} is not allowed: this file holds plain data, so remove the "
                              "tag and write the value as text", self.at(node))
        positions, offset = self.positions, self.line_offset
        if isinstance(node, yaml.ScalarNode):
            start = node.start_mark
            if path and start.line == node.end_mark.line:
                quote = 1 if node.style in ("'", '"') else 0
                positions[path + "="] = (start.line + offset, start.column + 1 + quote)
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
                raise YamlRefused(f"the key {key!r} appears twice (lines {first} and {self.at(key_node)[0]}): "
                                  "keep one", self.at(key_node))
            mark = key_node.start_mark
            positions[key_path] = (mark.line + offset, mark.column + 1)
            mapping[key] = self.value(value_node, key_path, depth + 1)
        return mapping
