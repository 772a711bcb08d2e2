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
        self.promises: dict[str, Promise] = {promise.path: promise for promise in promises}

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
        if promise is not None:
            self.promises[rel] = promise
        else:
            self.promises.pop(rel, None)
        together = [f for f in check_together(list(self.promises.values()), self.context) if f.path == rel]
        result = settle(list(self.promises.values()), [*findings, *together], [rel], self.config, strict=False)
        return Analysis(result.findings, safe_fixes(text, rel, self.config.registry, self.today))

    def forget(self, path: Path) -> None:
        """Read a file again from disk (the editor closed it without saving)."""
        rel = self.relative(path)
        self.promises.pop(rel, None)
        if Path(path).is_file():
            try:
                self.analyse(path, Path(path).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                pass

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
