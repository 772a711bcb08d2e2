#!/usr/bin/env python3
"""What git costs: `check --base` against plain `check`, and the history pass of `build`.

    python benchmarks/git_history.py [--count 10000] [--runs 3] [--work /dev/shm/promisesite-git]

Generates the corpus (benchmarks/generate.py) in a new git repository with three commits:
everything; then 2% of the files with a moved due date (half of them without a renegotiation
entry, so P403 fires) and 1% with changed conditions; then 1% renamed and 1% with their status
moved. It then times, as medians of the runs: `check`, `check --base HEAD~2`, `check` with
people's emails in the registry (P304 and P305 read the whole history), and the history pass
alone (`read_history`).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
    "GIT_AUTHOR_DATE": "2026-10-01T12:00:00Z",
    "GIT_COMMITTER_DATE": "2026-10-01T12:00:00Z",
}


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args], cwd=repo, env=ENV, check=True, stdout=subprocess.DEVNULL
    )


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def history_repo(target: Path, count: int) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    generate(target, count)
    git(target, "init", "-q")
    commit(target, "all promises")
    files = sorted((target / "promises").rglob("*.md"))
    for index, path in enumerate(files[::50]):  # 2%: due moved, half with an entry
        text = path.read_text()
        due = re.search(r"^due: (\d{4})-(\d\d-\d\d)$", text, re.MULTILINE)
        if not due:
            continue
        moved = f"{int(due.group(1)) + 1}-{due.group(2)}"
        text = text.replace(due.group(0), f"due: {moved}", 1)
        if index % 2 and "renegotiations:" not in text:
            text = text.replace(
                "\n---\n",
                f"\nrenegotiations:\n  - on: 2026-10-02\n    was: {due.group(1)}-"
                f"{due.group(2)}\n    due: {moved}\n    reason: the vendor slipped\n"
                "    agreed_by: person.0001\n---\n",
                1,
            )
        path.write_text(text)
    for path in files[7::100]:  # 1%: conditions changed
        path.write_text(path.read_text().replace("done_when:\n  - ", "done_when:\n  - at least 3 ", 1))
    commit(target, "renegotiations")
    for path in files[13::100]:  # 1%: renamed
        git(target, "mv", str(path), str(path.with_name("moved-" + path.name)))
    for path in files[17::100]:  # 1%: status moved
        path.write_text(re.sub(r"^status: \w+$", "status: requested", path.read_text(), count=1, flags=re.M))
    commit(target, "renames and status changes")
    return target


def timed(command: list[str], cwd: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/dev/shm/promisesite-git"))
    args = parser.parse_args()
    repo = history_repo(args.work / f"repo-{args.count}", args.count)
    check = [sys.executable, "-m", "promisesite", "check", "--today", "2026-11-21"]
    plain = timed(check, repo, args.runs)
    base = timed(check + ["--base", "HEAD~2"], repo, args.runs)
    found = subprocess.run(
        check + ["--base", "HEAD~2", "--format", "json"], cwd=repo, capture_output=True, text=True
    ).stdout
    counts = {code: found.count(f'"code": "{code}"') for code in ("P403", "P406", "P407")}
    config = (repo / "promisesite.yaml").read_text()
    (repo / "promisesite.yaml").write_text(
        re.sub(r"(\n  (person\.\d+): \{name: [^}]*)\}", r"\1, email: \2@example.com}", config)
    )
    emails = timed(check, repo, args.runs)
    (repo / "promisesite.yaml").write_text(config)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from promisesite.check import history_of
    from promisesite.config import load_config

    passes = []
    for _ in range(args.runs):
        started = time.perf_counter()
        history = history_of(load_config(repo / "promisesite.yaml"))
        passes.append(time.perf_counter() - started)
    print(f"{args.count} promises, 3 commits, {os.cpu_count()} cores; medians of {args.runs}")
    print(f"  check                      {plain:6.2f} s")
    print(f"  check --base HEAD~2        {base:6.2f} s  ({base / plain:.2f}x)  findings: {counts}")
    print(f"  check, emails registered   {emails:6.2f} s  ({emails / plain:.2f}x)  (P304, P305 read the history)")
    print(f"  history pass alone         {statistics.median(passes):6.2f} s  ({len(history.files)} files with history)")


if __name__ == "__main__":
    main()
