"""`init` and `new`: files written for the user, and the answers checked on the way."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import TODAY, Repo

BIN = Path(sys.executable).parent


def test_a_fresh_repository_checks_and_builds_with_no_edits(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    env.pop("SOURCE_DATE_EPOCH", None)
    done = subprocess.run(
        "promisesite init demo && cd demo && promisesite check && promisesite build",
        shell=True,
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    demo = tmp_path / "demo"
    assert "All good: 2 files checked, no findings." in done.stdout
    for name in (
        ".gitignore",
        ".pre-commit-config.yaml",
        ".github/workflows/promises.yml",
        "templates/README.md",
        "promises/welcome-page.md",
        "promises/onboarding-guide.md",
    ):
        assert (demo / name).is_file(), name
    assert "status: promised" in (demo / "promises/welcome-page.md").read_text()
    assert "status: requested" in (demo / "promises/onboarding-guide.md").read_text()
    assert (demo / "site/promises/welcome-page/index.html").is_file()
    assert "/site/" in (demo / ".gitignore").read_text()
    assert "# " in (demo / "promisesite.yaml").read_text()  # commented keys


def git_env(home: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    env.pop("SOURCE_DATE_EPOCH", None)
    return env


def test_init_starts_a_git_repository_and_commits_only_when_asked(tmp_path: Path) -> None:
    env = git_env(tmp_path)
    done = subprocess.run(["promisesite", "init", "plain"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0 and "Started a git repository in plain/" in done.stderr, done.stderr
    assert (tmp_path / "plain/.git").is_dir()
    log = subprocess.run(["git", "log"], cwd=tmp_path / "plain", env=env, capture_output=True, text=True)
    assert log.returncode != 0  # no commit: nothing was committed without --commit
    assert "GitHub Pages, which anyone can read when the repository is public" in done.stderr

    subprocess.run(["git", "config", "--global", "user.name", "Ana Lima"], env=env, check=True)
    subprocess.run(["git", "config", "--global", "user.email", "ana@example.com"], env=env, check=True)
    done = subprocess.run(
        ["promisesite", "init", "--commit", "kept"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    files = subprocess.run(["git", "ls-files"], cwd=tmp_path / "kept", env=env, capture_output=True, text=True).stdout
    assert "promisesite.yaml" in files and "promises/welcome-page.md" in files


def test_init_inside_a_repository_starts_no_second_one(tmp_path: Path) -> None:
    env = git_env(tmp_path)
    subprocess.run(["git", "init", "-q", str(tmp_path / "outer")], env=env, check=True)
    done = subprocess.run(
        ["promisesite", "init", "promises-here"], cwd=tmp_path / "outer", env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "outer/promises-here/.git").exists() and "Started a git" not in done.stderr


def test_init_commit_inside_a_repository_commits_only_what_it_wrote(tmp_path: Path) -> None:
    env = git_env(tmp_path)
    outer = tmp_path / "outer"
    subprocess.run(["git", "init", "-q", str(outer)], env=env, check=True)
    for key, value in (("user.name", "Ana Lima"), ("user.email", "ana@example.com")):
        subprocess.run(["git", "config", key, value], cwd=outer, env=env, check=True)
    (outer / "secret-draft.txt").write_text("not for this commit\n")
    subprocess.run(["git", "add", "secret-draft.txt"], cwd=outer, env=env, check=True)
    done = subprocess.run(
        ["promisesite", "init", "--commit", "team/promises"], cwd=outer, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    git = lambda *args: subprocess.run(["git", *args], cwd=outer, env=env, capture_output=True, text=True).stdout  # noqa: E731
    committed = git("show", "--name-only", "--format=", "HEAD").split()
    assert "secret-draft.txt" not in committed and "team/promises/promisesite.yaml" in committed
    assert git("status", "--short").strip() == "A  secret-draft.txt"  # still staged, as the user left it
    # The forge and pre-commit read these at the top of the work tree, not in team/promises/.
    assert ".github/workflows/promises.yml" in committed and ".pre-commit-config.yaml" in committed
    assert not (outer / "team/promises/.github").exists()
    workflow = (outer / ".github/workflows/promises.yml").read_text()
    assert workflow.count("working-directory: team/promises") == 2 and "path: team/promises/site" in workflow
    hooks = (outer / ".pre-commit-config.yaml").read_text()
    assert "--config team/promises/promisesite.yaml" in hooks and "files: ^team/promises/promises/" in hooks
    check = subprocess.run(
        [
            "promisesite",
            "check",
            "--config",
            "team/promises/promisesite.yaml",
            "team/promises/promises/welcome-page.md",
        ],
        cwd=outer,
        env=env,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr  # what the pre-commit hook runs, from the top


def test_init_commit_without_a_git_identity_says_what_to_do(tmp_path: Path) -> None:
    env = {**git_env(tmp_path), "GIT_AUTHOR_NAME": "", "GIT_COMMITTER_NAME": "", "EMAIL": ""}
    done = subprocess.run(
        ["promisesite", "init", "--commit", "x"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    if done.returncode == 0:
        pytest.skip("this git finds an identity on its own (from the host name)")
    assert done.returncode == 2 and "git config user.name" in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "x/promisesite.yaml").is_file()  # the files are written all the same


def test_init_never_overwrites_without_force(repo: Repo) -> None:
    config = repo.config("title: Mine\n")
    result = repo.run("init", ".")
    assert result.exit_code == 2 and "promisesite.yaml" in result.stderr and "--force" in result.stderr
    assert config.read_text() == "title: Mine\n"
    assert not (repo.root / ".gitignore").exists()  # nothing at all was written
    assert repo.run("init", ".", "--force").exit_code == 0
    assert config.read_text() != "title: Mine\n"


NEW = (
    "Refund API p95 under 200 ms",
    "--promiser",
    "ana.lima",
    "--customer",
    "payments",
    "--due",
    "2026-12-15",
    "--done-when",
    "p95 of POST /refunds is below 200 ms for 7 consecutive days",
    "--today",
    TODAY,
)


def test_new_from_options_writes_a_file_that_passes_check(repo: Repo) -> None:
    result = repo.run("new", *NEW)
    assert result.exit_code == 0, result.stderr
    path = repo.root / "promises/refund-api-p95-under-200-ms.md"
    text = path.read_text()
    assert "promised: 2026-11-21\n" in text and "due: 2026-12-15\n" in text
    assert repo.check().findings == []
    again = repo.run("new", *NEW)  # never overwrites
    assert again.exit_code == 2 and "P009 duplicate-id" in again.stderr and "nothing was written" in again.stderr
    assert path.read_text() == text


def test_new_refuses_an_id_another_folder_has(repo: Repo) -> None:
    repo.promise("payments/refund-api-p95-under-200-ms.md", id=None)
    result = repo.run("new", *NEW)
    assert result.exit_code == 2 and "payments/refund-api-p95-under-200-ms.md" in result.stderr
    assert not (repo.root / "promises/refund-api-p95-under-200-ms.md").exists()
    assert repo.check().findings == []  # nothing written, so nothing broken


def test_new_puts_a_request_in_its_team_folder_with_its_date(repo: Repo) -> None:
    repo.config(
        "teams:\n  platform: {name: Platform, members: [ana.lima]}\n"
        "people:\n  ana.lima: {name: Ana Lima}\n  bo.chen: {name: Bo Chen}\n"
    )
    (repo.root / "promises/platform").mkdir()
    result = repo.run(
        "new",
        "Refund API p95 under 200 ms",
        "--promiser",
        "ana.lima",
        "--customer",
        "bo.chen",
        "--due",
        "2026-12-15",
        "--status",
        "requested",
        "--today",
        TODAY,
    )
    assert result.exit_code == 0, result.stderr
    text = (repo.root / "promises/platform/refund-api-p95-under-200-ms.md").read_text()
    assert "requested: 2026-11-21\n" in text and "done_when" not in text
    assert repo.check().findings == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"--promiser": None}, "missing --promiser"),
        ({"--done-when": None}, "missing --done-when"),
        ({"--due": "next sprint"}, "P102"),
        ({"--due": "2026-11-01"}, "is in the past (today is 2026-11-21)"),  # already overdue: said plainly
        ({"--customer": "ana.lima"}, "P301"),
        ({"--done-when": "improve refund speed"}, "P205"),
    ],
)
def test_new_without_a_terminal_fails_clearly_and_writes_nothing(repo: Repo, change: dict, expected: str) -> None:
    args = list(NEW)
    for option, value in change.items():
        index = args.index(option)
        if value is None:
            del args[index : index + 2]
        else:
            args[index + 1] = value
    result = repo.run("new", *args)
    assert result.exit_code == 2 and expected in result.stderr, result.stderr
    assert list((repo.root / "promises").iterdir()) == []


class Terminal:
    """`promisesite new` on a real pseudo-terminal, answered line by line."""

    def __init__(self, cwd: Path, *args: str):
        self.master, slave = pty.openpty()
        env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "promisesite", "new", "--today", TODAY, *args],
            cwd=cwd,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            close_fds=True,
        )
        os.close(slave)
        self.seen = ""

    def expect(self, text: str, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            ready, _, _ = select.select([self.master], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise AssertionError(f"never saw {text!r}; the terminal shows:\n{self.seen}")
            try:
                self.seen += os.read(self.master, 4096).decode("utf-8", "replace")
            except OSError:  # the process ended
                raise AssertionError(f"never saw {text!r}; the terminal shows:\n{self.seen}") from None
        before, _, self.seen = self.seen.partition(text)
        return before

    def answer(self, line: str) -> None:
        os.write(self.master, line.encode() + b"\n")

    def close(self) -> int:
        code = self.process.wait(timeout=120)
        os.close(self.master)
        return code


def test_new_on_a_terminal_asks_checks_and_asks_again(repo: Repo) -> None:
    terminal = Terminal(repo.root)
    try:
        terminal.expect("Title")
        terminal.answer("Try to make refunds quick soon")
        rejected = terminal.expect("Title")
        assert "P203 hedge" in rejected and "P204 vague-time" in rejected and "Try again" in rejected
        terminal.answer("Refund API p95 under 200 ms")
        terminal.expect("Promiser")
        terminal.answer("ana.lima")
        terminal.expect("Customer")
        terminal.answer("ana.lima")
        assert "P301" in terminal.expect("Customer")  # not the promiser
        terminal.answer("payments")
        terminal.expect("Due date")
        terminal.answer("next sprint")
        assert "P102" in terminal.expect("Due date")
        terminal.answer("2026-12-15")
        terminal.expect("Condition of satisfaction 1")
        terminal.answer("improve the refund flow")
        assert "P205 unmeasurable" in terminal.expect("Condition of satisfaction 1")
        terminal.answer("p95 of POST /refunds is below 200 ms for 7 consecutive days")
        terminal.expect("Condition of satisfaction 2 (empty to finish)")
        terminal.answer("")
        terminal.expect("Wrote promises/refund-api-p95-under-200-ms.md")
    finally:
        code = terminal.close()
    assert code == 0
    text = (repo.root / "promises/refund-api-p95-under-200-ms.md").read_text()
    assert "customer: payments" in text and "improve" not in text and "Try" not in text
    assert repo.check().findings == []
