"""What "today" is: `--today`, else SOURCE_DATE_EPOCH, else the local date (docs/commands.md)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping

from .errors import UserError


class BadToday(UserError, ValueError):
    """`--today` or SOURCE_DATE_EPOCH is not a date."""


def resolve_today(option: str | None = None, environ: Mapping[str, str] | None = None) -> dt.date:
    environ = os.environ if environ is None else environ
    if option:
        try:
            day = dt.date.fromisoformat(option)
        except ValueError:
            raise BadToday(f"--today {option!r} is not a date: write YYYY-MM-DD, e.g. --today 2026-11-21") from None
        return _plausible(day, f"--today {option}")
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            day = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            raise BadToday(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp: set it to whole seconds, "
                "e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)"
            ) from None
        return _plausible(day, f"SOURCE_DATE_EPOCH={epoch}")
    return dt.date.today()


def _plausible(day: dt.date, given: str) -> dt.date:
    if not 1900 <= day.year <= 2999:
        raise BadToday(f"{given} is {day}, not a day anyone plans from: give a date between 1900 and 2999")
    return day
