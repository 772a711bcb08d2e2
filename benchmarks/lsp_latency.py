#!/usr/bin/env python3
"""How soon `promisesite lsp` answers an edit with diagnostics, on a workspace of N promises.

    python benchmarks/lsp_latency.py [--count 10000] [--edits 30] [--work /dev/shm/promisesite-lsp]

Generates the corpus (benchmarks/generate.py), starts the real server process and talks to it
over stdio as an editor does (pygls's JSON-RPC client). It opens one promise, then changes it
`--edits` times, each change a whole new version of the text (a title, a condition, a status, a
date in turn), waiting for the diagnostics of that version before the next. Printed: the time the
first diagnostics took after opening (the server reads the workspace then), and the median, p90
and max from a change to its diagnostics. The server waits 80 ms for typing to pause (its
debounce), which these figures include.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

EDITS = (
    ("title: ", "title: Edited title under 250 ms "),
    ("  - ", "  - the export has one row per invoice and "),
    ("status: promised", "status: delivered\ndelivered: 2026-11-20"),
    ("due: ", "due: 2027-01-"),
)


async def measure(corpus: Path, edits: int) -> tuple[float, list[float]]:
    client = LanguageClient("bench", "1")
    published: asyncio.Queue = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
        published.put_nowait((time.perf_counter(), params))

    await client.start_io(sys.executable, "-m", "promisesite", "lsp", cwd=str(corpus))
    await client.initialize_async(
        types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=corpus.as_uri())
    )
    client.initialized(types.InitializedParams())
    path = sorted((corpus / "promises").rglob("*.md"))[len(list((corpus / "promises").rglob("*.md"))) // 2]
    uri, text = path.as_uri(), path.read_text()

    async def wait(version: int) -> float:
        while True:
            at, params = await published.get()
            if params.version == version:
                return at

    started = time.perf_counter()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text))
    )
    first = await wait(1) - started
    times = []
    for version in range(2, edits + 2):
        old, new = EDITS[version % len(EDITS)]
        changed = text.replace(old, new, 1) if version % 2 else text
        started = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(version=version, uri=uri),
                [types.TextDocumentContentChangeWholeDocument(text=changed)],
            )
        )
        times.append(await wait(version) - started)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return first, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--work", type=Path, default=Path("/dev/shm/promisesite-lsp"))
    args = parser.parse_args()
    corpus = generate(args.work / f"corpus-{args.count}", args.count)
    (corpus / ".git").mkdir(exist_ok=True)
    first, times = asyncio.run(measure(corpus, args.edits))
    times_ms = sorted(t * 1000 for t in times)
    p90 = times_ms[max(0, int(round(0.9 * len(times_ms))) - 1)]
    print(f"{args.count} promises: first diagnostics after opening {first * 1000:.0f} ms (the workspace is read then)")
    print(
        f"a change to its diagnostics: median {statistics.median(times_ms):.0f} ms, p90 {p90:.0f} ms, "
        f"min {times_ms[0]:.0f}, max {times_ms[-1]:.0f} ({len(times_ms)} changes; 80 ms of it is the debounce)"
    )


if __name__ == "__main__":
    main()
