"""Colour, quiet, verbose and progress: on a terminal, in a pipe, and with NO_COLOR."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TODAY, Repo
from promisesite.terminal import Progress, Terminal

ANSI = "\x1b["


def on_a_terminal(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run the CLI with stdout and stderr on a real pseudo-terminal; return what it showed."""
    master, slave = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "SOURCE_DATE_EPOCH")}
    environment.update({"TERM": "xterm", **(env or {})})
    process = subprocess.Popen(
        [sys.executable, "-m", "promisesite", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        env=environment,
    )
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        shown += chunk
    process.wait(timeout=120)
    os.close(master)
    return shown.decode("utf-8", "replace")


@pytest.fixture
def vague(repo: Repo) -> Repo:
    repo.promise(title="Try to make checkout faster soon")
    return repo


def test_colour_on_a_terminal_and_not_with_no_color(vague: Repo) -> None:
    coloured = on_a_terminal(vague.root, "check", "--today", TODAY)
    assert ANSI in coloured and "P203" in coloured
    plain = on_a_terminal(vague.root, "check", "--today", TODAY, env={"NO_COLOR": "1"})
    assert ANSI not in plain and "P203" in plain
    assert ANSI not in on_a_terminal(vague.root, "check", "--color", "never", "--today", TODAY)
    assert ANSI in on_a_terminal(vague.root, "check", "--color", "always", "--today", TODAY, env={"NO_COLOR": "1"})


def test_no_colour_in_a_pipe_unless_asked(vague: Repo) -> None:
    piped = vague.run("check", "--today", TODAY)
    assert piped.exit_code == 1 and "P203" in piped.stdout and ANSI not in piped.stdout
    forced = vague.run("check", "--color", "always", "--today", TODAY)
    assert ANSI in forced.stdout
    assert re.sub(r"\x1b\[[0-9;]*m", "", forced.stdout) == piped.stdout  # the same findings, styled


def test_quiet_and_verbose(vague: Repo) -> None:
    quiet = vague.run("check", "-q", "--today", TODAY)
    assert quiet.exit_code == 1 and "P203" in quiet.stdout and "Found" not in quiet.stdout + quiet.stderr
    verbose = vague.run("check", "-v", "--today", TODAY)
    assert "checked 1 files" in verbose.stderr and "Found" in verbose.stdout
    vague.promise(title="Checkout p95 under 300 ms")
    built = vague.run("build", "-q", "--today", TODAY)
    assert built.exit_code == 0 and built.stderr == ""
    timed = vague.run("build", "-v", "--no-cache", "--today", TODAY)
    assert "render and write:" in timed.stderr and "Built" in timed.stderr


def test_errors_go_to_stderr_and_data_to_stdout(vague: Repo) -> None:
    result = vague.run("check", "--format", "json", "--today", "soon")
    assert result.exit_code == 2 and result.stdout == "" and "promisesite:" in result.stderr


class FakeStream(io.StringIO):
    def __init__(self, tty: bool):
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_the_progress_bar_draws_in_place_and_clears_itself() -> None:
    stream = FakeStream(tty=True)
    bar = Progress(stream, enabled=True, label="Rendering", after=0, width=10)
    bar(50, 200)
    bar(200, 200)
    assert stream.getvalue() == "\rRendering [##........]  25% 50/200\rRendering [##########] 100% 200/200"
    bar.finish()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_no_progress_bar_for_a_quick_build_or_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    quick = FakeStream(tty=True)
    Progress(quick, enabled=True, after=60)(1, 2)  # not yet a second (here: a minute) into the build
    assert quick.getvalue() == ""
    monkeypatch.setattr(sys, "stderr", FakeStream(tty=False))
    assert not Terminal().progress("Rendering").enabled
    monkeypatch.setattr(sys, "stderr", FakeStream(tty=True))
    assert Terminal().progress("Rendering").enabled
    assert not Terminal(quiet=True).progress("Rendering").enabled


def test_a_build_in_a_pipe_prints_no_progress(repo: Repo) -> None:
    for index in range(30):
        repo.promise(f"p{index:02d}.md")
    result = repo.run("build", "--today", TODAY)
    assert result.exit_code == 0 and "\r" not in result.stderr and "Rendering" not in result.stderr


def test_serve_colours_and_times_its_lines_on_a_terminal(tmp_path: Path) -> None:
    import select
    import signal
    import time

    from sitetools import copy_sample

    root = copy_sample(tmp_path)
    master, slave = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "SOURCE_DATE_EPOCH")}
    process = subprocess.Popen(
        [sys.executable, "-m", "promisesite", "serve", "--port", "0", "--today", TODAY, "--color", "always", "-v"],
        cwd=root,
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        env={**environment, "TERM": "xterm"},
    )
    os.close(slave)
    shown = ""

    def read_until(text: str, timeout: float = 120) -> None:
        nonlocal shown
        deadline = time.monotonic() + timeout
        while text not in shown and time.monotonic() < deadline:
            if select.select([master], [], [], 0.2)[0]:
                shown += os.read(master, 65536).decode("utf-8", "replace")
        assert text in shown, shown

    try:
        read_until("Serving")
        page = root / "promises/platform/checkout-latency.md"
        page.write_text(page.read_text().replace("title: ", "title: Edited ", 1))
        read_until("checkout-latency.md changed")
        read_until(" ms · write ")  # the edit's phases; the first build renders and writes in one phase
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=120)
        os.close(master)
    built = next(line for line in shown.splitlines() if "built:" in line)
    changed = next(line for line in shown.splitlines() if "checkout-latency.md changed" in line)
    assert ANSI in built and ANSI in changed  # coloured
    assert re.search(r"read \d+ ms · check \d+ ms · render \d+ ms · write \d+ ms", shown)  # -v: where the time went
    assert "its page first" in shown
