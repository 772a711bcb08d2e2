"""The build cache in `.promisesite-cache/` (beside promisesite.yaml; safe to delete).

It is an accelerator, never an input: it holds data only (JSON, no pickle), every file carries a
checksum of its content and is ignored whole when that, its shape or its version is wrong, and
the folder is neither read nor written when it is a link, belongs to another user or is committed
to git (a pull request could have put it there). It remembers:

- a fingerprint of everything that decides the site (promisesite's version, the config file, the
  bytes of every template and promise file, today and the build's options), so a build where
  nothing changed does nothing;
- the HTML of every body, by a hash of its text, per Markdown engine and version, so that
  Markdown runs only for bodies it has not seen;
- every file of the last site with its hash and its stamp (size, times, inode), so a file is
  carried over (hard-linked) only while it is the very file that build wrote.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from typing import Any

from . import __version__
from .config import Config
from .findings import Finding
from .read.files import read_bounded
from .read.git import is_tracked
from .site.writer import CACHE_FOLDER, file_stamp, write_file

FOLDER = CACHE_FOLDER
FORMAT = 2
MAX_CACHE_FILE = 500 * 10**6  # bytes: a cache file larger than this is not ours (10,000 bodies are ~30 MB)
_HEX40 = re.compile(r"[0-9a-f]{40}")
_FINDING_FIELDS = {"path": str, "line": int, "column": int, "code": str, "name": str, "level": str, "message": str}


class BuildCache:
    def __init__(self, config: Config, engine_version: str = ""):
        self.folder = config.root / FOLDER
        self.config = config
        self.version = f"{__version__} {config.markdown_engine} {engine_version}".strip()
        self._bodies_file = self.folder / f"bodies-{config.markdown_engine}.json"
        self._state_file = self.folder / "state.json"
        self.note = refusal(self.folder, config)  # why the cache is not used, or ""

    @property
    def usable(self) -> bool:
        return not self.note

    # --- fingerprint of the inputs ---------------------------------------------------------------

    def fingerprint(self, files: Mapping[str, Path], options: dict[str, Any]) -> str:
        """A hash of the bytes of every input: an edit that keeps a file's size and time still shows."""
        digest = hashlib.sha256()
        digest.update(json.dumps({"version": self.version, **options}, sort_keys=True, default=str).encode())
        digest.update(builtin_theme_digest().encode())  # a theme changed without a new version (a dev install)
        if self.config.file:
            _feed(digest, "config", read_bounded(self.config.file))
        if self.config.templates.is_dir():
            for name, found in every_file(self.config.templates):
                _feed(digest, name, os.readlink(found).encode() if os.path.islink(found) else read_bounded(Path(found)))
        for relative, path in files.items():
            _feed(digest, relative, read_bounded(path, self.config.max_file_size, self.config.repository))
        return digest.hexdigest()

    # --- what the last build left ------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        if not self.usable:
            return {}
        state = _load(self._state_file, self.version)
        return state if _is_state(state) else {}

    def unchanged(self, fingerprint: str, output: Path) -> dict[str, Any] | None:
        """The last build's state when it built exactly this into `output`, still there as it left it."""
        state = self.state()
        if state.get("fingerprint") != fingerprint or state.get("output") != str(output.absolute()):
            return None
        recorded = {path: entry[1:] for path, entry in state["site"].items()}
        if recorded != listing(output):
            return None  # the site was changed, added to or removed since: build it again
        return state

    def previous(self, output: Path) -> dict[str, list]:
        """Every file of the last site in `output`: path → [hash, *stamp]."""
        state = self.state()
        return state["site"] if state.get("output") == str(output.absolute()) else {}

    def bodies(self) -> dict[str, str]:
        if not self.usable:
            return {}
        bodies = _load(self._bodies_file, self.version)
        if not isinstance(bodies, dict) or not all(
            isinstance(key, str) and _HEX40.fullmatch(key) and isinstance(html, str) for key, html in bodies.items()
        ):
            return {}
        return bodies

    # --- remembering this build ------------------------------------------------------------------

    def save(
        self,
        fingerprint: str,
        output: Path,
        hashes: dict[str, str],
        bodies: dict[str, str] | None,
        findings: list[Finding],
        files: int,
        promises: int,
    ) -> None:
        if not self.usable:
            return
        try:
            self.folder.mkdir(exist_ok=True)
            if refusal(self.folder, self.config, git=False):
                return  # made meanwhile by someone else, or as a link
            write_file(self.folder / ".gitignore", b"*\n")
            write_file(
                self.folder / "CACHEDIR.TAG",
                b"Signature: 8a477f597d28d172789f06886806bc55\n# promisesite's build cache: safe to delete\n",
            )
            if bodies is not None:
                _save(self._bodies_file, self.version, bodies)
            site = {path: [hashes.get(path, ""), *stamp] for path, stamp in listing(output).items()}
            _save(
                self._state_file,
                self.version,
                {
                    "fingerprint": fingerprint,
                    "output": str(output.absolute()),
                    "site": site,
                    "findings": [asdict(f) for f in findings],
                    "files": files,
                    "promises": promises,
                },
            )
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower


def refusal(folder: Path, config: Config, git: bool = True) -> str:
    """Why the cache folder must not be used ("" when it may): a link, not ours, or committed to git."""
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        return ""
    except OSError as error:
        return f"it cannot be read ({error.strerror})"
    shown = config.relative(folder)
    if os.path.islink(folder):
        return f"{shown} is a symbolic link, so it is neither read nor written: remove the link"
    if not os.path.isdir(folder):
        return f"{shown} is not a folder: remove it"
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        return f"{shown} belongs to another user: remove it, or build as its owner"
    if git and is_tracked(folder.parent, folder.name):
        return (
            f"{shown} is committed to git, and a committed cache is not trusted: remove it from git with "
            f"`git rm -r --cached {shown}`"
        )
    return ""


def listing(folder: Path) -> dict[str, list[int]]:
    """Every entry below a folder with its stamp; an entry that is not a regular file (a link, a FIFO)
    gets none, so it never matches a recorded file."""
    return {name: list(stamp) if (stamp := file_stamp(path)) else [] for name, path in every_file(folder)}


def every_file(folder: Path) -> list[tuple[str, str]]:
    """Every entry below a folder that is not a folder (links to folders included, not followed), by its
    relative path, in path order; walked with a stack, so any depth is fine."""
    found, pending = [], [(os.fspath(folder), "")]
    while pending:
        directory, prefix = pending.pop()
        try:
            with os.scandir(directory) as scan:
                entries = list(scan)
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, f"{prefix}{entry.name}/"))
            else:
                found.append((prefix + entry.name, entry.path))
    return sorted(found)


def _feed(digest: Any, name: str, data: object) -> None:
    content = data if isinstance(data, bytes) else repr(data).encode()
    digest.update(f"{name}\0{len(content)}\0".encode("utf-8", "surrogateescape"))
    digest.update(hashlib.sha256(content).digest())


def _load(path: Path, version: str) -> Any:
    """The payload of a cache file written by `_save` for this version, or None: a link, a foreign
    or truncated file, a wrong checksum all read as nothing."""
    raw = read_bounded(path, MAX_CACHE_FILE) if not os.path.islink(path) else None
    if not isinstance(raw, bytes) or len(raw) > MAX_CACHE_FILE:
        return None
    header, _, payload = raw.partition(b"\n")
    try:
        meta = json.loads(header)
        if not isinstance(meta, dict) or meta.get("format") != FORMAT or meta.get("version") != version:
            return None
        if meta.get("sha256") != hashlib.sha256(payload).hexdigest():
            return None
        return json.loads(payload)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None


def _save(path: Path, version: str, payload: Any) -> None:
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    header = json.dumps({"format": FORMAT, "version": version, "sha256": hashlib.sha256(data).hexdigest()})
    write_file(path, header.encode() + b"\n" + data)


def _is_state(state: Any) -> bool:
    """The exact shape `save` writes; anything else is a foreign or damaged file."""
    if not isinstance(state, dict):
        return False
    kinds: dict[str, Callable[[Any], bool]] = {
        "fingerprint": lambda v: isinstance(v, str),
        "output": lambda v: isinstance(v, str),
        "files": lambda v: type(v) is int,
        "promises": lambda v: type(v) is int,
        "site": lambda v: (
            isinstance(v, dict)
            and all(
                isinstance(k, str)
                and isinstance(e, list)
                and len(e) in (1, 5)
                and isinstance(e[0], str)
                and all(type(n) is int for n in e[1:])
                for k, e in v.items()
            )
        ),
        "findings": lambda v: (
            isinstance(v, list)
            and all(
                isinstance(f, dict)
                and f.keys() == _FINDING_FIELDS.keys()
                and all(type(f[k]) is t for k, t in _FINDING_FIELDS.items())
                for f in v
            )
        ),
    }
    return state.keys() == kinds.keys() and all(check(state[key]) for key, check in kinds.items())


@functools.lru_cache(maxsize=1)
def builtin_theme_digest() -> str:
    """A hash of the built-in theme's files, once per process (a few dozen small files)."""
    digest = hashlib.sha256()
    stack = [resources.files("promisesite").joinpath("templates")]
    while stack:
        folder = stack.pop()
        for entry in sorted(folder.iterdir(), key=lambda entry: entry.name):
            if entry.is_dir():
                stack.append(entry)
            else:
                digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    return digest.hexdigest()
