"""Restoring `.promisesite-cache/` in CI, as the GitHub workflow `init` writes and the GitLab job
in docs/ci.md do it: each job starts from a fresh clone (new files, new times, new inodes), the CI
restores the folder a job before saved, and the build then renders only the bodies that changed
and writes the same site as a build without the cache."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

import promisesite
from conftest import ROOT, Git, Repo
from sitetools import tree_hashes

BIN = Path(sys.executable).parent
ENV = {
    **{k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"},
    "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
}
WORKFLOW = ROOT / "src/promisesite/scaffold/dot-github/workflows/promises.yml"


def origin(repo: Repo) -> Path:
    """A git repository with a few promises that have bodies of their own."""
    for n in range(6):
        repo.promise(f"p{n}.md", id=f"p{n}", body=f"Context for promise {n}, with a *list*:\n\n- one\n- two {n}\n")
    git = Git(repo.root)
    git("init", "-q")
    git.commit("promises")
    return repo.root


def fresh_clone(origin: Path, into: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(origin), str(into)], check=True, env=ENV)
    return into


def bodies_rendered(output: str) -> int:
    found = re.search(r"Markdown rendered (\d+) of", output)
    assert found, output
    return int(found.group(1))


class GitHubJob:
    """The publishing job's steps, run as a runner would: `run` steps in bash with $GITHUB_ENV,
    `actions/cache` restoring by exact key or by the longest restore-keys prefix, saving at the end."""

    def __init__(self, store: dict[str, Path], scratch: Path):
        self.steps = yaml.safe_load(WORKFLOW.read_text())["jobs"]["publish"]["steps"]
        self.store, self.scratch = store, scratch

    def run(self, checkout: Path, sha: str) -> str:
        github_env = checkout.parent / f"{checkout.name}.env"
        github_env.write_text("")
        said, saves = "", []
        for step in self.steps:
            values = dict(line.split("=", 1) for line in github_env.read_text().splitlines() if "=" in line)
            expand = functools.partial(self.expand, env=values, sha=sha)
            uses = step.get("uses", "")
            if uses.startswith("actions/cache@"):
                key, prefix = expand(step["with"]["key"]), expand(step["with"]["restore-keys"])
                folder = checkout / step["with"]["path"]
                hit = self.store.get(key) or next(
                    (self.store[k] for k in sorted(self.store, reverse=True) if k.startswith(prefix)), None
                )
                if hit is not None:
                    shutil.copytree(hit, folder)
                if key not in self.store:
                    saves.append((key, folder))
            elif "run" in step and not step["run"].startswith("pip install"):
                command = expand(step["run"])
                if command.startswith("promisesite build"):
                    command += " -v"  # to see what Markdown rendered
                done = subprocess.run(
                    ["bash", "-ec", command],
                    cwd=checkout,
                    env={**ENV, "GITHUB_ENV": str(github_env)},
                    capture_output=True,
                    text=True,
                )
                assert done.returncode == 0, done.stdout + done.stderr
                said += done.stdout + done.stderr
        for key, folder in saves:  # the cache action's post step
            kept = self.scratch / f"saved-{len(self.store)}"
            shutil.copytree(folder, kept)
            self.store[key] = kept
        return said

    @staticmethod
    def expand(text: str, env: dict[str, str], sha: str) -> str:
        # What actions/configure-pages says of a project site, and the commit.
        known = {"github.sha": sha, "steps.pages.outputs.base_url": "https://northwind.github.io/promises"}
        return re.sub(
            r"\$\{\{\s*([\w.]+)\s*\}\}",
            lambda m: env[m.group(1)[4:]] if m.group(1).startswith("env.") else known[m.group(1)],
            text,
        )


def test_the_github_workflow_restores_the_cache_and_renders_only_changed_bodies(repo: Repo, tmp_path: Path) -> None:
    source = origin(repo)
    job = GitHubJob({}, tmp_path)
    first = fresh_clone(source, tmp_path / "run1")
    said = job.run(first, "a" * 40)
    assert bodies_rendered(said) == 6
    assert [key.split("-")[1] for key in job.store] == [promisesite.__version__]

    repo.promise("p3.md", id="p3", body="Context for promise 3, edited after the first run.\n")
    Git(source).commit("edit p3")
    second = fresh_clone(source, tmp_path / "run2")
    said = job.run(second, "b" * 40)
    assert bodies_rendered(said) == 1, said  # the other five came from the restored cache
    assert "edited after the first run" in (second / "site/promises/p3/index.html").read_text()

    cold = fresh_clone(source, tmp_path / "cold")
    done = subprocess.run(
        ["promisesite", "build", "--no-cache", "--base-url", "https://northwind.github.io/promises/"],
        cwd=cold,
        env=ENV,
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr
    assert tree_hashes(second / "site") == tree_hashes(cold / "site")


def test_a_cache_from_another_promisesite_version_is_ignored_whole(repo: Repo, tmp_path: Path) -> None:
    source = origin(repo)
    job = GitHubJob({}, tmp_path)
    job.run(fresh_clone(source, tmp_path / "run1"), "a" * 40)
    [saved] = job.store.values()
    for written in saved.glob("*.json"):  # as an older promisesite wrote them: the header names its version
        header, _, payload = written.read_bytes().partition(b"\n")
        assert promisesite.__version__.encode() in header
        written.write_bytes(header.replace(promisesite.__version__.encode(), b"0.0.1", 1) + b"\n" + payload)
    restored = fresh_clone(source, tmp_path / "run2")
    shutil.copytree(saved, restored / ".promisesite-cache")
    done = subprocess.run(["promisesite", "build", "-v"], cwd=restored, env=ENV, capture_output=True, text=True)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert bodies_rendered(done.stdout + done.stderr) == 6


PAGES = {"CI_PAGES_URL": "https://northwind.gitlab.io/promises"}  # what GitLab names the site's address


def test_the_gitlab_job_in_the_docs_restores_the_cache(repo: Repo, tmp_path: Path) -> None:
    docs = (ROOT / "docs/ci.md").read_text()
    block = docs.split("## A faster build in CI", 1)[1].split("# .gitlab-ci.yml\n", 1)[1].split("```", 1)[0]
    job = yaml.safe_load(block)["pages"]
    version = job["variables"]["PROMISESITE_VERSION"]
    assert version == promisesite.__version__  # the docs pin the version being released
    assert job["cache"]["key"] == "promisesite-$PROMISESITE_VERSION"
    [cached] = job["cache"]["paths"]
    script = [line for line in job["script"] if not line.startswith("pip install")]
    source = origin(repo)

    def run(checkout: Path) -> str:
        done = subprocess.run(
            ["bash", "-ec", "\n".join(line + " -v" if "promisesite build" in line else line for line in script)],
            cwd=checkout,
            env={
                **ENV,
                "CI_PAGES_URL": "https://northwind.gitlab.io/promises",
                **{k: str(v) for k, v in job["variables"].items()},
            },
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout + done.stderr

    first = fresh_clone(source, tmp_path / "run1")
    assert bodies_rendered(run(first)) == 6
    repo.promise("p0.md", id="p0", body="Context for promise 0, edited.\n")
    Git(source).commit("edit p0")
    second = fresh_clone(source, tmp_path / "run2")
    shutil.copytree(first / cached, second / cached)  # what the runner's cache does between jobs
    assert bodies_rendered(run(second)) == 1
    assert (second / job["artifacts"]["paths"][0] / "promises/p0/index.html").is_file()
