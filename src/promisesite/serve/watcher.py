"""Watching the repository with watchdog: folders not files, editor noise ignored, bursts coalesced.

Editors save in many ways: write in place, write a temporary file and rename it over the
original (vim, JetBrains, VS Code on some systems), or delete and recreate. Watching the
folders and treating a move's destination as a change and its source as a deletion sees
all of them. A burst of events becomes one rebuild after a short quiet period.
"""

from __future__ import annotations

import os
import re
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

# Temporary and backup files of common editors: vim (.swp, ~, 4913), emacs (.#name, #name#),
# GNOME (.goutputstream-*), JetBrains (___jb_tmp___, ___jb_old___), and plain *.tmp.
IGNORED = re.compile(
    r"\.sw[a-p]x?$|~$|^\.#|^#.*#$|^4913$|^\.goutputstream-|___jb_(?:tmp|old)___$|\.tmp$", re.IGNORECASE
)
QUIET_SECONDS = 0.02  # a burst ends when nothing happened for this long (editors take 1-5 ms)
MAX_WAIT_SECONDS = 0.5  # but a stream of events never delays a rebuild longer than this
RESYNC_SECONDS = 1.0  # how often the watched folders are looked at again while nothing happens
# What a save can do. Not opening or reading a file: a search across the files (an editor's "find
# in files", grep) would queue two events a file for the watcher's thread to turn away, and the
# next save would wait behind them.
EVENTS: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileClosedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
]

Callback = Callable[[set[Path], bool], None]  # (changed paths, rescan the folders)
Folders = Callable[[], list[tuple[Path, bool]]]  # the folders to watch now, and whether recursively


def ignored(path: str) -> bool:
    return bool(IGNORED.search(Path(path).name))


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher):
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory:
            if event.event_type in ("created", "deleted", "moved"):
                self.watcher.notify(set(), rescan=True)
            return
        paths = {str(event.src_path)}
        if event.event_type == "moved" and event.dest_path:
            paths.add(str(event.dest_path))  # the source is gone, the destination changed
        paths = {p for p in paths if not ignored(p)}
        if paths:
            self.watcher.notify({Path(p) for p in paths})


class Watcher:
    """Calls `callback` with the paths changed in each burst, from one background thread.

    What it watches is `folders()`, asked again after every burst and every second: a folder that
    appears later (a `templates/` made while serving), one that is replaced (the source folder moved
    away and made again: the old watch follows the old folder) and one the config names anew
    (`source:` changed) are each watched from then on, and a change found that way is a rescan."""

    def __init__(
        self,
        folders: Folders | list[tuple[Path, bool]],
        callback: Callback,
        poll: bool = False,
        say: Callable[[str], None] = print,
    ):
        self.folders: Folders = folders if callable(folders) else (lambda: list(folders))
        self.callback, self.say = callback, say
        self.polling = poll
        self._pending: set[Path] = set()
        self._rescan = False
        self._first_event = 0.0
        self._last_event = 0.0
        self._condition = threading.Condition()
        self._stopped = False
        self._observer = None
        self._handler = _Handler(self)
        self._watches: dict[tuple[Path, bool], tuple[object, tuple[int, int]]] = {}  # → (watch, identity)
        self._thread = threading.Thread(target=self._run, name="promisesite-rebuild", daemon=True)

    @property
    def watched(self) -> list[Path]:
        return [folder for folder, _ in self._watches]

    def start(self) -> None:
        try:
            self._observer = self._observe(PollingObserver(timeout=0.5) if self.polling else Observer())
        except OSError as error:  # e.g. the inotify watch limit (ENOSPC) or too many open files
            self.say(
                f"Native file watching failed ({error.strerror or error}); polling instead. To watch "
                "natively, raise the limit: sysctl fs.inotify.max_user_watches=524288"
            )
            self.polling = True
            self._watches = {}
            self._observer = self._observe(PollingObserver(timeout=0.5))
        self._thread.start()

    def _observe(self, observer):
        observer.start()
        self._observer = observer
        self.resync(raise_errors=True)
        return observer

    def resync(self, raise_errors: bool = False) -> set[Path] | None:
        """Watch what `folders()` names now. The folders newly watched (a set, empty when one was only
        dropped) when that changed anything, which the caller reports as changed with a rescan; else None."""
        observer = self._observer
        if observer is None:
            return None
        wanted = {}
        for folder, recursive in self.folders():
            identity = _identity(folder)
            if identity is not None:
                wanted[(folder, recursive)] = identity
        changed = False
        added: set[Path] = set()
        for key, (watch, identity) in list(self._watches.items()):
            if wanted.get(key) != identity:
                try:
                    observer.unschedule(watch)
                except (KeyError, ValueError, OSError):
                    pass  # already gone with its folder
                del self._watches[key]
                changed = True
        for key, identity in wanted.items():
            if key in self._watches:
                continue
            try:
                watch = observer.schedule(self._handler, str(key[0]), recursive=key[1], event_filter=EVENTS)
            except OSError:
                if raise_errors:
                    raise
                continue  # gone again between the look and the watch: the next look tries again
            self._watches[key] = (watch, identity)
            added.add(key[0])
            changed = True
        return added if changed else None

    def notify(self, paths: set[Path], rescan: bool = False) -> None:
        with self._condition:
            now = time.monotonic()
            if not self._pending and not self._rescan:
                self._first_event = now
            self._last_event = now
            self._pending |= paths
            self._rescan = self._rescan or rescan
            self._condition.notify()

    def waiting(self) -> bool:
        """Whether a change came in since the callback was called: a rebuild under way may give way to it."""
        with self._condition:
            return bool(self._pending or self._rescan)

    def _run(self) -> None:
        while True:
            with self._condition:
                while not (self._pending or self._rescan or self._stopped):
                    if not self._condition.wait(RESYNC_SECONDS):
                        added = self._resync_safely()
                        if added is not None:
                            self._pending |= added
                            self._rescan = True
                            self._first_event = self._last_event = time.monotonic()
                if self._stopped:
                    return
                while True:  # wait for the burst to end
                    now = time.monotonic()
                    quiet_until = self._last_event + QUIET_SECONDS
                    deadline = self._first_event + MAX_WAIT_SECONDS
                    if now >= quiet_until or now >= deadline or self._stopped:
                        break
                    self._condition.wait(min(quiet_until, deadline) - now)
                paths, rescan = self._pending, self._rescan
                self._pending, self._rescan = set(), False
            try:
                self.callback(paths, rescan)
            except Exception as error:  # noqa: BLE001 - the server outlives any one rebuild
                self.say(f"Rebuild failed: {type(error).__name__}: {error}")
            added = self._resync_safely()  # the rebuild may have read a config that names other folders
            if added is not None:
                self.notify(added, rescan=True)

    def _resync_safely(self) -> set[Path] | None:
        try:
            return self.resync()
        except Exception as error:  # noqa: BLE001 - a folder that cannot be watched must not stop serve
            self.say(f"Watching failed: {type(error).__name__}: {error}")
            return None

    def stop(self) -> None:
        with self._condition:
            self._stopped = True
            self._condition.notify_all()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
        if self._thread.is_alive():
            self._thread.join(timeout=5)


def _identity(folder: Path) -> tuple[int, int] | None:
    """Which folder is at `folder` now (device and inode), or None when there is none."""
    try:
        found = os.stat(folder)
    except OSError:
        return None
    return (found.st_dev, found.st_ino) if stat.S_ISDIR(found.st_mode) else None
