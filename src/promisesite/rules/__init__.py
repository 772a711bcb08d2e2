"""The rule catalogue: every rule of promisesite, in one list that the pipeline runs, the docs
render and `promisesite rules CODE` explains.

A rule is declared once, in its family's module, with `@rule(...)` over the function that checks
it (see `rule.py`); adding a rule is that function and its tests, nothing else. The families are
`reading` (reported while a file is read), `dates`, `conditions`, `people`, `breakdowns`, `tree`
and `history`.
"""

from __future__ import annotations

from ..text import did_you_mean
from . import breakdowns, conditions, dates, history, people, reading, tree
from .rule import Rule, Scope

_FAMILIES = (reading, dates, conditions, people, breakdowns, tree, history)
RULES: tuple[Rule, ...] = tuple(
    sorted(
        {value for family in _FAMILIES for value in vars(family).values() if isinstance(value, Rule)},
        key=lambda found: found.code,
    )
)
BY_CODE = {found.code: found for found in RULES}
BY_NAME = {found.name: found for found in RULES}
# The rules of the record: what was agreed and when. A waiver never silences them (P413).
RECORD_CODES = frozenset(found.code for found in RULES if found.record)
# Rules whose findings on a file can change without the file changing (other files can): serve keeps
# them while it shows an edited page ahead of the rest of the site.
CROSS_FILE_CODES = frozenset(found.code for found in RULES if found.scope is Scope.TREE)
# The keys that rules beyond one file report at: a checked promise keeps the positions of these only.
KEPT_KEYS = frozenset(key for found in RULES for key in found.reports_at if "*" not in key)
KEPT_SUFFIXES = tuple(sorted({key[1:] for found in RULES for key in found.reports_at if key.startswith("*")}))
KEPT_PREFIXES = tuple(sorted({key[:-1] for found in RULES for key in found.reports_at if key.endswith("*")}))


def of_scope(scope: Scope) -> tuple[Rule, ...]:
    return tuple(found for found in RULES if found.scope is scope)


def lookup(code_or_name: str) -> Rule | None:
    """Find a rule by code (`P205`, `p205`) or name (`unmeasurable`)."""
    key = code_or_name.strip()
    return BY_CODE.get(key.upper()) or BY_NAME.get(key.lower())


def suggest(code_or_name: str) -> str:
    """A did-you-mean hint for an unknown rule, or a pointer to the list."""
    return did_you_mean(code_or_name, [*BY_CODE, *BY_NAME], quote="'{}'") or "run `promisesite rules` for the list"
