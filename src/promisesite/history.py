"""What git knows about each promise file: when it was created and last changed, by whom, and
when its status and due date moved; and each file as it was at a base revision (`check --base`).

The whole history comes from one `git log` over the source folder plus one `git cat-file` for
the versions it names, so it stays fast with 10,000 files. It is read from commits only, so
the same commit always gives the same history, whatever is uncommitted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Mapping

from .config import Config
from .git import NULL_BLOB, Change, Commit, GitError, Repository
from .model import Promise
from .rules.fields import build_promise
from .source import parse_bytes

TRACKED = ("title", "status", "due", "promised", "delivered", "accepted")


@dataclass(frozen=True)
class Event:
    """One commit's mark on one file: created, a status change, a due-date move or a rename."""

    kind: str  # "created", "status", "due", "renamed"
    date: str  # YYYY-MM-DD, the author date
    timestamp: int
    author: str
    email: str
    commit: str
    old: str = ""
    new: str = ""

    @property
    def stamp(self) -> str:
        """The author time in UTC, as Atom and sitemaps write it."""
        return dt.datetime.fromtimestamp(self.timestamp, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class FileHistory:
    created: Event
    changed: Event  # the newest commit that touched the file
    events: tuple[Event, ...]  # oldest first
    committed: Mapping[str, str]  # the tracked fields as the newest commit left them
    setters: Mapping[str, Event]  # field → the commit that gave it its committed value


@dataclass(frozen=True)
class History:
    files: Mapping[str, FileHistory] = field(default_factory=dict)  # promise path → its history
    note: str = ""  # why there is no history, and what would give one

    def of(self, path: str) -> FileHistory | None:
        return self.files.get(path)


def read_history(config: Config) -> History:
    """The history of every promise file of the source folder, or none with the reason why."""
    try:
        repo = Repository.find(config.source)
        if repo.shallow:
            return History(note="this is a shallow clone: fetch the whole history (`git fetch --unshallow`, "
                                "or `fetch-depth: 0` in CI)")
        if not config.root.resolve().is_relative_to(repo.top.resolve()):
            return History(note="the source folder is in another git repository than promisesite.yaml: keep "
                                "them in one repository")
        prefix = _prefix(repo, config)
        commits = repo.log(repo.relative(config.source))
    except GitError as error:
        return History(note=f"{error}: keep the promises in a git repository to record who changed what "
                            "and when")
    tracked = {prefix + rel: rel for rel in config.sources().files}
    touched: dict[str, list[tuple[Commit, Change]]] = {}  # promise path → its changes, newest first
    for commit in commits:
        for change in commit.changes:
            rel = tracked.get(change.path)
            if rel is None:
                continue
            touched.setdefault(rel, []).append((commit, change))
            if change.status in "ACR":
                del tracked[change.path]  # older changes at this path were another file's
            if change.status == "R":
                tracked[change.old_path] = rel
    try:
        # One version at a time, and only its first max_file_size bytes: memory stays bounded by one file.
        fields = {blob: _fields(data) for blob, data in repo.blobs(
            (blob for changes in touched.values() for _, change in changes
             for blob in (change.old_blob, change.new_blob) if blob != NULL_BLOB), limit=config.max_file_size)}
    except GitError as error:
        return History(note=f"git could not read old versions ({error})")
    return History({rel: _file_history(changes[::-1], fields) for rel, changes in touched.items()})


def head(config: Config) -> str:
    """The commit the history is read from ("" outside git): builds at another commit differ."""
    try:
        repo = Repository.find(config.source)
        return repo.git("rev-parse", "--verify", "--quiet", "HEAD").decode().strip() + (
            " shallow" if repo.shallow else "")
    except GitError:
        return ""


def _prefix(repo: Repository, config: Config) -> str:
    root = repo.relative(config.root)
    return "" if root == "." else root + "/"


def _file_history(changes: list[tuple[Commit, Change]], fields: dict[str, dict[str, str]]) -> FileHistory:
    events: list[Event] = []
    setters: dict[str, Event] = {}
    values: dict[str, str] = {}
    mark = None
    for index, (commit, change) in enumerate(changes):
        mark = Event("", commit.date, commit.timestamp, commit.author, commit.email, commit.sha)
        old = fields.get(change.old_blob, {}) if index else {}
        new = fields.get(change.new_blob, {})
        if index == 0:
            events.append(_with(mark, "created", new=new.get("status", "")))
        elif change.old_path != change.path:
            events.append(_with(mark, "renamed", change.old_path, change.path))
        for name in ("status", "due"):
            if index and old.get(name, "") != new.get(name, ""):
                events.append(_with(mark, name, old.get(name, ""), new.get(name, "")))
        for name in TRACKED:
            if new.get(name, "") != (old.get(name, "") if index else ""):
                setters[name] = mark
        values = new
    assert mark is not None, "a file history has at least one change"
    return FileHistory(events[0], _with(mark, "changed"), tuple(events),
                       values, {name: event for name, event in setters.items() if values.get(name)})


def _with(mark: Event, kind: str, old: str = "", new: str = "") -> Event:
    return Event(kind, mark.date, mark.timestamp, mark.author, mark.email, mark.commit, old, new)


def _fields(blob: bytes) -> dict[str, str]:
    """The tracked top-level fields of one version, as its front matter's YAML reads them (not lines
    that look like fields: a quoted value may span lines that start like keys)."""
    front = parse_bytes(blob, "").front or {}
    return {name: value.strip() for name in TRACKED if isinstance(value := front.get(name), str)}


def read_base(config: Config, revision: str, today: dt.date) -> dict[str, Promise]:
    """Each promise file that changed since `revision`, as it was there, by its current path (renames
    followed); GitError when git cannot say."""
    repo = Repository.find(config.source)
    if not config.root.resolve().is_relative_to(repo.top.resolve()):
        raise GitError("the source folder is in another git repository than promisesite.yaml")
    commit = repo.resolve(revision)
    prefix = _prefix(repo, config)
    changes = [c for c in repo.changes_since(commit, repo.relative(config.source))
               if c.status in "MRT" and c.path.startswith(prefix)]
    contents = dict(repo.blobs((c.old_blob for c in changes), limit=config.max_file_size))
    promises = {}
    for change in changes:
        data = contents.get(change.old_blob)
        rel = change.path[len(prefix):]
        if data is None:
            continue
        document = parse_bytes(data, rel)
        if document.readable:
            promises[rel], _ = build_promise(document, config, today)
    return promises
