"""The build pipeline: check → ledger → pages → atomic write. `serve` reuses its parts.

A build where nothing changed since the last one (same files, config, templates, today and
options) does nothing; otherwise Markdown runs only for bodies the cache has not seen, the
pages render in one worker process per core, and files whose bytes did not change are
carried over from the previous site instead of being written again.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .cache import BuildCache
from .check import CheckResult, history_of, run_check
from .config import Config
from .errors import UserError
from .findings import Finding
from .ledger import Ledger
from .model import History
from .parallel import available_cores
from .read.history import head
from .site.lock import OutputLock
from .site.markdown import engine_version
from .site.pages import Memo, Site
from .site.writer import check_output, write_plan


@dataclass
class BuildResult:
    findings: list[Finding]
    files: int  # promise files checked
    promises: int
    written: bool  # False when errors stopped the build, or when nothing changed
    unchanged: bool = False  # nothing changed since the last build: the site was left as it was
    note: str = ""  # why the pages show no git history, when they show none
    cache_note: str = ""  # why the build cache was not used, when it was not
    pages: int = 0
    outputs: int = 0  # files of the site
    rewritten: int = 0  # files whose bytes changed (the rest were carried over)
    bodies: int = 0  # distinct bodies the pages show
    bodies_rendered: int = 0  # of those, the ones Markdown turned into HTML (the rest came from the cache)
    errors: int = field(init=False)

    def __post_init__(self) -> None:
        self.errors = sum(f.is_error for f in self.findings)

    def exit_code(self, strict: bool = False) -> int:
        return 1 if self.errors or (strict and self.findings) else 0


def ledger_of(result: CheckResult, config: Config, today: dt.date, history: History | None = None) -> Ledger:
    return Ledger(result.promises, config, today, result.findings, result.waived, history)


class _Clock:
    """Phase timings on stderr with --verbose (or PROMISESITE_TIMINGS=1), for profiling a large site."""

    def __init__(self, on: bool = False) -> None:
        self.on = on or bool(os.environ.get("PROMISESITE_TIMINGS"))
        self.last = time.perf_counter()

    def __call__(self, phase: str) -> None:
        if self.on:
            now = time.perf_counter()
            print(f"promisesite: {phase}: {now - self.last:.3f} s", file=sys.stderr)
            self.last = now


def build(
    config: Config,
    today: dt.date,
    output: Path,
    strict: bool = False,
    allow_errors: bool = False,
    use_cache: bool = True,
    processes: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    timings: bool = False,
    say: Callable[[str], None] | None = None,
) -> BuildResult:
    """Validate, and unless errors stop it (or `allow_errors`), render and swap in the new site.
    `progress(done, total)` hears how the rendering goes; `timings` prints each phase's time; `say`
    hears that the build waits for another one writing the same output."""
    check_output(output, config)
    with OutputLock(output, "build", wait=True, say=say):
        try:
            return _build(config, today, output, strict, allow_errors, use_cache, processes, progress, _Clock(timings))
        except OSError as error:
            raise OutputFailed(_failure(error, config.relative(output))) from None


class OutputFailed(UserError):
    """The machine refused to write the site (a full disk, a read-only folder); the old site is intact."""


def _failure(error: OSError, where: str) -> str:
    what = error.strerror or str(error)
    if error.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        advice = "free some disk space and build again"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        advice = f"make the folder that holds {where}/ writable, or choose another with --output"
    elif error.errno in (errno.EBUSY, errno.EXDEV):
        advice = (
            f"{where}/ is a mount point (or on another file system than the folder that holds it), and "
            f"the output folder is replaced whole on every build: build into a folder inside it, e.g. "
            f"--output {where}/site"
        )
    else:
        advice = "fix that, or choose another folder with --output"
    return f"cannot write the site into {where}/ ({what}): the previous site is intact; {advice}"


def _build(
    config: Config,
    today: dt.date,
    output: Path,
    strict: bool,
    allow_errors: bool,
    use_cache: bool,
    processes: int | None,
    progress: Callable[[int, int], None] | None,
    clock: _Clock,
) -> BuildResult:
    cache = BuildCache(config, engine_version(config.markdown_engine)) if use_cache else None
    cache_note = cache.note if cache is not None else ""
    fingerprint = ""
    if cache is not None and cache.usable:
        options = {
            "today": today,
            "base_url": config.base_url,
            "output": output.absolute(),
            "strict": strict,
            "allow_errors": allow_errors,
            "engine": config.markdown_engine,
            "source": config.source,
            "commit": head(config.source),
        }
        fingerprint = cache.fingerprint(config.sources().files, options)
        state = cache.unchanged(fingerprint, output)
        clock("fingerprint")
        if state is not None:
            return BuildResult(
                [Finding(**f) for f in state["findings"]],
                state["files"],
                state["promises"],
                written=False,
                unchanged=True,
                pages=sum(p.endswith(".html") for p in state["site"]),
            )
    history = history_of(config)
    clock("history")
    result = run_check(config, today, strict=strict, keep_bodies=False, history=history)  # pages read bodies
    clock("check")
    if result.exit_code(strict) and not allow_errors:
        return BuildResult(
            result.findings,
            len(result.files),
            len(result.promises),
            written=False,
            note=history.note,
            cache_note=cache_note,
        )
    cached_bodies = cache.bodies() if cache is not None else {}
    site = Site(
        ledger_of(result, config, today, history), config, memo=Memo(cached_bodies, keep_bodies=False), read_bodies=True
    )
    plan = site.plan()
    clock("ledger and plan")
    previous = cache.previous(output) if cache is not None else {}
    hashes, drained = write_plan(
        output,
        plan,
        previous,
        workers=processes or available_cores(),
        collect=site.memo.drain,
        batches=site.batches(plan),
        progress=progress,
    )
    clock("render and write")
    new_bodies: dict[str, str] = {}
    shown: set[str] = set()
    for new, used in drained:
        new_bodies.update(new)
        shown |= used
    if cache is not None:
        # Keep the bodies this site shows; write the file only when that set changed.
        bodies = None
        if new_bodies or shown != cached_bodies.keys():
            bodies = {key: html for key, html in {**cached_bodies, **new_bodies}.items() if key in shown}
        cache.save(fingerprint, output, hashes, bodies, result.findings, len(result.files), len(result.promises))
        clock("cache")
    rewritten = sum(1 for path, digest in hashes.items() if previous.get(path, [""])[0] != digest)
    return BuildResult(
        result.findings,
        len(result.files),
        len(result.promises),
        written=True,
        pages=sum(1 for name in hashes if name.endswith(".html")),
        outputs=len(hashes),
        rewritten=rewritten,
        bodies=len(shown),
        bodies_rendered=len(new_bodies),
        note=history.note,
        cache_note=cache_note,
    )
