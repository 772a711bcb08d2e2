"""The checking pipeline: files → documents → promises → findings, with waivers and levels applied.

`build` and `serve` run the same pipeline before they render, so the site and CI always agree.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Sequence

from .errors import UserError
from .config import Config
from .findings import Finding, Level, bounded
from .git import GitError
from .history import History, read_base
from .model import Promise
from .parallel import available_cores, can_fork, fork_pool, frozen_heap
from .rules import BY_CODE, Rule
from .rules.breakdowns import OVERDUE, check_breakdowns
from .rules.conditions import check_conditions
from .rules.dates import check_dates
from .rules.fields import build_promise, duplicate_ids
from .rules.history import check_against_base, check_authorship
from .rules.people import check_people, handle_collisions
from .rules.tree import check_tree
from .rules.words import Lexicon, compiled
from .source import Document, Sources, read_document, walk


class UsageError(UserError):
    """A path on the command line that does not exist (exit code 2)."""


@dataclass
class CheckResult:
    promises: list[Promise]  # every readable promise of the source folder (and named files)
    findings: list[Finding]  # after waivers and levels; only for the reported files
    files: list[str]  # the reported files
    waived: dict[str, list[Finding]] = field(default_factory=dict)  # path → findings a waiver silenced

    @property
    def errors(self) -> int:
        return sum(f.is_error for f in self.findings)

    def exit_code(self, strict: bool = False) -> int:
        if self.errors or (strict and self.findings):
            return 1
        return 0


def check_document(doc: Document, config: Config, today: dt.date,
                   lexicon: Lexicon) -> tuple[Promise | None, list[Finding]]:
    """Every single-file rule for one document."""
    if not doc.readable:
        return None, list(doc.findings)
    promise, findings = build_promise(doc, config, today)
    findings.extend(check_dates(promise))
    findings.extend(check_conditions(promise, lexicon))
    findings.extend(check_people(promise, config))
    findings.extend(check_breakdowns(promise, config, today))
    return promise, bounded(findings)


def check_promises(promises: Sequence[Promise], config: Config) -> list[Finding]:
    """The rules that look across files: duplicate ids, handle spellings, the tree."""
    return [*duplicate_ids(promises), *handle_collisions(promises, config), *check_tree(promises)]


PARALLEL_MIN = 1000  # files; below this, forking costs more than it saves
SHARES_PER_WORKER = 8
# Positions the cross-file and git rules report at; the others stay in the worker that read the file.
_CROSS_FILE_KEYS = ("id", "promiser", "customer", "team", "serves", "due", "status", "done_when", "promised",
                    "accepted")


def check_files(files: dict[str, Path], config: Config, today: dt.date,
                keep_bodies: bool = True) -> tuple[list[Promise], list[Finding]]:
    """Read and check every file on its own, in path order; in forked workers when there are many."""
    global _JOB
    names = sorted(files)
    processes = available_cores()
    if processes > 1 and len(names) >= PARALLEL_MIN and can_fork():
        _JOB = (files, names, config, today, keep_bodies)
        # Many small shares, so that this process unpickles finished ones while the workers go on.
        count = processes * SHARES_PER_WORKER
        results: list[tuple[Promise | None, list[Finding]]] = [None] * len(names)  # type: ignore[list-item]
        try:
            with frozen_heap(), fork_pool(processes) as pool:
                for index, share in pool.imap_unordered(_check_share, [(index, count) for index in range(count)]):
                    results[index::count] = share
        finally:
            _JOB = None
    else:
        lexicon = compiled(config.vague_words)
        results = [_check_one(files[rel], rel, config, today, lexicon, keep_bodies) for rel in names]
    promises = [promise for promise, _ in results if promise is not None]
    return promises, [finding for _, found in results for finding in found]


_JOB: tuple | None = None  # what forked workers inherit


def _check_share(share: tuple[int, int]) -> tuple[int, list[tuple[Promise | None, list[Finding]]]]:
    files, names, config, today, keep_bodies = _JOB  # type: ignore[misc]
    index, count = share
    lexicon = compiled(config.vague_words)
    return index, [_check_one(files[rel], rel, config, today, lexicon, keep_bodies) for rel in names[index::count]]


def _check_one(path: Path, rel: str, config: Config, today: dt.date, lexicon: Lexicon,
               keep_bodies: bool) -> tuple[Promise | None, list[Finding]]:
    """One file's rules; the promise keeps only what the cross-file rules and the pages need."""
    promise, found = check_document(read_document(path, rel, config.repository, config.max_file_size), config,
                                      today, lexicon)
    if promise is not None:
        positions = {key: value for key, value in promise.positions.items()
                     if key in _CROSS_FILE_KEYS or key.endswith(".agreed_by")}
        promise = replace(promise, positions=positions, body=promise.body if keep_bodies else "")
    return promise, found


def run_check(config: Config, today: dt.date, paths: Sequence[Path] = (), strict: bool = False,
              keep_bodies: bool = True, base: str | None = None, history: History | None = None) -> CheckResult:
    """Check the source folder; with `paths`, report only on those files (cross-file rules still see all).

    With `base`, each changed file is also compared with its version at that git revision (P403,
    P406, P407); with a `history`, commit authors are checked (P304, P305).
    """
    sources = config.sources()
    files = dict(sources.files)
    problems = dict(sources.problems)
    reported = [*files, *problems]
    if paths:
        reported = []
        for path in paths:
            if not os.path.lexists(path):
                raise UsageError(f"{path}: no such file or folder: name promise files or folders to check")
            if path.is_dir() and path.is_symlink():
                rel = config.relative(path)
                problems[rel] = (f"folder is a symbolic link (to {os.readlink(path)}), which promisesite does "
                                 "not follow: name the folder it leads to, or move the files into the source folder")
                reported.append(rel)
                found = []
            elif path.is_dir():
                named = walk(path, config.relative(path).rstrip("/") + "/")
                problems.update(named.problems)
                reported.extend(named.problems)
                found = list(named.files.values())
            else:
                found = [path] if path.suffix == ".md" else []
            for file in found:
                rel = config.relative(file)
                files.setdefault(rel, file)
                reported.append(rel)
    elif not config.source.is_dir():
        raise UsageError(f"the source folder {config.relative(config.source)}/ does not exist: create it, "
                         "run `promisesite init`, or set `source:` in promisesite.yaml")
    promises, findings = check_files(files, config, today, keep_bodies=keep_bodies)
    findings.extend(Sources(problems=problems).findings())
    findings.extend(check_promises(promises, config))
    if history is not None:
        findings.extend(check_authorship(promises, history, config))
    if base is not None:
        findings.extend(compare_with_base(promises, config, today, base))
    return settle(promises, findings, sorted(set(reported)), config, strict)


def compare_with_base(promises: Sequence[Promise], config: Config, today: dt.date, base: str) -> list[Finding]:
    try:
        was = read_base(config, base, today)
    except GitError as error:
        raise UsageError(f"--base {base}: {error}: name a branch, tag or commit that git knows here; in CI, "
                         "fetch it first (e.g. `git fetch origin main`, or `fetch-depth: 0`)") from None
    return [finding for promise in promises if promise.path in was
            for finding in check_against_base(promise, was[promise.path], base)]


def settle(promises: list[Promise], findings: Iterable[Finding], reported: list[str], config: Config,
            strict: bool) -> CheckResult:
    """Apply waivers and configured levels, and keep the reported files' findings, sorted."""
    waivers = {p.path: {w.rule for w in p.waivers} for p in promises}
    wanted = set(reported)
    kept, waived = [], {}
    for finding in findings:
        if finding.path not in wanted:
            continue
        if finding.code in waivers.get(finding.path, ()):
            waived.setdefault(finding.path, []).append(finding)
            continue
        level = level_of(BY_CODE[finding.code], config, strict)
        if level != Level.OFF.value:
            kept.append(replace(finding, level=level) if level != finding.level else finding)
    kept.sort()
    return CheckResult(promises, bounded(kept), reported, waived)


def level_of(rule: Rule, config: Config, strict: bool) -> str:
    level = config.rule_levels.get(rule.code, rule.level)
    if strict and rule is OVERDUE and level == Level.WARNING.value:
        return Level.ERROR.value
    return level
