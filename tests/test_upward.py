"""promisesite.yaml is found in the current folder or the nearest one above it, as git, ruff and
MkDocs find theirs: every command works from any sub-folder of the repository."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TODAY, Git, Repo
from sitetools import copy_sample

ENV = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}


def promisesite(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "promisesite", *args], cwd=cwd, capture_output=True, text=True, env=ENV, timeout=120
    )


@pytest.fixture
def sample(repo: Repo) -> Path:
    copy_sample(repo.root)
    repo.promise("platform/vague.md", title="Improve checkout soon", team="platform")
    Git(repo.root)("init", "-q")  # the search climbs inside a git work tree only
    return repo.root


@pytest.mark.parametrize("folder", ["promises", "promises/platform", "templates"])
def test_check_from_a_sub_folder_gives_the_findings_of_the_root(sample: Path, folder: str) -> None:
    at_root = promisesite(sample, "check", "--format", "json", "--today", TODAY)
    below = promisesite(sample / folder, "check", "--format", "json", "--today", TODAY)
    assert below.returncode == at_root.returncode == 1, below.stderr
    assert json.loads(below.stdout) == json.loads(at_root.stdout)
    assert {f["path"] for f in json.loads(below.stdout)} >= {"promises/platform/vague.md"}  # from the root


def test_a_file_named_from_a_sub_folder_is_found_and_shown_from_the_root(sample: Path) -> None:
    done = promisesite(sample / "promises/platform", "check", "--format", "json", "--today", TODAY, "vague.md")
    assert done.returncode == 1, done.stderr
    assert {f["path"] for f in json.loads(done.stdout)} == {"promises/platform/vague.md"}


def test_build_from_a_sub_folder_writes_the_configured_output(sample: Path) -> None:
    (sample / "promises/platform/vague.md").unlink()
    done = promisesite(sample / "promises/mobile", "build", "--today", TODAY)
    assert done.returncode == 0, done.stderr
    assert (sample / "site/index.html").is_file()
    assert not (sample / "promises/mobile/site").exists()
    assert "into site/" in done.stderr


def test_new_from_a_sub_folder_writes_under_the_source_folder(sample: Path) -> None:
    done = promisesite(
        sample / "promises/platform",
        "new",
        "Nightly refund export lands in the finance bucket by 06:00 UTC",
        "--promiser",
        "ana.lima",
        "--customer",
        "payments",
        "--due",
        "2026-12-20",
        "--done-when",
        "the export file is in the finance bucket by 06:00 UTC on 5 consecutive days",
        "--today",
        TODAY,
    )
    assert done.returncode == 0, done.stderr
    written = sample / "promises/platform/nightly-refund-export-lands-in-the-finance-bucket-by-06-00.md"
    assert written.is_file(), done.stdout
    assert not (sample / "promises/platform/promises").exists()


def test_the_search_stops_at_the_repository_it_is_in(tmp_path: Path) -> None:
    (tmp_path / "promisesite.yaml").write_text("title: Someone else's promises\nsource: elsewhere\n")
    inner = tmp_path / "work"
    inner.mkdir()
    Repo(inner)
    Git(inner)("init", "-q")
    (inner / "promises").mkdir(exist_ok=True)
    done = promisesite(inner / "promises", "check", "--today", TODAY)
    assert done.returncode == 0, done.stderr  # not the config above the repository, which names `elsewhere/`
    assert "elsewhere" not in done.stdout + done.stderr


def test_config_names_the_file_outright(sample: Path) -> None:
    (sample / "promisesite.yaml").rename(sample / "northwind.yaml")
    done = promisesite(
        sample / "promises", "check", "--config", "../northwind.yaml", "--today", TODAY, "--format", "json"
    )
    assert done.returncode == 1, done.stderr
    assert "promises/platform/vague.md" in {f["path"] for f in json.loads(done.stdout)}


def test_a_named_file_outside_the_source_folder_is_said_to_stay_unpublished(sample: Path) -> None:
    (sample / "drafts").mkdir()
    (sample / "drafts/refunds.md").write_text((sample / "promises/platform/load-test.md").read_text())
    done = promisesite(sample, "check", "--format", "json", "--today", TODAY, "drafts/refunds.md")
    [finding] = json.loads(done.stdout)
    assert done.returncode == 0 and (finding["code"], finding["level"]) == ("P010", "warning")
    assert "never published: move it into promises/ (e.g. `git mv drafts/refunds.md promises/`)" in finding["message"]
    inside = promisesite(sample, "check", "--format", "json", "--today", TODAY, "promises/platform/load-test.md")
    assert json.loads(inside.stdout) == []


def test_outside_a_work_tree_only_the_current_folder_is_searched(tmp_path: Path) -> None:
    (tmp_path / "promisesite.yaml").write_text("title: Another user's promises\nrules:\n  P205: off\n")
    inner = tmp_path / "mine"
    (inner / "promises").mkdir(parents=True)
    Repo(inner).promise("vague.md", title="Improve checkout", done_when=["checkout is faster"])
    done = promisesite(inner, "check", "--today", TODAY)
    assert done.returncode == 1 and "P205" in done.stdout, done.stdout + done.stderr  # not switched off from above


def test_a_config_inside_the_source_folder_is_never_used_and_is_p014(sample: Path) -> None:
    platform = sample / "promises/platform"
    (platform / ".t").mkdir()
    (platform / ".t/base.html").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    (platform / "promisesite.yaml").write_text("templates: .t\nrules:\n  P205: off\n  P204: off\n")
    below = promisesite(platform, "check", "--format", "json", "--today", TODAY)
    at_root = promisesite(sample, "check", "--format", "json", "--today", TODAY)
    assert below.returncode == at_root.returncode == 1
    assert json.loads(below.stdout) == json.loads(at_root.stdout)  # the root's config, from the sub-folder too
    codes = {(f["path"], f["code"], f["line"]) for f in json.loads(at_root.stdout)}
    assert ("promises/platform/promisesite.yaml", "P014", 1) in codes
    assert ("promises/platform/vague.md", "P205", 2) in codes  # its rules were not switched off
    built = promisesite(platform, "build", "--today", TODAY, "--allow-errors")
    assert (sample / "site/index.html").is_file(), built.stderr  # built with the root's config and theme
    assert "__subclasses__" not in (sample / "site/index.html").read_text()
    assert not (platform / "site").exists()


def test_a_nested_project_outside_the_source_folder_keeps_its_own_config(sample: Path) -> None:
    team = sample / "handbook"
    (team / "promises").mkdir(parents=True)
    (team / "promisesite.yaml").write_text("title: Handbook promises\n")
    Repo(team).promise("only.md")
    done = promisesite(team, "check", "--format", "json", "--today", TODAY)
    assert done.returncode == 0 and json.loads(done.stdout) == [], done.stdout + done.stderr
