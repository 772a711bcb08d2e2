#!/usr/bin/env python3
"""The site's search at scale: how big its index is, and how long a reader waits for results.

    python benchmarks/search_latency.py SITE [--runs 5] [--query checkout]

SITE is a built site (e.g. `promisesite build --output /dev/shm/site` on the corpus of
benchmarks/generate.py). Serves it on 127.0.0.1 and, in Debian's headless Chromium, opens the
dashboard in a fresh page each run, types the query into the search box and times from the
first key to the first result shown (the index is fetched and parsed on first use, so this is
what a first search costs); then a second query on the same page (the index already loaded).
Prints the sizes of `search-index.js` and `promises.json` and the median and min-max of each time.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import statistics
import threading
import time
from pathlib import Path


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.0f} ms (min {min(values):.0f}, max {max(values):.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--query", default="checkout")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    for name in ("search-index.js", "promises.json"):
        data = (args.site / name).read_bytes()
        print(f"{name}: {len(data) / 1e6:.2f} MB, {len(gzip.compress(data)) / 1e6:.2f} MB gzipped")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    first, again = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"])
        for _ in range(args.runs):
            page = browser.new_page()
            page.goto(url)
            box = page.get_by_role("searchbox", name="Search promises by title, person, team, status or tag")
            started = time.perf_counter()
            box.fill(args.query)
            page.locator("#search-results li").first.wait_for()
            first.append((time.perf_counter() - started) * 1000)
            box.fill("")
            started = time.perf_counter()
            box.fill(args.query[:-1])
            page.locator("#search-results li").first.wait_for()
            again.append((time.perf_counter() - started) * 1000)
            page.close()
        browser.close()
    server.shutdown()
    count = len(list((args.site / "promises").glob("*/index.html")))
    print(f"{count} promise pages, {args.runs} runs, query {args.query!r}")
    print(f"  first search (fetch and parse the index, then match): {spread(first)}")
    print(f"  a search with the index loaded:                         {spread(again)}")


if __name__ == "__main__":
    main()
