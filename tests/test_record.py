"""A record nobody can launder: renegotiations only grow, milestones stay, deletions are caught,
a date moved quietly on main is shown and not counted, and only real promises count as broken.
Each case is a real git repository."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import TODAY, Git, Repo, promise_text
from hostile import promisesite
from promisesite.rules import RULES
from sitetools import copy_sample, text_of

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

ENTRY = {
    "on": "2026-11-18",
    "was": "2026-12-01",
    "due": "2026-12-15",
    "reason": "the upgrade moved a week",
    "agreed_by": "payments",
}


@pytest.fixture
def git(repo: Repo) -> Git:
    git = Git(repo.root)
    git("init", "-q")
    return git


def codes(repo: Repo, *args: str) -> list[str]:
    return sorted(f["code"] for f in repo.check(*args).findings)


def test_editing_the_last_entry_to_move_due_is_history_rewritten(repo: Repo, git: Git) -> None:
    repo.promise(renegotiations=[ENTRY])
    git.commit("renegotiated once")
    git("branch", "base")
    repo.promise(due="2027-01-15", renegotiations=[{**ENTRY, "due": "2027-01-15"}])
    found = repo.check("--base", "base").findings
    assert {"P408", "P403"} <= {f["code"] for f in found}
    [rewritten] = [f for f in found if f["code"] == "P408"]
    assert rewritten["level"] == "error" and "renegotiation 1 was rewritten" in rewritten["message"]
    assert "2026-12-15" in rewritten["message"] and "2027-01-15" in rewritten["message"]


def test_rewriting_a_past_entrys_reason_is_history_rewritten(repo: Repo, git: Git) -> None:
    second = {
        "on": "2026-12-10",
        "was": "2026-12-15",
        "due": "2027-01-15",
        "reason": "a second slip",
        "agreed_by": "payments",
    }
    repo.promise(due="2027-01-15", renegotiations=[ENTRY, second])
    git.commit("renegotiated twice")
    git("branch", "base")
    repo.promise(due="2027-01-15", renegotiations=[{**ENTRY, "reason": "payments asked for it"}, second])
    assert codes(repo, "--base", "base") == ["P408"]


def test_reordering_or_removing_entries_is_history_rewritten(repo: Repo, git: Git) -> None:
    second = {
        "on": "2026-12-10",
        "was": "2026-12-15",
        "due": "2027-01-15",
        "reason": "a second slip",
        "agreed_by": "payments",
    }
    repo.promise(due="2027-01-15", renegotiations=[ENTRY, second])
    git.commit("renegotiated twice")
    git("branch", "base")
    repo.promise(due="2027-01-15", renegotiations=[second])
    assert "P408" in codes(repo, "--base", "base")


def test_appending_an_entry_is_the_honest_way(repo: Repo, git: Git) -> None:
    repo.promise(renegotiations=[ENTRY])
    git.commit("renegotiated once")
    git("branch", "base")
    second = {
        "on": "2026-12-10",
        "was": "2026-12-15",
        "due": "2027-01-15",
        "reason": "a second slip",
        "agreed_by": "payments",
    }
    repo.promise(due="2027-01-15", renegotiations=[ENTRY, second])
    assert codes(repo, "--base", "base") == []


def test_moving_delivered_earlier_is_history_rewritten(repo: Repo, git: Git) -> None:
    repo.promise(status="delivered", delivered="2026-12-20", due="2026-12-15")
    git.commit("delivered late")
    git("branch", "base")
    repo.promise(status="delivered", delivered="2026-12-10", due="2026-12-15")
    found = repo.check("--base", "base", "--today", "2026-12-21").findings
    [rewritten] = [f for f in found if f["code"] == "P408"]
    assert (
        "`delivered` was 2026-12-20" in rewritten["message"]
        and "put back `delivered: 2026-12-20`" in rewritten["message"]
    )


def test_a_status_moved_back_that_removes_delivered_is_status_backwards_only(repo: Repo, git: Git) -> None:
    repo.promise(status="delivered", delivered="2026-12-10")
    git.commit("delivered")
    git("branch", "base")
    repo.promise()
    assert codes(repo, "--base", "base") == ["P406"]


@pytest.mark.parametrize("status, level", [("promised", "error"), ("accepted", "warning")])
def test_deleting_a_promise_is_caught(repo: Repo, git: Git, status: str, level: str) -> None:
    extra = {"delivered": "2026-11-10", "accepted": "2026-11-12"} if status == "accepted" else {}
    repo.promise("kept.md")
    repo.promise("gone.md", status=status, **extra)
    git.commit("two promises")
    git("branch", "base")
    (repo.root / "promises/gone.md").unlink()
    result = repo.check("--base", "base")
    [deleted] = [f for f in result.findings if f["code"] == "P409"]
    assert deleted["path"] == "promises/gone.md" and deleted["level"] == level
    if status == "promised":  # a promise ends as delivered and accepted, revoked or cancelled: not withdrawn
        assert "close it with a status instead (`status: delivered` and then `accepted`" in deleted["message"]
        assert "withdrawn" not in deleted["message"]
    else:
        assert "put the file back as it was: a closed promise stays in the record" in deleted["message"]
    assert result.exit_code == (1 if level == "error" else 0)


def test_a_move_to_another_folder_is_not_a_deletion(repo: Repo, git: Git) -> None:
    repo.promise("platform/checkout.md")
    git.commit("promise")
    git("branch", "base")
    git("mv", "promises/platform", "promises/web")
    assert codes(repo, "--base", "base") == []


def test_a_new_file_name_is_a_new_id_and_the_old_one_is_gone(repo: Repo, git: Git) -> None:
    """The id is the file name: renaming the file ends the old promise's page and links."""
    repo.promise("old-name.md")
    git.commit("promise")
    git("branch", "base")
    git("mv", "promises/old-name.md", "promises/new-name.md")
    assert codes(repo, "--base", "base") == ["P409"]


def test_a_silent_move_pushed_to_main_is_shown_and_counted_against_the_earlier_date(repo: Repo, git: Git) -> None:
    repo.config(
        "people:\n  ana.lima: {name: Ana Lima}\n  cleo.ruiz: {name: Cleo}\n"
        "teams:\n  payments: {members: [cleo.ruiz]}\n  platform: {members: [ana.lima]}\n"
    )
    repo.promise(due="2026-11-01", promised="2026-10-03")
    git.commit("promised for 1 November")
    repo.promise(due="2026-11-30", promised="2026-10-03")  # moved on main, no renegotiation entry
    git.commit("quietly moved")
    repo.promise(
        due="2026-11-30", promised="2026-10-03", status="accepted", delivered="2026-11-20", accepted="2026-11-21"
    )
    git.commit("delivered on the 20th, accepted")
    assert repo.run("build", "--today", TODAY).exit_code == 0
    page = (repo.root / "site/promises/checkout/index.html").read_text()
    assert "Due moved 2026-11-01 → 2026-11-30 without a renegotiation entry" in page
    assert "Counted against 1 Nov 2026" in page
    person = (repo.root / "site/people/ana-lima/index.html").read_text()
    assert "late" in text_of(person) and "0%" in person  # delivered after the date in force


def test_a_person_with_a_kept_a_broken_and_an_unanswered_request(repo: Repo, git: Git) -> None:
    repo.promise("kept.md", status="accepted", delivered="2026-11-10", accepted="2026-11-12", due="2026-11-15")
    repo.promise("broken.md", due="2026-11-10")  # promised, past due, not delivered
    repo.promise(
        "asked.md",
        title="Export the refunds ledger to finance",
        status="requested",
        requested="2026-10-01",
        promised=None,
        due="2026-11-05",
        done_when=None,
    )  # a request nobody answered
    git.commit("three")
    assert repo.run("build", "--today", TODAY).exit_code == 0
    person = text_of((repo.root / "site/people/ana-lima/index.html").read_text())
    assert "1 of 2 kept; too few promises counted for a share" in person
    waiting = person.split("Waiting for an answer", 1)[1]
    assert "Export the refunds ledger to finance" in waiting.split("As promiser", 1)[0]
    dashboard = text_of((repo.root / "site/index.html").read_text())
    assert "Export the refunds ledger to finance" in dashboard.split("Waiting for an answer", 1)[1]
    overdue = text_of((repo.root / "site/overdue/index.html").read_text())
    assert "Export the refunds" not in overdue and "Checkout p95" in overdue
    [asked] = [f for f in repo.check().findings if f["path"] == "promises/asked.md"]
    assert asked["code"] == "P404" and "promise it" in asked["message"] and "withdraw" in asked["message"]
    assert "report delivery" not in asked["message"]


def test_findings_on_pages_read_as_prose_and_link_their_rule(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    (root / "promises/broken.md").write_text(
        promise_text(title="Try to fix TBD soon", due="Q4", customer="ana.lima", confidence="low")
    )
    assert promisesite(root, "build", "--allow-errors").returncode == 1
    shown = 0
    for page in (root / "site/promises").rglob("index.html"):
        html = page.read_text()
        for item in re.findall(r'<li class="finding[^"]*">(.*?)</li>', html, re.S):
            shown += 1
            assert "`" not in text_of(item), item
            [link] = re.findall(r'<a class="code" href="([^"]+)">', item)
            assert (page.parent / link / "index.html").resolve().is_file()  # relative to the page
    assert shown > 5
    for rule in RULES:
        page = root / "site/rules" / rule.code / "index.html"
        assert rule.name in page.read_text() and "`" not in text_of(page.read_text()).split("Flagged")[0]
