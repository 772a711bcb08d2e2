"""Every piece of advice is right: what a new user wrote, and what each message now tells her to
write instead, with her registry and her today in view. Each row was once wrong."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import GOOD, Git, Repo, front_matter, promise_text

REGISTRY = """\
people:
  ana.lima: {name: Ana Lima}
  bo.chen: {name: Bo Chen}
  cleo.ruiz: {name: Cleo Ruiz}
teams:
  growth: {name: Growth, members: [ana.lima, bo.chen]}
  finance: {name: Finance, members: [cleo.ruiz]}
"""
TODAY = "2026-12-02"


def messages(repo: Repo, code: str, today: str = TODAY) -> list[str]:
    found = repo.run("check", "--format", "json", "--today", today).stdout
    return [f["message"] for f in json.loads(found) if f["code"] == code]


@pytest.fixture
def registered(repo: Repo) -> Repo:
    repo.config(REGISTRY)
    return repo


def test_a_team_as_promiser_asks_for_one_of_its_people(registered: Repo) -> None:
    registered.promise(promiser="growth", customer="finance", team=None)
    [message] = messages(registered, "P302")
    assert "`growth` is a team, and a promise is personal" in message
    assert "`promiser: ana.lima`" in message and "`bo.chen`" in message
    assert "add `growth` to `people:`" not in message


def test_a_phrase_as_promiser_is_never_made_into_a_handle(registered: Repo) -> None:
    registered.promise(promiser="the team", customer="finance", team=None)
    [message] = messages(registered, "P005")
    assert "the.team" not in message
    assert "`promiser: ana.lima`" in message  # a registered person, as an example


def test_without_a_registry_a_name_becomes_a_handle_and_a_phrase_does_not(repo: Repo) -> None:
    repo.promise(promiser="Ana Lima")
    [named] = messages(repo, "P005")
    assert "`promiser: ana.lima`" in named
    repo.promise(promiser="the team")
    [phrase] = messages(repo, "P005")
    assert "the.team" not in phrase and "one person's handle" in phrase


@pytest.mark.parametrize(
    "written, advice",
    [
        ("Q1", "if you mean the end of Q1, write `due: 2027-03-31`"),  # not the Q1 already past
        ("end of Q1", "if you mean the end of Q1, write `due: 2027-03-31`"),
        ("end of March", "if you mean the end of March, write `due: 2027-03-31`"),
        ("Dec 15", "if you mean 15 December, write `due: 2026-12-15`"),
        ("soon", "four weeks from today is `due: 2026-12-30`"),
    ],
)
def test_a_vague_due_date_is_translated_into_the_day_it_means(repo: Repo, written: str, advice: str) -> None:
    repo.promise(due=written)
    [message] = messages(repo, "P102")
    assert advice in message
    assert "2026-12-31`" not in message or written == "Q4"


def test_an_unclosed_bracket_is_deleted_not_quoted(repo: Repo) -> None:
    repo.write("checkout.md", promise_text().replace("due: 2026-12-15", "due: [2027-01-15"))
    [message] = messages(repo, "P003")
    assert "delete it (`due: 2027-01-15`)" in message
    assert '"[2027-01-15"' not in message


def test_a_missing_customer_is_exemplified_from_the_registry(registered: Repo) -> None:
    registered.promise(customer=None, promiser="ana.lima", team=None)
    [message] = messages(registered, "P006")
    assert "`customer: growth`" in message and "payments" not in message


def test_new_with_a_past_due_date_says_so_and_nothing_else(registered: Repo) -> None:
    done = registered.run(
        "new",
        "Refund API p95 under 200 ms",
        "--promiser",
        "ana.lima",
        "--customer",
        "finance",
        "--due",
        "2026-11-01",
        "--done-when",
        "p95 of POST /refunds is below 200 ms for 7 consecutive days",
        "--today",
        TODAY,
    )
    assert done.exit_code == 2
    assert "`due: 2026-11-01` is in the past (today is 2026-12-02)" in done.stderr
    assert "P103" not in done.stderr and "P404" not in done.stderr and "renegotiate" not in done.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_deleting_a_promised_promise_never_suggests_withdrawn(repo: Repo) -> None:
    git = Git(repo.root)
    git("init", "-q")
    repo.promise()
    git.commit("promised")
    (repo.root / "promises/checkout.md").unlink()
    found = json.loads(repo.run("check", "--format", "json", "--base", "HEAD", "--today", TODAY).stdout)
    [deleted] = [f for f in found if f["code"] == "P409"]
    assert "withdrawn" not in deleted["message"] and "`revoked` by the promiser" in deleted["message"]
    review = json.loads(repo.run("changes", "--base", "HEAD", "--format", "json", "--today", TODAY).stdout)
    [item] = review["promises"][0]["items"]
    assert "withdrawn" not in item["act"] and item["act"].startswith("ana.lima to put the file back")


def test_a_late_delivery_awaiting_acceptance_asks_the_customer_to_accept(repo: Repo) -> None:
    repo.promise(status="delivered", due="2026-11-20", delivered="2026-11-25")
    [message] = messages(repo, "P404")
    assert message.startswith("delivered on 2026-11-25, 5 days after its due date 2026-11-20")
    assert "payments to accept it" in message
    assert "renegotiate" not in message and "report delivery" not in message


def test_a_silent_move_is_one_finding_not_two(repo: Repo) -> None:
    git = Git(repo.root)
    git("init", "-q")
    entry = {"on": "2026-11-18", "was": "2026-12-01", "due": "2026-12-15", "reason": "slipped", "agreed_by": "payments"}
    repo.promise(renegotiations=[entry])
    git.commit("renegotiated once")
    repo.promise(due="2027-02-01", renegotiations=[entry])  # moved again, no new entry
    found = json.loads(repo.run("check", "--format", "json", "--base", "HEAD", "--today", TODAY).stdout)
    assert [f["code"] for f in found] == ["P403"]  # not P401 as well


def test_a_team_of_one_person_shows_no_share_with_accounting_teams(repo: Repo) -> None:
    repo.config(REGISTRY + "accounting: teams\n")
    accepted = {"status": "accepted", "delivered": "2026-11-10", "accepted": "2026-11-12", "due": "2026-11-15"}
    accepted |= {"team": None}  # each promiser's own team
    for index in range(4):
        repo.write(
            f"solo-{index}.md", front_matter({**GOOD, **accepted, "promiser": "cleo.ruiz", "customer": "growth"})
        )
        repo.write(f"duo-{index}.md", front_matter({**GOOD, **accepted, "promiser": "ana.lima", "customer": "finance"}))
    repo.write("duo-bo.md", front_matter({**GOOD, **accepted, "promiser": "bo.chen", "customer": "finance"}))
    assert repo.run("build", "--today", TODAY).exit_code == 0
    site = repo.root / "site"
    teams = (site / "teams/index.html").read_text()
    assert "— (one person&#39;s promises)" in teams
    assert 'id="reliability"' not in (site / "teams/finance/index.html").read_text()  # Cleo alone
    assert 'id="reliability"' in (site / "teams/growth/index.html").read_text()  # Ana and Bo
