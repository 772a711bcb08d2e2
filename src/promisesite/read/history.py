"""What git knows about each promise file: when it was created and last changed, by whom, and
when its status and due date moved; and each file as it was at a base revision (`check --base`).

The whole history comes from one `git log` over the source folder plus one `git cat-file` for
the versions it names, so it stays fast with 10,000 files. It is read from commits only, so
the same commit always gives the same history, whatever is uncommitted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
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
        fields = {
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
    return History({rel: _file_history(changes[::-1], fields) for rel, changes in touched.items()})


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
    return FileHistory(
        events[0],
        _with(mark, "changed"),
        tuple(events),
        values,
        {name: event for name, event in setters.items() if values.get(name)},
    )


def _with(mark: Event, kind: str, old: str = "", new: str = "") -> Event:
    return Event(kind, mark.date, mark.timestamp, mark.author, mark.email, mark.commit, old, new)


def _fields(blob: bytes) -> dict[str, str]:
    """The tracked top-level fields of one version, as its front matter's YAML reads them (not lines
    that look like fields: a quoted value may span lines that start like keys)."""
    front = parse_bytes(blob, "").front or {}
    return {name: value.strip() for name in TRACKED if isinstance(value := front.get(name), str)}


def read_base(
    source: Path, root: Path, revision: str, registry: Registry, today: dt.date, limit: int
) -> dict[str, Promise]:
    """Each promise file that changed since `revision`, as it was there, by its current path (renames
    followed); GitError when git cannot say."""
    repo = Repository.find(source)
    if not root.resolve().is_relative_to(repo.top.resolve()):
        raise GitError("the source folder is in another git repository than promisesite.yaml")
    commit = repo.resolve(revision)
    prefix = _prefix(repo, root)
    changes = [
        c for c in repo.changes_since(commit, repo.relative(source)) if c.status in "MRT" and c.path.startswith(prefix)
    ]
    contents = dict(repo.blobs((c.old_blob for c in changes), limit=limit))
    promises = {}
    for change in changes:
        data = contents.get(change.old_blob)
        rel = change.path[len(prefix) :]
        if data is None:
            continue
        document = parse_bytes(data, rel)
        if document.readable:
            promises[rel], _ = build_promise(document, registry, today)
    return promises
