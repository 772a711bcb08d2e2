"""Dates as a promise file writes them: `YYYY-MM-DD`, or a message that says exactly what to write."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_QUARTER = re.compile(r"(?:(\d{4})[ -]?)?Q([1-4])(?:[ -]?(\d{4}))?", re.IGNORECASE)
_OTHER_SEPARATORS = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})")
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]\d")
_MONTHS = (
    {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
    | {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
    | {"sept": 9}
)
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?(?: of)? ([A-Za-z]+)\.?,? (\d{4})", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})", re.IGNORECASE)
_NUMERIC_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_END_OF = re.compile(r"(?:by |at |until )?(?:the )?end of (?:(Q[1-4])|([A-Za-z]+))\.?(?:,? (\d{4}))?", re.IGNORECASE)
_MONTH_ALONE = re.compile(r"(?:in |by )?([A-Za-z]+)\.?(?:,? (\d{4}))?", re.IGNORECASE)
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?(?: of)? ([A-Za-z]+)\.?", re.IGNORECASE)
_MONTH_DAY = re.compile(r"([A-Za-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?", re.IGNORECASE)

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
            return None, (
                f"{shown} is not a year anyone plans in: write a date between {FIRST_YEAR} and "
                f"{LAST_YEAR}{_example(field, today)}"
            )
        if 1 <= month <= 12 and 1 <= day <= 31 and year >= 1:
            last = calendar.monthrange(year, month)[1]
            if day > last:
                return None, (
                    f"{shown} is not a real calendar date ({calendar.month_name[month]} {year} has "
                    f"{last} days): write e.g. `{field}: {year:04d}-{month:02d}-{last:02d}`"
                )
            return None, f"{shown} needs two-digit month and day: write `{field}: {year:04d}-{month:02d}-{day:02d}`"
        return None, f"{shown} is not a real calendar date: write YYYY-MM-DD{_example(field, today)}"
    meant = _meant(text, field, today)
    if meant is not None:
        likely, what = meant
        return None, f"{shown} is not a date: if you mean {what}, write `{field}: {likely.isoformat()}`"
    other = _OTHER_SEPARATORS.fullmatch(text)
    if other:
        year, month, day = (int(g) for g in other.groups())
        return None, f"{shown} uses the wrong separators: write `{field}: {year:04d}-{month:02d}-{day:02d}`"
    written = _written_out(text)
    if written:
        return None, f"{shown} is not in the form dates take here: write `{field}: {written.isoformat()}`"
    numeric = _NUMERIC_DAY_FIRST.fullmatch(text)
    if numeric:
        first, second, year = (int(g) for g in numeric.groups())
        day_first, month_first = _real(year, second, first), _real(year, first, second)
        if day_first and month_first and day_first != month_first:
            return None, (
                f"{shown} could be {day_first:%-d %B} or {month_first:%-d %B}: write the one you mean as "
                f"YYYY-MM-DD, `{field}: {day_first.isoformat()}` or `{field}: {month_first.isoformat()}`"
            )
    with_time = _DATETIME.match(text)
    if with_time:
        return None, f"{shown} has a time of day: write only the day, `{field}: {with_time.group(1)}`"
    return None, f"{shown} is not a date: write the calendar day as YYYY-MM-DD{_example(field, today)}"


def _example(field: str, today: dt.date) -> str:
    """An example said to be one, never a date that reads as a translation of what was written."""
    if field == "due":
        return f"; four weeks from today is `{field}: {(today + dt.timedelta(days=28)).isoformat()}`"
    return f"; today is `{field}: {today.isoformat()}`"


def _meant(text: str, field: str, today: dt.date) -> tuple[dt.date, str] | None:
    """The day a quarter, a month or a day without its year most likely means, and how to say it:
    for `due` the next such day from today on (a due date lies ahead), for the milestones the last
    one up to today (they record what happened)."""
    ahead = field == "due"
    found: tuple[Callable[[int], dt.date | None], str | None, str] | None = None
    quarter, end, alone = _QUARTER.fullmatch(text), _END_OF.fullmatch(text), _MONTH_ALONE.fullmatch(text)
    if quarter:
        q = int(quarter.group(2))
        found = (lambda y: _last_of(y, 3 * q)), quarter.group(1) or quarter.group(3), f"the end of Q{q}"
    elif end and end.group(1):
        q = int(end.group(1)[1])
        found = (lambda y: _last_of(y, 3 * q)), end.group(3), f"the end of Q{q}"
    elif (end and _MONTHS.get(end.group(2).lower())) or (alone and _MONTHS.get(alone.group(1).lower())):
        words = end or alone
        assert words is not None
        month = _MONTHS[(words.group(2) if end else words.group(1)).lower()]
        found = (
            (lambda y: _last_of(y, month)),
            words.group(3) if end else words.group(2),
            (f"the end of {calendar.month_name[month]}"),
        )
    else:
        named = _DAY_MONTH.fullmatch(text) or _MONTH_DAY.fullmatch(text)
        if named:
            first, second = named.groups()
            name, number = (second, first) if first.isdigit() else (first, second)
            month = _MONTHS.get(name.lower(), 0)
            day = int(number)
            if month:
                found = (lambda y: _real(y, month, day)), None, f"{day} {calendar.month_name[month]}"
    if found is None:
        return None
    day_in, year, what = found
    meant = _nearest(day_in, year, today, ahead)
    return (meant, what) if meant is not None else None


def _last_of(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _nearest(day_in: Callable[[int], dt.date | None], year: str | None, today: dt.date, ahead: bool) -> dt.date | None:
    """`day_in(year)` for the year written, else the nearest year that puts it ahead of today (or not after it)."""
    if year is not None and FIRST_YEAR <= int(year) <= LAST_YEAR:
        return day_in(int(year))
    for candidate in (today.year, today.year + 1, today.year + 2) if ahead else (today.year, today.year - 1):
        day = day_in(candidate)
        if day is not None and (day >= today if ahead else day <= today):
            return day
    return None


def unambiguous(text: str) -> dt.date | None:
    """The one calendar day a date written another way can only mean: `2026-1-5`, `2026/01/05`,
    `15 Dec 2026`, `December 15, 2026`, `15.12.2026`, `2026-12-15T10:00`. Never a quarter, a month, a
    day without its year or `03/04/2026` (which could be two days): those are a choice to make."""
    iso = _ISO.fullmatch(text)
    if iso:
        return _real(*(int(g) for g in iso.groups()))
    other = _OTHER_SEPARATORS.fullmatch(text)
    if other:
        return _real(*(int(g) for g in other.groups()))
    with_time = _DATETIME.match(text)
    if with_time:
        return parse_date(with_time.group(1))
    return _written_out(text)


def _written_out(text: str) -> dt.date | None:
    """The one day that `15 Dec 2026`, `December 3, 2026` or `15.12.2026` can mean (None when the
    text is not such a date, or could be two: `03/04/2026`)."""
    named = _DAY_MONTH_YEAR.fullmatch(text) or _MONTH_DAY_YEAR.fullmatch(text)
    if named:
        first, second, year = named.groups()
        month_name, day = (second, first) if first.isdigit() else (first, second)
        month = _MONTHS.get(month_name.lower())
        return _real(int(year), month, int(day)) if month else None
    numeric = _NUMERIC_DAY_FIRST.fullmatch(text)
    if numeric:
        first, second, year = (int(g) for g in numeric.groups())
        if first > 12 >= second:
            return _real(year, second, first)  # 15.12.2026: day first
        if second > 12 >= first:
            return _real(year, first, second)  # 12/15/2026: month first
    return None


def _real(year: int, month: int, day: int) -> dt.date | None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
