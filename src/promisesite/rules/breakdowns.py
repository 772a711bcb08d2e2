"""P40x: breakdowns — renegotiating openly, before the date passes, and asking for help."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import RENEGOTIATION_REQUIRED, Position, Promise, Registry, Status
from ..outcomes import Outcome, due_in_force, is_missed, outcome
from ..text import plural
from .people import fold
from .rule import ERROR, WARNING, Context, rule

Found = Iterator[tuple[Position, str]]


@rule(
    "P401",
    "renegotiation-mismatch",
    ERROR,
    "`due` differs from the newest renegotiation's `due`, or an entry's `was` differs from the previous `due`.",
    why="The renegotiation history is the record that a date moved openly. If `due` and the newest entry "
    "disagree, either the date moved again without a record or the record is wrong; either way nobody "
    "can trust the date.",
    bad="due: 2026-12-15\nrenegotiations:\n  - {on: 2026-11-18, was: 2026-12-01, due: 2026-12-10, "
    "reason: …, agreed_by: payments}",
    good="due: 2026-12-15\nrenegotiations:\n  - {on: 2026-11-18, was: 2026-12-01, due: 2026-12-15, "
    "reason: …, agreed_by: payments}",
)
def renegotiation_mismatch(promise: Promise, context: Context) -> Found:
    entries = promise.renegotiations
    for index, entry in enumerate(entries):
        previous = entries[index - 1] if index else None
        if previous is not None and entry.was and previous.due and entry.was != previous.due:
            number = _number(entry.key)
            yield (
                promise.at(entry.key, "was"),
                (
                    f"renegotiation {number} says `was: {entry.was}` but renegotiation "
                    f"{number - 1} moved the date to {previous.due}: write "
                    f"`was: {previous.due}`"
                ),
            )
    if entries and entries[-1].due and promise.due and promise.due != entries[-1].due:
        yield (
            promise.at("due"),
            (
                f"`due: {promise.due}` differs from the newest renegotiation's "
                f"`due: {entries[-1].due}`: if the date moved again, add a renegotiation "
                f"entry with `was: {entries[-1].due}`; otherwise correct `due`"
            ),
        )


@rule(
    "P402",
    "renegotiation-incomplete",
    ERROR,
    "A renegotiation lacks `on`, `was`, `due`, `reason` or `agreed_by`, or `agreed_by` is not the customer.",
    why="A renegotiation is a new promise made with the customer's consent. Without the date it was agreed, "
    "the old and new dates, the reason and the customer's name, it is just a moved date.",
    bad="  - on: 2026-11-18\n    was: 2026-12-01\n    due: 2026-12-15\n    agreed_by: payments",
    good="  - on: 2026-11-18\n    was: 2026-12-01\n    due: 2026-12-15\n"
    "    reason: the database upgrade moved one week\n    agreed_by: payments",
)
def renegotiation_incomplete(promise: Promise, context: Context) -> Found:
    for entry in promise.renegotiations:
        number = _number(entry.key)
        missing = [name for name in RENEGOTIATION_REQUIRED if not getattr(entry, name) and name not in entry.invalid]
        if missing:
            yield (
                promise.at(entry.key),
                (
                    f"renegotiation {number} lacks {', '.join(f'`{m}`' for m in missing)}: "
                    "record when it was agreed (`on`), the old and new dates (`was`, "
                    "`due`), why (`reason`) and who agreed (`agreed_by`)"
                ),
            )
        if entry.agreed_by and promise.customer and not speaks_for(entry.agreed_by, promise.customer, context.registry):
            yield (
                promise.at(entry.key, "agreed_by"),
                (
                    f"renegotiation {number} was agreed by `{entry.agreed_by}`, "
                    f"not by the customer: only `{promise.customer}` can agree "
                    f"a new date; write `agreed_by: {promise.customer}`"
                ),
            )


@rule(
    "P404",
    "overdue",
    WARNING,
    "An open promise is past its `due` date (an error with `--strict`).",
    why="A promise past its date without a renegotiation is on its way to being broken. The protocol is to "
    "renegotiate before the date passes, or report delivery. A request or an offer past its date is waiting "
    "for an answer instead: nobody has promised it yet. A warning, because the calendar moves without any "
    "edit; `--strict` makes it fail CI.",
    bad="status: promised\ndue: 2026-11-01   # today is 2026-11-21",
    good="status: delivered\ndelivered: 2026-10-30\ndue: 2026-11-01",
    strict_level=ERROR,
)
def overdue(promise: Promise, context: Context) -> Found:
    due, status = promise.due, promise.status
    if due is None or status is None:
        return
    days = plural((context.today - due).days, "day")
    customer = promise.customer or "the customer"
    if promise.overdue_on(context.today) and status is Status.DELIVERED and promise.delivered is not None:
        late = plural((promise.delivered - due).days, "day")
        yield (
            promise.at("due"),
            f"delivered on {promise.delivered}, {late} after its due date {due}, and not accepted yet: {customer} "
            "to accept it (`status: accepted` with `accepted:` the day they do) or say what is missing; it counts "
            f"as late, so give its `cause` (one of {', '.join(context.registry.causes)})",
        )
    elif promise.overdue_on(context.today):
        yield (
            promise.at("due"),
            f"due {due}, {days} ago, and still {status.value}: renegotiate with {customer} (a `renegotiations` "
            "entry and a new `due`) or report delivery (`status: delivered` with `delivered:`)",
        )
    elif promise.unanswered_on(context.today) and status is Status.REQUESTED:
        yield (
            promise.at("due"),
            f"requested for {due}, {days} ago, and not answered yet; answer it: promise it (`status: promised` with "
            f"`promised:` and a `due` you can keep), counter-offer (`status: countered`) or decline "
            f"(`status: declined`), or ask {customer} to withdraw it (`status: withdrawn`)",
        )
    elif promise.unanswered_on(context.today):
        yield (
            promise.at("due"),
            f"{'offered' if status is Status.OFFERED else 'counter-offered'} for {due}, {days} ago, and not "
            f"answered yet; ask {customer} to answer it: accept it (`status: promised` with `promised:` and a "
            "`due` both can keep) or withdraw the request (`status: withdrawn`); or take the offer back "
            "(`status: declined`)",
        )


@rule(
    "P405",
    "at-risk-without-help",
    WARNING,
    "`confidence: low` and no `help`.",
    why="Low confidence is honest and useful, but only if it comes with a request for help: who can "
    "unblock it, and when to ask. Otherwise the risk is just recorded, not managed.",
    bad="confidence: low",
    good="confidence: low\nhelp: ask bo.chen (database on-call) if the upgrade slips",
)
def at_risk_without_help(promise: Promise, context: Context) -> Found:
    if promise.confidence == "low" and not promise.help:
        registry = context.registry
        team = registry.teams.get(promise.team or registry.team_of(promise.promiser))
        others = [m for m in team.members if m != promise.promiser] if team is not None else []
        who = others[0] if others else "the person who can unblock it"
        yield (
            promise.at("confidence"),
            (
                "confidence is low and nobody is asked for help: add `help:` saying who can unblock it and "
                f"when you will ask, e.g. `help: ask {who} if <the risk> happens by <a date before the due date>`"
            ),
        )


@rule(
    "P410",
    "missing-cause",
    WARNING,
    "A promise counted late or broken, or revoked, has no `cause`.",
    why="A missed promise is a chance to learn what breaks promises, and the accounting can only teach "
    "if each miss says why: the site counts the causes, most frequent first, for every team and person "
    "(the Last Planner System's reasons for non-completion). One word from a short list is enough.",
    bad="status: accepted\ndue: 2026-11-01\ndelivered: 2026-11-09",
    good="status: accepted\ndue: 2026-11-01\ndelivered: 2026-11-09\ncause: dependency",
)
def missing_cause(promise: Promise, context: Context) -> Found:
    if promise.cause or "cause" in promise.invalid:
        return
    found = outcome(promise, context.today, due_in_force(promise, context.history.of(promise.path)))
    if not is_missed(promise, found):
        return
    if promise.status is Status.REVOKED:
        what = "revoked"
    else:
        what = "delivered late" if found is Outcome.LATE else "counted as broken"
    yield (
        promise.at("status"),
        f"{what} with no `cause`: say why in one word, `cause:` one of {', '.join(context.registry.causes)} "
        f"(e.g. `cause: {context.registry.causes[0]}`), so the site can count what breaks promises",
    )


def speaks_for(agreed_by: str, customer: str, registry: Registry) -> bool:
    """The customer agrees, or a member of the customer team agrees on its behalf."""
    if fold(agreed_by) == fold(customer):
        return True
    team = registry.teams.get(customer)
    return team is not None and agreed_by in team.members


def _number(key: str) -> int:
    """`renegotiations.2` → 3: the entry as people count."""
    return int(key.rsplit(".", 1)[-1]) + 1
