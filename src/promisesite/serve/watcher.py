"""Watching the repository with watchdog: folders not files, editor noise ignored, bursts coalesced.

Editors save in many ways: write in place, write a temporary file and rename it over the
original (vim, JetBrains, VS Code on some systems), or delete and recreate. Watching the
folders and treating a move's destination as a change and its source as a deletion sees
all of them. A burst of events becomes one rebuild after a short quiet period.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

# Temporary and backup files of common editors: vim (.swp, ~, 4913), emacs (.#name, #name#),
# GNOME (.goutputstream-*), JetBrains (___jb_tmp___, ___jb_old___), and plain *.tmp.
IGNORED = re.compile(
    r"\.sw[a-p]x?$|~$|^\.#|^#.*#$|^4913$|^\.goutputstream-|___jb_(?:tmp|old)___$|\.tmp$", re.IGNORECASE
)
QUIET_SECONDS = 0.02  # a burst ends when nothing happened for this long (editors take 1-5 ms)
MAX_WAIT_SECONDS = 0.5  # but a stream of events never delays a rebuild longer than this

Callback = Callable[[set[Path], bool], None]  # (changed paths, rescan the folders)


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
    """Calls `callback` with the paths changed in each burst, from one background thread."""

    def __init__(
        self,
        folders: list[tuple[Path, bool]],
        callback: Callback,
        poll: bool = False,
        say: Callable[[str], None] = print,
    ):
        self.folders, self.callback, self.say = folders, callback, say
        self.polling = poll
        self._pending: set[Path] = set()
        self._rescan = False
        self._first_event = 0.0
        self._last_event = 0.0
        self._condition = threading.Condition()
        self._stopped = False
        self._observer = None
        self._thread = threading.Thread(target=self._run, name="promisesite-rebuild", daemon=True)

    def start(self) -> None:
        try:
            self._observer = self._observe(PollingObserver(timeout=0.5) if self.polling else Observer())
        except OSError as error:  # e.g. the inotify watch limit (ENOSPC) or too many open files
            self.say(
                f"Native file watching failed ({error.strerror or error}); polling instead. To watch "
                "natively, raise the limit: sysctl fs.inotify.max_user_watches=524288"
            )
            self.polling = True
            self._observer = self._observe(PollingObserver(timeout=0.5))
        self._thread.start()

    def _observe(self, observer):
        handler = _Handler(self)
        for folder, recursive in self.folders:
            observer.schedule(handler, str(folder), recursive=recursive)
        observer.start()
        return observer

    def notify(self, paths: set[Path], rescan: bool = False) -> None:
        with self._condition:
            now = time.monotonic()
            if not self._pending and not self._rescan:
                self._first_event = now
            self._last_event = now
            self._pending |= paths
            self._rescan = self._rescan or rescan
            self._condition.notify()

    def _run(self) -> None:
        while True:
            with self._condition:
                while not (self._pending or self._rescan or self._stopped):
                    self._condition.wait()
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

    def stop(self) -> None:
        with self._condition:
            self._stopped = True
            self._condition.notify_all()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
        if self._thread.is_alive():
            self._thread.join(timeout=5)
