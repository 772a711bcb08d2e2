"""P101, P103, P104: dates. A promise without a real calendar date is a wish. (P102, a date that is
not one, is found while reading.)"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Position, Promise
from .rule import ERROR, Context, rule

Found = Iterator[tuple[Position, str]]
# Each chain must be non-decreasing, among the dates present.
_ORDER = (("requested", "promised", "due"), ("promised", "delivered", "accepted"), ("promised", "closed"))


@rule(
    "P101",
    "undated",
    ERROR,
    "No `due` date where the status requires one.",
    why='"By when" is half of a promise. Without a due date the customer cannot plan, nobody can tell '
    "whether the promise is on track, and the accounting cannot say whether it was kept.",
    bad="status: promised\n# no due",
    good="status: promised\ndue: 2026-12-15",
)
def undated(promise: Promise, context: Context) -> Found:
    status = promise.status
    if status is not None and status.needs_due and promise.due is None and "due" not in promise.invalid:
        yield (
            promise.at("due"),
            (f"a {status.value} promise needs a `due` date: write the day you commit to, e.g. `due: 2026-12-15`"),
        )


@rule(
    "P103",
    "date-order",
    ERROR,
    "Dates are out of order: requested ≤ promised ≤ due; promised ≤ delivered ≤ accepted; promised ≤ closed.",
    why="The milestones record a conversation: a request, a promise, a delivery, an acceptance. A promise "
    "due before it was made, or accepted before it was delivered, is a typo that would corrupt the "
    "accounting.",
    bad="promised: 2026-10-03\ndue: 2026-09-15",
    good="promised: 2026-10-03\ndue: 2026-12-15",
)
def date_order(promise: Promise, context: Context) -> Found:
    for chain in _ORDER:
        present = [(name, getattr(promise, name)) for name in chain if getattr(promise, name) is not None]
        for (early, early_date), (late, late_date) in zip(present, present[1:], strict=False):
            if early_date > late_date:
                later_in_file = max((early, late), key=lambda name: promise.at(name))
                yield (
                    promise.at(later_in_file),
                    (
                        f"`{late}: {late_date}` is before `{early}: {early_date}`: "
                        f"{late} must be on or after {early}; correct whichever date "
                        "is wrong"
                    ),
                )


@rule(
    "P104",
    "missing-milestone",
    ERROR,
    "A milestone date that the status requires is absent.",
    why="Each status is a step in the conversation, and each step has a date: when it was promised, "
    "delivered, accepted or closed. These dates are what reliability is computed from.",
    bad="status: delivered\npromised: 2026-10-03\n# no delivered",
    good="status: delivered\npromised: 2026-10-03\ndelivered: 2026-12-10",
)
def missing_milestone(promise: Promise, context: Context) -> Found:
    status = promise.status
    if status is None:
        return
    for name in status.required_dates:
        if getattr(promise, name) is None and name not in promise.invalid:
            yield (
                promise.at(name),
                (
                    f"a {status.value} promise needs `{name}`: write the day it was {name}, "
                    f"e.g. `{name}: {_example(promise)}`"
                ),
            )


def _example(promise: Promise) -> str:
    known = [d for d in (promise.requested, promise.promised, promise.delivered, promise.due) if d]
    return str(max(known)) if known else "2026-12-01"
