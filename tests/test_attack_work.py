"""Attacks that try to make a command hang, crash or take unbounded time on input `check` accepts:
history with hostile lines and authors, bodies built against the Markdown engines and the
sanitizer, absurd dates and sizes. Timeouts here guard against a hang (minutes or hours before
the fix), not a speed figure: those are measured in benchmarks/."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Git, promise_text
from hostile import ENV, promisesite
from promisesite.site.markdown import MarkdownRenderer


def repo_with(root: Path, **fields: object) -> Path:
    (root / "promises").mkdir(parents=True)
    (root / "promises/checkout.md").write_text(promise_text(**fields))
    return root


def test_a_committed_line_of_spaces_does_not_hang_the_history(tmp_path: Path) -> None:
    root = repo_with(tmp_path / "repo")
    path = root / "promises/checkout.md"
    path.write_text(path.read_text().replace("title: Checkout", "title: Checkout" + " " * 400_000 + "x", 1))
    git = Git(root)
    git("init", "-q")
    git.commit("a title of spaces")
    done = promisesite(root, "build", timeout=120)
    assert done.returncode in (0, 1), done.stderr


def test_an_author_name_with_separators_does_not_break_the_history(tmp_path: Path) -> None:
    root = repo_with(tmp_path / "repo")
    git = Git(root)
    git("init", "-q")
    git.commit("first", author=("Eve\x1fMallory\x1e\x1f", "eve\x1e@example.com"))
    path = root / "promises/checkout.md"
    path.write_text(path.read_text().replace("status: promised", "status: delivered\ndelivered: 2026-11-02"))
    git.commit("second")
    done = promisesite(root, "build")
    assert done.returncode == 0, done.stderr
    page = (root / "site/promises/checkout/index.html").read_text()
    assert "Status promised → delivered" in page


@pytest.mark.parametrize("due", ["9999-12-31", "0001-01-01", "0000 Q1", "0000-00-00", "99999-01-01"])
def test_absurd_dates_are_findings(tmp_path: Path, due: str) -> None:
    root = repo_with(tmp_path / "repo", due=due)
    done = promisesite(root, "check")
    assert done.returncode == 1 and "P102" in done.stdout, done.stdout
    assert promisesite(root, "build", "--allow-errors").returncode == 1


@pytest.mark.parametrize("today", ["9999-12-25", "0001-01-01"])
def test_an_absurd_today_is_refused(tmp_path: Path, today: str) -> None:
    root = repo_with(tmp_path / "repo")
    done = promisesite(root, "build", "--today", today, today=False)
    assert done.returncode == 2 and "between" in done.stderr


@pytest.mark.parametrize(
    "body",
    [
        "".join("    " * depth + "- level\n" for depth in range(300)),  # Python-Markdown recursion
        "[a](" * 20_000,  # quadratic link patterns
        ">" * 100_000 + " deep",  # quadratic sanitizing of nested blocks
        "<div>" * 60_000,  # the same, in raw HTML
        "\n".join("- item" for _ in range(10_000)),  # many blocks
    ],
    ids=["nested-lists", "brackets", "nested-quotes", "nested-html", "many-blocks"],
)
@pytest.mark.parametrize("engine", ["markdown", "gfm"])
def test_bodies_built_against_the_engines_render_as_text_in_time(tmp_path: Path, body: str, engine: str) -> None:
    root = repo_with(tmp_path / "repo", body=body)
    (root / "promisesite.yaml").write_text(f"markdown_engine: {engine}\n")
    done = promisesite(root, "build", timeout=120)
    assert done.returncode == 0, done.stderr
    page = (root / "site/promises/checkout/index.html").read_text()
    assert "Shown as plain text" in page and "<script" not in page.split("<main", 1)[1]


def test_a_body_that_breaks_the_engine_does_not_break_the_next() -> None:
    render = MarkdownRenderer("markdown")
    deep = "".join("    " * depth + "- level\n" for depth in range(30))
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 50)  # low enough that this body's nesting breaks the engine
    try:
        # Python-Markdown before 3.11 raises RecursionError here (shown as plain text); later ones give up
        # on the list themselves. Either way the body is shown, as text, and the engine is left working.
        shown = render(deep)
        assert "Shown as plain text" in shown or shown.startswith("<p>- level")
    finally:
        sys.setrecursionlimit(limit)
    assert render("*emphasis* and [a link](https://a.example/)") == (
        '<p><em>emphasis</em> and <a href="https://a.example/" rel="noopener noreferrer">a link</a></p>'
    )


def test_a_promise_a_thousand_folders_deep_is_read(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "promises").mkdir(parents=True)
    (root / "promises/top.md").write_text(promise_text())
    make = (
        "import os, sys\ntext = open(sys.argv[1]).read()\nfor _ in range(1100):\n    os.mkdir('d')\n"
        "    os.chdir('d')\nopen('deep.md', 'w').write(text)\n"
    )
    subprocess.run([sys.executable, "-c", make, str(root / "promises/top.md")], cwd=root / "promises", check=True)
    try:
        done = promisesite(root, "check")
    finally:  # `rm` removes any depth; pytest's own clean-up (shutil.rmtree) would recurse too deep
        subprocess.run(["rm", "-rf", "d"], cwd=root / "promises", check=True)
    assert done.returncode == 0 and "2 files checked" in done.stdout, done.stdout


def test_the_history_reads_a_milestone_written_with_a_space_before_the_colon(tmp_path: Path) -> None:
    root = repo_with(tmp_path / "repo", status="accepted", delivered="2026-11-02", accepted="2026-11-03")
    path = root / "promises/checkout.md"
    path.write_text(path.read_text().replace("accepted: 2026-11-03", "accepted : 2026-11-03"))
    (root / "promisesite.yaml").write_text(
        "people:\n  ana.lima: {email: ana.lima@example.com}\n"
        "  cleo.ruiz: {email: cleo.ruiz@example.com}\n"
        "teams:\n  payments: {members: [cleo.ruiz]}\n  platform: {}\n"
    )
    git = Git(root)
    git("init", "-q")
    git.commit("accepted by the promiser herself")  # the fixture's author is ana.lima
    done = promisesite(root, "check")
    assert "P304" in done.stdout, done.stdout


def test_a_quoted_value_over_several_lines_cannot_forge_the_timeline(tmp_path: Path) -> None:
    root = repo_with(tmp_path / "repo")
    git = Git(root)
    git("init", "-q")
    git.commit("promised")
    path = root / "promises/checkout.md"
    text = path.read_text().replace("due: 2026-12-15", "due: 2027-03-01")
    text = text.replace("\n---\n", '\nhelp: "ask bo.chen\nstatus: accepted\ndue: 2026-12-15\nany time"\n---\n', 1)
    path.write_text(text)
    git.commit("a quiet move, dressed up")
    assert promisesite(root, "build", "--allow-errors").returncode in (0, 1)
    page = (root / "site/promises/checkout/index.html").read_text()
    assert "Due moved 2026-12-15 → 2027-03-01" in page and "Status promised → accepted" not in page


@pytest.mark.parametrize("stamp", ["@253402300800 +0000", "@4102444800000 +0000"])  # the years 10000 and 131970
def test_a_commit_date_no_calendar_holds_never_stops_a_build(tmp_path: Path, stamp: str) -> None:
    root = tmp_path / "repo"
    (root / "promises").mkdir(parents=True)
    (root / "promises/checkout.md").write_text(promise_text())
    env = {**ENV, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "HOME": str(tmp_path)}
    env |= {"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.com"}
    env |= {"GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.com"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "dated in another era"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)
    done = promisesite(root, "build")
    assert done.returncode == 0, done.stderr
    page = (root / "site/promises/checkout/index.html").read_text()
    assert "an unknown date (the commit&#39;s date is not a real one)" in page
    assert promisesite(root, "check").returncode == 0
    assert promisesite(root, "build").returncode == 0  # and the next build, with the cache
