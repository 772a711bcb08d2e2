"""Shared fixtures: a promise repository in a temporary folder, and the CLI run in it."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from promisesite.cli import cli

TODAY = "2026-11-21"


def pytest_configure(config: pytest.Config) -> None:
    """The tests start `promisesite` a few hundred times: its modules are compiled once here, so
    each start reads bytecode even where PYTHONDONTWRITEBYTECODE keeps Python from saving it."""
    import compileall

    if hasattr(config, "workerinput"):
        return  # an xdist worker: the controller compiled them before it started the workers
    compileall.compile_dir(Path(__file__).resolve().parent.parent / "src", quiet=1)


# A promise that passes every rule; tests change one thing at a time.
GOOD: dict[str, Any] = {
    "title": "Checkout p95 latency under 300 ms for the holiday peak",
    "promiser": "ana.lima",
    "customer": "payments",
    "team": "platform",
    "status": "promised",
    "requested": "2026-10-01",
    "promised": "2026-10-03",
    "due": "2026-12-15",
    "done_when": [
        "p95 latency of POST /checkout is below 300 ms for 7 consecutive days",
        "error rate of POST /checkout stays below 0.1% over the same 7 days",
    ],
}


def front_matter(fields: dict[str, Any], body: str = "Context for the promise.\n") -> str:
    """Render fields as front matter, one key per line, lists as block lists (predictable line numbers)."""
    lines = ["---"]
    for key, value in fields.items():
        if value is None:
            continue
        if isinstance(value, list):
            lines.append(f"{key}:")
            for item in value:
                if isinstance(item, dict):
                    first = True
                    for k, v in item.items():
                        lines.append(f"  {'- ' if first else '  '}{k}: {v}")
                        first = False
                else:
                    lines.append(f"  - {item}")
        else:
            lines.append(f"{key}: {value}")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + body


def promise_text(body: str = "Context for the promise.\n", **changes: Any) -> str:
    """GOOD with some fields changed; a value of None removes the field."""
    return front_matter({**GOOD, **changes}, body)


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def findings(self) -> list[dict[str, Any]]:
        return json.loads(self.stdout)

    def codes(self) -> set[str]:
        return {f["code"] for f in self.findings}


class Repo:
    """A promises repository on disk; `run` invokes the real CLI inside it."""

    def __init__(self, root: Path):
        self.root = root
        (root / "promises").mkdir(exist_ok=True)

    def write(self, name: str, text: str | bytes) -> Path:
        path = self.root / "promises" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def promise(self, name: str = "checkout.md", **changes: Any) -> Path:
        return self.write(name, promise_text(**changes))

    def config(self, text: str) -> Path:
        path = self.root / "promisesite.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    def run(self, *args: str, env: dict[str, str] | None = None) -> Result:
        runner = CliRunner()
        result = runner.invoke(cli, list(args), env=env, catch_exceptions=False)
        assert "Traceback" not in result.stdout + result.stderr
        return Result(result.exit_code, result.stdout, result.stderr)

    def check(self, *args: str, env: dict[str, str] | None = None) -> Result:
        return self.run("check", "--format", "json", "--today", TODAY, *args, env=env)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return Repo(tmp_path)


ROOT = Path(__file__).resolve().parent.parent

HANG_SECONDS = 120  # far beyond any honest run, loaded machine or not: only a hang or a blow-up reaches it


@contextlib.contextmanager
def hang_guard(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Fail, rather than wait for ever, when the code inside runs away (a regex that backtracks, a
    read that blocks). Not a speed test: speed is measured by benchmarks/, not asserted here."""

    def ran_away(signum: int, frame: object) -> None:
        raise AssertionError(f"still running after {seconds} s: a hang or a blow-up")

    previous = signal.signal(signal.SIGALRM, ran_away)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


ANA = ("Ana Lima", "ana.lima@example.com")  # the promiser of GOOD
CLEO = ("Cleo Ruiz", "cleo.ruiz@example.com")  # in the customer team, payments
BO = ("Bo Chen", "bo.chen@example.com")


class Git:
    """Runs real git in a repository, with fixed authors and dates so that history is reproducible."""

    def __init__(self, root: Path):
        self.root = root
        self.day = 0

    def __call__(self, *args: str, author: tuple[str, str] = ANA) -> str:
        stamp = f"2026-10-{1 + self.day:02d}T12:00:00+02:00"
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": author[0],
            "GIT_AUTHOR_EMAIL": author[1],
            "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_NAME": author[0],
            "GIT_COMMITTER_EMAIL": author[1],
            "GIT_COMMITTER_DATE": stamp,
            "GIT_CONFIG_NOSYSTEM": "1",
            "HOME": str(self.root),
        }
        done = subprocess.run(
            ["git", "-c", "init.defaultBranch=main", *args],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def commit(self, message: str, author: tuple[str, str] = ANA) -> None:
        self.day += 1
        self("add", "-A")
        self("commit", "-q", "-m", message, author=author)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample, in git with a short history, built and served over HTTP on 127.0.0.1."""
    from sitetools import copy_sample

    root = copy_sample(tmp_path_factory.mktemp("sample"))
    if shutil.which("git"):  # so that promise pages show their history, as they do in a real repository
        git = Git(root)
        git("init", "-q")
        checkout = root / "promises/platform/checkout-latency.md"
        final = checkout.read_text()
        checkout.write_text(final.replace("status: promised", "status: offered"))
        git.commit("Offer the checkout latency promise", author=ANA)
        checkout.write_text(final)
        git.commit("Payments accepted the offer", author=CLEO)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = Repo(root).run("build", "--today", TODAY)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.stderr
    handler = functools.partial(_QuietHandler, directory=str(root / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """Where browser tests keep their screenshots: PROMISESITE_SCREENSHOTS, or a temporary folder."""
    folder = Path(os.environ.get("PROMISESITE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


CHROMIUM = os.environ.get("PROMISESITE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium through Playwright; missing Chromium fails, it never skips."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install chromium` (.ci/run does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Fuzzing budgets: `ci` keeps the suite at a few seconds; run longer locally with
# `pytest tests/test_fuzz.py --hypothesis-profile=long` or PROMISESITE_FUZZ=long.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "ci", max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("long", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("PROMISESITE_FUZZ", "ci"))
