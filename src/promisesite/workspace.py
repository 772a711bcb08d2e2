"""A folder of promises as an editor sees it: read once, then kept current file by file as the
editor changes them, and asked one question at a time — what `check` finds in this text, which
safe fixes it has, and the names a field may take. The language server (`lsp/`) talks to the
pipeline through this module alone, as MkDocs' livereload knows nothing of MkDocs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .check import check_document, check_files, check_together, context_of, settle
from .clock import resolve_today
from .config import Config, load_config
from .edit.fixes import Fix, fix_text, safe_fixes
from .edit.source import EditRefused, PromiseSource
from .findings import Finding
from .model import FIELDS, Promise, Status
from .read.document import parse_text
from .rules import BY_CODE
from .rules.rule import Rule


@dataclass
class Analysis:
    """What `check` finds in one file's text, and the safe fixes for it."""

    findings: list[Finding]
    fixes: list[Fix] = field(default_factory=list)


class Workspace:
    """The promises under one `promisesite.yaml`, found as `check` finds it from `folder`."""

    def __init__(self, folder: Path, today: dt.date | None = None):
        self.config: Config = load_config(cwd=folder)
        self.today = today or resolve_today()
        self.context = context_of(self.config, self.today)
        promises, _ = check_files(dict(self.config.sources().files), self.config, self.context, keep_bodies=False)
        self.promises: dict[str, Promise] = {}
        self.paths_by_id: dict[str, set[str]] = {}
        self.paths_by_handle: dict[str, set[str]] = {}
        for promise in promises:
            self._keep(promise.path, promise)

    def owns(self, path: Path) -> bool:
        """Whether a file is one of this workspace's promise files (a `*.md` in the source folder)."""
        try:
            rel = Path(path).resolve().relative_to(self.config.source.resolve())
        except ValueError:
            return False
        return path.suffix == ".md" and not any(part.startswith(".") for part in rel.parts)

    def relative(self, path: Path) -> str:
        return self.config.relative(Path(path))

    def analyse(self, path: Path, text: str) -> Analysis:
        """The findings `check` gives this text as the file at `path` (the cross-file rules over the
        workspace, with this text in place of the file on disk), and its safe fixes."""
        rel = self.relative(path)
        document = parse_text(text, rel)
        promise, findings = check_document(document, self.context)
        self._keep(rel, promise)
        neighbours = self._neighbours(promise) if promise is not None else []
        together = [f for f in check_together(neighbours, self.context) if f.path == rel]
        result = settle([promise] if promise else [], [*findings, *together], [rel], self.config, strict=False)
        return Analysis(result.findings, safe_fixes(text, rel, self.config.registry, self.today))

    def _keep(self, rel: str, promise: Promise | None) -> None:
        """The promise as the file now reads (None: unreadable), and the indexes of ids and handles."""
        old = self.promises.pop(rel, None)
        for index, keys in ((self.paths_by_id, _ids(old)), (self.paths_by_handle, _handles(old))):
            for key in keys:
                index.get(key, set()).discard(rel)
        if promise is None:
            return
        self.promises[rel] = promise
        for index, keys in ((self.paths_by_id, _ids(promise)), (self.paths_by_handle, _handles(promise))):
            for key in keys:
                index.setdefault(key, set()).add(rel)

    def _neighbours(self, promise: Promise) -> list[Promise]:
        """The promises the cross-file rules need to judge this one, as if they read them all: those
        with its id (P009), the chain of those it serves (P501, P502, P503), and for each spelling of a
        handle the first file in path order that writes it (P303). A few, where the folder has 10,000."""
        chosen = {promise.path: promise}
        for path in self.paths_by_id.get(promise.id, ()):
            chosen[path] = self.promises[path]
        current, seen = promise, {promise.id}
        while current.serves and current.serves not in seen:
            seen.add(current.serves)
            parents = sorted(self.paths_by_id.get(current.serves, ()))
            if not parents:
                break
            for path in parents:
                chosen[path] = self.promises[path]
            current = self.promises[parents[0]]
        for paths in self.paths_by_handle.values():
            if paths:
                first = min(paths)
                chosen.setdefault(first, self.promises[first])
        return [chosen[path] for path in sorted(chosen)]

    def forget(self, path: Path) -> None:
        """Read a file again from disk (the editor closed it without saving)."""
        rel = self.relative(path)
        self._keep(rel, None)
        if Path(path).is_file():
            try:
                self.analyse(path, Path(path).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                pass

    @staticmethod
    def applied(text: str, fix: Fix) -> str | None:
        """The text with one safe fix made, or None when the file cannot be edited in place."""
        try:
            source = PromiseSource(text)
            fix.change(source)
        except EditRefused:
            return None
        return source.text()

    def fixed(self, path: Path, text: str) -> str:
        """The text with every safe fix applied."""
        return fix_text(text, self.relative(path), self.config.registry, self.today)[0]

    # --- names, for completion, hover and going to a definition -----------------------------

    @property
    def statuses(self) -> list[str]:
        return [status.value for status in Status]

    @property
    def people(self) -> list[str]:
        registered = list(self.config.registry.people)
        return registered or sorted({p.promiser for p in self.promises.values() if p.promiser})

    @property
    def teams(self) -> list[str]:
        registered = list(self.config.registry.teams)
        return registered or sorted({p.team for p in self.promises.values() if p.team})

    @property
    def causes(self) -> list[str]:
        return list(self.config.registry.causes)

    def promise_ids(self) -> dict[str, Promise]:
        return {promise.id: promise for promise in self.promises.values()}

    def path_of(self, promise_id: str) -> Path | None:
        found = self.promise_ids().get(promise_id)
        return self.config.root / found.path if found is not None else None

    @staticmethod
    def fields() -> dict[str, str]:
        return {spec.name: spec.description for spec in FIELDS}

    @staticmethod
    def rule(code: str) -> Rule | None:
        return BY_CODE.get(code)


def _ids(promise: Promise | None) -> tuple[str, ...]:
    return (promise.id,) if promise is not None else ()


def _handles(promise: Promise | None) -> set[str]:
    if promise is None:
        return set()
    used = {promise.promiser, promise.customer, promise.team, *(r.agreed_by for r in promise.renegotiations)}
    return used - {""}
