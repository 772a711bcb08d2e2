"""P2xx: conditions of satisfaction, and the vague words that hollow out a promise."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Position, Promise
from .rule import ERROR, WARNING, Context, rule

Found = Iterator[tuple[Position, str]]


@rule(
    "P201",
    "no-conditions",
    ERROR,
    "`done_when` is absent or empty where the status requires it.",
    why="Conditions of satisfaction are what the customer will check. Without them, promiser and customer "
    'each carry their own picture of "done", and the promise ends in an argument instead of an '
    "acceptance. A request may still lack them; once promised, they are required.",
    bad="status: promised\n# no done_when",
    good="status: promised\ndone_when:\n  - p95 latency of POST /checkout is below 300 ms for 7 consecutive days",
)
def no_conditions(promise: Promise, context: Context) -> Found:
    status = promise.status
    if status is not None and status.needs_conditions and not promise.done_when and "done_when" not in promise.invalid:
        yield (
            promise.at("done_when"),
            (
                f"a {status.value} promise needs `done_when`: list what the customer "
                "will check, e.g. `done_when:` and below it `  - the report has one "
                "row per invoice`"
            ),
        )


@rule(
    "P202",
    "placeholder",
    ERROR,
    'TBD, TBC, TODO, XXX, `???` or "to be determined" in the title or a condition.',
    why="A placeholder is a condition nobody has agreed yet. A promise whose outcome is still to be "
    "determined is a request: keep it `requested` until the conditions are written.",
    bad="done_when:\n  - TBD",
    good="done_when:\n  - the CSV export has one row per invoice",
)
def placeholder(promise: Promise, context: Context) -> Found:
    yield from _words(
        promise,
        context,
        "placeholder",
        "a placeholder is not a condition: write what will be observably true when it is done",
    )


@rule(
    "P203",
    "hedge",
    ERROR,
    "try, attempt, hopefully, aim to, best effort, if possible, might, maybe … in the title or a condition.",
    why='A hedge turns a promise into an intention. "We will try" cannot be broken, so it cannot be '
    "relied on. Promise what you will do, or counter-offer what you can do; if you are unsure, say so "
    "with `confidence` and `risks`, not in the outcome.",
    bad="title: Try to get checkout p95 latency under 300 ms",
    good="title: Checkout p95 latency under 300 ms\nconfidence: medium",
)
def hedge(promise: Promise, context: Context) -> Found:
    yield from _words(
        promise,
        context,
        "hedge",
        "it hedges the promise: state the result you commit to, and put doubt in `confidence` and `risks`",
    )


@rule(
    "P204",
    "vague-time",
    ERROR,
    "soon, ASAP, shortly, eventually, later, EOD/EOW, next week/sprint … in the title or a condition.",
    why='Time belongs in `due`, as a date. "ASAP" and "next sprint" mean different days to promiser and '
    "customer and drift as the calendar moves. A bound is fine: `no later than 2026-10-15` is a deadline.",
    bad="done_when:\n  - the fix is deployed to production ASAP",
    good="due: 2026-12-01\ndone_when:\n  - the fix is deployed to production",
)
def vague_time(promise: Promise, context: Context) -> Found:
    yield from _words(
        promise, context, "vague-time", "time belongs in `due` as a date: remove it here and put the day in `due`"
    )


@rule(
    "P205",
    "unmeasurable",
    ERROR,
    "A condition says improve, optimize, faster, easier, investigate … with no number, date or comparator.",
    why='"Improve the onboarding docs" is a direction, not a result: any change satisfies it and none '
    "does. A condition the customer can check states how far: a number, a date, a comparator "
    "(under, at least, <), or the observable result instead of the activity.",
    bad="done_when:\n  - improve the onboarding documentation",
    good="done_when:\n  - a new engineer completes the onboarding guide in under 2 hours without help",
)
def unmeasurable(promise: Promise, context: Context) -> Found:
    for index, condition in enumerate(promise.done_when):
        hits = context.hits(condition)
        if context.lexicon.measurable(condition, hits):
            continue
        found = next((hit for hit in hits if hit.category == "unmeasurable"), None)
        if found is not None:
            yield (
                _column(promise, ("done_when", index), found.start),
                f"`{found.phrase}` in condition {index + 1} cannot be checked: say how far, with a number, a "
                'date or a comparator (e.g. "to under 2 seconds"), or state the observable result instead of '
                "the activity",
            )


@rule(
    "P206",
    "weasel",
    WARNING,
    "very, fairly, quite, usually, several, robust, seamless, significant, etc. … in the title or a condition.",
    why='Weasel words sound precise and are not: "fairly complete", "robust", "several". Each is a place '
    "where promiser and customer will disagree later. A warning, because sometimes the word is exactly "
    "right; waive it in the file with a reason when it is.",
    bad="done_when:\n  - the runbook has a fairly complete section on rollbacks",
    good="done_when:\n  - the runbook has a rollback section covering the 4 services in the payment path",
)
def weasel(promise: Promise, context: Context) -> Found:
    yield from _words(promise, context, "weasel", "it is vague: say how much or how many, or remove it")


def _texts(promise: Promise) -> Iterator[tuple[str, tuple[str | int, ...], str]]:
    """The texts word rules judge: the title and each condition, with where they stand."""
    if promise.title:
        yield promise.title, ("title",), "the title"
    for index, condition in enumerate(promise.done_when):
        yield condition, ("done_when", index), f"condition {index + 1}"


def _words(promise: Promise, context: Context, category: str, advice: str) -> Found:
    for text, keys, where in _texts(promise):
        for hit in context.hits(text):
            if hit.category == category:
                yield _column(promise, keys, hit.start), f"`{hit.phrase}` in {where}: {advice}"


def _column(promise: Promise, keys: tuple[str | int, ...], offset: int) -> Position:
    """The position of a word inside a value; the value's own position when it spans lines."""
    value_at = promise.positions.get(".".join(str(k) for k in keys) + "=")
    if value_at is None:
        return promise.at(*keys)
    line, column = value_at
    return line, column + offset
