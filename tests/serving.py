"""A real `promisesite serve` in a folder of its own, and ways to poke it and wait on its word."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from conftest import TODAY

# A rebuild of the sample takes milliseconds when the machine is idle and seconds when it is not:
# waits are for serve's word, and this is only how long to wait before calling it lost.
PATIENCE = 120.0


class Served:
    """A running `promisesite serve` (on a free port of 127.0.0.1) in `root`."""

    def __init__(self, root: Path, *args: str, ignoring_sigint: bool = False):
        self.root = root
        # A temporary folder of its own, so that what it leaves behind is its own to count.
        self.scratch = root.parent / f"{root.name}-tmp"
        self.scratch.mkdir(exist_ok=True)
        env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "PROMISESITE_TIMINGS")}
        env["TMPDIR"] = str(self.scratch)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "promisesite", "serve", "--port", "0", "--today", TODAY, *args],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            # as a background job of a non-interactive shell (`nohup`, `cmd &`) starts
            preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if ignoring_sigint else None,
        )
        self.log: list[str] = []  # what serve printed, both streams, read as it comes (a full pipe would stall it)
        self.url = ""
        started = threading.Event()
        self._readers = [
            threading.Thread(target=self._read, args=(stream, started), daemon=True)
            for stream in (self.process.stdout, self.process.stderr)
        ]
        for reader in self._readers:
            reader.start()
        started.wait(PATIENCE)
        assert self.url, "".join(self.log)

    def _read(self, stream, started: threading.Event) -> None:
        for line in stream:
            self.log.append(line)
            found = re.search(r"at (http://127\.0\.0\.1:\d+/\S*)", line)
            if found and not self.url:
                self.url = found.group(1)
                started.set()
        started.set()  # the stream ended: serve stopped, with or without an address

    @property
    def port(self) -> int:
        return int(self.url.split(":")[2].split("/")[0])

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=PATIENCE) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def status(self, inputs: bool = False) -> dict:
        return json.loads(self.get("__promisesite/status" + ("?inputs" if inputs else ""))[1])

    def wait_for(self, condition: Callable[[], bool], what: str, timeout: float = PATIENCE) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"serve ended while waiting for {what}")
            time.sleep(0.02)
        raise AssertionError(f"timed out waiting for {what}")

    def sources(self) -> dict[str, str]:
        """Each promise file as it is on disk now, with the SHA-256 of its bytes (as serve reports them)."""
        folder = self.root / "promises"
        return {
            path.relative_to(self.root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*.md"))
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts)
        }

    def settled(self) -> None:
        """Wait until serve says it has built every promise file as it is on disk now: after that,
        every page it serves and every file it wrote is of these files."""
        wanted = self.sources()
        self.wait_for(lambda: self.status(inputs=True)["inputs"] == wanted, "serve to build the files as they are")

    def page_has(self, path: str, text: str) -> Callable[[], bool]:
        return lambda: text in self.get(path)[1]

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {relative}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def printed(self) -> str:
        return "".join(self.log)

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=PATIENCE)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        for reader in self._readers:
            reader.join(PATIENCE)
        return self.process.returncode, self.printed()
