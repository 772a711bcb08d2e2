"""Reliability over time and its causes: the week each promise counts in, the causes of misses,
P410 missing-cause, and what the pages and promises.json show of them."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from conftest import GOOD, TODAY, Git, Repo, front_matter
from sitetools import copy_sample

# Today is Saturday 2026-11-21, in ISO week 2026-W47. Three weeks, worked out by hand:
# W45 (Nov 2-8): kept, late → 2 counted, 50% kept; a request past due is unanswered, not counted.
# W46 (Nov 9-15): kept after renegotiation, broken, kept early (delivered in W44) → 3 counted, 67%.
# W47 (Nov 16-22): revoked, past due and undelivered → 2 broken, 0%; one due next week: not counted.
ACCEPTED = {"status": "accepted", "promised": "2026-10-01"}
THREE_WEEKS: dict[str, dict[str, Any]] = {
    "w45-kept": {**ACCEPTED, "due": "2026-11-05", "delivered": "2026-11-04", "accepted": "2026-11-06"},
    "w45-late": {
        **ACCEPTED,
        "due": "2026-11-06",
        "delivered": "2026-11-10",
        "accepted": "2026-11-11",
        "cause": "capacity",
    },
    "w45-unanswered": {"status": "requested", "requested": "2026-10-01", "promised": None, "due": "2026-11-04"},
    "w46-renegotiated": {
        **ACCEPTED,
        "due": "2026-11-13",
        "delivered": "2026-11-12",
        "accepted": "2026-11-13",
        "renegotiations": [
            {
                "on": "2026-11-02",
                "was": "2026-11-09",
                "due": "2026-11-13",
                "reason": "the vendor moved the release",
                "agreed_by": "payments",
                "cause": "scope",
            }
        ],
    },
    "w46-broken": {"due": "2026-11-12", "cause": "dependency"},
    "w46-early": {**ACCEPTED, "due": "2026-11-15", "delivered": "2026-10-28", "accepted": "2026-10-29"},
    "w47-revoked": {
        "status": "revoked",
        "due": "2026-11-18",
        "closed": "2026-11-10",
        "closed_reason": "the partner ended the contract",
        "cause": "dependency",
    },
    "w47-overdue": {"due": "2026-11-20"},
    "w48-not-yet-due": {"due": "2026-11-25"},
}


def write_three_weeks(repo: Repo) -> None:
    for name, changes in THREE_WEEKS.items():
        repo.write(f"{name}.md", front_matter({**GOOD, "team": "core", **changes}))


def week_rows(html: str) -> dict[str, list[str]]:
    """The weekly table: week → kept, after renegotiation, late, broken, counted, share."""
    table = html.split('<details class="week-table">', 1)[1].split("</table>", 1)[0]
    rows = {}
    for week, cells in re.findall(r'<time datetime="(\d{4}-W\d\d)">.*?</th>(.*?)</tr>', table):
        rows[week] = re.findall(r"<td>([^<]*)</td>", cells)
    return rows


def built(repo: Repo, *args: str) -> Any:
    result = repo.run("build", "--today", TODAY, *args)
    assert result.exit_code == 0, result.stderr
    return repo.root / "site"


def test_a_team_page_counts_three_weeks_as_worked_out_by_hand(repo: Repo) -> None:
    write_three_weeks(repo)
    site = built(repo)
    html = (site / "teams/core/index.html").read_text()
    rows = week_rows(html)
    assert len(rows) == 12 and list(rows)[0] == "2026-W47" and list(rows)[-1] == "2026-W36"  # newest first
    assert rows["2026-W45"] == ["1", "0", "1", "0", "2", "50%"]
    assert rows["2026-W46"] == ["1", "1", "0", "1", "3", "67%"]
    assert rows["2026-W47"] == ["0", "0", "0", "2", "2", "0%"]
    assert rows["2026-W44"] == ["0", "0", "0", "0", "0", "—"]  # the early delivery counts in the week it was due
    chart = html.split('<figure class="week-chart">', 1)[1].split("</figure>", 1)[0]
    assert "<title " in chart and "<desc " in chart and 'role="img"' in chart
    assert "7 promises counted in 3 of 12 weeks, 43% kept" in chart  # 3 kept of 7
    assert re.findall(r'<text class="count"[^>]*>(\d+)</text>', chart) == ["2", "3", "2"]
    assert re.findall(r'<text class="share"[^>]*>([^<]+)</text>', chart)[-3:] == ["50%", "67%", "0%"]

    data = {p["id"]: p for p in json.loads((site / "promises.json").read_text())}
    assert data["w45-late"]["week"] == "2026-W45" and data["w45-late"]["cause"] == "capacity"
    assert data["w46-early"]["week"] == "2026-W46"
    assert data["w45-unanswered"]["week"] is None and data["w48-not-yet-due"]["week"] is None
    assert data["w46-renegotiated"]["renegotiations"][0]["cause"] == "scope"


def test_causes_are_listed_most_frequent_first_with_the_promises_behind_them(repo: Repo) -> None:
    write_three_weeks(repo)
    html = (built(repo) / "teams/core/index.html").read_text()
    causes = html.split('<ol class="causes">', 1)[1].split("</ol>", 1)[0]
    heads = re.findall(r'<span class="cause-name[^"]*">([^<]+)</span> <span class="cause-count">(\d+)</span>', causes)
    assert heads == [("dependency", "2"), ("capacity", "1"), ("scope", "1"), ("no cause given", "1")]
    dependency = causes.split("</li>\n</ul>")[0]
    assert (
        '<a href="../../promises/w46-broken/">' in dependency and '<a href="../../promises/w47-revoked/">' in dependency
    )
    assert "1 renegotiation" in causes  # scope was given for a renegotiation, not a miss
    dashboard = (repo.root / "site/index.html").read_text()
    assert '<span class="cause-name">dependency</span> <span class="cause-count">2</span>' in dashboard


def test_p410_asks_a_cause_of_late_broken_and_revoked_promises(repo: Repo) -> None:
    write_three_weeks(repo)
    found = {(f["path"].rsplit("/", 1)[-1], f["code"]) for f in repo.check().findings if f["code"] == "P410"}
    assert found == {("w47-overdue.md", "P410")}  # the others were given a cause; kept ones need none
    repo.promise("late-again.md", **{**THREE_WEEKS["w45-late"], "cause": None})
    repo.promise("revoked-again.md", **{**THREE_WEEKS["w47-revoked"], "cause": None})
    messages = {f["path"]: f["message"] for f in repo.check().findings if f["code"] == "P410"}
    assert messages["promises/late-again.md"].startswith("delivered late with no `cause`")
    assert messages["promises/revoked-again.md"].startswith("revoked with no `cause`")
    assert "`cause:` one of dependency, capacity, scope" in messages["promises/late-again.md"]
    repo.promise("late-again.md", **THREE_WEEKS["w45-late"])  # with `cause: capacity`
    assert "promises/late-again.md" not in {f["path"] for f in repo.check().findings if f["code"] == "P410"}


@pytest.mark.parametrize(
    ("written", "hint"),
    [("dependancy", "did you mean `cause: dependency`?"), ("vendor", "write one of dependency, capacity")],
)
def test_an_unknown_cause_is_p005_with_a_hint(repo: Repo, written: str, hint: str) -> None:
    path = repo.promise(**{**THREE_WEEKS["w45-late"], "cause": written})
    [finding] = [f for f in repo.check().findings if f["code"] == "P005"]
    assert finding["line"] == path.read_text().splitlines().index(f"cause: {written}") + 1
    assert hint in finding["message"]
    assert "or add it to `causes:` in promisesite.yaml" in finding["message"]
    assert "P410" not in repo.check().codes()  # an unreadable cause is P005's, not also missing


def test_the_config_names_its_own_causes(repo: Repo) -> None:
    repo.config("causes: [vendor, people, weather]\n")
    repo.promise(**{**THREE_WEEKS["w45-late"], "cause": "vendor"})
    assert repo.check().codes() == set()
    repo.promise(**{**THREE_WEEKS["w45-late"], "cause": "dependency"})  # not in this config's list
    [finding] = repo.check().findings
    assert finding["code"] == "P005" and "write one of vendor, people, weather" in finding["message"]


@pytest.mark.parametrize(
    ("config", "said"),
    [
        ("causes: dependency\n", "`causes` must be a list"),
        ("causes: [Vendor Delay]\n", "must be one lowercase word"),
        ("causes: [vendor, vendor]\n", "names `vendor` twice"),
        ("cause: [vendor]\n", "did you mean `causes`?"),
    ],
)
def test_a_bad_causes_list_is_a_configuration_error(repo: Repo, config: str, said: str) -> None:
    repo.config(config)
    repo.promise()
    result = repo.check()
    assert result.exit_code == 2 and said in result.stderr, result.stderr


def test_a_cause_added_to_an_old_entry_is_not_a_rewrite_but_a_changed_one_is(repo: Repo) -> None:
    entry = {
        "on": "2026-11-02",
        "was": "2026-11-09",
        "due": "2026-11-13",
        "reason": "the vendor moved the release",
        "agreed_by": "payments",
    }

    def write(**extra: str) -> None:
        repo.promise(due="2026-11-13", renegotiations=[{**entry, **extra}])

    git = Git(repo.root)
    git("init", "-q")
    write()
    git.commit("promise, moved once")
    write(cause="dependency")
    assert "P408" not in repo.check("--base", "HEAD").codes()  # the team learnt why, later
    git.commit("cause added")
    write(cause="capacity")
    [finding] = [f for f in repo.check("--base", "HEAD").findings if f["code"] == "P408"]
    assert "`cause` `dependency` → `capacity`" in finding["message"]


def test_the_sample_shows_causes_and_weeks_that_say_something(repo: Repo) -> None:
    copy_sample(repo.root)
    html = (built(repo) / "index.html").read_text()
    counted = [row for row in week_rows(html).values() if row[4] != "0"]
    assert len(counted) >= 8  # most of the 12 weeks have promises counted
    assert html.count('<span class="cause-count">') >= 5
    assert "P410" not in repo.check().codes()


def kept_in_week(day: str) -> dict[str, Any]:
    return {
        "status": "accepted",
        "requested": "2026-09-01",
        "promised": "2026-09-01",
        "due": day,
        "delivered": day,
        "accepted": day,
    }


def signals(html: str) -> dict[str, str]:
    return dict(re.findall(r'<li class="signal signal-([a-z-]+)"><strong>[^<]*</strong> ([^<]*)', html))


def test_signals_point_at_under_commitment_swings_and_stale_promises(repo: Repo) -> None:
    mondays = ["2026-09-28", "2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02", "2026-11-09"]
    mondays.append("2026-11-16")
    for monday in mondays:  # 8 weeks, each with one promise kept
        repo.write(f"kept-{monday}.md", front_matter({**GOOD, **kept_in_week(monday)}))
    html = (built(repo) / "teams/platform/index.html").read_text()
    assert "Kept 95% or more in each of 8 weeks" in signals(html)["under-commitment"]
    assert "swing" not in signals(html) and "stale" not in signals(html)

    for n in range(3):  # W46: 4 kept of 4 (100%); W47: 1 kept and 3 broken (25%)
        repo.write(f"w46-{n}.md", front_matter({**GOOD, **kept_in_week("2026-11-10")}))
        repo.write(f"w47-{n}.md", front_matter({**GOOD, "due": "2026-11-17", "cause": "scope"}))
    repo.promise("open-quiet.md", promised="2026-10-01", due="2026-12-31")  # 7 weeks unchanged
    html = (built(repo) / "teams/platform/index.html").read_text()
    found = signals(html)
    assert "under-commitment" not in found
    assert found["swing"].startswith("From 2026-W46 to 2026-W47 the share kept went from 100% to 25%")
    assert found["stale"].startswith("1 open promise has not changed in 4 weeks or more")
    assert '<a href="../../promises/open-quiet/">' in html.split('class="signal signal-stale"', 1)[1]
