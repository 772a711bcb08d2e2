"""Many readers or one writer: requests read the served folder while no rebuild is writing it.

A writer can admit readers of the files it has finished (`admit`) without letting go: the
edited page is served the moment it is whole, while the rest of the rebuild goes on, and no
request sees a file that the rebuild has yet to write.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable


class ReadWriteLock:
    """Many readers (HTTP requests) or one writer (a rebuild), with the writer's finished files
    open to readers."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._readers = 0
        self._writing = False
        self._admitted: frozenset[str] = frozenset()

    def acquire_read(self, name: str = "") -> None:
        """Wait until no rebuild is writing, unless `name` is one it has finished."""
        with self._condition:
            while self._writing and name not in self._admitted:
                self._condition.wait()
            self._readers += 1

    def release_read(self) -> None:
        with self._condition:
            self._readers -= 1
            self._condition.notify_all()

    def acquire_write(self) -> None:
        with self._condition:
            while self._writing:
                self._condition.wait()
            self._writing = True  # new readers wait from here on
            self._admitted = frozenset()
            while self._readers:
                self._condition.wait()

    def admit(self, names: Iterable[str]) -> None:
        """While writing: readers of these files (finished, and not written again by this
        rebuild) may come in now."""
        with self._condition:
            self._admitted = self._admitted | frozenset(names)
            self._condition.notify_all()

    def release_write(self) -> None:
        with self._condition:
            self._writing = False
            self._admitted = frozenset()
            self._condition.notify_all()
