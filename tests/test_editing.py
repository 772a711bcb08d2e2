"""Changing promise files without hand-writing YAML: `check --fix` and the lifecycle commands, on real
files in real git repositories. Every byte outside the changed spans stays as it was."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from conftest import Git, Repo, promise_text
from sitetools import copy_sample

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

# A file as people write it: comments, an odd key order, quoting styles, a CRLF-free body.
WRITTEN = """\
---
# the checkout work for the peak
title: 'Checkout p95 latency under 300 ms'   # single quotes, kept
promiser: ana.lima            # one person
customer: payments
status: promised
promised: 2026-10-03
due: 2026-12-15
done_when:
  - p95 latency of POST /checkout is below 300 ms for 7 consecutive days
tags: [performance]
---

## Approach

Notes that must stay *exactly* as they are.\t
"""


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:2] in ("- ", "+ ")]


@pytest.fixture
def git(repo: Repo) -> Git:
    git = Git(repo.root)
    git("init", "-q")
    return git


# --- check --fix ----------------------------------------------------------------------------------

FIXABLE = [
    ("P007", "status: promised", "status: in progress", "status: promised"),
    (
        "P007",
        "status: promised\npromised: 2026-10-03",
        "status: done\npromised: 2026-10-03\ndelivered: 2026-11-10",
        "status: delivered",
    ),
    ("P004", "due: 2026-12-15", "due_date: 2026-12-15", "due: 2026-12-15"),
    ("P102", "due: 2026-12-15", "due: 15 Dec 2026", "due: 2026-12-15"),
    ("P102", "due: 2026-12-15", "due: 2026/12/15", "due: 2026-12-15"),
    (
        "P011",
        "title: 'Checkout p95 latency under 300 ms'   # single quotes, kept",
        "title: Checkout fix #4512 for SSO users",
        'title: "Checkout fix #4512 for SSO users"',
    ),
    ("P005", "tags: [performance]", "tags: performance, holiday", "tags: [performance, holiday]"),
    ("P005", "  - p95 latency", "  - the runbook is in docs/runbook.md\n     - p95 latency", "  - p95 latency"),
]


@pytest.mark.parametrize("code, old, new, fixed", FIXABLE, ids=[f"{c}-{n[:20]}" for c, _, n, _ in FIXABLE])
def test_fix_changes_only_the_fixed_span_and_check_then_accepts_it(
    repo: Repo, code: str, old: str, new: str, fixed: str
) -> None:
    broken = WRITTEN.replace(old, new, 1)
    path = repo.write("checkout.md", broken)
    assert code in repo.check().codes()
    done = repo.run("check", "--fix", "--today", "2026-11-21")
    after = path.read_text()
    assert code not in repo.check().codes(), after
    assert f"{code} fixed:" in done.stderr
    assert fixed in after
    # every line the fix did not touch is byte for byte as it was: comments, quotes, the body
    assert after.endswith(WRITTEN.split("---\n", 2)[2]) and "# the checkout work for the peak" in after
    snippets = [part.strip() for part in (new + "\n" + fixed).splitlines() if part.strip()]
    for line in changed_lines(broken, after):  # only the lines the fix is about
        assert any(line[2:].strip().startswith(snippet) for snippet in snippets), changed_lines(broken, after)


def test_fix_diff_shows_and_writes_nothing(repo: Repo) -> None:
    path = repo.write("checkout.md", WRITTEN.replace("due: 2026-12-15", "due: 15 Dec 2026"))
    before = path.read_bytes()
    done = repo.run("check", "--fix", "--diff", "--today", "2026-11-21")
    assert done.exit_code == 1 and "-due: 15 Dec 2026\n+due: 2026-12-15" in done.stdout
    assert path.read_bytes() == before


def test_fix_never_chooses_a_meaning(repo: Repo) -> None:
    """`done` with no delivery date could be delivered or accepted; `Q1` could be any day: left alone."""
    path = repo.write(
        "checkout.md", WRITTEN.replace("status: promised", "status: done").replace("due: 2026-12-15", "due: Q1")
    )
    before = path.read_bytes()
    repo.run("check", "--fix", "--today", "2026-11-21")
    assert path.read_bytes() == before


def test_fix_keeps_crlf_and_a_bom(repo: Repo) -> None:
    text = "\ufeff" + WRITTEN.replace("due: 2026-12-15", "due: 2026/12/15").replace("\n", "\r\n")
    path = repo.root / "promises/checkout.md"
    path.write_bytes(text.encode("utf-8"))
    repo.run("check", "--fix", "--today", "2026-11-21")
    assert path.read_bytes() == text.replace("2026/12/15", "2026-12-15").encode("utf-8")


def test_a_round_trip_over_the_sample_changes_nothing(tmp_path: Path) -> None:
    from hostile import promisesite

    root = copy_sample(tmp_path)
    before = {p: p.read_bytes() for p in (root / "promises").rglob("*.md")}
    done = promisesite(root, "check", "--fix", "--today", "2026-11-21")
    assert done.returncode == 0, done.stderr
    assert {p: p.read_bytes() for p in before} == before and "fixed" not in done.stderr


# --- the lifecycle commands ---------------------------------------------------------------------


def passes_the_record(repo: Repo) -> list[str]:
    result = repo.check("--base", "HEAD")
    return [f["code"] for f in result.findings if f["code"] in ("P403", "P408", "P411", "P412", "P401", "P402")]


def test_renegotiate_appends_the_entry_and_moves_the_date(repo: Repo, git: Git) -> None:
    path = repo.write("checkout.md", WRITTEN)
    git.commit("promised")
    done = repo.run(
        "renegotiate",
        "checkout",
        "--due",
        "2027-01-15",
        "--reason",
        "the vendor slipped: two weeks",
        "--today",
        "2026-11-21",
    )
    assert done.exit_code == 0, done.stderr
    after = path.read_text()
    assert "due: 2027-01-15" in after and "    was: 2026-12-15\n    due: 2027-01-15\n" in after
    assert '    reason: "the vendor slipped: two weeks"\n    agreed_by: payments\n' in after
    assert "# the checkout work for the peak" in after and after.endswith("as they are.\t\n")
    assert passes_the_record(repo) == []
    assert git("status", "--short").strip() == "M promises/checkout.md"  # left uncommitted


def test_renegotiate_the_terms_alone_needs_changed(repo: Repo, git: Git) -> None:
    path = repo.write("checkout.md", WRITTEN)
    git.commit("promised")
    refused = repo.run("renegotiate", "checkout", "--due", "2026-12-15", "--reason", "scope", "--today", "2026-11-21")
    assert refused.exit_code == 2 and "--changed" in refused.stderr and path.read_text() == WRITTEN
    done = repo.run(
        "renegotiate",
        "checkout",
        "--due",
        "2026-12-15",
        "--reason",
        "the peak is smaller",
        "--changed",
        "p95 target 300 → 400 ms",
        "--today",
        "2026-11-21",
    )
    assert done.exit_code == 0, done.stderr
    assert "    changed: p95 target 300 → 400 ms\n" in path.read_text()
    assert passes_the_record(repo) == []


@pytest.mark.parametrize(
    "steps, status, dates",
    [
        ([("deliver",), ("accept",)], "accepted", ("delivered: 2026-11-21", "accepted: 2026-11-21")),
        (
            [("revoke", "--reason", "the vendor is gone")],
            "revoked",
            ("closed: 2026-11-21", "closed_reason: the vendor is gone"),
        ),
        ([("cancel", "--reason", "payments moved provider")], "cancelled", ("closed: 2026-11-21",)),
    ],
)
def test_a_promise_moves_through_its_lifecycle(repo: Repo, git: Git, steps: list, status: str, dates: tuple) -> None:
    path = repo.write("checkout.md", WRITTEN)
    git.commit("promised")
    for step in steps:
        done = repo.run(step[0], "checkout", *step[1:], "--today", "2026-11-21", "--commit")
        assert done.exit_code == 0, done.stderr
    after = path.read_text()
    assert f"status: {status}\n" in after and all(date in after for date in dates)
    assert after.startswith("---\n# the checkout work for the peak\n") and after.endswith("as they are.\t\n")
    assert git("status", "--short").strip() == ""  # --commit committed it
    assert git("show", "--name-only", "--format=", "HEAD").split() == ["promises/checkout.md"]


def test_a_request_is_promised_then_declined_is_refused(repo: Repo, git: Git) -> None:
    path = repo.write("req.md", promise_text(status="requested", promised=None))
    git.commit("requested")
    assert repo.run("promise", "req", "--today", "2026-11-21").exit_code == 0
    assert "status: promised\n" in path.read_text() and "promised: 2026-11-21" in path.read_text()
    before = path.read_text()
    refused = repo.run("decline", "req", "--today", "2026-11-21")
    assert refused.exit_code == 2 and "P412" in refused.stderr and "revoke" in refused.stderr
    assert path.read_text() == before
    refused = repo.run("accept", "req", "--today", "2026-11-21")
    assert refused.exit_code == 2 and "deliver it first" in refused.stderr


def test_an_unknown_id_is_a_clear_error(repo: Repo) -> None:
    repo.promise()
    done = repo.run("deliver", "nowhere", "--today", "2026-11-21")
    assert done.exit_code == 2 and "no promise `nowhere`" in done.stderr


def test_a_change_that_would_break_the_file_is_undone(repo: Repo, git: Git) -> None:
    repo.config("causes: [capacity]\n")
    path = repo.write("checkout.md", WRITTEN)
    git.commit("promised")
    done = repo.run(
        "renegotiate",
        "checkout",
        "--due",
        "2027-01-15",
        "--reason",
        "late",
        "--cause",
        "weather",
        "--today",
        "2026-11-21",
    )
    assert done.exit_code == 2 and "P005" in done.stderr
    assert path.read_text() == WRITTEN
