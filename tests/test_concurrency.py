"""Two commands at once on one repository: they take turns or one refuses; no reader sees a torn site."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from conftest import ROOT, TODAY
from hostile import ENV, promisesite
from sitetools import tree_hashes

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402

ROUNDS = 2  # one build with the cache beside one without, then the other way round


def start_build(root: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "promisesite", "build", "--today", TODAY, *args],
        cwd=root,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> str:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert "Traceback" not in err and "internal error" not in err, err
    return err


class Reader(threading.Thread):
    """Reads the site over and over while builds run, as a web server would."""

    def __init__(self, site: Path, expected: int):
        super().__init__(daemon=True)
        self.site, self.expected = site, expected
        self.stop = threading.Event()
        self.torn: list[str] = []
        self.reads = 0

    def run(self) -> None:
        while not self.stop.is_set():
            index = self.site / "index.html"
            try:
                text = index.read_text()
            except FileNotFoundError:
                self.torn.append("no index.html")
                continue
            if not text.rstrip().endswith("</html>"):
                self.torn.append("half an index.html")
            self.reads += 1
            time.sleep(0.002)


def test_two_builds_at_once_take_turns_and_never_tear_the_site(tmp_path: Path) -> None:
    root = generate(tmp_path / "corpus", 400)
    first = promisesite(root, "build")
    assert first.returncode == 0, first.stderr
    files = sorted((root / "promises").rglob("*.md"))
    reader = Reader(root / "site", len(tree_hashes(root / "site")))
    reader.start()
    try:
        for round_ in range(ROUNDS):
            victim = files[round_]
            victim.write_text(victim.read_text().replace("title: ", f"title: Round {round_} ", 1))
            both = [start_build(root), start_build(root, *(["--no-cache"] if round_ % 2 else []))]
            for process in both:
                finish(process)
            reference = tmp_path / f"reference-{round_}"
            clean = promisesite(root, "build", "--no-cache", "--output", str(reference))
            assert clean.returncode == 0, clean.stderr
            assert tree_hashes(root / "site") == tree_hashes(reference), f"round {round_}: the site is torn"
            assert not list(root.glob(".site.building-*")) and not list(root.glob(".site.old-*"))
    finally:
        reader.stop.set()
        reader.join()
    assert reader.reads > 50
    assert not reader.torn, reader.torn[:5]


def test_a_build_refuses_an_output_that_serve_is_writing(tmp_path: Path) -> None:
    root = generate(tmp_path / "corpus", 30)
    serve = subprocess.Popen(
        [sys.executable, "-m", "promisesite", "serve", "--port", "0", "--output", "site", "--today", TODAY],
        cwd=root,
        env=ENV,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for line in serve.stderr:
            if "Serving" in line:
                break
        before = tree_hashes(root / "site")
        done = promisesite(root, "build", timeout=120)
        assert done.returncode == 2 and "serve" in done.stderr, done.stderr
        assert tree_hashes(root / "site") == before
    finally:
        serve.terminate()
        serve.wait(timeout=120)
