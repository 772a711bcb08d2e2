"""What git knows about each promise file: when it was created and last changed, by whom, and
when its status and due date moved; and each file as it was at a base revision (`check --base`).

The whole history comes from one `git log` over the source folder plus one `git cat-file` for
the versions it names, so it stays fast with 10,000 files. It is read from commits only, so
the same commit always gives the same history, whatever is uncommitted.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..model import Event, FileHistory, History, Promise, Registry
from .document import parse_bytes
from .files import is_promise_path
from .front import declared
from .git import NULL_BLOB, Change, Commit, GitError, Repository
from .promise import build_promise

TRACKED = ("title", "status", "due", "promised", "delivered", "accepted")


def read_history(source: Path, root: Path, files: Iterable[str], limit: int, record_since: str = "") -> History:
    """The history of the promise `files` (paths relative to `root`) of the `source` folder, or none
    with the reason why. Each old version is read up to `limit` bytes. The commits before
    `record_since` (a date, or a revision and its ancestors) are an import: shown, never judged."""
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
    try:
        imported = _imported(repo, commits, record_since)
    except GitError:
        return History(
            note=f"`record_since: {record_since}` is no commit git knows here: name the commit that imported "
            "the promises (or a date), and fetch the history in CI (`fetch-depth: 0`)"
        )
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
    return History({rel: _file_history(changes[::-1], versions, imported) for rel, changes in touched.items()})


def _imported(repo: Repository, commits: list[Commit], record_since: str) -> frozenset[str]:
    """The commits before the record starts: dated before `record_since` (a date), or that revision and
    the commits it descends from."""
    if not record_since:
        return frozenset()
    try:
        day = dt.date.fromisoformat(record_since)
    except ValueError:
        commit = repo.resolve(record_since)
        return frozenset(repo.git("rev-list", commit).decode().split())
    return frozenset(commit.sha for commit in commits if commit.date and commit.date < day.isoformat())


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


def _file_history(
    changes: list[tuple[Commit, Change]], versions: dict[str, Version], imported: frozenset[str] = frozenset()
) -> FileHistory:
    """The events of one file, oldest first. A due date that moved without an entry recording the
    move (`was` the old date, `due` the new one) is an unrecorded move, and the due date in force
    stays what it was before it: across commits too (removed in one, put back changed in the next).
    Commits of the import (`imported`) are shown and never judged."""
    events: list[Event] = []
    setters: dict[str, Event] = {}
    values: dict[str, str] = {}
    in_force = ""
    mark = None
    for index, (commit, change) in enumerate(changes):
        mark = Event(
            "",
            commit.date,
            commit.timestamp,
            commit.author,
            commit.email,
            commit.sha,
            committer_email=commit.committer_email,
            imported=commit.sha in imported,
        )
        old = versions.get(change.old_blob, _NONE) if index else _NONE
        new = versions.get(change.new_blob, _NONE)
        if index == 0:
            events.append(_with(mark, "created", new=new.get("status")))
            in_force = new.get("due")
        elif change.old_path != change.path:
            events.append(_with(mark, "renamed", change.old_path, change.path))
        if index and old.get("status") != new.get("status"):
            events.append(_with(mark, "status", old.get("status"), new.get("status")))
        before, after = old.get("due"), new.get("due")
        if index and before != after and after:
            was = before or in_force  # a date put back after a commit without one moves from the one in force
            recorded = mark.imported or not was or was == after or (was, after) in new.moves
            events.append(_with(mark, "due", was, after, recorded))
            if recorded:
                in_force = after
        elif index and before != after:
            events.append(_with(mark, "due", before, "", True))  # removed: the date in force stays
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
    return replace(mark, kind=kind, old=old, new=new, recorded=recorded)


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
    """The promises of the base revision, compared with those of now by id (a promise moved to another
    folder or file name is the same promise): only those whose file differs are read."""

    changed: dict[str, Promise]  # path now → the same promise (by id) at the base, where its file differs
    deleted: dict[str, Promise]  # path at the base → a promise whose id is no longer published
    added: frozenset[str] = frozenset()  # paths now of promises the base did not have
    moved: dict[str, str] = field(default_factory=dict)  # path now → path at the base, where they differ
    date: dt.date | None = None  # when the base commit was committed (in UTC)
    config: str = ""  # the text of promisesite.yaml at the base ("" when it had none)


def read_base(
    source: Path,
    root: Path,
    revision: str,
    registry: Registry,
    today: dt.date,
    limit: int,
    now: Mapping[str, str],
    config_name: str = "promisesite.yaml",
) -> Base:
    """The base revision's promises against `now` (id → path of each promise `check` read): the
    promise files the same scan finds at `revision` (no dot folders, only `*.md`, regular files),
    in the source folder the base's own config named (a change that moves the folder and the
    promises together still compares them). GitError when git cannot say."""
    repo = Repository.find(source)
    if not root.resolve().is_relative_to(repo.top.resolve()):
        raise GitError("the source folder is in another git repository than promisesite.yaml")
    commit = repo.resolve(revision)
    prefix = _prefix(repo, root)
    config = _text_at(repo, commit, prefix + config_name)
    named = declared(config, "source") if config else None
    named = named.strip() if isinstance(named, str) and named.strip() else "promises"  # the default source
    folder = repo.relative(source)
    if not named.startswith(("/", "..")):
        folder = posixpath.normpath(prefix + named)
    inside = "" if folder == "." else folder + "/"
    at_base: dict[str, tuple[str, str]] = {}  # id → (path at the base, blob)
    for entry in repo.tree(commit, folder):
        rel = entry.path[len(prefix) :] if entry.path.startswith(prefix) else ""
        if rel and entry.regular and is_promise_path(entry.path[len(inside) :]):
            at_base.setdefault(Path(rel).stem, (rel, entry.blob))
    differs = {c.old_path[len(prefix) :] for c in repo.changes_since(commit, folder)}
    wanted: dict[str, tuple[str, str]] = {}  # id → (path at the base, blob) of the versions to read
    for promise_id, (was_at, blob) in at_base.items():
        path = now.get(promise_id)
        if path is None or path != was_at or was_at in differs:
            wanted[promise_id] = (was_at, blob)
    contents = dict(repo.blobs((blob for _, blob in wanted.values()), limit=limit))
    changed: dict[str, Promise] = {}
    deleted: dict[str, Promise] = {}
    for promise_id, (was_at, blob) in wanted.items():
        data = contents.get(blob)
        document = parse_bytes(data, was_at) if data is not None else None
        if document is None or not document.readable:
            continue  # not published there: nothing of the record to keep
        promise, _ = build_promise(document, registry, today)
        path = now.get(promise_id)
        if path is None:
            deleted[was_at] = replace(promise, id=promise_id)
        else:
            changed[path] = replace(promise, id=promise_id)
    moved = {now[i]: was_at for i, (was_at, _) in at_base.items() if i in now and now[i] != was_at}
    added = frozenset(path for promise_id, path in now.items() if promise_id not in at_base)
    return Base(changed, deleted, added, moved, _day(repo.commit_time(commit)), config)


def _text_at(repo: Repository, commit: str, path: str) -> str:
    """A small text file as `commit` has it, or "" when it has none."""
    try:
        raw = dict(repo.blobs([repo.git("rev-parse", f"{commit}:{path}").decode().strip()], limit=1_000_000))
    except GitError:
        return ""
    data = next(iter(raw.values()), b"")
    return data.decode("utf-8-sig", "replace").replace("\r\n", "\n")


def _day(timestamp: int) -> dt.date | None:
    """A commit's day in UTC, or None for a time no calendar holds (git takes any number)."""
    try:
        return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).date()
    except (OverflowError, OSError, ValueError):
        return None
