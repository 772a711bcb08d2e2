"""The checking pipeline: files → documents → promises → findings, with waivers and levels applied.

It runs the rule catalogue: the reader reports READING rules, then every FILE rule judges each
promise (in forked workers when there are many), then the TREE, HISTORY and BASE rules judge all
promises together. `build` and `serve` run the same pipeline before they render, so the site and
CI always agree.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .config import Config, levels_in
from .errors import UserError
from .findings import Finding, Level, bounded
from .model import History, Promise
from .parallel import available_cores, can_fork, fork_pool, frozen_heap
from .read.document import Document, read_document
from .read.files import Sources, walk
from .read.git import GitError
from .read.history import Base, read_base, read_history
from .read.promise import build_promise
from .rules import BY_CODE, KEPT_KEYS, KEPT_PREFIXES, KEPT_SUFFIXES, RECORD_CODES, of_scope
from .rules.reading import OUTSIDE_SOURCE
from .rules.rule import Context, Scope
from .rules.words import compiled

FILE_RULES = of_scope(Scope.FILE)
TOGETHER_RULES = (*of_scope(Scope.TREE), *of_scope(Scope.HISTORY), *of_scope(Scope.BASE))


class UsageError(UserError):
    """A path on the command line that does not exist, or a base revision git does not know."""


@dataclass
class CheckResult:
    promises: list[Promise]  # every readable promise of the source folder (and named files)
    findings: list[Finding]  # after waivers and levels; only for the reported files
    files: list[str]  # the reported files
    waived: dict[str, list[Finding]] = field(default_factory=dict)  # path → findings a waiver silenced
    base: Base | None = None  # with `--base`: the changed files as they were there

    @property
    def errors(self) -> int:
        return sum(f.is_error for f in self.findings)

    def exit_code(self, strict: bool = False) -> int:
        if self.errors or (strict and self.findings):
            return 1
        return 0


def context_of(
    config: Config,
    today: dt.date,
    history: History | None = None,
    base: dict[str, Promise] | None = None,
    revision: str = "",
) -> Context:
    """What the rules may know for this config and day."""
    return Context(
        config.registry,
        today,
        compiled(config.vague_words),
        history=history or History(),
        base=base or {},
        revision=revision,
    )


def history_of(config: Config, files: Iterable[str] | None = None) -> History:
    """What git recorded of the source folder's promise files (read once per build)."""
    names = config.sources().files if files is None else files
    return read_history(config.source, config.root, names, config.max_file_size, config.record_since)


def check_document(doc: Document, context: Context) -> tuple[Promise | None, list[Finding]]:
    """The reading rules and every FILE rule, for one document."""
    if not doc.readable:
        return None, list(doc.findings)
    promise, findings = build_promise(doc, context.registry, context.today)
    for rule in FILE_RULES:
        assert rule.check is not None
        findings.extend(rule.at(promise.path, position, message) for position, message in rule.check(promise, context))
    return promise, bounded(findings)


def check_together(promises: Sequence[Promise], context: Context) -> list[Finding]:
    """The rules that look at every promise at once: the tree, the git history, the base revision."""
    found: list[Finding] = []
    for rule in TOGETHER_RULES:
        assert rule.check is not None
        found.extend(rule.at(*reported) for reported in rule.check(promises, context))
    return found


PARALLEL_MIN = 1000  # files; below this, forking costs more than it saves
SHARES_PER_WORKER = 8


def check_files(
    files: dict[str, Path], config: Config, context: Context, keep_bodies: bool = True
) -> tuple[list[Promise], list[Finding]]:
    """Read and check every file on its own, in path order; in forked workers when there are many."""
    global _JOB
    names = sorted(files)
    processes = available_cores()
    if processes > 1 and len(names) >= PARALLEL_MIN and can_fork():
        _JOB = (files, names, config, context, keep_bodies)
        # Many small shares, so that this process unpickles finished ones while the workers go on.
        count = processes * SHARES_PER_WORKER
        results: list[tuple[Promise | None, list[Finding]]] = [(None, [])] * len(names)
        try:
            with frozen_heap(), fork_pool(processes) as pool:
                for index, share in pool.imap_unordered(_check_share, [(index, count) for index in range(count)]):
                    results[index::count] = share
        finally:
            _JOB = None
    else:
        results = [_check_one(files[rel], rel, config, context, keep_bodies) for rel in names]
    promises = [promise for promise, _ in results if promise is not None]
    return promises, [finding for _, found in results for finding in found]


_JOB: tuple | None = None  # what forked workers inherit


def _check_share(share: tuple[int, int]) -> tuple[int, list[tuple[Promise | None, list[Finding]]]]:
    assert _JOB is not None
    files, names, config, context, keep_bodies = _JOB
    index, count = share
    return index, [_check_one(files[rel], rel, config, context, keep_bodies) for rel in names[index::count]]


def _check_one(
    path: Path, rel: str, config: Config, context: Context, keep_bodies: bool
) -> tuple[Promise | None, list[Finding]]:
    """One file's rules; the promise keeps only what the other rules and the pages need."""
    promise, found = check_document(read_document(path, rel, config.repository, config.max_file_size), context)
    if promise is not None:
        positions = {
            key: value
            for key, value in promise.positions.items()
            if key in KEPT_KEYS or key.endswith(KEPT_SUFFIXES) or key.startswith(KEPT_PREFIXES)
        }
        promise = replace(promise, positions=positions, body=promise.body if keep_bodies else "")
    return promise, found


def run_check(
    config: Config,
    today: dt.date,
    paths: Sequence[Path] = (),
    strict: bool = False,
    keep_bodies: bool = True,
    base: str | None = None,
    history: History | None = None,
) -> CheckResult:
    """Check the source folder; with `paths`, report only on those files (cross-file rules still see all).

    With `base`, each changed file is also compared with its version at that git revision (the BASE
    rules); with a `history`, commit authors are checked (the HISTORY rules).
    """
    sources = config.sources()
    files, problems = dict(sources.files), dict(sources.problems)
    outside: list[str] = []
    if paths:
        reported = _named(paths, config, files, problems, outside)
    elif not config.source.is_dir():
        raise UsageError(
            f"the source folder {config.relative(config.source)}/ does not exist: create it, "
            "run `promisesite init`, or set `source:` in promisesite.yaml"
        )
    else:
        reported = [*files, *problems, *sources.configs]
    context = context_of(config, today, history)
    promises, findings = check_files(files, config, context, keep_bodies=keep_bodies)
    findings.extend(Sources(problems=problems, configs=sources.configs).findings())
    source = config.relative(config.source).rstrip("/")
    findings.extend(
        OUTSIDE_SOURCE.at(
            rel,
            (1, 1),
            f"this file is outside the source folder {source}/, so it is checked but never published: "
            f"move it into {source}/ (e.g. `git mv {rel} {source}/`) or set `source:` in promisesite.yaml",
        )
        for rel in outside
    )
    if base is not None:
        # Every file read now counts, broken or not: a promise broken mid-edit is not a deleted one.
        now = {Path(rel).stem: rel for rel in reversed(sorted(files))} | {p.id: p.path for p in promises}
        was = _base(config, today, base, now)
        context.base, context.deleted, context.revision = was.changed, was.deleted, base
        context.base_date = was.date
        if not paths:
            reported.extend(was.deleted)  # a deleted file is reported on the path it had
    findings.extend(check_together(promises, context))
    findings = said_once(findings)
    levels = _record_levels(config.rule_levels, levels_in(was.config)) if base is not None else None
    result = settle(promises, findings, sorted(set(reported)), config, strict, levels)
    if base is not None:
        result.base = was
    return result


def _named(
    paths: Sequence[Path], config: Config, files: dict[str, Path], problems: dict[str, str], outside: list[str]
) -> list[str]:
    """Add the named files and folders to what is read; return the paths to report on, and add to
    `outside` those of the files that lie outside the source folder."""
    reported = []
    for path in paths:
        if not os.path.lexists(path):
            raise UsageError(f"{path}: no such file or folder: name promise files or folders to check")
        found: list[Path] = []
        if path.is_dir() and path.is_symlink():
            rel = config.relative(path)
            problems[rel] = (
                f"folder is a symbolic link (to {os.readlink(path)}), which promisesite does "
                "not follow: name the folder it leads to, or move the files into the source folder"
            )
            reported.append(rel)
        elif path.is_dir():
            named = walk(path, config.relative(path).rstrip("/") + "/")
            problems.update(named.problems)
            reported.extend(named.problems)
            found = list(named.files.values())
        elif path.suffix == ".md":
            found = [path]
        source = Path(os.path.abspath(config.source))
        for file in found:
            rel = config.relative(file)
            files.setdefault(rel, file)
            reported.append(rel)
            if source not in Path(os.path.abspath(file)).parents:
                outside.append(rel)
    return reported


def _base(config: Config, today: dt.date, revision: str, now: dict[str, str]) -> Base:
    try:
        name = config.file.name if config.file is not None else "promisesite.yaml"
        return read_base(config.source, config.root, revision, config.registry, today, config.max_file_size, now, name)
    except GitError as error:
        raise UsageError(
            f"--base {revision}: {error}: name a branch, tag or commit that git knows here; in CI, "
            "fetch it first (e.g. `git fetch origin main`, or `fetch-depth: 0`)"
        ) from None


def touched_paths(result: CheckResult) -> frozenset[str]:
    """The promise files a change touched (with `--base`): changed, added, moved or deleted."""
    base = result.base
    if base is None:
        return frozenset()
    return frozenset({*base.changed, *base.added, *base.deleted, *base.moved})


def said_once(findings: list[Finding]) -> list[Finding]:
    """One finding for one mistake: a `due` moved without an entry (P403) is not also reported as
    disagreeing with the last entry (P401) on the same line."""
    silent = {(f.path, f.line) for f in findings if f.code == "P403"}
    if not silent:
        return findings
    return [f for f in findings if not (f.code == "P401" and (f.path, f.line) in silent)]


def authorship_history(config: Config) -> History | None:
    """The git history P304 and P305 need, when the registry has emails to match authors with."""
    return history_of(config) if config.registry.has_emails else None


def _record_levels(now: Mapping[str, str], was: Mapping[str, str]) -> dict[str, str]:
    """The levels for a change: a record rule's never weaker than the base revision's config set it, so
    that a change cannot switch off the rules that judge it (its new levels hold once it is merged)."""
    order = {Level.OFF.value: 0, Level.WARNING.value: 1, Level.ERROR.value: 2}
    levels = dict(now)
    for code in RECORD_CODES & set(now):
        before = was.get(code, BY_CODE[code].level)
        if order[now[code]] < order[before]:
            if code in was:
                levels[code] = was[code]
            else:
                del levels[code]  # the base left it at its default: each finding's own level
    return levels


def settle(
    promises: list[Promise],
    findings: Iterable[Finding],
    reported: list[str],
    config: Config,
    strict: bool,
    levels: Mapping[str, str] | None = None,
) -> CheckResult:
    """Apply waivers and levels (the config's, unless `levels` says), and keep the reported files'
    findings, sorted."""
    levels = config.rule_levels if levels is None else levels
    waivers = {p.path: {w.rule for w in p.waivers} - RECORD_CODES for p in promises}
    wanted = set(reported)
    kept: list[Finding] = []
    waived: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.path not in wanted:
            continue
        if finding.code in waivers.get(finding.path, ()):
            waived.setdefault(finding.path, []).append(finding)
            continue
        level = BY_CODE[finding.code].level_in(levels.get(finding.code), strict, finding.level)
        if level != Level.OFF.value:
            kept.append(replace(finding, level=level) if level != finding.level else finding)
    kept.sort(key=astuple_of)  # the dataclass order, without its per-comparison tuples
    return CheckResult(promises, bounded(kept), reported, waived)


def astuple_of(finding: Finding) -> tuple[str, int, int, str, str, str, str]:
    return (finding.path, finding.line, finding.column, finding.code, finding.name, finding.level, finding.message)
