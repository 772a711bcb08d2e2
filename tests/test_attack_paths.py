"""Attacks through paths: output folders that are not the site's, links out of the repository, and
files that cannot be read. Each gets a refusal or a finding on that path; nothing is lost or leaked."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TODAY, Git, promise_text
from hostile import ENV, obey_permissions, promisesite, snapshot
from sitetools import copy_sample


def new_promise(root: Path, title: str, condition: str) -> subprocess.CompletedProcess:
    return promisesite(
        root,
        "new",
        title,
        "--promiser",
        "ana.lima",
        "--customer",
        "payments",
        "--due",
        "2027-01-15",
        "--done-when",
        condition,
        "--today",
        TODAY,
    )


def serve(root: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """`serve` that is expected to refuse, so to exit by itself; killed if it serves instead."""
    process = subprocess.Popen(
        [sys.executable, "-m", "promisesite", "serve", "--port", "0", "--today", TODAY, *args],
        cwd=root,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=120)
        raise AssertionError(f"serve did not refuse: {err}") from None
    assert "Traceback" not in err and "internal error" not in err, err
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


@pytest.mark.parametrize("output", ["notes", "promises", ".", "templates", "promisesite.yaml", "promises/platform"])
def test_serve_refuses_an_output_that_is_not_its_own_before_writing(tmp_path: Path, output: str) -> None:
    root = copy_sample(tmp_path / "repo")
    (root / "notes").mkdir()
    (root / "notes/plan.txt").write_text("my own notes")
    before = snapshot(root)
    done = serve(root, "--output", output)
    assert done.returncode == 2
    assert "output" in done.stderr.lower(), done.stderr
    assert snapshot(root) == before


@pytest.mark.parametrize("output", ["notes", "promises", "."])
def test_build_refuses_the_same_outputs(tmp_path: Path, output: str) -> None:
    root = copy_sample(tmp_path / "repo")
    (root / "notes").mkdir()
    (root / "notes/plan.txt").write_text("my own notes")
    before = snapshot(root)
    done = promisesite(root, "build", "--output", output)
    assert done.returncode == 2 and "choose" in done.stderr
    assert snapshot(root) == before


def test_a_source_folder_linked_outside_the_repository_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(parents=True)
    (elsewhere / "private-plan.md").write_text(promise_text(title="Private salary review for the whole company"))
    root.mkdir()
    (root / "promises").symlink_to(elsewhere)
    for command in ("check", "build"):
        done = promisesite(root, command)
        assert done.returncode == 2, done.stdout + done.stderr
        assert "outside the repository" in done.stderr
    assert not (root / "site").exists()


def test_a_sub_folder_linked_outside_is_a_finding_and_is_not_published(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "private-plan.md").write_text(promise_text(title="Private salary review for the whole company"))
    (root / "promises/hr").symlink_to(elsewhere)
    done = promisesite(root, "check", "--format", "json")
    assert done.returncode == 1
    assert '"path": "promises/hr"' in done.stdout and '"code": "P001"' in done.stdout
    build = promisesite(root, "build", "--allow-errors")
    assert build.returncode == 1
    assert not list((root / "site").rglob("*private-plan*"))
    assert b"salary" not in b"".join(p.read_bytes() for p in (root / "site").rglob("*") if p.is_file())


def test_a_templates_folder_linked_outside_is_refused(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "base.html").write_text("{{ 7 * 6 }}")
    os.rename(root / "templates", tmp_path / "old-templates")
    (root / "templates").symlink_to(elsewhere)
    done = promisesite(root, "build")
    assert done.returncode == 2 and "outside the repository" in done.stderr
    assert not (root / "site").exists()


def test_an_output_linked_outside_is_refused(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "site").symlink_to(outside)
    done = promisesite(root, "build")
    assert done.returncode == 2 and "outside the repository" in done.stderr
    assert list(outside.iterdir()) == []


def test_a_fifo_is_a_finding_and_never_hangs(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    os.mkfifo(root / "promises/pipe.md")
    done = promisesite(root, "check", "--format", "json")  # a blocking read would hang past its bound
    assert done.returncode == 1 and '"path": "promises/pipe.md"' in done.stdout and "P001" in done.stdout
    assert promisesite(root, "build", "--allow-errors").returncode == 1


def test_a_symlink_loop_is_a_finding(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    (root / "promises/a.md").symlink_to("b.md")
    (root / "promises/b.md").symlink_to("a.md")
    (root / "promises/self").symlink_to("self")
    done = promisesite(root, "check", "--format", "json")
    assert done.returncode == 1
    for path in ("promises/a.md", "promises/b.md"):
        assert f'"path": "{path}"' in done.stdout
    assert promisesite(root, "build", "--allow-errors").returncode == 1


def test_an_unreadable_folder_is_a_finding_not_a_silent_skip(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    locked = root / "promises/locked"
    locked.mkdir()
    (locked / "secret.md").write_text(promise_text())
    locked.chmod(0)
    try:
        done = promisesite(root, "check", "--format", "json", preexec=obey_permissions)
    finally:
        locked.chmod(0o755)
    assert done.returncode == 1
    assert '"path": "promises/locked"' in done.stdout and "P001" in done.stdout, done.stdout


def test_a_file_name_that_is_not_utf8_is_a_finding(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    (root / os.fsdecode(b"promises/caf\xe9.md")).write_text(promise_text())
    done = promisesite(root, "check")
    assert done.returncode == 1
    assert re.search(r"promises/caf\\xe9\.md:1:1: P001", done.stdout), done.stdout
    assert promisesite(root, "build", "--allow-errors").returncode == 1
    assert promisesite(root, "check", "--format", "sarif").returncode == 1
    assert promisesite(root, "check", "--format", "junit").returncode == 1


@pytest.mark.parametrize("field", ["promiser", "customer", "team"])
def test_a_handle_too_long_to_be_a_page_is_a_finding(tmp_path: Path, field: str) -> None:
    root = tmp_path / "repo"
    (root / "promises").mkdir(parents=True)
    (root / "promises/long.md").write_text(promise_text(**{field: "a" * 300}))
    done = promisesite(root, "check")
    assert done.returncode == 1 and "P005" in done.stdout and "characters" in done.stdout, done.stdout
    build = promisesite(root, "build", "--allow-errors")
    assert build.returncode == 1, build.stderr
    assert (root / "site/index.html").is_file()


def test_an_id_too_long_for_a_url_is_a_finding(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "promises").mkdir(parents=True)
    (root / "promises" / ("a" * 240 + ".md")).write_text(promise_text())
    done = promisesite(root, "check")
    assert done.returncode == 1 and "P008" in done.stdout, done.stdout
    assert promisesite(root, "build", "--allow-errors").returncode == 1


def test_new_never_writes_outside_the_source_folder(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    before = snapshot(tmp_path)
    done = new_promise(root, "../../../../tmp/x", "p95 of POST /x is below 200 ms for 7 days")
    assert done.returncode in (0, 2)
    added = set(snapshot(tmp_path)) - set(before)
    assert all(path.startswith("repo/promises/") for path in added), added


@pytest.mark.parametrize("override", ["partials/footer.html", "assets/style.css"])
def test_a_template_file_linked_outside_is_refused(tmp_path: Path, override: str) -> None:
    root = copy_sample(tmp_path / "repo")
    secret = tmp_path / "secret.txt"
    secret.write_text("the database password")
    target = root / "templates" / override
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    target.symlink_to(secret)
    done = promisesite(root, "build")
    assert done.returncode == 2 and "outside the repository" in done.stderr, done.stderr
    assert not (root / "site").exists()


def test_a_config_file_linked_outside_is_refused(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2 and: more\n")
    (root / "promisesite.yaml").unlink()
    (root / "promisesite.yaml").symlink_to(secret)
    done = promisesite(root, "check")
    assert done.returncode == 2 and "outside the repository" in done.stderr
    assert "hunter2" not in done.stdout + done.stderr


def test_a_config_that_is_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    (root / "promisesite.yaml").unlink()
    os.mkfifo(root / "promisesite.yaml")
    done = promisesite(root, "check", timeout=120)
    assert done.returncode == 2 and "FIFO" in done.stderr


def test_new_does_not_write_through_a_linked_team_folder(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(root / "promises/platform")
    (root / "promises/platform").symlink_to(elsewhere)
    done = new_promise(root, "Refund API p95 under 200 ms", "p95 of POST /refunds is below 200 ms")
    assert done.returncode in (0, 2), done.stderr
    assert list(elsewhere.iterdir()) == []


def test_init_does_not_write_through_a_linked_folder(tmp_path: Path) -> None:
    target = tmp_path / "fresh"
    elsewhere = tmp_path / "elsewhere"
    target.mkdir()
    elsewhere.mkdir()
    (target / ".github").symlink_to(elsewhere)
    done = promisesite(target, "init", "--today", TODAY)
    assert done.returncode == 2 and "link" in done.stderr
    assert list(elsewhere.iterdir()) == [] and list(target.iterdir()) == [target / ".github"]


def test_a_template_that_includes_itself_is_a_configuration_error(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    (root / "templates/partials/footer.html").write_text('{% include "partials/footer.html" %}')
    done = promisesite(root, "build")
    assert done.returncode == 2 and "itself" in done.stderr, done.stderr


def test_a_linked_folder_named_on_the_command_line_is_a_finding(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "broken.md").write_text("---\ntitle: TBD\n---\n")
    (root / "promises/archive").symlink_to(elsewhere)
    done = promisesite(root, "check", "promises/archive")
    assert done.returncode == 1 and "promises/archive:1:1: P001" in done.stdout and "broken.md" not in done.stdout


def test_a_source_folder_in_another_git_repository_builds_without_history(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    other = tmp_path / "other"
    shutil.copytree(root / "promises", other / "promises")
    git = Git(other)
    git("init", "-q")
    git.commit("the other repository")
    done = promisesite(root, "build", "--source", str(other / "promises"))
    assert done.returncode == 0, done.stderr
    assert "another git repository" in done.stderr


@pytest.mark.parametrize(
    "expression",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",  # the classic escape from Jinja
        "{{ cycler.__init__.__globals__.os.popen('touch pwned').read() }}",
        "{{ ledger.now.config.output }}",  # the site object behind the ledger
        "{{ ledger.config.output.parent.joinpath('pwned').write_text('x') }}",  # a path, to write with
        "{% for p in ledger.promises %}{{ p.__class__ }}{% endfor %}",
    ],
)
def test_a_template_runs_nothing(tmp_path: Path, expression: str) -> None:
    """A template comes from a pull request like a promise file: rendered in a sandbox, whoever wrote it."""
    copy_sample(tmp_path)
    (tmp_path / "templates").mkdir(exist_ok=True)
    (tmp_path / "templates/404.html").write_text(
        '{% extends "base.html" %}{% block content %}' + expression + "{% endblock %}"
    )
    before = snapshot(tmp_path)
    done = promisesite(tmp_path, "build")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "404.html:1: template error" in done.stderr and "may not reach Python's internals" in done.stderr
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "site/pwned").exists()
    assert snapshot(tmp_path) == before  # nothing written: not the site, not a file the template named
