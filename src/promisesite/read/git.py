"""The few things promisesite asks git: where the repository is, what changed since a revision,
who changed each file and when, and the bytes of old versions.

Every question is one `git` process, however many files there are: one `diff`, one `log`, one
`cat-file --batch`. Output is read with `-z`, so any file name works. Nothing here runs a
user's diff drivers or text conversions.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import shutil
import subprocess
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

NULL_BLOB = "0" * 40
_ENV = {"LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_LITERAL_PATHSPECS": "1", "GIT_OPTIONAL_LOCKS": "0"}


class GitError(Exception):
    """git could not answer; the message says why and what to do."""


@dataclass(frozen=True)
class Change:
    """One file in one commit (or in a diff): `status` is git's letter (A, M, D, R, C, T)."""

    status: str
    path: str  # the path after the change, relative to the repository's top
    old_path: str  # before the change (differs from `path` for a rename)
    old_blob: str = NULL_BLOB
    new_blob: str = NULL_BLOB


@dataclass(frozen=True)
class TreeEntry:
    """One file of a commit's tree: `mode` 100644 or 100755 for a regular file, 120000 for a link."""

    mode: str
    blob: str
    path: str

    @property
    def regular(self) -> bool:
        return self.mode in ("100644", "100755")


@dataclass(frozen=True)
class Commit:
    sha: str
    timestamp: int  # author time, seconds since the epoch; 0 when git's date is none a calendar holds
    date: str  # author date as YYYY-MM-DD, in the author's time zone
    author: str
    email: str
    changes: tuple[Change, ...]
    committer: str = ""  # who made the commit: `git commit --author` changes the author only
    committer_email: str = ""


@dataclass(frozen=True)
class Repository:
    top: Path
    shallow: bool = False  # a shallow clone: old commits are missing

    @classmethod
    def find(cls, folder: Path) -> Repository:
        """The repository holding `folder`; GitError when there is none or git is missing."""
        if shutil.which("git") is None:
            raise GitError("git is not installed")
        try:
            top, shallow = (
                _run(["rev-parse", "--show-toplevel", "--is-shallow-repository"], folder)
                .decode("utf-8", "surrogateescape")
                .splitlines()
            )
        except GitError as error:
            if "dubious ownership" in str(error):
                raise GitError(
                    f"git refuses the repository ({error}); trust it with "
                    f"`git config --global --add safe.directory {folder.resolve()}`"
                ) from None
            raise GitError("not a git repository") from None
        return cls(Path(top), shallow == "true")

    def git(self, *args: str, input: bytes | None = None) -> bytes:
        return _run(list(args), self.top, input)

    def relative(self, path: Path) -> str:
        """A path as git names it: relative to the top, with forward slashes."""
        return path.resolve().relative_to(self.top.resolve()).as_posix()

    def resolve(self, revision: str) -> str:
        """The commit a revision names; GitError when git does not know it."""
        if revision.startswith("-"):
            raise GitError(f"{revision!r} is not a revision")
        try:
            return (
                self.git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
                .decode()
                .strip()
            )
        except GitError:
            hint = " (this is a shallow clone: fetch more history)" if self.shallow else ""
            raise GitError(f"{revision!r} is not a commit in this repository{hint}") from None

    def changes_since(self, commit: str, folder: str) -> list[Change]:
        """What differs in `folder` between `commit` and the working tree, renames paired."""
        out = self.git(
            "diff",
            "--raw",
            "-z",
            "-M",
            "--no-abbrev",
            "--no-ext-diff",
            "--no-textconv",
            "--ignore-submodules",
            commit,
            "--",
            folder or ".",
        )
        return list(_changes(out.split(b"\0")))

    def tree(self, commit: str, folder: str) -> Iterator[TreeEntry]:
        """Every file below `folder` at `commit`: its mode, blob and path (relative to the top)."""
        out = self.git("ls-tree", "-r", "-z", "--full-tree", commit, "--", folder or ".")
        for record in out.split(b"\0"):
            meta, tab, path = record.partition(b"\t")
            parts = meta.split(b" ")
            if tab and len(parts) == 3 and parts[1] == b"blob":
                yield TreeEntry(parts[0].decode(), parts[2].decode(), path.decode("utf-8", "surrogateescape"))

    def commit_time(self, commit: str) -> int:
        """When `commit` was committed, in seconds since the epoch (the committer's word for it)."""
        out = self.git("show", "-s", "--format=%ct", commit).decode().strip()
        return int(out) if out.lstrip("-").isdigit() else 0

    def log(self, folder: str) -> list[Commit]:
        """Every commit that touched `folder`, newest first, with the files it changed (renames paired).
        Merge commits show no changes of their own; the commits they merge are listed themselves.

        Fields are fenced by markers with a random token, so no author name or email, whatever
        bytes it holds, can shift them; a commit that still cannot be read is left out."""
        token = secrets.token_hex(8)
        start, sep = f"%x1e{token}%x1e", f"%x1f{token}%x1f"
        try:
            out = self.git(
                "log",
                "-z",
                "--raw",
                "-M",
                "--no-abbrev",
                "--no-ext-diff",
                "--no-textconv",
                f"--format={start}%H{sep}%at{sep}%aI{sep}%an{sep}%ae{sep}%cn{sep}%ce{sep}",
                "--",
                folder or ".",
            )
        except GitError as error:
            if "does not have any commits" in str(error):
                return []
            raise
        commits = []
        marker = f"\x1f{token}\x1f".encode()
        for chunk in out.split(f"\x1e{token}\x1e".encode())[1:]:
            fields = chunk.split(marker, 7)
            if len(fields) != 8:
                continue
            sha, timestamp, date, author, email, committer, committer_email = (
                field.decode("utf-8", "replace") for field in fields[:7]
            )
            changes = tuple(_changes(fields[7].split(b"\0")))
            seconds, day = _when(timestamp, date)
            commits.append(Commit(sha, seconds, day, author, email, changes, committer, committer_email))
        return commits

    def blobs(self, names: Iterable[str], limit: int | None = None) -> Iterator[tuple[str, bytes]]:
        """The contents of blobs, by id, one at a time from one `cat-file` process; missing ones are left
        out. With `limit`, only the first `limit` bytes of each are kept (the rest is read past)."""
        names = [name for name in dict.fromkeys(names) if _BLOB_ID.fullmatch(name)]
        if not names:
            return
        request = "".join(f"{name}\n" for name in names).encode()
        try:
            process = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=self.top,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env={**os.environ, **_ENV},
            )
        except OSError as error:
            raise GitError(f"git could not run: {error.strerror or error}") from None
        feeder = threading.Thread(target=_feed, args=(process.stdin, request), daemon=True)
        feeder.start()
        try:
            out = process.stdout
            assert out is not None
            for name in names:
                header = out.readline().split()
                if len(header) != 3 or not header[2].isdigit():
                    continue  # missing, or not a blob
                size = int(header[2])
                keep = size if limit is None else min(size, limit)
                data = out.read(keep)
                _skip(out, size - keep + 1)  # the rest, and the newline after the content
                yield name, data
        finally:
            process.stdout.close()  # type: ignore[union-attr]
            process.kill()
            process.wait()
            feeder.join()


def _feed(stream, data: bytes) -> None:
    try:
        stream.write(data)
        stream.close()
    except OSError:  # the reader stopped early
        pass


def _skip(stream, count: int) -> None:
    while count > 0:
        chunk = stream.read(min(count, 1 << 20))
        if not chunk:
            return
        count -= len(chunk)


_BLOB_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def is_tracked(folder: Path, name: str) -> bool:
    """Whether git tracks anything at `name` in `folder` (False outside git, or without git)."""
    try:
        return bool(_run(["ls-files", "-z", "--", name], folder))
    except GitError:
        return False


def _changes(tokens: list[bytes]) -> Iterator[Change]:
    """`--raw -z` records: `:mode mode blob blob STATUS`, then one path (two for R and C)."""
    index = 0
    while index < len(tokens):
        meta = tokens[index].lstrip(b"\n")
        index += 1
        if not meta.startswith(b":"):
            continue
        _, _, old_blob, new_blob, status = meta[1:].decode().split(" ")
        old = tokens[index].decode("utf-8", "surrogateescape")
        index += 1
        new = old
        if status[0] in "RC":
            new = tokens[index].decode("utf-8", "surrogateescape")
            index += 1
        yield Change(status[0], new, old, old_blob, new_blob)


def _run(args: list[str], cwd: Path, input: bytes | None = None) -> bytes:
    env = {**os.environ, **_ENV}
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=input, capture_output=True, env=env, check=False)
    except OSError as error:
        raise GitError(f"git could not run: {error.strerror or error}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout


def _when(timestamp: str, iso: str) -> tuple[int, str]:
    """The author time and day as git wrote them, or (0, "") for a date no calendar here holds: git
    stores any number a committer types (`GIT_AUTHOR_DATE='@253402300800'` is the year 10000), and
    one such commit must not stop a build. Its events then show an unknown date."""
    try:
        seconds = int(timestamp)
        day = dt.date.fromisoformat(iso[:10])
        dt.datetime.fromtimestamp(seconds, dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        return 0, ""
    if len(iso) < 10 or iso[10:11] not in ("T", ""):
        return 0, ""
    return seconds, day.isoformat()
