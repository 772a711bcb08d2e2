"""The ways other tools run promisesite: the pre-commit hook, the GitHub Action and the GitLab
snippet of the README, each run with the command line those tools would run."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, Git, Repo

BIN = Path(sys.executable).parent
ENV = {
    **{k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"},
    "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
}


def bad_and_good(repo: Repo) -> None:
    repo.promise("good.md")
    repo.promise("vague.md", title="Try to make checkout faster soon")
    repo.promise("other-bad.md", title="TBD")


def pre_commit_run(root: Path, hook: dict, staged: list[str]) -> subprocess.CompletedProcess:
    """What pre-commit does: the entry, the hook's args, then the staged files its `files` pattern matches."""
    files = [name for name in staged if re.search(hook["files"], name)]
    return subprocess.run(
        [*shlex.split(hook["entry"]), *hook.get("args", []), *files], cwd=root, env=ENV, capture_output=True, text=True
    )


@pytest.mark.parametrize("config", [".pre-commit-hooks.yaml", "src/promisesite/scaffold/dot-pre-commit-config.yaml"])
def test_the_pre_commit_hook_checks_the_staged_files(repo: Repo, config: str) -> None:
    data = yaml.safe_load((ROOT / config).read_text())
    [hook] = data if isinstance(data, list) else data["repos"][0]["hooks"]
    assert hook["id"] == "promisesite-check"
    bad_and_good(repo)
    failed = pre_commit_run(repo.root, hook, ["promises/vague.md", "README.md"])
    assert failed.returncode == 1
    assert "promises/vague.md" in failed.stdout and "other-bad.md" not in failed.stdout  # only what is staged
    passed = pre_commit_run(repo.root, hook, ["promises/good.md"])
    assert passed.returncode == 0, passed.stdout


def test_the_github_action_runs_check_with_annotations(repo: Repo) -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = {step.get("name"): step for step in action["runs"]["steps"]}
    assert "promisesite" in steps["Install promisesite"]["run"]
    check = steps["Check promises"]
    bad_and_good(repo)
    git = Git(repo.root)
    git("init", "-q")
    git.commit("promises")
    repo.promise("good.md", due="2027-02-01")  # moved silently
    env = {**ENV, "ARGS": "--base HEAD promises/good.md"}  # what `with: {args: ...}` sets
    done = subprocess.run(["bash", "-c", check["run"]], cwd=repo.root, env=env, capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stdout.startswith("::error file=promises/good.md,line=")
    assert "title=P403 silent-renegotiation" in done.stdout and "vague.md" not in done.stdout


def test_the_readme_gitlab_job_writes_a_junit_report(repo: Repo) -> None:
    readme = (ROOT / "README.md").read_text()
    block = readme.split("# .gitlab-ci.yml\n", 1)[1].split("```", 1)[0]
    job = yaml.safe_load(block)["promises"]
    script = [line for line in job["script"] if not line.startswith("pip install")]
    bad_and_good(repo)
    git = Git(repo.root)
    git("init", "-q")
    git.commit("promises")
    base = git("rev-parse", "HEAD").strip()
    repo.promise("good.md", due="2027-02-01")
    env = {**ENV, "CI_MERGE_REQUEST_DIFF_BASE_SHA": base}
    done = subprocess.run(["bash", "-ec", "\n".join(script)], cwd=repo.root, env=env, capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    report = (repo.root / job["artifacts"]["reports"]["junit"]).read_text()
    assert report.startswith("<?xml") and "P403" in report and "P203" in report
    assert job["variables"]["GIT_DEPTH"] == 0
