"""How promises count in the accounting (docs/site.md): each counted promise has exactly one
outcome, judged against the due date in force; and how a set of them adds up, in all and by the
ISO week of that due date.

Plain derivations from the model: the ledger, the pages and rule P410 all count the same way.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .model import FileHistory, Promise, Status


class Outcome(str, enum.Enum):
    """How a promise counts in reliability; each counted promise has exactly one."""

    KEPT = "kept"
    RENEGOTIATED = "kept-after-renegotiation"
    LATE = "late"
    BROKEN = "broken"

    @property
    def label(self) -> str:
        return {
            "kept": "kept",
            "kept-after-renegotiation": "kept after renegotiation",
            "late": "late",
            "broken": "broken",
        }[self.value]


def outcome(promise: Promise, today: dt.date, due: dt.date | None = None) -> Outcome | None:
    """The promise's outcome (docs/site.md), judged against `due`, the date in force (the file's `due`
    unless the history shows it moved without a record), or None when it is not (yet) counted:
    requests, offers and counter-offers never are, since nobody promised them yet."""
    status, delivered = promise.status, promise.delivered
    due = due or promise.due
    if status is Status.REVOKED:
        return Outcome.BROKEN
    if status in (Status.DECLINED, Status.WITHDRAWN) and promise.promised is not None:
        return Outcome.BROKEN  # a promise that was made and ended undelivered, whatever it is called (P412)
    if status is Status.ACCEPTED:
        if due is None or delivered is None:
            return None
        renegotiated_late = any(r.on and r.was and r.on > r.was for r in promise.renegotiations)
        if delivered > due or renegotiated_late:
            return Outcome.LATE
        return Outcome.RENEGOTIATED if promise.renegotiations else Outcome.KEPT
    if promise.overdue_on(today, due):
        return Outcome.BROKEN
    return None


def due_in_force(promise: Promise, history: FileHistory | None) -> dt.date | None:
    """The due date the record supports. A move of `due` that git shows committed without a
    renegotiation entry recording it (`was` the old date, `due` the new) does not count: the promise
    is judged against the date before it. A `due` changed since the last commit is the file's own
    (`check --base` judges it)."""
    if promise.due is None or history is None or not history.unrecorded:
        return promise.due
    if history.committed.get("due") != promise.due.isoformat():
        return promise.due
    try:
        return dt.date.fromisoformat(history.due_in_force)
    except ValueError:
        return promise.due


@dataclass(frozen=True)
class Reliability:
    """Counts of each outcome among a set of promises, and their shares of the counted ones."""

    counts: Mapping[Outcome, int]

    @classmethod
    def of(cls, outcomes: Iterable[Outcome | None]) -> Reliability:
        counter = Counter(o for o in outcomes if o is not None)
        return cls({o: counter.get(o, 0) for o in Outcome})

    @functools.cached_property
    def counted(self) -> int:
        return sum(self.counts.values())

    def share(self, outcome: Outcome) -> float:
        return self.counts[outcome] / self.counted if self.counted else 0.0

    @property
    def kept(self) -> int:
        """Kept, with or without an honest renegotiation."""
        return self.counts[Outcome.KEPT] + self.counts[Outcome.RENEGOTIATED]

    @property
    def kept_share(self) -> float:
        """Kept, with or without an honest renegotiation: the headline figure."""
        return self.share(Outcome.KEPT) + self.share(Outcome.RENEGOTIATED)

    def rows(self) -> list[tuple[Outcome, int, float]]:
        return [(o, self.counts[o], self.share(o)) for o in Outcome]


# --- over time ---------------------------------------------------------------------------------

WEEKS = 12  # how many ISO weeks the pages chart, ending with this week


def iso_week(day: dt.date) -> str:
    """`2026-W47`: the ISO week a day falls in (Monday to Sunday; the year is the ISO year)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class Week:
    """The promises counted in one ISO week: those whose due date in force falls in it."""

    start: dt.date  # the Monday
    reliability: Reliability

    @property
    def label(self) -> str:
        return iso_week(self.start)

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(days=6)

    @property
    def share(self) -> float | None:
        """Kept (as promised or after an honest renegotiation) of the counted; None when none counted."""
        return self.reliability.kept_share if self.reliability.counted else None


def by_week(counted: Iterable[tuple[dt.date, Outcome]], today: dt.date, weeks: int = WEEKS) -> list[Week]:
    """The last `weeks` ISO weeks up to today's, oldest first, each with the outcomes whose due date
    (in force) falls in it. An early delivery counts in the week it was due, not the week it came."""
    first = monday(today) - dt.timedelta(weeks=weeks - 1)
    last = first + dt.timedelta(weeks=weeks)
    buckets: list[dict[Outcome, int]] = [dict.fromkeys(Outcome, 0) for _ in range(weeks)]
    for due, found in counted:
        if first <= due < last:
            buckets[(due - first).days // 7][found] += 1
    return [Week(first + dt.timedelta(weeks=n), Reliability(bucket)) for n, bucket in enumerate(buckets)]


# --- why promises were missed -----------------------------------------------------------------

NO_CAUSE = ""  # late, broken or revoked, or renegotiated, without a `cause`


@dataclass(frozen=True)
class Cause:
    """One cause with what it was given for: promises missed (late, broken, revoked) and renegotiations."""

    name: str  # NO_CAUSE for those without one
    missed: tuple[Promise, ...]
    renegotiated: tuple[Promise, ...]  # a promise once per entry that names the cause

    @property
    def count(self) -> int:
        return len(self.missed) + len(self.renegotiated)


def is_missed(promise: Promise, found: Outcome | None) -> bool:
    """Counted late or broken, or revoked: the promises P410 asks a `cause` of."""
    return found in (Outcome.LATE, Outcome.BROKEN) or promise.status is Status.REVOKED


def causes(promises: Iterable[tuple[Promise, Outcome | None]]) -> list[Cause]:
    """Every cause given, most frequent first, then by name; NO_CAUSE, if any, last."""
    missed: dict[str, list[Promise]] = {}
    renegotiated: dict[str, list[Promise]] = {}
    for promise, found in promises:
        if is_missed(promise, found):
            missed.setdefault(promise.cause, []).append(promise)
        for entry in promise.renegotiations:
            renegotiated.setdefault(entry.cause, []).append(promise)
    named = set(missed) | set(renegotiated)
    found_causes = [Cause(name, tuple(missed.get(name, ())), tuple(renegotiated.get(name, ()))) for name in named]
    return sorted(found_causes, key=lambda c: (c.name == NO_CAUSE, -c.count, c.name))
