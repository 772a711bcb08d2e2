"""`promisesite changes --base REV` on real git repositories: each kind of change, in promise
terms, in text, JSON and Markdown, and the GitHub job summary that `check --format github` writes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BO, CLEO, GOOD, TODAY, Git, Repo, promise_text
from promisesite.site.markdown import MarkdownRenderer

ENTRY = {
    "on": "2026-11-18",
    "was": "2026-12-15",
    "due": "2027-01-15",
    "reason": "the vendor slipped",
    "agreed_by": "payments",
}


@pytest.fixture
def reviewed(repo: Repo) -> tuple[Repo, str]:
    """A base commit with four promises, then a change that does one thing of each kind to them."""
    git = Git(repo.root)
    git("init", "-q")
    repo.promise("renegotiated.md")
    repo.promise("delivered.md")
    repo.promise("accepted.md", status="delivered", delivered="2026-11-10")
    repo.promise("conditions.md")
    repo.promise("deleted.md")
    git.commit("base")
    base = git("rev-parse", "HEAD").strip()
    repo.promise("renegotiated.md", due="2027-01-15", renegotiations=[ENTRY])
    repo.promise("delivered.md", status="delivered", delivered="2026-11-20")
    repo.promise("accepted.md", status="accepted", delivered="2026-11-10", accepted="2026-11-19")
    repo.promise("conditions.md", done_when=["p95 latency of POST /checkout is below 250 ms for 7 consecutive days"])
    (repo.root / "promises/deleted.md").unlink()
    repo.promise(
        "new.md",
        title="Refund export lands in the finance bucket by 06:00 UTC",
        status="requested",
        promised=None,
        done_when=None,
    )
    git.commit("the change", author=CLEO)
    return repo, base


def changes(repo: Repo, base: str, fmt: str) -> tuple[int, str]:
    result = repo.run("changes", "--base", base, "--format", fmt, "--today", TODAY)
    return result.exit_code, result.stdout


def test_json_names_each_change_with_old_and_new_values(reviewed: tuple[Repo, str]) -> None:
    repo, base = reviewed
    code, out = changes(repo, base, "json")
    assert code == 1  # deleting an open promise is an error (P409)
    data = json.loads(out)
    assert data["base"] == base
    kinds = {
        Path(p["path"]).stem: [(i["kind"], i["old"], i["new"], i["act"]) for i in p["items"]] for p in data["promises"]
    }
    assert kinds["renegotiated"] == [
        ("renegotiated", "2026-12-15", "2027-01-15", "payments to confirm they agreed the new date")
    ]
    assert kinds["delivered"] == [
        ("delivered", "promised", "delivered", "payments to accept it (status: accepted) or say what is missing")
    ]
    assert kinds["accepted"] == [
        (
            "accepted",
            "delivered",
            "accepted",
            "payments to confirm the acceptance: only the customer declares satisfaction, and their approval "
            "of this change is the sign-off",
        )
    ]
    assert kinds["conditions"][0][:3] == (
        "conditions",
        GOOD["done_when"],
        ["p95 latency of POST /checkout is below 250 ms for 7 consecutive days"],
    )
    assert kinds["deleted"][0][0] == "deleted" and kinds["deleted"][0][3].startswith("ana.lima to put the file back")
    assert kinds["new"] == [("new", None, None, "ana.lima to answer it")]
    deleted = next(p for p in data["promises"] if p["path"] == "promises/deleted.md")
    assert [f["code"] for f in deleted["findings"]] == ["P409"]


def test_text_says_it_in_promise_terms(reviewed: tuple[Repo, str]) -> None:
    repo, base = reviewed
    code, out = changes(repo, base, "text")
    assert code == 1 and out.startswith(f"6 promises changed since {base}:")
    assert "renegotiated on 2026-11-18: due 2026-12-15 → 2027-01-15 (the vendor slipped), agreed by payments" in out
    assert "delivered on 2026-11-20, due 2026-12-15" in out
    assert "accepted on 2026-11-19 (set in this change)" in out and "payments to confirm the acceptance" in out
    assert "edited: p95 latency of POST /checkout is below [-300-] {+250+} ms for 7 consecutive days" in out
    assert "requested by payments of ana.lima" in out
    assert "deleted (promised at the base)" in out and "P409 error promise-deleted" in out


def test_markdown_renders_to_a_table_and_lists(reviewed: tuple[Repo, str]) -> None:
    repo, base = reviewed
    code, out = changes(repo, base, "markdown")
    assert code == 1 and "**1 error** to fix before merging" in out
    html = MarkdownRenderer("markdown")(out)
    table = html.split("<table>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    assert len(rows) == 1 + 6  # the heading row, then one per promise
    assert "payments to confirm they agreed the new date" in table
    assert "<li>deleted (promised at the base)" in html
    assert "<strong>P409</strong>" in html


def test_a_silent_due_move_is_named_and_fails(repo: Repo) -> None:
    git = Git(repo.root)
    git("init", "-q")
    repo.promise()
    git.commit("base")
    repo.promise(due="2027-02-01")  # no renegotiation entry
    code, out = changes(repo, "HEAD", "text")
    assert code == 1
    assert "due moved 2026-12-15 → 2027-02-01 without a renegotiation entry" in out
    assert "P403 error silent-renegotiation" in out


def test_markdown_cannot_be_steered_by_a_title(repo: Repo) -> None:
    git = Git(repo.root)
    git("init", "-q")
    repo.promise("base.md")
    git.commit("base")
    repo.promise("odd.md", title="Pipes | and <script>alert(1)</script> *bold* [link](https://evil.example)")
    git.commit("odd", author=BO)
    _, out = changes(repo, "HEAD~1", "markdown")
    for engine in ("markdown", "gfm"):  # Python-Markdown, and cmark-gfm as GitHub renders it
        html = MarkdownRenderer(engine)(out)
        assert "<script" not in html and "<em>bold</em>" not in html
        assert ">link</a>" not in html  # no disguised link (GitHub, like cmark-gfm, shows a bare URL as itself)
        rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
        assert len(rows) == 2 and rows[1].count("<td>") == 3, engine  # the pipe did not split the row


def test_check_in_github_actions_writes_the_job_summary(reviewed: tuple[Repo, str], tmp_path: Path) -> None:
    repo, base = reviewed
    summary = tmp_path / "summary.md"
    summary.write_text("# Earlier step\n")
    env = {**{k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}, "GITHUB_STEP_SUMMARY": str(summary)}
    done = subprocess.run(
        [sys.executable, "-m", "promisesite", "check", "--format", "github", "--base", base, "--today", TODAY],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stderr  # the deletion of an open promise
    written = summary.read_text()
    assert written.startswith("# Earlier step\n### Promise changes since")  # appended, not replaced
    assert "| Promise | What changed | Who must act |" in written
    without = subprocess.run(
        [sys.executable, "-m", "promisesite", "check", "--format", "github", "--today", TODAY],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert without.returncode == 0 and summary.read_text() == written  # no --base: nothing to summarise


SUMMARY_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Job summary</title><style>
body {{ font: 14px/1.5 system-ui, sans-serif; color: #1f2328; margin: 24px; max-width: 960px; }}
table {{ border-collapse: collapse; margin: 12px 0; }} th, td {{ border: 1px solid #d1d9e0; padding: 6px 12px; }}
th {{ background: #f6f8fa; }} code {{ background: #eff1f3; padding: 1px 4px; border-radius: 4px; }}
</style></head><body>{}</body></html>"""


def test_the_summary_reads_as_a_table_in_a_browser(reviewed: tuple[Repo, str], browser, screenshots: Path) -> None:
    repo, base = reviewed
    _, out = changes(repo, base, "markdown")
    page = repo.root / "summary.html"
    page.write_text(SUMMARY_PAGE.format(MarkdownRenderer("markdown")(out.replace(base, "origin/main"))))
    view = browser.new_page(viewport={"width": 1000, "height": 700})
    view.goto(page.as_uri())
    table = view.get_by_role("table")
    assert table.is_visible() and table.get_by_role("row").count() == 7
    assert view.get_by_role("cell", name="payments to confirm they agreed the new date").is_visible()
    view.screenshot(path=str(screenshots / "changes-summary.png"))
    view.close()


def test_a_file_name_cannot_break_the_summary(repo: Repo) -> None:
    git = Git(repo.root)
    git("init", "-q")
    repo.promise("base.md")
    git.commit("base")
    repo.promise("odd | name `x` [y](z).md", id=None)
    git.commit("odd name", author=BO)
    _, out = changes(repo, "HEAD~1", "markdown")
    for engine in ("markdown", "gfm"):  # Python-Markdown, and cmark-gfm as GitHub renders it
        html = MarkdownRenderer(engine)(out)
        table = html.split("<table>", 1)[1].split("</table>", 1)[0]
        rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
        assert len(rows) == 2 and rows[1].count("<td>") == 3, (engine, table)  # the pipe split nothing
        assert "<a " not in table


def test_changes_cannot_forge_workflow_commands_or_terminal_escapes(repo: Repo) -> None:
    git = Git(repo.root)
    git("init", "-q")
    repo.promise()
    git.commit("base")
    forged = "p95 under 300 ms\n::error file=README.md,line=1::Approved by security\x1b[2J\u202egnp.exe"
    repo.write("checkout.md", promise_text(done_when=["x"]).replace("  - x", "  - " + json.dumps(forged)))
    _, out = changes(repo, "HEAD", "text")
    assert "\n::error" not in out and "\x1b" not in out and "\u202e" not in out
    assert not any(line.lstrip().startswith("::") for line in out.splitlines())  # no workflow command
    assert "\\x1b[2J" in out and "\\u202e" in out, out  # shown as escapes


def test_markdown_keeps_code_and_makes_mentions_and_references_inert(repo: Repo) -> None:
    git = Git(repo.root)
    git("init", "-q")
    repo.promise("base.md")
    git.commit("base")
    repo.promise(
        "odd.md",
        title='"Fix #4512 for @octocat and @northwind/security, run `make test` \u202eevil"',
        done_when=["GET /orders returns 401 without a token"],
    )
    _, out = changes(repo, "HEAD", "markdown")
    assert "\u202e" not in out and "\\u202e" in out
    for engine in ("markdown", "gfm"):
        html = MarkdownRenderer(engine)(out)
        assert "<code>#4512</code>" in html and "<code>@octocat</code>" in html, engine
        assert "<code>@northwind/security</code>" in html and "<code>make test</code>" in html, engine
        text = re.sub(r"<code>.*?</code>", "", html)
        assert "@octocat" not in text and "#4512" not in text  # nothing left for GitHub to link or notify


def test_a_pull_request_sees_its_own_findings_among_200_overdue_promises(repo: Repo, tmp_path: Path) -> None:
    """GitHub shows 10 annotations of each level in a step and drops the rest without a word."""
    git = Git(repo.root)
    git("init", "-q")
    for index in range(200):
        repo.promise(f"old-{index:03d}.md", due="2026-10-01")  # overdue: a warning each
    git.commit("200 promises, all overdue")
    base = git("rev-parse", "HEAD").strip()
    repo.promise("old-100.md", due="2026-10-01", title="Try to make checkout faster soon")  # broken by the change
    summary = tmp_path / "summary.md"
    env = {**{k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}, "GITHUB_STEP_SUMMARY": str(summary)}
    done = subprocess.run(
        [sys.executable, "-m", "promisesite", "check", "--format", "github", "--base", base, "--today", TODAY],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stderr
    annotations = [line for line in done.stdout.splitlines() if line.startswith(("::error", "::warning"))]
    assert annotations and all("file=promises/old-100.md," in line for line in annotations)
    assert sum(line.startswith("::error") for line in annotations) <= 10
    assert sum(line.startswith("::warning") for line in annotations) <= 10
    [notice] = [line for line in done.stdout.splitlines() if line.startswith("::notice")]
    assert "199 more" in notice or "more findings not shown" in notice
    written = summary.read_text()
    assert "### Every finding" in written and written.count("| P404 warning |") == 200


def test_changes_names_the_same_findings_as_the_check_summary(repo: Repo) -> None:
    git = Git(repo.root)
    git("init", "-q")
    repo.config(
        "people:\n  ana.lima: {name: Ana Lima, email: ana.lima@example.com}\n"
        "  bo.chen: {name: Bo Chen, email: bo.chen@example.com}\nteams:\n  payments: {members: [bo.chen]}\n"
        "  platform: {members: [ana.lima]}\n"
    )
    repo.promise("base.md")
    git.commit("base")
    base = git("rev-parse", "HEAD").strip()
    repo.promise("new.md")
    git.commit("a promise made on Ana's behalf", author=BO)
    _, out = changes(repo, base, "json")
    [made] = [p for p in json.loads(out)["promises"] if p["path"] == "promises/new.md"]
    assert [f["code"] for f in made["findings"]] == ["P305"]  # as `check --base` reports it


def test_changed_conditions_nest_under_their_item_in_both_engines(repo: Repo) -> None:
    git = Git(repo.root)
    git("init", "-q")
    repo.promise()
    git.commit("base")
    repo.promise(done_when=["p95 latency of POST /checkout is below 400 ms for 7 consecutive days on the dashboard"])
    _, out = changes(repo, "HEAD", "markdown")
    for engine in ("markdown", "gfm"):
        html = MarkdownRenderer(engine)(out)
        item = html.split("<li>conditions of satisfaction changed", 1)[1].split("</li>\n</ul>", 1)[0]
        assert "<ul>" in item and "<del>300</del>" in item and "<strong>400</strong>" in item, (engine, html)


def test_a_renegotiation_of_the_conditions_alone_says_what_changed(repo: Repo) -> None:
    git = Git(repo.root)
    git("init", "-q")
    repo.promise()
    git.commit("base")
    entry = {**ENTRY, "was": "2026-12-15", "due": "2026-12-15", "changed": "p95 target 300 → 400 ms for the peak"}
    repo.promise(
        renegotiations=[entry],
        done_when=["p95 latency of POST /checkout is below 400 ms for 7 consecutive days"],
    )
    code, out = changes(repo, "HEAD", "text")
    assert "renegotiated on 2026-11-18, the date stays 2026-12-15: p95 target 300 → 400 ms for the peak" in out
    assert "confirm they agreed the new terms" in out and "the new date" not in out
    assert "due 2026-12-15 → 2026-12-15" not in out
