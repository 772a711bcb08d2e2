"""What a rule is: its code, name, level, scope, why it exists, a flagged and a fixed example, and
the check that finds it. The check only judges: it gets promises and a `Context`, and yields
where and what; the pipeline turns that into findings and applies levels and waivers.

A check of scope FILE takes one promise and yields `(position, message)`; checks of the other
scopes take every promise and yield `(path, position, message)`, or `(path, position, message,
level)` when one finding's default level differs from the rule's. READING rules have no check:
the reader reports them while it turns bytes into a promise.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import textwrap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..findings import Finding
from ..model import History, Position, Promise, Registry
from .words import Hit, Lexicon, scan

ERROR, WARNING = "error", "warning"


class Scope(str, enum.Enum):
    """What a rule looks at, and so when it can run."""

    READING = "reading"  # the file as it is read: reported by the reader
    FILE = "file"  # one promise on its own
    TREE = "tree"  # every promise of the source folder together
    HISTORY = "history"  # the promises and what git recorded of them
    BASE = "base"  # the promises against their versions at `check --base REV`


@dataclass
class Context:
    """What a check may know besides the promises: who is registered, what day it is, the
    vague-word lexicon, the git history, and the promises as they were at a base revision."""

    registry: Registry
    today: dt.date
    lexicon: Lexicon
    history: History = field(default_factory=History)
    base: Mapping[str, Promise] = field(default_factory=dict)  # path now → the promise at the base
    deleted: Mapping[str, Promise] = field(default_factory=dict)  # path at the base → a promise now gone
    revision: str = ""  # the base revision as the user named it
    base_date: dt.date | None = None  # when the base revision was committed

    def __post_init__(self) -> None:
        self.hits: Callable[[str], list[Hit]] = lru_cache(maxsize=256)(functools.partial(scan, self.lexicon))
        self.shared: dict[str, Any] = {}  # what rules that judge the same promises work out once


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    level: str
    summary: str
    why: str
    bad: str
    good: str
    scope: Scope = Scope.FILE
    needs: str = ""  # what the rule needs to run at all, e.g. "with `check --base REV`"
    strict_level: str = ""  # its level under --strict, when that differs from the configured one
    reports_at: tuple[str, ...] = ()  # keys a rule outside FILE scope reports at (`*.x`, `x.*`: any such)
    record: bool = False  # a rule of the record: no waiver silences it (P413)
    check: Callable[..., Iterable[tuple]] | None = field(default=None, compare=False, repr=False)

    def at(self, path: str, position: Position, message: str, level: str = "") -> Finding:
        """A finding of this rule; `level` when this finding's default differs from the rule's (P409)."""
        line, column = position
        return Finding(path, line, column, self.code, self.name, level or self.level, message)

    def level_in(self, configured: str | None, strict: bool, default: str = "") -> str:
        """The level a finding reports at, given the config's level for the rule, --strict, and the
        finding's own default level."""
        level = configured or default or self.level
        return self.strict_level if strict and self.strict_level and level == WARNING else level

    def help_text(self) -> str:
        parts = [
            f"{self.code} {self.name} ({self.level})",
            "",
            self.summary,
            "",
            "Why it matters:",
            textwrap.fill(self.why, 78, initial_indent="  ", subsequent_indent="  "),
            "",
            "Flagged:",
            textwrap.indent(self.bad, "  "),
            "",
            "Write instead:",
            textwrap.indent(self.good, "  "),
        ]
        if self.needs:
            parts[3:3] = [f"Runs only {self.needs}.", ""]
        return "\n".join(parts)

    def help_markdown(self) -> str:
        needs = f"\n\nRuns only {self.needs}." if self.needs else ""
        return (
            f"## {self.code} {self.name}\n\nDefault level: **{self.level}**. {self.summary}{needs}\n\n"
            f"**Why it matters.** {self.why}\n\n**Flagged:**\n\n```yaml\n{self.bad}\n```\n\n"
            f"**Write instead:**\n\n```yaml\n{self.good}\n```\n"
        )


def rule(
    code: str,
    name: str,
    level: str,
    summary: str,
    *,
    why: str,
    bad: str,
    good: str,
    scope: Scope = Scope.FILE,
    needs: str = "",
    strict_level: str = "",
    reports_at: tuple[str, ...] = (),
    record: bool = False,
) -> Callable[[Callable[..., Iterable[tuple]]], Rule]:
    """Declare a rule over the function that checks it: `@rule("P101", "undated", ERROR, …)`."""

    def declare(check: Callable[..., Iterable[tuple]]) -> Rule:
        return Rule(code, name, level, summary, why, bad, good, scope, needs, strict_level, reports_at, record, check)

    return declare
