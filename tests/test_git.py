"""Git-aware checks and history, against real repositories made with real `git` commands."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ANA, BO, CLEO, GOOD, Git, Repo, front_matter, promise_text
from promisesite.read.history import _fields

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

REGISTRY = """\
people:
  ana.lima: {name: Ana Lima, email: ana.lima@example.com}
  bo.chen: {name: Bo Chen, email: bo.chen@example.com}
  cleo.ruiz: {name: Cleo Ruiz, email: cleo.ruiz@example.com}
teams:
  platform: {name: Platform, members: [ana.lima, bo.chen]}
  payments: {name: Payments, members: [cleo.ruiz]}
"""


@pytest.fixture
def git(repo: Repo) -> Git:
    git = Git(repo.root)
    git("init", "-q")
    return git


def line_of(repo: Repo, name: str, prefix: str) -> int:
    lines = (repo.root / "promises" / name).read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.startswith(prefix))


def test_a_due_date_moved_without_renegotiation_is_an_error_at_the_due_line(repo: Repo, git: Git) -> None:
    repo.promise()
    git.commit("promise")
    git("branch", "base")
    repo.promise(due="2027-01-15")
    result = repo.check("--base", "base")
    assert result.exit_code == 1
    [finding] = [f for f in result.findings if f["code"] == "P403"]
    assert finding["line"] == line_of(repo, "checkout.md", "due:")
    assert "2026-12-15" in finding["message"] and "renegotiations" in finding["message"]
    assert repo.check().exit_code == 0  # without --base there is nothing to compare with


def test_a_due_date_moved_with_a_new_renegotiation_entry_is_fine(repo: Repo, git: Git) -> None:
    repo.promise()
    git.commit("promise")
    repo.promise(
        due="2027-01-15",
        renegotiations=[
            {
                "on": "2026-11-20",
                "was": "2026-12-15",
                "due": "2027-01-15",
                "reason": "the vendor slipped a week",
                "agreed_by": "payments",
            }
        ],
    )
    result = repo.check("--base", "HEAD")
    assert result.exit_code == 0, result.findings
    assert not {"P403", "P407"} & result.codes()


def test_status_moving_backwards_is_a_warning(repo: Repo, git: Git) -> None:
    repo.promise(status="delivered", delivered="2026-11-10")
    git.commit("delivered")
    repo.promise(status="promised")
    result = repo.check("--base", "HEAD")
    [finding] = [f for f in result.findings if f["code"] == "P406"]
    assert finding["level"] == "warning" and finding["line"] == line_of(repo, "checkout.md", "status:")
    assert "delivered" in finding["message"]
    assert result.exit_code == 0
    repo.promise(status="delivered", delivered="2026-11-10")  # forward again: nothing to say
    assert "P406" not in repo.check("--base", "HEAD").codes()


@pytest.mark.parametrize(("changed", "flagged"), [(None, True), ("p95 target relaxed to 350 ms", False)])
def test_changed_conditions_need_an_entry_that_says_so(
    repo: Repo, git: Git, changed: str | None, flagged: bool
) -> None:
    repo.promise()
    git.commit("promise")
    entry = {
        "on": "2026-11-20",
        "was": "2026-12-15",
        "due": "2026-12-15",
        "reason": "peak traffic forecast doubled",
        "agreed_by": "payments",
        "changed": changed,
    }
    repo.promise(
        done_when=["p95 latency of POST /checkout is below 350 ms for 7 consecutive days"],
        renegotiations=[{k: v for k, v in entry.items() if v is not None}],
    )
    found = [f for f in repo.check("--base", "HEAD").findings if f["code"] == "P407"]
    assert bool(found) is flagged
    if flagged:
        assert found[0]["line"] == line_of(repo, "checkout.md", "done_when:")


def test_moves_are_followed_by_id(repo: Repo, git: Git) -> None:
    repo.promise("platform/checkout.md", id=None)
    git.commit("promise")
    git("mv", "promises/platform", "promises/web")
    text = (repo.root / "promises/web/checkout.md").read_text().replace("due: 2026-12-15", "due: 2027-02-01")
    (repo.root / "promises/web/checkout.md").write_text(text)
    git.commit("move and move the date")
    result = repo.check("--base", "HEAD~1")
    assert [(f["path"], f["code"]) for f in result.findings] == [("promises/web/checkout.md", "P403")]


def test_named_files_report_alone_while_cross_file_rules_see_the_folder(repo: Repo, git: Git) -> None:
    repo.write("parent.md", promise_text(title="Holiday readiness for payments by 2026-12-20", due="2026-12-20"))
    repo.promise("child.md", serves="parent")
    repo.promise("other.md")
    git.commit("promises")
    repo.promise("child.md", serves="parent", due="2026-12-18")
    repo.promise("other.md", due="2027-03-01")
    result = repo.check("--base", "HEAD", "promises/child.md")
    assert {(f["path"], f["code"]) for f in result.findings} == {("promises/child.md", "P403")}
    # the parent exists only in the folder, so P501 stays silent about `serves: parent`
    assert "P501" not in result.codes()
    assert "P403" in {f["code"] for f in repo.check("--base", "HEAD").findings if f["path"] == "promises/other.md"}


@pytest.mark.parametrize("base", ["no-such-branch", "--output=x", "HEAD~5"])
def test_an_unknown_base_is_a_usage_error_with_a_hint(repo: Repo, git: Git, base: str) -> None:
    repo.promise()
    git.commit("promise")
    result = repo.run("check", "--base", base)
    assert result.exit_code == 2
    assert "is not a" in result.stderr and "fetch" in result.stderr


def test_base_outside_git_is_a_usage_error(repo: Repo) -> None:
    repo.promise()
    result = repo.run("check", "--base", "main")
    assert result.exit_code == 2 and "not a git repository" in result.stderr


def test_the_promise_page_shows_the_history_with_authors(repo: Repo, git: Git) -> None:
    repo.promise(status="offered", promised=None)
    git.commit("offer", author=ANA)
    repo.promise()
    git.commit("customer accepted the offer", author=CLEO)
    repo.promise(
        due="2027-01-10",
        renegotiations=[
            {
                "on": "2026-11-20",
                "was": "2026-12-15",
                "due": "2027-01-10",
                "reason": "the vendor slipped a week",
                "agreed_by": "payments",
            }
        ],
    )
    repo.write("notes.md", promise_text(title="Refund API returns in under 200 ms", due="2026-12-30"))
    git.commit("renegotiate", author=BO)
    repo.write("notes.md", "---\ntitle: x\n")  # uncommitted and broken: the history is read from commits
    result = repo.run("build", "--today", "2026-11-21", "--allow-errors")
    assert "no history" not in result.stderr
    page = (repo.root / "site/promises/checkout/index.html").read_text()
    history = page[page.index('id="history"') : page.index("</section>", page.index('id="history"'))]
    assert 'Created <time datetime="2026-10-02">2 Oct 2026</time> by Ana Lima' in history
    assert 'last changed <time datetime="2026-10-04">4 Oct 2026</time> by Bo Chen' in history
    events = [(chunk.split(" · ")[1], chunk.split("<p>")[1].split("</p>")[0]) for chunk in history.split("<li>")[1:]]
    assert events == [
        ("Ana Lima", "Created as offered"),
        ("Cleo Ruiz", "Status offered → promised"),
        ("Bo Chen", "Due moved 2026-12-15 → 2027-01-10"),
    ]
    feed = (repo.root / "site/feed.xml").read_text()
    assert "<updated>2026-10-04T10:00:00Z</updated>" in feed  # the last commit, in UTC


def test_an_uncommitted_file_says_so(repo: Repo, git: Git) -> None:
    repo.promise()
    git.commit("promise")
    repo.promise("fresh.md", title="Refund API returns in under 200 ms")
    assert repo.run("build", "--today", "2026-11-21").exit_code == 0
    assert "Not committed yet" in (repo.root / "site/promises/fresh/index.html").read_text()
    assert "Not committed yet" not in (repo.root / "site/promises/checkout/index.html").read_text()


def test_the_same_commit_builds_the_same_site(repo: Repo, git: Git, tmp_path_factory: pytest.TempPathFactory) -> None:
    repo.promise()
    git.commit("promise")
    repo.promise(status="delivered", delivered="2026-11-10")
    git.commit("delivered", author=BO)
    clone = tmp_path_factory.mktemp("clone") / "repo"
    subprocess.run(["git", "clone", "-q", str(repo.root), str(clone)], check=True)
    assert repo.run("build", "--today", "2026-11-21", "--no-cache").exit_code == 0
    os.chdir(clone)
    assert Repo(clone).run("build", "--today", "2026-11-21", "--no-cache").exit_code == 0
    files = sorted(p.relative_to(repo.root / "site") for p in (repo.root / "site").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(clone / "site") for p in (clone / "site").rglob("*") if p.is_file())
    for name in files:
        assert (repo.root / "site" / name).read_bytes() == (clone / "site" / name).read_bytes(), name
    assert "Bo Chen" in (clone / "site/promises/checkout/index.html").read_text()


def test_a_shallow_clone_builds_without_history_and_says_so_once(
    repo: Repo, git: Git, tmp_path_factory: pytest.TempPathFactory
) -> None:
    repo.promise()
    git.commit("promise")
    repo.promise(status="delivered", delivered="2026-11-10")
    git.commit("delivered")
    clone = tmp_path_factory.mktemp("shallow") / "repo"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True)
    os.chdir(clone)
    shallow = Repo(clone)
    result = shallow.run("build", "--today", "2026-11-21")
    assert result.exit_code == 0
    assert result.stderr.count("shallow clone") == 1 and "fetch-depth: 0" in result.stderr
    assert 'id="history"' not in (clone / "site/promises/checkout/index.html").read_text()
    # --base needs only the two versions, which a shallow clone has when it holds the base commit
    (clone / "promises/checkout.md").write_text(
        promise_text(status="delivered", delivered="2026-11-10", due="2027-01-01")
    )
    assert "P403" in shallow.check("--base", "HEAD").codes()


def test_outside_git_the_site_builds_without_history_and_says_so_once(repo: Repo) -> None:
    repo.promise()
    result = repo.run("build", "--today", "2026-11-21")
    assert result.exit_code == 0
    assert result.stderr.count("not a git repository") == 1
    assert 'id="history"' not in (repo.root / "site/promises/checkout/index.html").read_text()


def test_acceptance_committed_by_the_promiser_is_flagged(repo: Repo, git: Git) -> None:
    repo.config(REGISTRY)
    repo.promise()
    git.commit("promise", author=ANA)
    accepted = {"status": "accepted", "delivered": "2026-11-10", "accepted": "2026-11-12"}
    repo.promise(**accepted)
    git.commit("accepted", author=ANA)  # the promiser, not payments
    result = repo.check()
    [finding] = [f for f in result.findings if f["code"] == "P304"]
    assert finding["line"] == line_of(repo, "checkout.md", "accepted:") and "Ana Lima" in finding["message"]
    assert "P305" not in result.codes()  # Ana made her own promise
    git("reset", "-q", "--hard", "HEAD~1")
    repo.promise(**accepted)
    git.commit("accepted", author=CLEO)  # a member of the customer team
    assert "P304" not in repo.check().codes()


def test_a_promise_committed_by_someone_else_is_flagged(repo: Repo, git: Git) -> None:
    repo.config(REGISTRY)
    repo.promise()
    git.commit("promise on Ana's behalf", author=BO)
    [finding] = [f for f in repo.check().findings if f["code"] == "P305"]
    assert finding["line"] == line_of(repo, "checkout.md", "promised:") and "Bo Chen" in finding["message"]
    repo.promise(promised="2026-10-04")  # set anew, not yet committed: the next commit is judged
    assert "P305" not in repo.check().codes()


def test_authorship_needs_emails_in_the_registry(repo: Repo, git: Git) -> None:
    repo.config(REGISTRY.replace(", email: bo.chen@example.com", "").replace(", email: ana.lima@example.com", ""))
    repo.promise()
    git.commit("promise on Ana's behalf", author=BO)
    assert "P305" not in repo.check().codes()  # Ana has no email: nobody to compare with


def test_fields_are_read_from_the_front_matter_only() -> None:
    text = front_matter(
        {**GOOD, "due": "'2026-12-15'  # agreed", "renegotiations": [{"on": "2026-11-01", "due": "2026-01-01"}]},
        body="status: not this one\n",
    )
    version = _fields(text.encode())
    assert version.values == {
        "title": GOOD["title"],
        "status": "promised",
        "due": "2026-12-15",
        "promised": "2026-10-03",
    }
    assert version.moves == {("", "2026-01-01")}


def test_the_history_follows_a_rename(repo: Repo, git: Git) -> None:
    repo.promise("old-name.md")
    git.commit("promise")
    git("mv", "promises/old-name.md", "promises/new-name.md")
    git.commit("rename", author=BO)
    assert repo.run("build", "--today", "2026-11-21").exit_code == 0
    page = (repo.root / "site/promises/new-name/index.html").read_text()
    assert "Created as promised" in page and "Renamed from promises/old-name.md" in page
    assert "by Ana Lima; last changed" in page


def test_serve_shows_the_history_and_matches_a_clean_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from test_serve import CHECKOUT

    from serving import Served
    from sitetools import copy_sample, tree_hashes

    root = copy_sample(tmp_path)
    monkeypatch.chdir(root)
    git = Git(root)
    git("init", "-q")
    git.commit("the sample", author=BO)
    server = Served(root, "--output", "served")
    try:
        server.edit(CHECKOUT, "under 300 ms for the holiday", "under 275 ms for the holiday")
        server.wait_for(server.page_has("promises/checkout-latency/", "under 275 ms"), "the edit")
        page = server.get("promises/checkout-latency/")[1]
        assert "Created as promised" in page and "last changed" in page and "by Bo Chen" in page
        server.settled()  # serve's word that the rest of the site followed
        served = tree_hashes(root / "served")
    finally:
        code, log = server.stop()
    assert code == 0, log
    assert "no history" not in log
    assert Repo(root).run("build", "--today", "2026-11-21", "--output", "fresh").exit_code == 0
    assert served == tree_hashes(root / "fresh")


def test_old_versions_are_read_by_id_cut_at_a_limit_and_missing_ones_left_out(repo: Repo, git: Git) -> None:
    from promisesite.read.git import Repository

    repo.promise("with space.md")
    git.commit("promise")
    blob = git("rev-parse", "HEAD:promises/with space.md").strip()
    git_repo = Repository.find(repo.root)
    found = dict(git_repo.blobs([blob, "0" * 40, "HEAD:promises/with space.md", blob]))
    assert list(found) == [blob] and found[blob].startswith(b"---") and found[blob].endswith(b"promise.\n")
    assert dict(git_repo.blobs([blob, blob], limit=3)) == {blob: b"---"}
