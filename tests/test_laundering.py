"""A contributor who wants a late delivery to read as kept, or a broken promise to vanish, tries each
door a second probe found; each is a real git repository and a real `check --base` or `build`.
The pattern behind them: identity is the id, the guards cannot be switched off by the person they
guard against, and git's own statements are not facts."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import ANA, BO, CLEO, TODAY, Git, Repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

LATE = {"status": "accepted", "due": "2026-11-01", "delivered": "2026-11-09", "accepted": "2026-11-12"}
REGISTRY = """\
people:
  ana.lima: {name: Ana Lima, email: ana.lima@example.com, github: ana-lima}
  bo.chen: {name: Bo Chen, email: bo.chen@example.com}
  cleo.ruiz: {name: Cleo Ruiz, email: cleo.ruiz@example.com}
teams:
  payments: {name: Payments, members: [cleo.ruiz], github: "@northwind/payments"}
  platform: {name: Platform, members: [ana.lima, bo.chen]}
"""


@pytest.fixture
def git(repo: Repo) -> Git:
    git = Git(repo.root)
    git("init", "-q")
    return git


def findings(repo: Repo, base: str = "base") -> list[tuple[str, str]]:
    return sorted((f["path"], f["code"]) for f in repo.check("--base", base).findings)


def changes(repo: Repo, base: str = "base") -> dict:
    done = repo.run("changes", "--base", base, "--format", "json", "--today", TODAY)
    return {"exit": done.exit_code, **json.loads(done.stdout)}


def test_a_waiver_in_the_same_change_does_not_launder_the_record(repo: Repo, git: Git) -> None:
    repo.promise(**LATE)
    git.commit("delivered late, accepted")
    git("branch", "base")
    repo.promise(**{**LATE, "delivered": "2026-10-30"}, waivers=[{"rule": "P408", "reason": "typo"}])
    found = findings(repo)
    assert ("promises/checkout.md", "P408") in found and ("promises/checkout.md", "P413") in found
    review = changes(repo)
    assert review["exit"] == 1
    [promise] = review["promises"]
    kinds = [item["kind"] for item in promise["items"]]
    assert "waiver" in kinds  # the waiver added is said, not only its error
    assert {f["code"] for f in promise["findings"]} >= {"P408", "P413"}


def test_a_waiver_cannot_silence_a_silent_due_move(repo: Repo, git: Git) -> None:
    repo.promise()
    git.commit("promised")
    git("branch", "base")
    repo.promise(due="2027-02-01", waivers=[{"rule": "P403", "reason": "agreed on a call"}])
    assert {"P403", "P413"} <= {code for _, code in findings(repo)}


def test_deleting_here_and_adding_there_with_the_same_id_is_the_same_promise(repo: Repo, git: Git) -> None:
    repo.promise("platform/x.md", renegotiations=[ENTRY])
    git.commit("promise with a renegotiation")
    git("branch", "base")
    (repo.root / "promises/platform/x.md").unlink()
    text = promise_lines(due="2026-12-15", renegotiations=[{**ENTRY, "reason": "it was always this date"}])
    (repo.root / "promises/web").mkdir()
    (repo.root / "promises/web/x.md").write_text(text)  # reformatted: git sees a delete and an add
    git.commit("moved to web, and the reason rewritten")
    assert git("diff", "--name-status", "-M", "base", "HEAD").split() == [
        "D",
        "promises/platform/x.md",
        "A",
        "promises/web/x.md",
    ]
    assert findings(repo) == [("promises/web/x.md", "P408")]
    [promise] = changes(repo)["promises"]
    assert promise["path"] == "promises/web/x.md" and promise["moved_from"] == "promises/platform/x.md"
    assert promise["items"][0]["text"] == "moved from promises/platform/x.md"


@pytest.mark.parametrize(
    "hidden", ["promises/.archive/checkout.md", "promises/checkout.md.bak", "promises/.checkout.md"]
)
def test_an_open_promise_moved_where_the_scan_does_not_look_is_deleted(repo: Repo, git: Git, hidden: str) -> None:
    repo.promise(due="2026-10-01")  # open and overdue
    git.commit("promised")
    git("branch", "base")
    (repo.root / hidden).parent.mkdir(exist_ok=True)
    git("mv", "promises/checkout.md", hidden)
    assert findings(repo) == [("promises/checkout.md", "P409")]
    assert repo.check("--base", "base").exit_code == 1
    [promise] = changes(repo)["promises"]
    assert promise["items"][0]["kind"] == "deleted"
    assert promise["items"][0]["act"].startswith("ana.lima to put the file back")


def test_a_promised_promise_cannot_be_withdrawn_out_of_the_accounting(repo: Repo, git: Git) -> None:
    repo.promise(due="2026-10-01")
    git.commit("promised, now seven weeks overdue")
    git("branch", "base")
    repo.promise(due="2026-10-01", status="withdrawn")  # `promised:` still there
    assert ("promises/checkout.md", "P412") in findings(repo)
    repo.promise(due="2026-10-01", status="withdrawn", promised=None)  # and without it: the base had it
    assert ("promises/checkout.md", "P412") in findings(repo)
    repo.promise(due="2026-10-01", status="withdrawn")
    assert repo.run("build", "--today", TODAY, "--allow-errors").exit_code == 1
    data = json.loads((repo.root / "site/promises.json").read_text())
    [promise] = data["promises"] if isinstance(data, dict) else data
    assert promise["outcome"] == "broken"  # still counted: a promise was made and not kept


def test_a_renegotiation_dated_before_the_base_is_backdated(repo: Repo, git: Git) -> None:
    repo.promise(due="2026-10-01")
    git.commit("promised for 1 October")  # committed 2026-10-02 by the test clock
    git("branch", "base")
    entry = {"on": "2026-09-25", "was": "2026-10-01", "due": "2026-12-15", "reason": "slipped", "agreed_by": "payments"}
    repo.promise(renegotiations=[entry])
    found = repo.check("--base", "base").findings
    [backdated] = [f for f in found if f["code"] == "P411"]
    assert backdated["level"] == "error" and "on: 2026-10-02" in backdated["message"]
    [promise] = changes(repo)["promises"]
    assert "renegotiated on 2026-09-25" in promise["items"][0]["text"]  # the `on` is shown


def test_a_due_removed_in_one_commit_and_added_in_the_next_is_an_unrecorded_move(repo: Repo, git: Git) -> None:
    repo.promise(due="2026-11-01")
    git.commit("promised for 1 November")
    repo.promise(due=None)
    git.commit("due removed")
    repo.promise(due="2026-12-20")
    git.commit("due added back, seven weeks later")
    repo.run("build", "--today", TODAY, "--allow-errors")
    page = (repo.root / "site/promises/checkout/index.html").read_text()
    assert "Due moved 2026-11-01 → 2026-12-20 without a renegotiation entry" in page
    assert "Counted against 1 Nov 2026" in page


def test_git_author_names_are_not_sign_off(repo: Repo, git: Git) -> None:
    repo.config(REGISTRY)
    repo.promise(status="delivered", delivered="2026-11-10")
    git.commit("delivered")
    git("branch", "base")
    repo.promise(status="accepted", delivered="2026-11-10", accepted="2026-11-12")
    git("add", "-A")
    # Ana, the promiser, commits the acceptance typing Cleo (the customer team) as the author.
    git("commit", "-q", "-m", "accepted", "--author", f"{CLEO[0]} <{CLEO[1]}>", author=ANA)
    [finding] = [f for f in repo.check().findings if f["code"] == "P304"]
    assert "committed by <ana.lima@example.com>" in finding["message"]
    assert "the sign-off that counts is the customer's review on the forge" in finding["message"]
    [promise] = changes(repo)["promises"]
    [accepted] = [item for item in promise["items"] if item["kind"] == "accepted"]
    assert accepted["act"].startswith("payments to confirm the acceptance")
    assert promise["approvers"] == ["@northwind/payments"]  # named by the account that approves


def test_a_commit_by_its_own_author_passes(repo: Repo, git: Git) -> None:
    repo.config(REGISTRY)
    repo.promise(status="delivered", delivered="2026-11-10")
    git.commit("delivered")
    repo.promise(status="accepted", delivered="2026-11-10", accepted="2026-11-12")
    git.commit("accepted", author=CLEO)
    assert "P304" not in repo.check().codes()


def test_history_before_record_since_is_an_import(repo: Repo, git: Git) -> None:
    repo.config(REGISTRY)
    repo.promise("a.md")
    repo.promise("b.md")
    git.commit("import the team's promises", author=BO)  # promised by Ana, committed by the lead
    assert repo.check().codes() == {"P305"}
    repo.config(REGISTRY + "record_since: 2026-10-03\n")
    git.commit("the record starts")
    assert repo.check().codes() == set()
    repo.promise("c.md")
    git.commit("a new promise on Ana's behalf", author=BO)
    assert [f["path"] for f in repo.check().findings if f["code"] == "P305"] == ["promises/c.md"]


@pytest.mark.parametrize(
    "edit, text",
    [
        ({"cause": "external"}, "cause: (none) → external"),
        ({"tags": ["holiday"]}, "tags changed"),
        ({"requested": "2026-09-20"}, "`requested` 2026-10-01 → 2026-09-20"),
        ({"waivers": [{"rule": "P206", "reason": "the runbook's own words"}]}, "waiver of P206 added"),
    ],
)
def test_changes_says_every_difference(repo: Repo, git: Git, edit: dict, text: str) -> None:
    repo.promise(**LATE)
    git.commit("accepted late")
    git("branch", "base")
    repo.promise(**LATE, **edit)
    [promise] = changes(repo)["promises"]
    assert any(text in item["text"] for item in promise["items"]), promise["items"]


def test_changes_shows_a_file_whose_only_change_is_an_error(repo: Repo, git: Git) -> None:
    repo.promise()
    git.commit("promised")
    git("branch", "base")
    repo.write("broken.md", "---\ntitle: [unclosed\n---\n")  # new, not added to git
    review = changes(repo)
    assert review["exit"] == 1
    [broken] = [p for p in review["promises"] if p["path"] == "promises/broken.md"]
    assert [f["code"] for f in broken["findings"]] == ["P003"]


def test_an_untracked_promise_is_a_new_promise(repo: Repo, git: Git) -> None:
    repo.promise()
    git.commit("promised")
    git("branch", "base")
    repo.promise("new.md", status="requested", promised=None, done_when=None)  # never `git add`ed
    [promise] = changes(repo)["promises"]
    assert promise["path"] == "promises/new.md" and promise["items"][0]["kind"] == "new"


ENTRY = {"on": "2026-11-18", "was": "2026-12-01", "due": "2026-12-15", "reason": "slipped", "agreed_by": "payments"}


def promise_lines(**changes: object) -> str:
    """The promise with its keys in another order and its lists in flow style: the same promise,
    written so differently that git cannot pair the two files."""
    from conftest import GOOD

    fields = {**GOOD, **changes}
    lines = ["---"]
    for key in sorted(fields):
        value = fields[key]
        if value is None:
            continue
        lines.append(f"{key}: {json.dumps(value)}")
    return "\n".join(lines) + "\n---\n\nA different body, written again from scratch.\n"


def test_a_change_by_bo_is_said_by_bo(repo: Repo, git: Git) -> None:
    """The history names the author as git records them, and says so: a self-asserted name."""
    repo.promise()
    git.commit("promised", author=BO)
    repo.run("build", "--today", TODAY)
    page = (repo.root / "site/promises/checkout/index.html").read_text()
    assert "Bo Chen" in page


# --- doors the probe did not name: my own pass as a contributor who wants a broken promise gone ---


def test_moving_the_source_folder_in_the_same_change_still_finds_the_deletion(repo: Repo, git: Git) -> None:
    repo.promise("kept.md")
    repo.promise("broken.md", due="2026-10-01")
    git.commit("two promises")
    git("branch", "base")
    git("mv", "promises", "commitments")
    (repo.root / "commitments/broken.md").unlink()
    repo.config("source: commitments\n")
    found = repo.check("--base", "base").findings
    assert [(f["path"], f["code"], f["level"]) for f in found] == [("promises/broken.md", "P409", "error")]


def test_a_change_cannot_switch_off_the_record_rules_that_judge_it(repo: Repo, git: Git) -> None:
    repo.promise(**LATE)
    git.commit("accepted late")
    git("branch", "base")
    repo.config("rules:\n  history-rewritten: 'off'\n  P413: 'off'\n")
    repo.promise(**{**LATE, "delivered": "2026-10-30"})
    result = repo.check("--base", "base")
    assert ("promises/checkout.md", "P408") in {(f["path"], f["code"]) for f in result.findings}
    assert result.exit_code == 1
    git.commit("merged: from now on the new levels hold")
    assert "P408" not in repo.check("--base", "HEAD").codes()
    review = changes(repo)
    [config] = [p for p in review["promises"] if p["path"] == "promisesite.yaml"]
    assert "rules: P408 default → off (a rule of the record: its old level judges this change)" in [
        item["text"] for item in config["items"]
    ]


def test_a_delivery_dated_before_the_base_is_said_to_be_dated_back(repo: Repo, git: Git) -> None:
    repo.promise(due="2026-10-01")
    git.commit("promised for 1 October")  # committed 2026-10-02 by the test clock
    git("branch", "base")
    repo.promise(due="2026-10-01", status="delivered", delivered="2026-09-30")
    [promise] = changes(repo)["promises"]
    [backdated] = [item for item in promise["items"] if item["kind"] == "backdated"]
    assert "`delivered` set to 2026-09-30, before the base revision was committed (2026-10-02)" in backdated["text"]
    assert backdated["act"].startswith("payments to confirm it happened on 2026-09-30")


def test_record_since_moved_in_a_change_is_named_for_the_maintainers(repo: Repo, git: Git) -> None:
    repo.config("title: Ours\n")
    repo.promise()
    git.commit("promised")
    git("branch", "base")
    repo.config("title: Ours\nrecord_since: 2026-12-01\n")
    [config] = changes(repo)["promises"]
    assert config["items"][0]["text"] == "record_since: (none) → 2026-12-01"
    assert config["items"][0]["act"].startswith("the maintainers to review it")


def test_a_promiser_cancelling_needs_the_customer_to_confirm(repo: Repo, git: Git) -> None:
    repo.promise(due="2026-10-01")
    git.commit("promised, now overdue")
    git("branch", "base")
    repo.promise(due="2026-10-01", status="cancelled", closed="2026-11-20", closed_reason="not needed any more")
    [promise] = changes(repo)["promises"]
    assert promise["items"][0]["act"].startswith("payments to confirm they cancelled it")
