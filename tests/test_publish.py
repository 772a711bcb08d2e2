"""What the site tells its readers beyond the lists: what is at risk and why, who is in a team, the
names behind handles, and only as much of the accounting as the config allows; calendars and
feeds whose ids are this site's alone."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import GOOD, TODAY, Repo, front_matter
from sitetools import text_of

PEOPLE = """people:
  ana.lima: {name: Ana Lima}
  bo.chen: {name: Bo Chen}
  cleo.ruiz: {name: Cleo Ruiz}
teams:
  platform: {name: Platform, members: [ana.lima, bo.chen]}
  payments: {name: Payments, members: [cleo.ruiz]}
"""
ACCEPTED = {"status": "accepted", "due": "2026-11-05", "delivered": "2026-11-04", "accepted": "2026-11-06"}


def built(repo: Repo, *args: str) -> Path:
    result = repo.run("build", "--today", TODAY, *args)
    assert result.exit_code == 0, result.stderr
    return repo.root / "site"


def a_small_organisation(repo: Repo, accounting: str = "") -> None:
    repo.config(PEOPLE + (f"accounting: {accounting}\n" if accounting else ""))
    for n in range(4):
        repo.promise(f"kept-{n}.md", **ACCEPTED)
    repo.promise("late.md", **{**ACCEPTED, "delivered": "2026-11-10", "accepted": "2026-11-11", "cause": "scope"})
    repo.promise("bo.md", promiser="bo.chen", **ACCEPTED)


def test_with_accounting_teams_no_person_share_appears_anywhere(repo: Repo) -> None:
    a_small_organisation(repo, "teams")
    site = built(repo)
    for page in [*(site / "people").rglob("*.html"), *(site / "customers").rglob("*.html")]:
        html = page.read_text()
        assert 'id="reliability"' not in html and "week-chart" not in html and "cause-count" not in html, page
        assert not re.search(r"\d+% · \d+ of \d+|too few for a share|kept:", text_of(html)), page
    team = (site / "teams/platform/index.html").read_text()
    assert 'id="reliability"' in team and "83% kept: 5 of 6" in text_of(team)  # the team's own share stays
    roster = team.split('id="roster"', 1)[1].split("</table>", 1)[0]
    assert "Ana Lima" in roster and "Kept" not in roster and "%" not in roster
    assert "Kept" not in (site / "people/index.html").read_text()
    data = json.loads((site / "promises.json").read_text())
    assert all(set(p) >= {"id", "outcome"} and "reliability" not in p for p in data)


def test_with_accounting_people_every_page_has_its_share(repo: Repo) -> None:
    a_small_organisation(repo)
    site = built(repo)
    person = text_of((site / "people/ana-lima/index.html").read_text())
    assert "80% kept: 4 of 5 counted promises" in person
    roster = text_of((site / "teams/platform/index.html").read_text()).split("Kept", 2)[2]
    assert "Ana Lima 0 0 5 80% · 4 of 5" in roster


def test_with_accounting_none_the_site_shows_no_reliability(repo: Repo) -> None:
    a_small_organisation(repo, "none")
    site = built(repo)
    for page in site.rglob("*.html"):
        html = page.read_text()
        assert 'id="reliability"' not in html and "week-chart" not in html, page


def test_an_unknown_accounting_choice_is_a_configuration_error(repo: Repo) -> None:
    repo.config("accounting: everyone\n")
    repo.promise()
    result = repo.check()
    assert result.exit_code == 2 and "write people" in result.stderr and "teams" in result.stderr


def test_fewer_than_three_counted_promises_show_no_share(repo: Repo) -> None:
    repo.config(PEOPLE)
    repo.promise("kept.md", **ACCEPTED)
    site = built(repo)
    team = text_of((site / "teams/platform/index.html").read_text())
    assert "1 of 1 kept; too few promises counted for a share (it takes 3)" in team
    assert "1 of 1 · too few for a share" in text_of((site / "teams/index.html").read_text())
    assert "100%" not in team.split("Week by week", 1)[0]  # the headline draws no share from one promise


def test_the_dashboard_shows_what_is_at_risk_and_why(repo: Repo) -> None:
    repo.config(PEOPLE)
    recent = {"requested": "2026-11-14", "promised": "2026-11-15"}  # changed lately: not stale
    repo.promise(
        "low.md", title="Checkout latency under 300 ms in January", confidence="low", due="2027-01-20", **recent
    )
    repo.promise("medium-soon.md", confidence="medium", due="2026-11-26", help="ask bo.chen", **recent)
    repo.promise("medium-later.md", confidence="medium", due="2027-02-01", **recent)
    repo.promise("high.md", confidence="high", due="2026-11-25", **recent)
    repo.promise("quiet.md", confidence="high", due="2027-01-25")  # promised 2026-10-03, untouched since
    repo.promise(
        "twice.md",
        promised="2026-11-01",
        due="2027-03-01",
        renegotiations=[
            {
                "on": "2026-11-02",
                "was": "2027-01-01",
                "due": "2027-02-01",
                "reason": "scope grew",
                "agreed_by": "payments",
            },
            {
                "on": "2026-11-10",
                "was": "2027-02-01",
                "due": "2027-03-01",
                "reason": "scope grew",
                "agreed_by": "payments",
            },
        ],
    )
    html = (built(repo) / "index.html").read_text()
    section = html.split('id="at-risk"', 1)[1].split("</section>", 1)[0]
    rows = dict(re.findall(r'<a href="promises/([a-z-]+)/">.*?<td class="risk-cell">([^<]*)</td>', section, re.S))
    assert rows == {
        "medium-soon": "medium confidence, due in 5 days",
        "twice": "renegotiated 2 times",
        "low": "low confidence, and nobody asked for help",
        "quiet": "unchanged for 7 weeks",
    }
    assert '<span class="chip c-low">low confidence</span>' in (repo.root / "site/promises/index.html").read_text()


def test_people_and_teams_are_named_and_linked_where_they_appear(repo: Repo) -> None:
    repo.config(PEOPLE)
    repo.promise("parent.md", title="Checkout stays up through the holiday peak", promiser="bo.chen")
    repo.promise(serves="parent", measured_by="cleo.ruiz", help="ask bo.chen (database on-call) if the upgrade slips")
    site = built(repo)
    page = (site / "promises/checkout/index.html").read_text()
    assert '<li class="crumb-label">Serves:</li>' in page
    assert '<strong>Help:</strong> ask <a href="../../people/bo-chen/">Bo Chen</a> (database on-call)' in page
    assert '<dt>Measured by</dt><dd><a href="../../people/cleo-ruiz/">Cleo Ruiz</a></dd>' in page
    person = (site / "people/ana-lima/index.html").read_text()
    assert 'Member of <a href="../../teams/platform/">Platform</a>' in person
    roster = (site / "teams/platform/index.html").read_text().split('id="roster"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'<a href="../../people/([a-z-]+)/">', roster) == ["ana-lima", "bo-chen"]


def uids(site: Path) -> set[str]:
    with open(site / "calendar.ics", encoding="utf-8", newline="") as handle:
        return set(re.findall(r"^UID:(.*)\r$", handle.read(), re.M))


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("base_url: https://promises.northwind.example/team/\n", "checkout@promises.northwind.example.team"),
        ("site_id: promises.acme.example\n", "checkout@promises.acme.example"),
    ],
)
def test_calendar_ids_name_the_site(repo: Repo, config: str, expected: str) -> None:
    repo.config(config)
    repo.promise()
    site = built(repo)
    assert uids(site) == {expected}
    ics = (site / "calendar.ics").read_text()
    assert ("URL:https://promises.northwind.example/team/promises/checkout/" in ics) == ("https" in config)


def test_two_organisations_without_a_host_get_different_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = []
    for name in ("Acme promises", "Northwind promises"):
        root = tmp_path / name.split()[0]
        root.mkdir()
        monkeypatch.chdir(root)
        repo = Repo(root)
        repo.config(f"title: {name}\n")
        repo.write("checkout.md", front_matter(GOOD))
        site = built(repo)
        found.append(uids(site))
        feed = (site / "feed.xml").read_text()
        assert re.search(r"<id>urn:promisesite:[0-9a-f]{12}\.promisesite\.invalid:promise:checkout</id>", feed)
    assert found[0] != found[1] and all(len(ids) == 1 for ids in found)
