"""`promisesite codeowners` on real git repositories: the file it writes, read back by the `codeowners`
package (a port of GitHub's matching rules), names each promise's customer, keeps the lines a person
wrote, and `--check` fails once a promise is moved or added until the file is written again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from codeowners import CodeOwners

from conftest import Git, Repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

REGISTRY = """\
people:
  ana.lima: {name: Ana Lima, github: ana-lima, gitlab: alima}
  bo.chen: {name: Bo Chen, github: bo-chen}
  cleo.ruiz: {name: Cleo Ruiz}
teams:
  payments: {name: Payments, members: [cleo.ruiz], github: "@northwind/payments"}
  platform: {name: Platform, members: [ana.lima, bo.chen], github: "@northwind/platform"}
"""


@pytest.fixture
def git(repo: Repo) -> Git:
    git = Git(repo.root)
    git("init", "-q")
    repo.config(REGISTRY)
    repo.promise("platform/checkout.md")  # ana.lima → payments
    repo.promise("platform/replica.md", promiser="bo.chen", customer="ana.lima")
    repo.promise("platform/nobody.md", customer="cleo.ruiz")  # no forge account
    return git


def owners(repo: Repo, path: str, file: str = ".github/CODEOWNERS") -> list[str]:
    parsed = CodeOwners((repo.root / file).read_text())
    return [name for _, name in parsed.of(path)]


def test_each_promise_file_needs_its_customers_review(repo: Repo, git: Git) -> None:
    done = repo.run("codeowners")
    assert done.exit_code == 0, done.stderr
    assert owners(repo, "promises/platform/checkout.md") == ["@northwind/payments"]
    assert owners(repo, "promises/platform/replica.md") == ["@ana-lima"]
    assert "no github account in promisesite.yaml for cleo.ruiz (1 promise)" in done.stderr
    # A file the base branch's CODEOWNERS does not list yet still needs a team's review.
    assert owners(repo, "promises/platform/added-in-a-pull-request.md") == [
        "@northwind/payments",
        "@northwind/platform",
    ]
    assert owners(repo, "README.md") == []


def test_both_adds_the_promiser(repo: Repo, git: Git) -> None:
    repo.config(REGISTRY + "codeowners: both\n")
    assert repo.run("codeowners").exit_code == 0
    assert owners(repo, "promises/platform/checkout.md") == ["@northwind/payments", "@ana-lima"]


def test_gitlab_accounts_in_a_gitlab_repository(repo: Repo, git: Git) -> None:
    (repo.root / ".gitlab-ci.yml").write_text("pages:\n  script: [promisesite build]\n")
    assert repo.run("codeowners").exit_code == 0
    assert owners(repo, "promises/platform/replica.md", "CODEOWNERS") == ["@alima"]


def test_a_moved_or_added_promise_makes_check_fail_until_written_again(repo: Repo, git: Git) -> None:
    assert repo.run("codeowners").exit_code == 0
    git.commit("promises and their owners")
    assert repo.run("codeowners", "--check").exit_code == 0
    git("mv", "promises/platform/checkout.md", "promises/checkout.md")
    stale = repo.run("codeowners", "--check")
    assert stale.exit_code == 1 and "out of date" in stale.stderr
    assert owners(repo, "promises/checkout.md") != ["@northwind/payments"]  # --check wrote nothing
    assert repo.run("codeowners").exit_code == 0
    assert owners(repo, "promises/checkout.md") == ["@northwind/payments"]
    assert repo.run("codeowners", "--check").exit_code == 0
    repo.promise("platform/new.md", customer="bo.chen")
    assert repo.run("codeowners", "--check").exit_code == 1
    assert repo.run("codeowners").exit_code == 0
    assert owners(repo, "promises/platform/new.md") == ["@bo-chen"]


def test_the_lines_a_person_wrote_are_kept(repo: Repo, git: Git) -> None:
    written = repo.root / ".github/CODEOWNERS"
    written.parent.mkdir()
    written.write_text("# our own rules\n* @northwind/admins\n/docs/ @northwind/writers\n")
    assert repo.run("codeowners").exit_code == 0
    text = written.read_text()
    assert text.startswith("# our own rules\n* @northwind/admins\n/docs/ @northwind/writers\n")
    assert owners(repo, "docs/guide.md") == ["@northwind/writers"]
    assert owners(repo, "promises/platform/checkout.md") == ["@northwind/payments"]
    assert repo.run("codeowners").exit_code == 0 and written.read_text() == text  # written once


def test_a_file_name_with_spaces_is_one_pattern(repo: Repo, git: Git) -> None:
    repo.promise("platform/odd name.md", id=None, customer="bo.chen")
    assert repo.run("codeowners").exit_code == 0
    assert owners(repo, "promises/platform/odd name.md") == ["@bo-chen"]


def test_init_workflow_checks_codeowners(tmp_path: Path) -> None:
    from hostile import promisesite

    done = promisesite(tmp_path, "init", "team")
    assert done.returncode == 0, done.stderr
    workflow = (tmp_path / "team/.github/workflows/promises.yml").read_text()
    assert "promisesite codeowners --check" in workflow
