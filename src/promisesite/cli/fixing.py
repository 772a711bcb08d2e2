"""`check --fix`: the safe fixes, applied to the files `check` reads, each said on its own line."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import click

from ..config import Config
from ..edit.fixes import fix_text
from ..read.files import Unreadable, read_bounded, walk
from ..site.writer import write_file
from ..text import printable
from .options import TERMINAL, Failure


def apply_fixes(config: Config, today: dt.date, paths: list[Path], write: bool = True) -> int:
    """Fix every promise file named (or the source folder's); write each changed file, or print its
    diff; return how many files the fixes change. Files that cannot be read are left to `check`."""
    changed = 0
    for rel, path in _files(config, paths).items():
        raw = read_bounded(path, config.max_file_size, config.repository)
        if isinstance(raw, Unreadable):
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        fixed, fixes = fix_text(text, rel, config.registry, today)
        if not fixes:
            continue
        changed += 1
        for fix in fixes:
            verb = "would fix" if not write else "fixed"
            TERMINAL.say(f"{printable(rel)}:{fix.finding.line}: {fix.finding.code} {verb}: {printable(fix.says)}")
        if write:
            try:
                write_file(path, fixed.encode("utf-8"))
            except OSError as error:
                raise Failure(f"cannot write {rel} ({error.strerror or error}): nothing else was changed") from None
        else:
            click.echo(
                "".join(difflib.unified_diff(text.splitlines(True), fixed.splitlines(True), f"a/{rel}", f"b/{rel}")),
                nl=False,
            )
    return changed


def _files(config: Config, paths: list[Path]) -> dict[str, Path]:
    if not paths:
        return dict(config.sources().files)
    found: dict[str, Path] = {}
    for path in paths:
        if path.is_dir():
            prefix = config.relative(path).rstrip("/") + "/"
            found.update(walk(path, prefix).files)
        elif path.suffix == ".md":
            found[config.relative(path)] = path
    return found
