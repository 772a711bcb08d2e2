"""Many readers or one writer: requests read the served folder while no rebuild is writing it."""

from __future__ import annotations

import threading


class ReadWriteLock:
    """Many readers (HTTP requests) or one writer (a rebuild)."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._readers = 0
        self._writing = False

    def acquire_read(self) -> None:
        with self._condition:
            while self._writing:
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
            while self._readers:
                self._condition.wait()

    def release_write(self) -> None:
        with self._condition:
            self._writing = False
            self._condition.notify_all()
