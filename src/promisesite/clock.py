"""What "today" is: `--today`, else SOURCE_DATE_EPOCH, else the local date (SPEC §4)."""

from __future__ import annotations

import datetime as dt
import os

from .errors import UserError


class BadToday(UserError, ValueError):
    """`--today` or SOURCE_DATE_EPOCH is not a date."""


def resolve_today(option: str | None = None, environ: dict[str, str] | None = None) -> dt.date:
    environ = os.environ if environ is None else environ
    if option:
        try:
            return dt.date.fromisoformat(option)
        except ValueError:
            raise BadToday(f"--today {option!r} is not a date: write YYYY-MM-DD, e.g. --today 2026-11-21") from None
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            raise BadToday(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp: set it to whole seconds, "
                           "e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)") from None
    return dt.date.today()
