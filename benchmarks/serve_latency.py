#!/usr/bin/env python3
"""Edit-to-page latency of `promisesite serve`: from writing a file to the page serving it.

    python benchmarks/serve_latency.py REPO [--edits 15]

Starts `promisesite serve` in REPO, edits the titles of several promises one after another
(a plain save each, 1.5 s apart), and polls each page over HTTP until the new title is
served. Prints the median and the 90th percentile. All traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def start(repo: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "promisesite", "serve", "--port", "0", "--today", "2026-11-21"],
        cwd=repo,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in process.stderr:
        found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        if found:
            return process, found.group(1)
    raise SystemExit("serve did not start")


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def measure(repo: Path, edits: int) -> list[float]:
    process, base = start(repo)
    try:
        files = sorted((repo / "promises").rglob("*.md"))
        step = max(1, len(files) // edits)
        latencies = []
        for n, path in enumerate(files[::step][:edits]):
            text = path.read_text()
            title = re.search(r"^title: (.*)$", text, re.MULTILINE).group(1)
            marker = f"edited {n} {time.time_ns()}"
            url = base + "promises/" + path.stem + "/"
            fetch(url)
            started = time.perf_counter()
            path.write_text(text.replace(f"title: {title}", f"title: {title} {marker}", 1))
            deadline = started + 20
            while marker not in fetch(url):
                if time.perf_counter() > deadline:
                    raise SystemExit(f"{path} never reached {url}")
                time.sleep(0.001)
            latencies.append(time.perf_counter() - started)
            time.sleep(1.5)  # one save at a time, as a person makes them: the rest of the rebuild finishes
        return latencies
    finally:
        process.terminate()
        process.wait(timeout=15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("repo", type=Path)
    parser.add_argument("--edits", type=int, default=15)
    args = parser.parse_args()
    latencies = sorted(measure(args.repo, args.edits))
    count = len(list((args.repo / "promises").rglob("*.md")))
    p90 = latencies[int(len(latencies) * 0.9) - 1]
    print(
        f"{count} promises, {len(latencies)} edits: median {statistics.median(latencies) * 1000:.0f} ms, "
        f"p90 {p90 * 1000:.0f} ms, min {latencies[0] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
