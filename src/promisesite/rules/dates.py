"""P1xx: dates. A promise without a real calendar date is a wish."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Iterator

from ..findings import Finding
from ..model import Promise
from . import Rule

UNDATED = Rule(
    "P101", "undated", "error", "No `due` date where the status requires one.",
    why="\"By when\" is half of a promise. Without a due date the customer cannot plan, nobody can tell "
        "whether the promise is on track, and the accounting cannot say whether it was kept.",
    bad="status: promised\n# no due", good="status: promised\ndue: 2026-12-15")
VAGUE_DATE = Rule(
    "P102", "vague-date", "error", "A date field is not a real calendar date written YYYY-MM-DD.",
    why="`Q4`, `soon`, `next sprint` and `TBD` let a promise slide without anyone noticing it was broken. "
        "Only a calendar date can be missed, and so only a calendar date can be kept. Impossible dates "
        "(`2026-02-30`) are caught too.",
    bad="due: Q4", good="due: 2026-12-31")
DATE_ORDER = Rule(
    "P103", "date-order", "error",
    "Dates are out of order: requested ≤ promised ≤ due; promised ≤ delivered ≤ accepted; promised ≤ closed.",
    why="The milestones record a conversation: a request, a promise, a delivery, an acceptance. A promise "
        "due before it was made, or accepted before it was delivered, is a typo that would corrupt the "
        "accounting.",
    bad="promised: 2026-10-03\ndue: 2026-09-15", good="promised: 2026-10-03\ndue: 2026-12-15")
MISSING_MILESTONE = Rule(
    "P104", "missing-milestone", "error", "A milestone date that the status requires is absent.",
    why="Each status is a step in the conversation, and each step has a date: when it was promised, "
        "delivered, accepted or closed. These dates are what reliability is computed from.",
    bad="status: delivered\npromised: 2026-10-03\n# no delivered",
    good="status: delivered\npromised: 2026-10-03\ndelivered: 2026-12-10")

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_QUARTER = re.compile(r"(?:(\d{4})[ -]?)?Q([1-4])(?:[ -]?(\d{4}))?", re.IGNORECASE)
_OTHER_SEPARATORS = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})")
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]\d")
# Each chain must be non-decreasing, among the dates present.
_ORDER = (("requested", "promised", "due"), ("promised", "delivered", "accepted"), ("promised", "closed"))


FIRST_YEAR, LAST_YEAR = 1900, 2999  # dates outside are typos, and would overflow date arithmetic


def parse_date(text: str) -> dt.date | None:
    if len(text) == 10 and _ISO.fullmatch(text):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return None
        return day if FIRST_YEAR <= day.year <= LAST_YEAR else None
    return None


def date_problem(text: str, field: str, today: dt.date) -> tuple[dt.date | None, str]:
    """Parse a date field's text; on failure, a message that says exactly what to write."""
    parsed = parse_date(text)
    if parsed:
        return parsed, ""
    shown = f"`{field}: {text}`"
    iso = _ISO.fullmatch(text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
        if not FIRST_YEAR <= year <= LAST_YEAR:
            return None, (f"{shown} is not a year anyone plans in: write a date between {FIRST_YEAR} and "
                          f"{LAST_YEAR}, e.g. `{field}: {today.year}-12-31`")
        if 1 <= month <= 12 and 1 <= day <= 31 and year >= 1:
            last = calendar.monthrange(year, month)[1]
            if day > last:
                return None, (f"{shown} is not a real calendar date ({calendar.month_name[month]} {year} has "
                              f"{last} days): write e.g. `{field}: {year:04d}-{month:02d}-{last:02d}`")
            return None, f"{shown} needs two-digit month and day: write `{field}: {year:04d}-{month:02d}-{day:02d}`"
        return None, f"{shown} is not a real calendar date: write YYYY-MM-DD, e.g. `{field}: {today.year}-12-31`"
    quarter = _QUARTER.fullmatch(text)
    if quarter:
        year = int(quarter.group(1) or quarter.group(3) or today.year)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            year = today.year
        q = int(quarter.group(2))
        end = dt.date(year, 3 * q, calendar.monthrange(year, 3 * q)[1])
        return None, (f"{shown} is not a date: write the last day you commit to, e.g. `{field}: {end}`")
    other = _OTHER_SEPARATORS.fullmatch(text)
    if other:
        year, month, day = (int(g) for g in other.groups())
        return None, f"{shown} uses the wrong separators: write `{field}: {year:04d}-{month:02d}-{day:02d}`"
    with_time = _DATETIME.match(text)
    if with_time:
        return None, f"{shown} has a time of day: write only the day, `{field}: {with_time.group(1)}`"
    return None, (f"{shown} is not a date: write the calendar day you commit to as YYYY-MM-DD, "
                  f"e.g. `{field}: {today.year}-12-31`")


def check_dates(promise: Promise) -> Iterator[Finding]:
    """P101, P103 and P104 for one promise (P102 is found while reading)."""
    status = promise.status
    if status is not None:
        if status.needs_due and promise.due is None and "due" not in promise.invalid:
            yield UNDATED.at(promise.path, promise.at("due"),
                             f"a {status.value} promise needs a `due` date: write the day you commit to, "
                             "e.g. `due: 2026-12-15`")
        for name in status.required_dates:
            if getattr(promise, name) is None and name not in promise.invalid:
                yield MISSING_MILESTONE.at(promise.path, promise.at(name),
                                           f"a {status.value} promise needs `{name}`: write the day it was "
                                           f"{name}, e.g. `{name}: {_example(promise, name)}`")
    for chain in _ORDER:
        present = [(name, getattr(promise, name)) for name in chain if getattr(promise, name) is not None]
        for (early, early_date), (late, late_date) in zip(present, present[1:]):
            if early_date > late_date:
                later_in_file = max((early, late), key=lambda name: promise.at(name))
                yield DATE_ORDER.at(promise.path, promise.at(later_in_file),
                                    f"`{late}: {late_date}` is before `{early}: {early_date}`: {late} must be "
                                    f"on or after {early}; correct whichever date is wrong")


def _example(promise: Promise, name: str) -> str:
    known = [d for d in (promise.requested, promise.promised, promise.delivered, promise.due) if d]
    return str(max(known)) if known else "2026-12-01"
