#!/usr/bin/env python3
"""`promisesite serve` under edits: from saving a file to the page (and the whole site) serving it.

    python benchmarks/serve_latency.py REPO [--runs 3] [--edits 10] [--output /dev/shm/serve-bench]

Each run starts `promisesite serve` in REPO (output on tmpfs), waits for its first build, then
edits the titles of promises one after another (a plain save each, 1.5 s apart, as a person
saves) and polls over HTTP on 127.0.0.1:

- *page*: until the edited promise's page shows the new title (polled every millisecond);
- *site*: until serve reports the rebuild done (its "N files written" line on stderr, timed as
  it arrives), after which `promises.json`, written with every list, is fetched once and must
  show the new title. Polling the 14 MB `promises.json` every millisecond instead would load
  the machine the rebuild runs on;

and samples the memory of the serve process (its proportional set size, PSS) from the moment
it serves, through the edits.
Prints, over all edits of all runs, the median, p90, min and max of each, the first build's
time per run, the peak memory, and the machine's load average before and after.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path


def pss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Sampler(threading.Thread):
    """The peak PSS of one process, sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0.0, True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, pss_mb(self.pid))
            time.sleep(0.05)


class Lines(threading.Thread):
    """The times at which serve reported a finished rebuild on stderr."""

    def __init__(self, stream) -> None:  # type: ignore[no-untyped-def]
        super().__init__(daemon=True)
        self.stream, self.done = stream, []

    def run(self) -> None:
        for line in self.stream:
            if " written in " in line:
                self.done.append(time.perf_counter())

    def after(self, started: float, timeout: float = 30) -> float:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            later = [t for t in self.done if t > started]
            if later:
                return later[0] - started
            time.sleep(0.001)
        raise SystemExit("serve never reported the rebuild")


def start(repo: Path, output: Path) -> tuple[subprocess.Popen, str, float, Lines]:
    shutil.rmtree(output, ignore_errors=True)
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "promisesite", "serve", "--port", "0", "--today", "2026-11-21", "--output", str(output)],
        cwd=repo,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:
        found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        if found:
            first_build = time.perf_counter() - started
            lines = Lines(process.stderr)  # also keeps the pipe drained
            lines.start()
            return process, found.group(1), first_build, lines
    raise SystemExit("serve did not start")


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def wait_for(url: str, marker: str, started: float) -> float:
    deadline = started + 30
    while marker not in fetch(url):
        if time.perf_counter() > deadline:
            raise SystemExit(f"{marker!r} never reached {url}")
        time.sleep(0.001)
    return time.perf_counter() - started


def one_run(repo: Path, output: Path, edits: int, offset: int) -> tuple[list[float], list[float], float, float]:
    process, base, first_build, lines = start(repo, output)
    sampler = Sampler(process.pid)  # from serving on: the memory serve holds while people edit
    sampler.start()
    try:
        files = sorted((repo / "promises").rglob("*.md"))
        step = max(1, len(files) // (edits * 4))
        pages, sites = [], []
        for n, path in enumerate(files[offset::step][:edits]):
            text = path.read_text()
            title_line = re.search(r"^title: .*$", text, re.MULTILINE)
            assert title_line is not None
            marker = f"edited{offset}x{n}x{time.time_ns()}"
            url = base + "promises/" + path.stem + "/"
            fetch(url)
            started = time.perf_counter()
            path.write_text(text.replace(title_line.group(), f"{title_line.group()} {marker}", 1))
            pages.append(wait_for(url, marker, started))
            sites.append(lines.after(started))
            if marker not in fetch(base + "promises.json"):
                raise SystemExit("serve reported the rebuild done, but promises.json does not show the edit")
            path.write_text(text)  # put it back; the next edit waits for this rebuild too
            time.sleep(1.5)
        return pages, sites, first_build, sampler.peak
    finally:
        sampler.running = False
        process.terminate()
        process.wait(timeout=30)


def spread(values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[max(0, int(len(ordered) * 0.9 + 0.5) - 1)]
    return (
        f"median {statistics.median(ordered) * 1000:.0f} ms, p90 {p90 * 1000:.0f} ms, "
        f"min {ordered[0] * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("repo", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--edits", type=int, default=10, help="edits per run")
    parser.add_argument("--output", type=Path, default=Path("/dev/shm/serve-bench"))
    args = parser.parse_args()
    load_before = os.getloadavg()
    pages, sites, builds, peaks = [], [], [], []
    for run in range(args.runs):
        page, site, first_build, peak = one_run(args.repo.resolve(), args.output, args.edits, run)
        pages += page
        sites += site
        builds.append(first_build)
        peaks.append(peak)
    count = len(list((args.repo / "promises").rglob("*.md")))
    print(f"{count} promises, {args.runs} runs, {len(pages)} edits; {os.cpu_count()} cores")
    print(f"  edit to its page:        {spread(pages)}")
    print(f"  edit to the whole site:  {spread(sites)}")
    print("  first build (start to serving): " + ", ".join(f"{b:.1f} s" for b in builds))
    print(
        f"  peak memory (PSS) of serve while editing: {max(peaks):.0f} MB "
        f"(per run: {', '.join(f'{p:.0f}' for p in peaks)})"
    )
    print(f"  load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
