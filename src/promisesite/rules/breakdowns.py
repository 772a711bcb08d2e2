"""P40x: breakdowns — renegotiating openly, before the date passes, and asking for help."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Iterator

from ..findings import Finding
from ..model import RENEGOTIATION_REQUIRED, Promise
from . import Rule
from .people import fold

if TYPE_CHECKING:
    from ..config import Config

RENEGOTIATION_MISMATCH = Rule(
    "P401", "renegotiation-mismatch", "error",
    "`due` differs from the newest renegotiation's `due`, or an entry's `was` differs from the previous `due`.",
    why="The renegotiation history is the record that a date moved openly. If `due` and the newest entry "
        "disagree, either the date moved again without a record or the record is wrong; either way nobody "
        "can trust the date.",
    bad="due: 2026-12-15\nrenegotiations:\n  - {on: 2026-11-18, was: 2026-12-01, due: 2026-12-10, "
        "reason: …, agreed_by: payments}",
    good="due: 2026-12-15\nrenegotiations:\n  - {on: 2026-11-18, was: 2026-12-01, due: 2026-12-15, "
         "reason: …, agreed_by: payments}")
RENEGOTIATION_INCOMPLETE = Rule(
    "P402", "renegotiation-incomplete", "error",
    "A renegotiation lacks `on`, `was`, `due`, `reason` or `agreed_by`, or `agreed_by` is not the customer.",
    why="A renegotiation is a new promise made with the customer's consent. Without the date it was agreed, "
        "the old and new dates, the reason and the customer's name, it is just a moved date.",
    bad="  - on: 2026-11-18\n    was: 2026-12-01\n    due: 2026-12-15\n    agreed_by: payments",
    good="  - on: 2026-11-18\n    was: 2026-12-01\n    due: 2026-12-15\n"
         "    reason: the database upgrade moved one week\n    agreed_by: payments")
OVERDUE = Rule(
    "P404", "overdue", "warning",
    "An open promise is past its `due` date (an error with `--strict`).",
    why="A promise past its date without a renegotiation is on its way to being broken. The protocol is to "
        "renegotiate before the date passes, or report delivery. A warning, because the calendar moves "
        "without any edit; `--strict` makes it fail CI.",
    bad="status: promised\ndue: 2026-11-01   # today is 2026-11-21",
    good="status: delivered\ndelivered: 2026-10-30\ndue: 2026-11-01")
AT_RISK_WITHOUT_HELP = Rule(
    "P405", "at-risk-without-help", "warning", "`confidence: low` and no `help`.",
    why="Low confidence is honest and useful, but only if it comes with a request for help: who can "
        "unblock it, and when to ask. Otherwise the risk is just recorded, not managed.",
    bad="confidence: low", good="confidence: low\nhelp: ask bo.chen (database on-call) if the upgrade slips")


def check_breakdowns(promise: Promise, config: Config, today: dt.date) -> Iterator[Finding]:
    path = promise.path
    entries = promise.renegotiations
    for index, entry in enumerate(entries):
        key = (entry.key,)
        number = int(entry.key.rsplit(".", 1)[-1]) + 1
        missing = [name for name in RENEGOTIATION_REQUIRED if not getattr(entry, name) and name not in entry.invalid]
        if missing:
            yield RENEGOTIATION_INCOMPLETE.at(path, promise.at(*key),
                                              f"renegotiation {number} lacks {', '.join(f'`{m}`' for m in missing)}: "
                                              "record when it was agreed (`on`), the old and new dates "
                                              "(`was`, `due`), why (`reason`) and who agreed (`agreed_by`)")
        if entry.agreed_by and promise.customer and not _speaks_for(entry.agreed_by, promise.customer, config):
            yield RENEGOTIATION_INCOMPLETE.at(path, promise.at(*key, "agreed_by"),
                                              f"renegotiation {number} was agreed by `{entry.agreed_by}`, not by "
                                              f"the customer: only `{promise.customer}` can agree a new date; "
                                              f"write `agreed_by: {promise.customer}`")
        if index and entry.was and entries[index - 1].due and entry.was != entries[index - 1].due:
            yield RENEGOTIATION_MISMATCH.at(path, promise.at(*key, "was"),
                                            f"renegotiation {number} says `was: {entry.was}` but renegotiation "
                                            f"{number - 1} moved the date to {entries[index - 1].due}: write "
                                            f"`was: {entries[index - 1].due}`")
    if entries and entries[-1].due and promise.due and promise.due != entries[-1].due:
        yield RENEGOTIATION_MISMATCH.at(path, promise.at("due"),
                                        f"`due: {promise.due}` differs from the newest renegotiation's "
                                        f"`due: {entries[-1].due}`: if the date moved again, add a renegotiation "
                                        f"entry with `was: {entries[-1].due}`; otherwise correct `due`")
    if promise.is_open and promise.due and promise.due < today:
        delivered_on_time = promise.delivered is not None and promise.delivered <= promise.due
        if not delivered_on_time:
            days = (today - promise.due).days
            yield OVERDUE.at(path, promise.at("due"),
                             f"due {promise.due}, {days} day{'s' * (days != 1)} ago, and still "
                             f"{promise.status.value}: renegotiate with {promise.customer or 'the customer'} "
                             "(a `renegotiations` entry and a new `due`) or report delivery "
                             "(`status: delivered` with `delivered:`)")
    if promise.confidence == "low" and not promise.help:
        yield AT_RISK_WITHOUT_HELP.at(path, promise.at("confidence"),
                                      "confidence is low and nobody is asked for help: add `help:` saying who can "
                                      "unblock it and when you will ask, e.g. `help: ask bo.chen if the "
                                      "upgrade slips past 2026-11-20`")


def _speaks_for(agreed_by: str, customer: str, config: Config) -> bool:
    """The customer agrees, or a member of the customer team agrees on its behalf."""
    if fold(agreed_by) == fold(customer):
        return True
    team = config.teams.get(customer)
    return team is not None and agreed_by in team.members
