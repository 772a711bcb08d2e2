"""Finding and reading promise files safely: a walk that reports what it cannot read, and a read
that never follows a link out of the repository, never blocks on a FIFO and never reads more than
a limit."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..findings import Finding
from ..rules.reading import CONFIG_IN_SOURCE, UNREADABLE

CONFIG_NAME = "promisesite.yaml"


@dataclass
class Sources:
    """What a walk of a folder found: the promise files, and the entries it could not read."""

    files: dict[str, Path] = field(default_factory=dict)  # repository-relative path → file, in path order
    problems: dict[str, str] = field(default_factory=dict)  # path → why it cannot be read (P001)
    configs: list[str] = field(default_factory=list)  # paths of promisesite.yaml files in the folder (P014)

    def findings(self) -> list[Finding]:
        found = [UNREADABLE.at(rel, (1, 1), f"the {message}") for rel, message in self.problems.items()]
        return found + [
            CONFIG_IN_SOURCE.at(
                rel,
                (1, 1),
                f"a {CONFIG_NAME} inside the source folder is never used (it would take over for anyone working "
                f"in this folder): remove it (`git rm {rel}`) and put its settings in the {CONFIG_NAME} at the "
                "top of the repository",
            )
            for rel in self.configs
        ]


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
    found.configs.sort()
    return found


def _visit(directory: str, prefix: str, found: Sources) -> list[tuple[str, str]]:
    """Take in one folder's files; return its sub-folders to visit."""
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as error:
        found.problems[prefix.rstrip("/") or "."] = (
            f"folder cannot be read ({error.strerror or error}), so the "
            "promises in it were not checked: make it readable"
        )
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
            found.problems[rel] = (
                f"name is not UTF-8 ({shown}), so it cannot be shown or linked: rename it "
                "with UTF-8 letters, digits and `-`"
            )
        elif is_dir and is_link:
            found.problems[rel] = (
                f"folder is a symbolic link (to {_target(entry.path)}), which promisesite does "
                "not follow: move the promise files into this repository's source folder"
            )
        elif is_dir:
            folders.append((entry.path, rel + "/"))
        elif name.endswith(".md") and is_link:
            found.problems[rel] = (
                f"file is a symbolic link (to {_target(entry.path)}), not a promise file of its own, so a change "
                "to what it leads to would never show in a review: replace the link with the file itself "
                f'(`cp --remove-destination "$(readlink -f {shown})" {shown}`)'
            )
        elif name.endswith(".md"):
            found.files[rel] = Path(entry.path)
        elif name == CONFIG_NAME:
            found.configs.append(rel)
    return folders


def is_promise_path(rel: str) -> bool:
    """Whether a path inside the source folder names a promise file, as the walk decides: a `*.md`
    file with no part that starts with a dot (`.archive/x.md`, `.x.md` and `x.md.bak` are not)."""
    parts = rel.split("/")
    return rel.endswith(".md") and not any(part.startswith(".") or not part for part in parts)


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
            return Unreadable(
                "is a symbolic link that leads nowhere (to a missing file, or round in a loop): "
                "remove it, or replace it with the promise file itself"
            )
        if not target.is_relative_to(root.resolve()):
            return Unreadable(
                f"is a symbolic link to {printable_name(str(target))}, outside the repository, and "
                "is not followed: copy the file into the repository instead"
            )
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        return Unreadable(f"cannot be read ({error.strerror or error}): check that it is a file you may read")
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            kind = (
                "a named pipe (FIFO)"
                if stat.S_ISFIFO(mode)
                else "a device"
                if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "a socket"
                if stat.S_ISSOCK(mode)
                else "a folder"
                if stat.S_ISDIR(mode)
                else "not a plain file"
            )
            return Unreadable(
                f"is {kind}, not a regular file, and was not read: a promise is a text file; "
                "remove it or rename it so that it does not end in `.md`"
            )
        with open(descriptor, "rb", closefd=False) as handle:
            raw = handle.read() if limit is None else _read_at_most(handle, limit + 1)
    except OSError as error:
        return Unreadable(f"cannot be read ({error.strerror or error}): check that it is a file you may read")
    finally:
        os.close(descriptor)
    if limit is not None and len(raw) > limit:
        return Unreadable(
            f"is larger than {_size(limit)}, the limit for a promise file, and was not read: move "
            "long notes into a linked document, or raise `max_file_size` in promisesite.yaml"
        )
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
