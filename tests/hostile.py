"""Helpers for the attack tests: the real command in a subprocess, and a root that obeys permissions."""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import TODAY

ENV = {
    k: v
    for k, v in os.environ.items()
    if k not in ("SOURCE_DATE_EPOCH", "PROMISESITE_TIMINGS", "PROMISESITE_DEBUG", "GITHUB_STEP_SUMMARY")
}
_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


def promisesite(
    root: Path, *args: str, timeout: float = 120, preexec: Callable[[], None] | None = None, today: bool = True
) -> subprocess.CompletedProcess:
    """Run the installed command in `root`; it must never print a traceback or call itself broken."""
    argv = [sys.executable, "-m", "promisesite", *args]
    if today and args and args[0] in ("check", "build"):
        argv += ["--today", TODAY]
    done = subprocess.run(
        argv, cwd=root, env=ENV, capture_output=True, text=True, timeout=timeout, preexec_fn=preexec, errors="replace"
    )
    said = done.stdout + done.stderr
    assert "Traceback" not in said, said
    assert "internal error" not in said, said
    return done


def obey_permissions() -> None:
    """In the child, before exec: drop the capabilities that let root read and write anything, so that
    a test running as root still meets "permission denied" (a no-op for other users)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def limit_file_size(limit: int) -> Callable[[], None]:
    """In the child: any write past `limit` bytes fails with EFBIG, as a full disk fails a write."""
    import resource

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every entry below a folder (links as their target, files as their bytes): to prove it untouched."""
    found: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[key] = b"-> " + os.fsencode(os.readlink(path))
        elif path.is_file():
            found[key] = path.read_bytes()
        else:
            found[key] = b"<dir>"
    return found


# A body with every kind of script and dangerous link: the sanitizer must leave none of it.
HOSTILE = """\
<script>alert('body script')</script>
<img src="x" onerror="alert('img')">
<a href="javascript:alert('link')">click me</a>
<iframe src="https://evil.example/"></iframe>
<div onmouseover="alert('div')" style="position:fixed">hover</div>
<svg><script>alert('svg')</script></svg>
<object data="x.swf"></object><embed src="x.swf">
<form action="https://evil.example/"><input name="password"></form>
[markdown link](javascript:alert('md'))
<a href="vbscript:msgbox('x')">vb</a> <a href="data:text/html,<script>alert(1)</script>">data</a>
"""
