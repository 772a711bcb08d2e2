"""One writer per output folder: builds take turns, and nothing writes where `serve` is writing.

The lock is `flock` on a small file named by a hash of the output's real path, in a folder of the
user's own outside the repository (`$XDG_RUNTIME_DIR/promisesite`, else the temporary folder), so a
build adds nothing to the repository beside its output and cache. It is let go when its holder
exits, however it exits: a killed build never leaves a stale lock. The file says who holds it, for
the message the next command prints.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..errors import UserError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no locking, as before
    fcntl = None  # type: ignore[assignment]


class OutputBusy(UserError):
    """Another promisesite command is writing the same output folder."""


class OutputLock:
    """Held while a command writes `output`: `build` waits for another build, and refuses (as a second
    `serve` does) an output that `serve` keeps writing."""

    def __init__(self, output: Path, command: str, wait: bool = True, say: Callable[[str], None] | None = None):
        self.output, self.command, self.wait, self.say = output, command, wait, say
        real = os.fsencode(os.path.realpath(output))
        self.path = _lock_folder(output) / f"{hashlib.sha1(real).hexdigest()[:20]}.lock"
        self._descriptor: int | None = None

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def acquire(self) -> None:
        if fcntl is None:
            return
        self.output.parent.mkdir(parents=True, exist_ok=True)
        descriptor = self._open()
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(descriptor)
            if holder.get("command") == "serve" or not self.wait:
                os.close(descriptor)
                who = f"promisesite {holder.get('command', 'build')} (pid {holder.get('pid', '?')})"
                raise OutputBusy(
                    f"{who} is writing into {self.output}/: stop it, or {self.command} into another "
                    f"folder with --output"
                ) from None
            if self.say is not None:
                self.say(
                    f"promisesite: waiting for promisesite {holder.get('command', 'build')} "
                    f"(pid {holder.get('pid', '?')}) to finish writing {self.output}/"
                )
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, json.dumps({"pid": os.getpid(), "command": self.command}).encode(), 0)
        self._descriptor = descriptor

    def release(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)  # closing lets the lock go
            self._descriptor = None

    def _open(self) -> int:
        flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
        try:
            return os.open(self.path, flags, 0o644)
        except OSError as error:
            if error.errno != errno.ELOOP:
                raise
        os.unlink(self.path)  # a link where the lock belongs: never written through, replaced
        return os.open(self.path, flags, 0o644)


def _lock_folder(output: Path) -> Path:
    """A folder only this user can write, made if need be; beside the output if none can be had."""
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    folder = Path(base) / (f"promisesite-{os.geteuid()}" if hasattr(os, "geteuid") else "promisesite")
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        st = os.lstat(folder)
        if stat.S_ISDIR(st.st_mode) and st.st_uid == os.geteuid() and not st.st_mode & 0o077:
            return folder
    except (OSError, AttributeError):
        pass
    return output.parent  # a shared folder that is not safely ours: lock beside the output instead


def _holder(descriptor: int) -> dict:
    try:
        found = json.loads(os.pread(descriptor, 200, 0) or b"{}")
        return found if isinstance(found, dict) else {}
    except (OSError, ValueError):
        return {}
