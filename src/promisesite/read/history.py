"""What git knows about each promise file: when it was created and last changed, by whom, and
when its status and due date moved; and each file as it was at a base revision (`check --base`).

The whole history comes from one `git log` over the source folder plus one `git cat-file` for
the versions it names, so it stays fast with 10,000 files. It is read from commits only, so
the same commit always gives the same history, whatever is uncommitted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..model import Event, FileHistory, History, Promise, Registry
from .document import parse_bytes
from .git import NULL_BLOB, Change, Commit, GitError, Repository
from .promise import build_promise

TRACKED = ("title", "status", "due", "promised", "delivered", "accepted")


def read_history(source: Path, root: Path, files: Iterable[str], limit: int) -> History:
    """The history of the promise `files` (paths relative to `root`) of the `source` folder, or none
    with the reason why. Each old version is read up to `limit` bytes."""
    try:
        repo = Repository.find(source)
        if repo.shallow:
            return History(
                note="this is a shallow clone: fetch the whole history (`git fetch --unshallow`, "
                "or `fetch-depth: 0` in CI)"
            )
        if not root.resolve().is_relative_to(repo.top.resolve()):
            return History(
                note="the source folder is in another git repository than promisesite.yaml: keep them in one repository"
            )
        prefix = _prefix(repo, root)
        commits = repo.log(repo.relative(source))
    except GitError as error:
        return History(note=f"{error}: keep the promises in a git repository to record who changed what and when")
    tracked = {prefix + rel: rel for rel in files}
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
        versions = {
            blob: _fields(data)
            for blob, data in repo.blobs(
                (
                    blob
                    for changes in touched.values()
                    for _, change in changes
                    for blob in (change.old_blob, change.new_blob)
                    if blob != NULL_BLOB
                ),
                limit=limit,
            )
        }
    except GitError as error:
        return History(note=f"git could not read old versions ({error})")
    return History({rel: _file_history(changes[::-1], versions) for rel, changes in touched.items()})


def head(source: Path) -> str:
    """The commit the history is read from ("" outside git): builds at another commit differ."""
    try:
        repo = Repository.find(source)
        return repo.git("rev-parse", "--verify", "--quiet", "HEAD").decode().strip() + (
            " shallow" if repo.shallow else ""
        )
    except GitError:
        return ""


def _prefix(repo: Repository, root: Path) -> str:
    relative = repo.relative(root)
    return "" if relative == "." else relative + "/"


@dataclass(frozen=True)
class Version:
    """One committed version of a promise file, as far as the history needs it."""

    values: dict[str, str]  # the TRACKED fields
    moves: frozenset[tuple[str, str]] = frozenset()  # (was, due) of each renegotiation entry

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)


_NONE = Version({})


def _file_history(changes: list[tuple[Commit, Change]], versions: dict[str, Version]) -> FileHistory:
    """The events of one file, oldest first. A due date that moved without an entry recording the
    move (`was` the old date, `due` the new one) is an unrecorded move, and the due date in force
    stays what it was before it."""
    events: list[Event] = []
    setters: dict[str, Event] = {}
    values: dict[str, str] = {}
    in_force = ""
    mark = None
    for index, (commit, change) in enumerate(changes):
        mark = Event("", commit.date, commit.timestamp, commit.author, commit.email, commit.sha)
        old = versions.get(change.old_blob, _NONE) if index else _NONE
        new = versions.get(change.new_blob, _NONE)
        if index == 0:
            events.append(_with(mark, "created", new=new.get("status")))
            in_force = new.get("due")
        elif change.old_path != change.path:
            events.append(_with(mark, "renamed", change.old_path, change.path))
        if index and old.get("status") != new.get("status"):
            events.append(_with(mark, "status", old.get("status"), new.get("status")))
        if index and old.get("due") != new.get("due"):
            recorded = not old.get("due") or not new.get("due") or (old.get("due"), new.get("due")) in new.moves
            events.append(_with(mark, "due", old.get("due"), new.get("due"), recorded))
            if recorded:
                in_force = new.get("due")
        for name in TRACKED:
            if new.get(name) != (old.get(name) if index else ""):
                setters[name] = mark
        values = new.values
    assert mark is not None, "a file history has at least one change"
    return FileHistory(
        events[0],
        _with(mark, "changed"),
        tuple(events),
        values,
        {name: event for name, event in setters.items() if values.get(name)},
        in_force,
    )


def _with(mark: Event, kind: str, old: str = "", new: str = "", recorded: bool = True) -> Event:
    return Event(kind, mark.date, mark.timestamp, mark.author, mark.email, mark.commit, old, new, recorded)


def _fields(blob: bytes) -> Version:
    """The tracked top-level fields of one version, and the moves its renegotiations record, as its
    front matter's YAML reads them (not lines that look like fields: a quoted value may span lines
    that start like keys)."""
    front = parse_bytes(blob, "").front or {}
    values = {name: value.strip() for name in TRACKED if isinstance(value := front.get(name), str)}
    entries = front.get("renegotiations")
    moves = frozenset(
        (str(entry.get("was") or "").strip(), str(entry.get("due") or "").strip())
        for entry in (entries if isinstance(entries, list) else [])
        if isinstance(entry, dict)
    )
    return Version(values, moves)


@dataclass(frozen=True)
class Base:
    """The promise files a change touched, as they were at the base revision."""

    changed: dict[str, Promise]  # path now (renames followed) → the promise at the base
    deleted: dict[str, Promise]  # path at the base → a promise whose file is gone
    added: frozenset[str] = frozenset()  # paths of promise files git knows and the base did not have


def read_base(source: Path, root: Path, revision: str, registry: Registry, today: dt.date, limit: int) -> Base:
    """Each promise file that changed or was deleted since `revision`, as it was there; GitError
    when git cannot say."""
    repo = Repository.find(source)
    if not root.resolve().is_relative_to(repo.top.resolve()):
        raise GitError("the source folder is in another git repository than promisesite.yaml")
    commit = repo.resolve(revision)
    prefix = _prefix(repo, root)
    since = repo.changes_since(commit, repo.relative(source))
    added = frozenset(
        c.path[len(prefix) :] for c in since if c.status == "A" and c.path.startswith(prefix) and c.path.endswith(".md")
    )
    changes = [c for c in since if c.status in "MRTD" and c.old_path.startswith(prefix) and c.old_path.endswith(".md")]
    contents = dict(repo.blobs((c.old_blob for c in changes), limit=limit))
    base = Base({}, {}, added)
    for change in changes:
        data = contents.get(change.old_blob)
        if data is None:
            continue
        was_at = change.old_path[len(prefix) :]
        document = parse_bytes(data, was_at)
        if not document.readable:
            continue
        promise, _ = build_promise(document, registry, today)
        if change.status == "D":
            base.deleted[was_at] = promise
        else:
            base.changed[change.path[len(prefix) :]] = promise
    return base
