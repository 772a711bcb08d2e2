#!/usr/bin/env python3
"""`promisesite serve` under edits: from saving a file to the page (and the whole site) serving it.

    python benchmarks/serve_latency.py REPO [--runs 3] [--edits 10] [--kinds title body condition status]
                                            [--output /dev/shm/serve-bench]

Each run starts `promisesite serve` in REPO (output on tmpfs), waits for its first build, then
edits promises one after another, each kind of edit in turn — the title, the Markdown body, a
condition of satisfaction, the status (promised → delivered, with its date) — a plain save each,
1.5 s apart, as a person saves, and polls over HTTP on 127.0.0.1:

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


def edit(text: str, kind: str, marker: str) -> tuple[str, str]:
    """The file with one edit of `kind`, and what its page shows once the edit is served."""
    if kind == "title":
        line = re.search(r"^title: .*$", text, re.MULTILINE)
        assert line is not None
        return text.replace(line.group(), f"{line.group()} {marker}", 1), marker
    if kind == "body":
        return text.rstrip("\n") + f"\n\nA paragraph added to the body: {marker}.\n", marker
    if kind == "condition":
        return text.replace("done_when:\n  - ", f"done_when:\n  - {marker}: ", 1), marker
    status = text.replace("status: promised\n", f"status: delivered\ndelivered: 2026-11-20\n# {marker}\n", 1)
    return status, 'class="badge s-delivered"'


def one_run(
    repo: Path, output: Path, edits: int, offset: int, kinds: list[str]
) -> tuple[dict[str, list[float]], list[float], float, float]:
    process, base, first_build, lines = start(repo, output)
    sampler = Sampler(process.pid)  # from serving on: the memory serve holds while people edit
    sampler.start()
    try:
        files = sorted((repo / "promises").rglob("*.md"))
        promised = [
            path for path in files if "status: promised\n" in path.read_text() and "done_when:" in path.read_text()
        ]
        step = max(1, len(promised) // (edits * 4))
        pages: dict[str, list[float]] = {kind: [] for kind in kinds}
        sites = []
        for n, path in enumerate(promised[offset::step][:edits]):
            kind = kinds[n % len(kinds)]
            text = path.read_text()
            marker = f"edited{offset}x{n}x{time.time_ns()}"
            changed, shown = edit(text, kind, marker)
            url = base + "promises/" + path.stem + "/"
            fetch(url)
            started = time.perf_counter()
            path.write_text(changed)
            pages[kind].append(wait_for(url, shown, started))
            sites.append(lines.after(started))
            path.write_text(text)  # put it back; the next edit waits for this rebuild too
            time.sleep(1.5)
        return pages, sites, first_build, sampler.peak
    finally:
        sampler.running = False
        process.terminate()
        process.wait(timeout=30)


KINDS = ("title", "body", "condition", "status")


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
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    args = parser.parse_args()
    load_before = os.getloadavg()
    pages: dict[str, list[float]] = {kind: [] for kind in args.kinds}
    sites, builds, peaks = [], [], []
    for run in range(args.runs):
        page, site, first_build, peak = one_run(args.repo.resolve(), args.output, args.edits, run, args.kinds)
        for kind, times in page.items():
            pages[kind] += times
        sites += site
        builds.append(first_build)
        peaks.append(peak)
    count = len(list((args.repo / "promises").rglob("*.md")))
    print(f"{count} promises, {args.runs} runs, {len(sites)} edits; {os.cpu_count()} cores")
    for kind, times in pages.items():
        if times:
            print(f"  {kind + ' edit to its page:':<32} {spread(times)}")
    print(f"  edit to the whole site:  {spread(sites)}")
    print("  first build (start to serving): " + ", ".join(f"{b:.1f} s" for b in builds))
    print(
        f"  peak memory (PSS) of serve while editing: {max(peaks):.0f} MB "
        f"(per run: {', '.join(f'{p:.0f}' for p in peaks)})"
    )
    print(f"  load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
