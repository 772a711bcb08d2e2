"""P2xx: conditions of satisfaction, and the vague words that hollow out a promise."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Position, Promise
from .rule import ERROR, WARNING, Context, rule
from .words import Hit

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
    for position, message, hit in _hits(promise, context, "vague-time"):
        if context.lexicon.is_cadence(hit.phrase):
            yield (
                position,
                message
                + (
                    "it says nothing of how often: say when, e.g. `every Monday`, `weekly`, or `within 1 working day "
                    "of each change`"
                ),
            )
        else:
            yield position, message + "time belongs in `due` as a date: remove it here and put the day in `due`"


@rule(
    "P205",
    "unmeasurable",
    ERROR,
    "The title or a condition states a direction, an evaluation or an activity and carries nothing the "
    "customer could check: no measure, no reference, no observable end state.",
    why='"Improve the onboarding docs" is a direction, not a result: any change satisfies it and none does. '
    '"The app is stable" and "stakeholders are aligned" are judgements: promiser and customer will judge '
    "differently on the due date. A condition the customer can check carries evidence: a number, a date or a "
    "cadence with one, a comparator with a quantity (under 2 s, at least 3), a baseline (faster than today's "
    "release, from 2.1% to 2.5%), a reference someone can open (a URL, a ticket, a path, a version), or the "
    "observable end state of a named thing (PR #482 is merged, GET /orders returns 401 without a token).",
    bad="done_when:\n  - the app is stable\n  - improve the onboarding documentation",
    good="done_when:\n  - the crash-free session rate in the App Store console is at least 99.5% for 14 days\n"
    "  - a new engineer completes the onboarding guide in under 2 hours without help",
)
def unmeasurable(promise: Promise, context: Context) -> Found:
    for text, keys, where in _texts(promise):
        found = next(
            (
                hit
                for hit in context.hits(text)
                if hit.category == "unmeasurable" and (hit.kind != "nothing" or keys[0] == "done_when")
            ),
            None,
        )
        if found is not None:
            yield (
                _column(promise, keys, found.start),
                f"`{found.phrase}` in {where} " + _ADVICE[found.kind or "direction"],
            )


_ADVICE = {
    "direction": "is a direction with no measure: say how far, with a number, a date or a comparator "
    '(e.g. "to under 2 seconds"), or a baseline ("from 2.1% to 2.5%")',
    "evaluation": "is a judgement the customer cannot check: say what they will observe, e.g. a number "
    '("error rate below 0.1% for 7 days"), a reference ("passes the checklist in docs/release.md") or an '
    'end state ("users can export invoices from the billing page")',
    "activity": "is an activity with no end state and nothing to check: say what will be true when it is done "
    '(e.g. "the 4 pilot teams have each answered the survey")',
    "nothing": "names nothing the customer can check: no measure, no reference, no observable end state. "
    'Say what they will see on the due date, e.g. "the macOS build is signed and passes Gatekeeper" or '
    '"the export has one row per invoice"',
    "weasel": "is vague and nothing beside it can be checked: say how much or how many, or name the standard "
    '(e.g. "reviewed by 2 maintainers", "meets WCAG 2.2 AA")',
}


@rule(
    "P206",
    "weasel",
    WARNING,
    "very, fairly, quite, usually, several, robust, seamless, significant, etc. … in a title or condition that "
    "otherwise carries checkable evidence (without any, it is P205).",
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
    for position, message, _ in _hits(promise, context, category):
        yield position, message + advice


def _hits(promise: Promise, context: Context, category: str) -> Iterator[tuple[Position, str, Hit]]:
    """Each phrase of the category in the title and the conditions, with its position and the start
    of its message."""
    for text, keys, where in _texts(promise):
        for hit in context.hits(text):
            if hit.category == category:
                yield _column(promise, keys, hit.start), f"`{hit.phrase}` in {where}: ", hit


def _column(promise: Promise, keys: tuple[str | int, ...], offset: int) -> Position:
    """The position of a word inside a value; the value's own position when it spans lines."""
    value_at = promise.positions.get(".".join(str(k) for k in keys) + "=")
    if value_at is None:
        return promise.at(*keys)
    line, column = value_at
    return line, column + offset


@rule(
    "P207",
    "no-end-state",
    WARNING,
    "A condition names an activity (gather, monitor, track, discuss, continue to …) beside evidence that does not "
    "say what will be true (without any evidence, it is P205).",
    why='An activity can go on for ever and be done on any day: "gather feedback from developers" is met by one '
    "conversation or by none. A condition says what will be true when the activity has done its work: a "
    "result, a deliverable, or a measure of how much and how often. A warning, because some activities are the "
    "commitment itself; waive it with a reason when one is.",
    bad="done_when:\n  - gather feedback from the pilot teams",
    good="done_when:\n  - the 4 pilot teams have each answered the feedback survey, and the results are in the wiki",
)
def no_end_state(promise: Promise, context: Context) -> Found:
    yield from _words(
        promise,
        context,
        "no-end-state",
        "an activity with no end state: say what will be true when it is done, or how much and how often",
    )
