"""A finding: where, which rule, how serious, and what to write instead. (`formats` prints them.)"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .text import plural, printable


class Level(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    OFF = "off"


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    column: int
    code: str
    name: str
    level: str  # "error" or "warning"
    message: str

    @property
    def is_error(self) -> bool:
        return self.level == Level.ERROR.value

    def as_text(self) -> str:
        """`path:line:col: CODE level name: message` on one line, whatever the path and message hold."""
        return (
            f"{printable(self.path)}:{self.line}:{self.column}: {self.code} {self.level} {self.name}: "
            f"{printable(self.message)}"
        )


MAX_PER_RULE = 20  # findings of one rule in one file; the rest are counted in one more finding


def bounded(findings: Sequence[Finding], limit: int = MAX_PER_RULE) -> list[Finding]:
    """At most `limit` findings of each rule in each file, then one that says how many more there are."""
    totals = Counter((f.path, f.code) for f in findings)
    if all(count <= limit for count in totals.values()):
        return list(findings)
    kept: list[Finding] = []
    seen: Counter[tuple[str, str]] = Counter()
    for finding in findings:
        key = (finding.path, finding.code)
        seen[key] += 1
        if seen[key] <= limit:
            kept.append(finding)
        elif seen[key] == limit + 1:
            more = totals[key] - limit
            kept.append(
                replace(
                    finding,
                    message=f"and {plural(more, 'more ' + finding.code + ' finding')} in "
                    f"this file, not listed: fix the {limit} above, then check again",
                )
            )
    return kept


def summary(findings: Sequence[Finding], files_checked: int) -> str:
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    files = plural(files_checked, "file")
    if not findings:
        return f"All good: {files} checked, no findings."
    return f"Found {plural(errors, 'error')} and {plural(warnings, 'warning')} in {files}."
