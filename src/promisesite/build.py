"""The build pipeline: check → ledger → pages → atomic write. `serve` reuses its parts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .check import CheckResult, run_check
from .config import Config
from .ledger import Ledger
from .site.pages import Site
from .site.writer import check_output, write_site


@dataclass
class BuildResult:
    check: CheckResult
    written: bool  # False when errors stopped the build and the previous output was left alone
    pages: int = 0


def ledger_of(result: CheckResult, config: Config, today: dt.date) -> Ledger:
    return Ledger(result.promises, config, today, result.findings, result.waived)


def build(config: Config, today: dt.date, output: Path, strict: bool = False,
          allow_errors: bool = False) -> BuildResult:
    """Validate, and unless errors stop it (or `allow_errors`), render and swap in the new site."""
    check_output(output, config)
    result = run_check(config, today, strict=strict)
    if result.exit_code(strict) and not allow_errors:
        return BuildResult(result, written=False)
    files = Site(ledger_of(result, config, today), config).files()
    write_site(output, files)
    return BuildResult(result, written=True, pages=sum(1 for name in files if name.endswith(".html")))
