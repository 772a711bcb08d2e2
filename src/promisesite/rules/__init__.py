"""The rule catalogue (SPEC §4). Each family module defines its rules beside the checks.

A rule is data: code, name, default level, a one-line summary, why it matters, and a bad
and a good example. Checks yield findings through `Rule.at`; the pipeline (`check.py`)
then applies the configured levels and the file's waivers.
"""

from __future__ import annotations

import difflib
import textwrap
from dataclasses import dataclass

from ..findings import Finding
from ..model import Position


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    level: str
    summary: str
    why: str
    bad: str
    good: str
    needs: str = ""  # what the rule needs to run at all, e.g. "--base REV"

    def at(self, path: str, position: Position, message: str) -> Finding:
        line, column = position
        return Finding(path, line, column, self.code, self.name, self.level, message)

    def help_text(self) -> str:
        parts = [f"{self.code} {self.name} ({self.level})", "", self.summary, "",
                 "Why it matters:", textwrap.fill(self.why, 78, initial_indent="  ", subsequent_indent="  "),
                 "", "Flagged:", textwrap.indent(self.bad, "  "), "", "Write instead:",
                 textwrap.indent(self.good, "  ")]
        if self.needs:
            parts[3:3] = [f"Runs only {self.needs}.", ""]
        return "\n".join(parts)

    def help_markdown(self) -> str:
        needs = f"\n\nRuns only {self.needs}." if self.needs else ""
        return (f"## {self.code} {self.name}\n\nDefault level: **{self.level}**. {self.summary}{needs}\n\n"
                f"**Why it matters.** {self.why}\n\n**Flagged:**\n\n```yaml\n{self.bad}\n```\n\n"
                f"**Write instead:**\n\n```yaml\n{self.good}\n```\n")


def _catalogue() -> tuple[Rule, ...]:
    from . import breakdowns, conditions, dates, fields, history, people, tree

    found = [value for module in (fields, dates, conditions, people, breakdowns, tree, history)
             for value in vars(module).values() if isinstance(value, Rule)]
    return tuple(sorted(set(found), key=lambda rule: rule.code))


RULES: tuple[Rule, ...] = _catalogue()
BY_CODE = {rule.code: rule for rule in RULES}
BY_NAME = {rule.name: rule for rule in RULES}


def lookup(code_or_name: str) -> Rule | None:
    """Find a rule by code (`P205`, `p205`) or name (`unmeasurable`)."""
    key = code_or_name.strip()
    return BY_CODE.get(key.upper()) or BY_NAME.get(key.lower())


def suggest(code_or_name: str) -> str:
    """A did-you-mean hint for an unknown rule, or a pointer to the list."""
    close = difflib.get_close_matches(code_or_name, [*BY_CODE, *BY_NAME], n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    return "run `promisesite rules` for the list"
