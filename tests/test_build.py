"""`promisesite build`: the whole URL map, links, determinism, safety, accounting, theme overrides."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree as ET

import pytest

from conftest import GOOD, ROOT, TODAY, Repo, front_matter
from hostile import HOSTILE
from promisesite.site.relative import ROOT_FINDER_HASH
from sitetools import broken_links, copy_sample, parse_html, tree_hashes


@pytest.fixture
def sample(repo: Repo) -> Repo:
    copy_sample(repo.root)
    return repo


def build(repo: Repo, *args: str) -> tuple[int, str]:
    result = repo.run("build", "--today", TODAY, *args)
    return result.exit_code, result.stderr


# --- the URL map -----------------------------------------------------------------------------


def test_sample_builds_every_page_of_the_url_map(sample: Repo) -> None:
    code, log = build(sample)
    assert code == 0, log
    site = sample.root / "site"
    expected = [
        "index.html",
        "promises.json",
        "calendar.ics",
        "feed.xml",
        "sitemap.xml",
        "404.html",
        "teams/index.html",
        "teams/platform/index.html",
        "teams/platform/calendar.ics",
        "customers/index.html",
        "customers/payments/index.html",
        "customers/payments/calendar.ics",
        "people/index.html",
        "people/ana-lima/index.html",
        "people/ana-lima/calendar.ics",
        "overdue/index.html",
        "promises/checkout-latency/index.html",
        "promises/holiday-readiness/index.html",
    ]
    expected += [
        f"status/{s}/index.html"
        for s in (
            "requested",
            "offered",
            "countered",
            "promised",
            "delivered",
            "accepted",
            "declined",
            "withdrawn",
            "revoked",
            "cancelled",
        )
    ]
    missing = [path for path in expected if not (site / path).is_file()]
    assert missing == []
    promise_pages = sorted(p.parent.name for p in (site / "promises").glob("*/index.html"))
    assert len(promise_pages) == 42
    assert "Built " in log


@pytest.mark.parametrize("base_url", ["/", "/team-promises/", "https://acme.example/promises/"])
def test_no_broken_internal_link(sample: Repo, base_url: str) -> None:
    code, log = build(sample, "--base-url", base_url)
    assert code == 0, log
    base = "/" + base_url.split("://", 1)[-1].split("/", 1)[-1] if "://" in base_url else base_url
    site = sample.root / "site"
    assert broken_links(site, base) == []
    links = parse_html(site / "promises" / "checkout-latency" / "index.html").links
    assert "../../assets/style.css" in links and "../../teams/platform/" in links  # relative, whatever the base
    assert "./" in parse_html(site / "index.html").links  # the dashboard links to itself
    not_found = parse_html(site / "404.html").links
    assert f"{base}assets/style.css" in not_found  # served at any depth: from the base


def test_handle_segments(repo: Repo) -> None:
    repo.promise("a.md", promiser="Ana.Lima_2", customer="Pay-Ments.Team")
    code, _ = build(repo)
    site = repo.root / "site"
    assert (site / "people" / "ana-lima-2" / "index.html").is_file()
    assert (site / "customers" / "pay-ments-team" / "index.html").is_file()


# --- determinism and safety of the output ---------------------------------------------------


def test_two_builds_are_byte_identical(sample: Repo) -> None:
    assert build(sample, "--output", "one")[0] == 0
    assert build(sample, "--output", "two")[0] == 0
    one, two = tree_hashes(sample.root / "one"), tree_hashes(sample.root / "two")
    assert len(one) > 90
    assert one == two


def test_a_failing_build_leaves_the_previous_site_untouched(sample: Repo) -> None:
    assert build(sample)[0] == 0
    before = tree_hashes(sample.root / "site")
    sample.promise("broken.md", due="next sprint")
    code, log = build(sample)
    assert code == 1
    assert "P102" in log and "unchanged" in log
    assert tree_hashes(sample.root / "site") == before
    assert [p.name for p in sample.root.iterdir() if p.name.startswith(".site")] == []  # no staging left


def test_allow_errors_renders_and_marks_the_problems(sample: Repo) -> None:
    sample.promise("broken.md", due="next sprint", done_when=["we will try to ship it"])
    code, _ = build(sample, "--allow-errors")
    assert code == 1  # the exit code still tells CI about the errors
    page = (sample.root / "site" / "promises" / "broken" / "index.html").read_text()
    assert "P102" in page and "P203" in page and 'class="findings"' in page
    data = {p["id"]: p for p in json.loads((sample.root / "site" / "promises.json").read_text())}
    assert {f["code"] for f in data["broken"]["findings"]} == {"P102", "P203"}


def test_strict_build_fails_on_warnings(sample: Repo) -> None:
    code, log = build(sample, "--strict")
    assert code == 1 and "P404" in log
    assert not (sample.root / "site").exists()


@pytest.mark.parametrize("output", [".", "promises", "promises/site", "templates", "..", "notes"])
def test_refuses_unsafe_output_folders(sample: Repo, output: str) -> None:
    (sample.root / "notes").mkdir()
    (sample.root / "notes" / "todo.txt").write_text("mine")
    before = tree_hashes(sample.root)
    code, log = build(sample, "--output", output)
    assert code == 2, log
    assert "output" in log and "choose" in log
    assert tree_hashes(sample.root) == before


def test_rebuilds_into_its_own_output(sample: Repo) -> None:
    assert build(sample)[0] == 0
    (sample.root / "site" / "stale.html").write_text("old")
    assert build(sample)[0] == 0
    assert not (sample.root / "site" / "stale.html").exists()


# --- safety of the content -------------------------------------------------------------------


def test_hostile_body_renders_inert(repo: Repo) -> None:
    repo.write("evil.md", front_matter(GOOD, body=HOSTILE))
    assert build(repo)[0] == 0
    page = repo.root / "site" / "promises" / "evil" / "index.html"
    parsed = parse_html(page)
    assert [script.get("src") for script in parsed.scripts] == [  # the theme's
        "../../assets/search.js",
        "../../assets/lists.js",
        "../../assets/site.js",
    ]
    assert parsed.handlers == []
    html = page.read_text()
    body = html[html.index('<div class="prose">') : html.index("</section>", html.index('<div class="prose">'))]
    for bad in (
        "<script",
        "javascript:",
        "vbscript:",
        "data:text/html",
        "<iframe",
        "<object",
        "<embed",
        "<form",
        "<input",
        "<svg",
        "onerror",
        "onmouseover",
        "style=",
        "alert(",
    ):
        assert bad not in body.lower(), bad
    assert "click me" in body and "hover" in body  # the text survives, the behaviour does not


def test_ids_and_handles_never_leave_the_output(repo: Repo) -> None:
    repo.promise("a.md", promiser="..", customer="x")  # not a handle: P005, dropped
    repo.write("b.md", front_matter(GOOD | {"id": "../../escape"}))
    code, _ = build(repo, "--allow-errors")
    assert code == 1
    outside = [
        p
        for p in repo.root.rglob("*")
        if p.is_file()
        and not p.is_relative_to(repo.root / "site")
        and not p.is_relative_to(repo.root / "promises")
        and not p.is_relative_to(repo.root / ".promisesite-cache")
    ]
    assert outside == []


# --- reliability, checked by hand ------------------------------------------------------------

ACCOUNTING = {
    # id: (changes to GOOD, expected outcome or None when not counted)
    "kept": ({"status": "accepted", "due": "2026-11-01", "delivered": "2026-10-30", "accepted": "2026-10-31"}, "kept"),
    "renegotiated": (
        {
            "status": "accepted",
            "due": "2026-11-10",
            "delivered": "2026-11-09",
            "accepted": "2026-11-12",
            "renegotiations": [
                {
                    "on": "2026-10-20",
                    "was": "2026-11-01",
                    "due": "2026-11-10",
                    "reason": "scope grew",
                    "agreed_by": "payments",
                }
            ],
        },
        "kept-after-renegotiation",
    ),
    "late-delivery": (
        {"status": "accepted", "due": "2026-11-01", "delivered": "2026-11-05", "accepted": "2026-11-06"},
        "late",
    ),
    "late-renegotiation": (
        {
            "status": "accepted",
            "due": "2026-11-15",
            "delivered": "2026-11-14",
            "accepted": "2026-11-16",
            "renegotiations": [
                {
                    "on": "2026-11-03",
                    "was": "2026-11-01",
                    "due": "2026-11-15",
                    "reason": "asked after the date",
                    "agreed_by": "payments",
                }
            ],
        },
        "late",
    ),
    "revoked": (
        {"status": "revoked", "due": "2026-12-01", "closed": "2026-10-15", "closed_reason": "budget cut"},
        "broken",
    ),
    "past-due": ({"due": "2026-11-10"}, "broken"),
    "delivered-late-unaccepted": ({"status": "delivered", "due": "2026-11-10", "delivered": "2026-11-12"}, "broken"),
    "cancelled": ({"status": "cancelled", "closed": "2026-10-10", "closed_reason": "not needed"}, None),
    "declined": ({"status": "declined", "promised": None, "due": None, "done_when": None}, None),
    "not-yet-due": ({"due": "2026-12-31"}, None),
    "delivered-on-time": ({"status": "delivered", "due": "2026-11-10", "delivered": "2026-11-05"}, None),
}


def test_team_reliability_matches_a_hand_worked_example(repo: Repo) -> None:
    for name, (changes, _) in ACCOUNTING.items():
        repo.write(f"{name}.md", front_matter({**GOOD, "team": "core", **changes}))
    code, log = build(repo)
    assert code == 0, log
    site = repo.root / "site"
    outcomes = {p["id"]: p["outcome"] for p in json.loads((site / "promises.json").read_text())}
    assert outcomes == {name: expected for name, (_, expected) in ACCOUNTING.items()}
    # kept 1, kept after renegotiation 1, late 2, broken 3: 7 counted
    html = (site / "teams" / "core" / "index.html").read_text()
    rows = {
        outcome: (count, share)
        for outcome, count, share in re.findall(
            r'<tr class="o-row-([a-z-]+)">.*?<td>(\d+)</td><td>(\d+%)</td></tr>', html
        )
    }
    assert rows == {
        "kept": ("1", "14%"),
        "kept-after-renegotiation": ("1", "14%"),
        "late": ("2", "29%"),
        "broken": ("3", "43%"),
    }
    assert "<strong>29%</strong> kept: 2 of 7 counted promises, as promised or after an honest renegotiation" in html
    assert '<svg class="reliability-bar"' in html and 'width="42.857"' in html  # the broken share, drawn


# --- data files ------------------------------------------------------------------------------


def test_promises_json_has_every_promise_with_its_state(sample: Repo) -> None:
    build(sample)
    data = json.loads((sample.root / "site" / "promises.json").read_text())
    assert len(data) == 42
    status_page = next(p for p in data if p["id"] == "status-page")
    assert status_page["open"] is True and status_page["overdue"] is True and status_page["days_to_due"] == -7
    assert status_page["url"] == "/promises/status-page/"
    assert status_page["outcome"] == "broken"
    holiday = next(p for p in data if p["id"] == "holiday-readiness")
    assert "checkout-latency" in holiday["served_by"]


def _unfold(ics: bytes) -> list[str]:
    text = ics.decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, line
    return text.replace("\r\n ", "").split("\r\n")


def test_calendars_are_valid_icalendar(sample: Repo) -> None:
    sample.promise("odd.md", title="Commas, semicolons; and back\\slashes for the café ✓ " + "long " * 20)
    build(sample)
    site = sample.root / "site"
    lines = _unfold((site / "calendar.ics").read_bytes())
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    events = "\n".join(lines).split("BEGIN:VEVENT")[1:]
    data = json.loads((site / "promises.json").read_text())
    assert len(events) == sum(1 for p in data if p["due"]) == 42  # 43 promises, 1 declined without a date
    assert not any("URL:" in e for e in events)  # a relative URL is no URI: only with a host in base_url
    for event in events:
        for key in ("UID:", "DTSTAMP:", "DTSTART;VALUE=DATE:", "DTEND;VALUE=DATE:", "SUMMARY:"):
            assert key in event, key
    odd = next(e for e in events if "UID:odd@" in e)
    assert r"SUMMARY:Due: Commas\, semicolons\; and back\\slashes for the café ✓" in odd
    assert "DTSTART;VALUE=DATE:20261215" in odd and "DTEND;VALUE=DATE:20261216" in odd
    team = _unfold((site / "teams" / "platform" / "calendar.ics").read_bytes())
    uids = [line for line in team if line.startswith("UID:")]
    assert any(re.fullmatch(r"UID:checkout-latency@[0-9a-f]{12}\.promisesite\.invalid", uid) for uid in uids)
    assert len(uids) == len(set(uids))


def test_atom_feed_and_sitemap(sample: Repo) -> None:
    build(sample, "--base-url", "https://acme.example/promises/")
    site = sample.root / "site"
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{atom}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{atom}{required}") is not None
    entries = feed.findall(f"{atom}entry")
    assert len(entries) == 42
    updated = [e.find(f"{atom}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert entries[0].find(f"{atom}link").get("href").startswith("https://acme.example/promises/promises/")
    urlset = ET.parse(site / "sitemap.xml").getroot()
    locs = [loc.text for loc in urlset.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://acme.example/promises/" in locs
    assert "https://acme.example/promises/promises/checkout-latency/" in locs


# --- the theme -------------------------------------------------------------------------------


def test_a_template_override_replaces_the_built_in_file(repo: Repo) -> None:
    repo.promise()
    (repo.root / "templates" / "partials").mkdir(parents=True)
    (repo.root / "templates" / "partials" / "footer.html").write_text("<p>Our own footer, {{ site.title }}</p>\n")
    assert build(repo)[0] == 0
    html = (repo.root / "site" / "index.html").read_text()
    assert "<p>Our own footer, Promises</p>" in html and "Made with promisesite" not in html


def test_a_macros_override_from_an_earlier_version_keeps_the_macros_it_lacks(sample: Repo) -> None:
    """Rows render through macros Python calls by name. An override of `partials/macros.html`
    copied before a macro existed builds, with the built-in macro for the one it lacks."""
    assert build(sample, "--output", "plain")[0] == 0
    builtin = (ROOT / "src/promisesite/templates/partials/macros.html").read_text()
    earlier = builtin[: builtin.index("{# One line of a groups index")]  # before `group_row` came
    (sample.root / "templates" / "partials").mkdir(parents=True, exist_ok=True)
    (sample.root / "templates" / "partials" / "macros.html").write_text(earlier)
    code, log = build(sample, "--output", "overridden")
    assert code == 0, log
    assert tree_hashes(sample.root / "overridden") == tree_hashes(sample.root / "plain")


def test_a_broken_template_is_a_configuration_error(repo: Repo) -> None:
    repo.promise()
    assert build(repo)[0] == 0
    before = tree_hashes(repo.root / "site")
    (repo.root / "templates").mkdir()
    (repo.root / "templates" / "index.html").write_text('{% extends "base.html" %}\n{% block content %}\n{% if %}\n')
    code, log = build(repo)
    assert code == 2
    assert "index.html:3" in log and "template error" in log
    assert tree_hashes(repo.root / "site") == before


def test_every_page_forbids_inline_and_foreign_script_and_external_links_do_not_leak(repo: Repo) -> None:
    repo.write(
        "links.md",
        front_matter(
            GOOD,
            body="See [the vendor](https://vendor.example/status) and "
            "<a href='https://evil.example' rel='opener'>this</a>.\n",
        ),
    )
    assert build(repo)[0] == 0
    pages = list((repo.root / "site").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        html = page.read_text()
        policy = html.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        scripts = "'self'" if page.name != "404.html" else f"'self' '{ROOT_FINDER_HASH}'"  # its one inline script
        assert directives["script-src"] == scripts and directives["default-src"] == "'self'", page
        assert "unsafe-inline" not in policy and directives["object-src"] == "'none'"
    body = (repo.root / "site/promises/links/index.html").read_text()
    for href in ("https://vendor.example/status", "https://evil.example"):
        anchor = body[body.rindex("<a", 0, body.index(href)) : body.index(">", body.index(href))]
        assert 'rel="noopener noreferrer"' in anchor, anchor
