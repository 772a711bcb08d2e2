#!/usr/bin/env python3
"""What rendering templates in the sandbox costs a build: the same cold build with the theme's
sandboxed Jinja environment and with a plain one, interleaved.

    python benchmarks/sandbox.py [--count 10000] [--runs 5] [--work /dev/shm/promisesite-sandbox]

Generates the corpus (benchmarks/generate.py) once, then each round runs `promisesite build
--no-cache` into a fresh output twice, once with the sandbox (as shipped) and once with
`jinja2.Environment` put in its place for this measurement only. Prints each one's median and
min-max, and the sandbox's cost as a share of the plain build.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import TODAY, generate  # noqa: E402

BUILD = (
    "import sys, jinja2, promisesite.site.theme as theme\n"
    "if sys.argv[1] == 'plain':\n"
    "    theme.ThemeSandbox = jinja2.Environment\n"
    "from promisesite.cli import cli\n"
    "cli(['build', '--no-cache', '--today', sys.argv[2], '--output', sys.argv[3]], prog_name='promisesite')\n"
)


def build(kind: str, corpus: Path) -> float:
    output = corpus / f"site-{kind}"
    shutil.rmtree(output, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", BUILD, kind, TODAY.isoformat(), str(output)],
        cwd=corpus,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path("/dev/shm/promisesite-sandbox"))
    args = parser.parse_args()
    corpus = generate(args.work / f"corpus-{args.count}", args.count)
    times: dict[str, list[float]] = {"sandbox": [], "plain": []}
    for _ in range(args.runs):
        for kind in times:
            times[kind].append(build(kind, corpus))
    for kind, found in times.items():
        print(f"{kind:8s} median {statistics.median(found):6.2f} s (min {min(found):.2f}, max {max(found):.2f})")
    plain, sandbox = statistics.median(times["plain"]), statistics.median(times["sandbox"])
    print(f"the sandbox costs {sandbox - plain:+.2f} s, {100 * (sandbox - plain) / plain:+.1f}% of the plain build")


if __name__ == "__main__":
    main()
