"""The site kept in memory while serving: apply an edit, re-render only the pages it affects.

Each file keeps its last good version (read without a per-file error). A file that breaks
mid-edit shows its findings, while the site keeps its last good version; the next good save
recovers. A change to the config or a template rebuilds everything. After any series of
edits the output folder equals a clean `promisesite build` of the same files.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from ..check import UsageError, check_document, check_together, context_of, history_of, settle
from ..clock import resolve_today
from ..config import Config, load_config
from ..errors import UserError
from ..findings import Finding
from ..ledger import Ledger
from ..model import History, Promise
from ..parallel import available_cores
from ..read.document import read_document
from ..rules import CROSS_FILE_CODES
from ..rules.rule import Context
from ..site.pages import Site
from ..site.writer import check_output, write_file, write_plan
from .gate import ReadWriteLock

MAX_SUPERSEDED = 3  # a rebuild gives way to a newer save at most this many times in a row
# Pages that summarise everything; always re-rendered (cheap: rows and records are memoized).
SINGLETONS = (
    "index.html",
    "teams/index.html",
    "customers/index.html",
    "people/index.html",
    "promises.json",
    "search-index.js",
    "calendar.ics",
)


@dataclass
class FileState:
    findings: list[Finding]  # the per-file findings of the file as it is now
    current: Promise | None  # as it is now (None when unreadable)
    good: Promise | None  # the last version without a per-file error: the one the site shows
    digest: str = ""  # SHA-256 of the bytes this state was read from


@dataclass
class Report:
    """What one rebuild did, for the terminal and the browsers."""

    reason: str
    written: list[str] = field(default_factory=list)  # output paths written or removed
    seconds: float = 0.0
    findings: list[Finding] = field(default_factory=list)
    error: str = ""  # a configuration or template error that stopped the rebuild
    full: bool = False
    phases: dict[str, float] = field(default_factory=dict)  # seconds spent reading, checking, rendering, writing
    changed: list[str] = field(default_factory=list)  # the promise files that changed (added, edited, removed)
    superseded: bool = False  # gave way to a newer save before writing anything; the next rebuild does it

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]


class LiveSite:
    def __init__(
        self,
        config_file: Path | None,
        today: str | None,
        output: Path,
        overrides: Mapping[str, Path | None] | None = None,
        check_output: bool = False,
    ):
        self.config_file, self.today_option, self.output = config_file, today, output
        self.check_output = check_output  # a folder the user named: refused as `build` refuses it
        self.overrides = overrides or {}
        self.lock = ReadWriteLock()
        self.history = History()  # what git knows; read on each full rebuild
        self.files: dict[str, FileState] = {}
        self.rendered: dict[str, str] = {}  # output path → hash of the bytes served (not the bytes: memory)
        self.generation = 0
        self.last = Report("start")
        self.config: Config | None = None
        self.today: dt.date | None = None
        self.context: Context | None = None  # what the rules know: registry, today, lexicon, history
        self.ledger: Ledger | None = None
        self.site: Site | None = None
        self._first_read: tuple[str, int, FileState] | None = None
        self.problems: list[Finding] = []  # folders and names of the source folder that cannot be read
        self._last_config: Config | None = None  # what to watch while a broken config is being fixed
        self._carried: set[Path] = set()  # the paths of rebuilds that gave way to a newer save
        self._carried_rescan = False
        self._superseded = 0  # rebuilds in a row that gave way

    # --- what the watcher calls -------------------------------------------------------------

    def watched(self) -> list[tuple[Path, bool]]:
        """Folders to watch, and whether recursively: the source, the templates, the config's folder (which
        sees the other two made again), as the config names them now; those that exist."""
        config = self.config or self._last_config
        if config is None:
            return []
        self._last_config = config
        folders = [
            (config.source, True),
            (config.templates, True),
            ((config.file or config.root / "promisesite.yaml").parent, False),
        ]
        return [(path, recursive) for path, recursive in folders if path.is_dir()]

    def needs_full_rebuild(self, paths: Iterable[Path]) -> bool:
        config = self.config
        if config is None:
            return True
        config_file = (config.file or config.root / "promisesite.yaml").resolve()
        templates = config.templates.resolve()
        for path in paths:
            resolved = path.resolve()
            if resolved == config_file or resolved == templates or templates in resolved.parents:
                return True
        return False

    def rebuild(
        self,
        paths: Iterable[Path] = (),
        rescan: bool = False,
        early: Callable[[Report], None] | None = None,
        newer: Callable[[], bool] | None = None,
    ) -> Report:
        """Apply changed paths (or everything); never raises for a problem in the input.

        With `early`, a save of one promise first updates that promise's own page and calls
        `early` (so the browser showing it reloads at once), then works out the rest. With `newer`
        (whether another save is waiting), the rest gives way to that save before it writes
        anything: the report says `superseded`, and the next rebuild takes its paths along.
        """
        report = self._rebuild(set(paths), rescan, early, newer)
        if report.reason == "moved":
            # A file or folder went away while it was read (a delete-and-rename save): read the
            # folder again now, rather than wait for an event that may never come.
            report = self._rebuild(set(paths), True, None, None)
        return report

    def _rebuild(
        self, paths: set[Path], rescan: bool, early: Callable[[Report], None] | None, newer: Callable[[], bool] | None
    ) -> Report:
        started = time.perf_counter()
        try:
            if self.site is None or self.needs_full_rebuild(paths | self._carried) or self._day_changed():
                with self._writing():
                    report = self._full()
            else:
                # A save never waits for the whole site of the one before it, but neither does a
                # stream of saves put the whole site off for ever.
                yields = newer if newer is not None and self._superseded < MAX_SUPERSEDED else None
                self.lock.acquire_write()
                holding = True
                try:
                    first = self._first_page(paths) if early is not None and not rescan else None
                    if first is not None and early is not None:
                        self.generation += 1
                        first.seconds = time.perf_counter() - started
                        # The page is whole, and an edit's rebuild never rewrites the assets it
                        # links: browsers may have them now. The pages that list it wait for the
                        # rest, so that a reader who saw the page never sees a list older than it.
                        self.lock.admit([*first.written, *(p for p in self.rendered if p.startswith("assets/"))])
                        early(first)
                    else:
                        self.lock.release_write()  # nothing shown yet: requests wait only while files are written
                        holding = False
                    report = self._apply(paths | self._carried, rescan or self._carried_rescan, yields, holding)
                finally:
                    if holding:
                        self.lock.release_write()
            self._carried, self._carried_rescan, self._superseded = set(), False, 0
        except Superseded:
            self._carried |= paths
            self._carried_rescan = self._carried_rescan or rescan
            self._superseded += 1
            return Report("superseded", findings=self.last.findings, superseded=True)
        except UserError as error:
            report = Report("configuration", error=str(error), findings=self.last.findings)
        except OSError as error:
            if _inside(error.filename, self.output):
                message = f"cannot write into {self.output}/ ({error.strerror or error})"
            else:
                message = f"{error.filename or 'a file'} changed while it was read ({error.strerror or error})"
            report = Report(
                "output" if _inside(error.filename, self.output) else "moved",
                error=f"{message}: the pages served are those of the last good rebuild",
                findings=self.last.findings,
            )
        report.seconds = time.perf_counter() - started
        if report.written or report.full:
            self.generation += 1
        self.last = report
        return report

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Requests wait while files are written (not while pages are worked out): none sees a
        site half old, half new."""
        self.lock.acquire_write()
        try:
            yield
        finally:
            self.lock.release_write()

    def status(self) -> dict:
        """What the open pages are told: the generation, and the last rebuild's error and findings."""
        last = self.last
        return {
            "generation": self.generation,
            "error": last.error,
            "errors": [asdict(f) for f in last.errors],
            "warnings": sum(1 for f in last.findings if not f.is_error),
        }

    def inputs(self) -> dict[str, str]:
        """Each promise file of the site as served now, with the SHA-256 of the bytes it was built
        from: a client that knows what it wrote can tell when serve has built it."""
        return {rel: state.digest for rel, state in sorted(self.files.items())}

    # --- full and incremental rebuilds ----------------------------------------------------------

    def _load_config(self) -> Config:
        config = load_config(self.config_file)
        changes: dict[str, Any] = {key: value for key, value in self.overrides.items() if value is not None}
        if not changes:
            return config
        config = replace(config, **changes)
        config.check_paths(named=tuple(changes))
        return config

    def _day_changed(self) -> bool:
        return resolve_today(self.today_option) != self.today

    def prepare(self) -> Config:
        """The config as it is now, with the output refusals of `build` applied; raises UserError."""
        config = self._load_config()
        if self.check_output:
            check_output(self.output, config)
        return config

    def _full(self) -> Report:
        config = self.prepare()
        if not config.source.is_dir():
            raise UsageError(
                f"the source folder {config.relative(config.source)}/ does not exist: create it, "
                "or set `source:` in promisesite.yaml"
            )
        phases = Phases()
        today = resolve_today(self.today_option)
        sources = config.sources()
        self.history = history_of(config, sources.files)  # read again on the next full rebuild, not on every edit
        context = context_of(config, today, self.history)
        states = {}
        for rel, path in sources.files.items():
            states[rel] = self._read(rel, path, config, context, self.files.get(rel))
        self.problems = sources.findings()
        phases("read")
        ledger, findings = self._ledger(states, config, context)
        phases("check")
        site = Site(ledger, config)  # a new theme: templates may have changed
        plan = site.plan()
        if self.site is None:
            # The first build, before the server and the watcher start: no other thread yet, so
            # it renders in forked workers as `build` does, and keeps the bodies they rendered.
            memo = site.memo
            rendered, drained = write_plan(
                self.output,
                plan,
                workers=available_cores(),
                collect=lambda: (memo.drain()[0], memo.export()),
                batches=site.batches(plan),
            )
            promises = {(p.path, p.id): p for p in ledger.promises}
            for bodies, pieces in drained:
                memo.keep(bodies)
                memo.adopt(pieces, promises)
            if ledger.promises:
                # The workers compiled the theme for themselves: compile it here now, not on the first save.
                site.promise_page(ledger.promises[0])
            written = sorted(rendered)
            phases("render and write")
        else:
            files = {path: render() for path, render in plan.items()}  # may raise: nothing changed yet
            rendered = {path: _digest(data) for path, data in files.items()}
            phases("render")
            written = self._sync(
                {p: b for p, b in files.items() if self.rendered.get(p) != rendered[p]},
                [p for p in self.rendered if p not in rendered],
            )
            del files
            phases("write")
        self.config, self.today, self.context, self.files = config, today, context, states
        self.ledger, self.site, self.rendered = ledger, site, rendered
        # The site lives for the whole session: keep the collector from re-scanning it on every edit.
        gc.collect()
        gc.freeze()
        return Report("everything", written=written, findings=findings, full=True, phases=phases.seconds)

    def _first_page(self, paths: set[Path]) -> Report | None:
        """The one edited promise's page, rendered against the last ledger with it replaced."""
        config, ledger, site = self.config, self.ledger, self.site
        assert config is not None and ledger is not None and site is not None and self.today is not None
        # An editor's save may touch other files too (sed -i and others write a temporary file
        # and rename it over the promise): what counts is that one promise file is there now.
        files = [path for path in paths if path.name.endswith(".md") and path.is_file()]
        if len(files) != 1:
            return None
        path = files[0]
        rel = config.relative(path)
        before = self.files.get(rel)
        if before is None or before.good is None:
            return None
        try:
            modified = path.stat().st_mtime_ns  # before reading: a save in between must not look read
        except OSError:
            return None  # gone again (a delete-and-rename save in progress): the whole rebuild sees it
        assert self.context is not None
        state = self._read(rel, path, config, self.context, before)
        self._first_read = (rel, modified, state)
        promise = state.good
        if promise is None or promise is before.good or promise.id != before.good.id:
            return None  # broken (its findings come with the full rebuild), unchanged, or renamed
        own = settle([promise], state.findings, [rel], config, strict=False)
        cross = [f for f in ledger.findings.get(rel, []) if f.code in CROSS_FILE_CODES]
        findings = sorted(own.findings + cross)
        page = site.with_ledger(ledger.with_promise(promise, findings)).promise_page(promise)
        output = site.promise_path(promise.id)
        digest = _digest(page)
        if self.rendered.get(output) == digest:
            return None
        self.rendered[output] = digest
        return Report(rel, written=self._sync({output: page}, []), findings=self.last.findings)

    def _apply(self, paths: set[Path], rescan: bool, newer: Callable[[], bool] | None, holding: bool) -> Report:
        """Read the changed files, judge them with the rest, and render and write the pages that may
        have changed; `holding`: the caller holds the gate already."""
        config, context = self.config, self.context
        assert config is not None and context is not None and self.ledger is not None and self.site is not None
        if not config.source.is_dir():
            raise UsageError(
                f"the source folder {config.relative(config.source)}/ is gone: put it back, or set `source:` in "
                "promisesite.yaml"
            )
        source = config.source.resolve()
        touched: dict[str, Path | None] = {}
        if rescan:
            sources = config.sources()
            now = sources.files
            self.problems = sources.findings()
            touched.update({rel: path for rel, path in now.items()})
            touched.update({rel: None for rel in self.files if rel not in now})
        for path in paths:
            resolved = path.resolve() if path.exists() else path.absolute()
            if source not in resolved.parents or not resolved.name.endswith(".md"):
                continue
            if any(part.startswith(".") for part in resolved.relative_to(source).parts):
                continue
            touched[config.relative(path)] = path if path.is_file() else None
        phases = Phases()
        before_files = self.files
        states = dict(self.files)
        for rel, file in touched.items():
            if file is None:
                states.pop(rel, None)
            else:
                states[rel] = self._read(rel, file, config, context, self.files.get(rel))
        phases("read")
        _give_way(newer)
        before = self.ledger
        ledger, findings = self._ledger(states, config, context)
        phases("check")
        _give_way(newer)
        site = self.site.with_ledger(ledger)
        notes_only = _notes_only(before, ledger)
        if notes_only is not None:
            # Only Markdown bodies changed, and a body is shown on its promise's page alone.
            site.members = self.site.members
            plan: dict[str, Callable[[], bytes]] = {
                site.promise_path(p.id): functools.partial(site.promise_page, p) for p in notes_only
            }
            affected = set(plan)
        else:
            plan = site.plan()
            affected = self._affected(before, ledger, self.site, site, set(plan) != set(self.rendered))
        rendered = dict(self.rendered)
        changes: dict[str, bytes] = {}
        for output in plan:
            if output in affected or output not in rendered:
                _give_way(newer)
                data = plan[output]()
                digest = _digest(data)
                if rendered.get(output) != digest:
                    changes[output] = data
                    rendered[output] = digest
        removed = [] if notes_only is not None else [output for output in rendered if output not in plan]
        for output in removed:
            del rendered[output]
        phases("render")
        with nullcontext() if holding else self._writing():
            written = self._sync(changes, removed)
            self.files, self.ledger, self.site, self.rendered = states, ledger, site, rendered
        phases("write")
        changed = sorted(rel for rel in touched if _digest_of(before_files.get(rel)) != _digest_of(states.get(rel)))
        return Report(_named(changed), written=written, findings=findings, phases=phases.seconds, changed=changed)

    def _read(self, rel: str, path: Path, config: Config, context: Context, old: FileState | None) -> FileState:
        first = self._first_read
        if first is not None and first[0] == rel:
            self._first_read = None
            try:
                if path.stat().st_mtime_ns == first[1]:
                    return first[2]  # read a moment ago by _first_page, and not changed since
            except OSError:
                pass
        document = read_document(path, rel, config.repository, config.max_file_size)
        promise, findings = check_document(document, context)
        broken = promise is None or any(f.is_error for f in findings)
        good = old.good if broken and old is not None else (None if broken else promise)
        return FileState(findings, promise, good, document.digest)

    def _ledger(self, states: dict[str, FileState], config: Config, context: Context) -> tuple[Ledger, list[Finding]]:
        shown = [state.good for state in states.values() if state.good is not None]
        per_file = [f for state in states.values() for f in state.findings] + self.problems
        cross = check_together(shown, context)
        result = settle(
            shown, per_file + cross, sorted([*states, *(f.path for f in self.problems)]), config, strict=False
        )
        ledger = Ledger(
            shown, config, context.today, result.findings, result.waived, self.history, previous=self.ledger
        )
        return ledger, result.findings

    # --- which pages an edit affects --------------------------------------------------------------

    def _affected(
        self, before: Ledger, after: Ledger, site_before: Site, site_after: Site, pages_changed: bool
    ) -> set[str]:
        """The output paths whose content may depend on what changed between two ledgers."""
        # A file that did not change keeps its Promise object, so identity tells what changed.
        changed_ids = {
            pid
            for pid in set(before.by_id) | set(after.by_id)
            if before.by_id.get(pid) is not after.by_id.get(pid)
            or before.findings.get(_path(before, pid)) != after.findings.get(_path(after, pid))
        }
        affected = set(SINGLETONS)
        if pages_changed:
            affected.add("sitemap.xml")
        for pid in changed_ids:  # a promise page shows its parent, children and ancestors too
            for ledger in (before, after):
                promise = ledger.by_id.get(pid)
                if promise is None:
                    continue
                related = [promise, ledger.by_id.get(promise.serves), *ledger.children.get(pid, [])]
                related += [p for _, p in ledger.subtree(promise)[1:]]  # their breadcrumbs show this title
                affected.update(site_after.promise_path(p.id) for p in related if p is not None)
        for path, members in site_after.members.items():  # lists: their members, or one of them, changed
            if site_before.members.get(path) != members or not changed_ids.isdisjoint(members):
                affected.add(path)
        return affected

    # --- the output folder ------------------------------------------------------------------------

    def _sync(self, changes: dict[str, bytes], removed: list[str]) -> list[str]:
        """Write changed files (each atomically) and remove pages that no longer exist."""
        root = self.output
        for relative, data in sorted(changes.items()):
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            write_file(path, data)
        for relative in sorted(removed):
            path = root / relative
            path.unlink(missing_ok=True)
            for parent in path.parents:
                if parent == root or any(parent.iterdir()):
                    break
                parent.rmdir()
        return sorted(changes) + sorted(removed)


class Superseded(Exception):
    """A newer save is waiting: what this rebuild worked out is dropped, nothing was written."""


def _give_way(newer: Callable[[], bool] | None) -> None:
    if newer is not None and newer():
        raise Superseded


class Phases:
    """How long each phase of a rebuild took, in seconds, in order."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def __call__(self, phase: str) -> None:
        now = time.perf_counter()
        self.seconds[phase] = now - self._last
        self._last = now


def _notes_only(before: Ledger, after: Ledger) -> list[Promise] | None:
    """The promises whose Markdown body alone changed between two ledgers (their fields, findings and
    waivers as they were), when nothing else changed; None otherwise."""
    # Findings change without a promise changing too: a file broken mid-edit keeps its last good one.
    if before.by_id.keys() != after.by_id.keys() or before.findings != after.findings or before.waived != after.waived:
        return None
    changed = []
    for pid, promise in after.by_id.items():
        old = before.by_id[pid]
        if old is promise:
            continue
        if old.path != promise.path or replace(old, body="", body_line=0) != replace(promise, body="", body_line=0):
            return None
        changed.append(promise)
    return changed


def _digest_of(state: FileState | None) -> str | None:
    return None if state is None else state.digest


def _named(changed: list[str]) -> str:
    """`a.md`, `a.md, b.md`, or `a.md, b.md and 40 other files`: what changed, in one short line."""
    if len(changed) <= 3:
        return ", ".join(changed) or "nothing"
    return f"{', '.join(changed[:2])} and {len(changed) - 2} other files"


def _digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def _inside(name: object, folder: Path) -> bool:
    """Whether an OSError's file name lies in `folder` (or names none: writing is all that is left)."""
    if not isinstance(name, (str, bytes, os.PathLike)):
        return True
    path = Path(os.fsdecode(name)).absolute()
    return path == folder.absolute() or folder.absolute() in path.parents


def _path(ledger: Ledger, promise_id: str) -> str:
    promise = ledger.by_id.get(promise_id)
    return promise.path if promise else ""
