"""The moves of the conversation for action, made on a promise file as the record requires: the
status and its milestone date together, `closed` and `closed_reason` where a closing needs them,
and a renegotiation appended (never rewritten) with `was` from the file and `on` the day it is
written down. A move the lifecycle forbids is refused with the reason, and nothing is changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import Status
from .source import EditRefused, PromiseSource, scalar


@dataclass(frozen=True)
class Move:
    """A command's move: from which statuses, to which, and the date it records."""

    verb: str
    to: Status
    allowed_from: tuple[Status, ...]
    milestone: str  # the date field the move sets
    needs_reason: bool = False
    help: str = ""


_PROPOSALS = (Status.REQUESTED, Status.OFFERED, Status.COUNTERED)
_COMMITTED = (Status.PROMISED, Status.DELIVERED)
MOVES = {
    move.verb: move
    for move in (
        Move(
            "promise",
            Status.PROMISED,
            _PROPOSALS,
            "promised",
            help="The promiser commits; the customer accepts the terms.",
        ),
        Move("deliver", Status.DELIVERED, (Status.PROMISED,), "delivered", help="The promiser reports it done."),
        Move("accept", Status.ACCEPTED, (Status.DELIVERED,), "accepted", help="The customer declares satisfaction."),
        Move("decline", Status.DECLINED, _PROPOSALS, "closed", help="The promiser declines a request."),
        Move("withdraw", Status.WITHDRAWN, _PROPOSALS, "closed", help="The customer withdraws a request."),
        Move(
            "revoke",
            Status.REVOKED,
            _COMMITTED,
            "closed",
            True,
            "The promiser revokes a promise (it counts as broken).",
        ),
        Move("cancel", Status.CANCELLED, _COMMITTED, "closed", True, "The customer cancels a promise (not counted)."),
    )
}


def move(source: PromiseSource, verb: str, on: dt.date, reason: str = "") -> str:
    """Make the move on the file's text; what it did, in words. EditRefused for a move the lifecycle
    forbids, or one that lacks what it needs."""
    chosen = MOVES[verb]
    written = (source.value_of("status") or "").strip().lower()
    try:
        status = Status(written)
    except ValueError:
        raise EditRefused(
            f"the status is `{written or 'missing'}`, not one of the lifecycle: correct it first"
        ) from None
    if status is chosen.to:
        raise EditRefused(f"it is {status.value} already: nothing to do")
    if status not in chosen.allowed_from:
        raise EditRefused(_forbidden(chosen, status))
    if chosen.needs_reason and not reason.strip():
        raise EditRefused(f"{verb} needs --reason: one line on why, for the record and the accounting")
    if chosen.to is Status.PROMISED and not source.value_of("due") and not source.has("due"):
        raise EditRefused("a promise needs `due`: add the date you commit to first, then promise it")
    if chosen.to is Status.PROMISED and not _has_list(source, "done_when"):
        raise EditRefused("a promise needs `done_when`: add its conditions of satisfaction first, then promise it")
    if chosen.to is Status.ACCEPTED and not source.value_of("delivered"):
        raise EditRefused("accepted needs `delivered`: deliver it first (`promisesite deliver ID`)")
    source.set_scalar("status", chosen.to.value)
    date_key = chosen.milestone
    if date_key == "closed" and chosen.to in (Status.DECLINED, Status.WITHDRAWN):
        date_key = ""  # a request answered: no milestone the lifecycle requires
    if date_key:
        _set_after(source, date_key, on.isoformat())
    if reason.strip():
        _set_after(source, "closed_reason", reason.strip())
    said = f"status {status.value} → {chosen.to.value}"
    return said + (f", {date_key}: {on}" if date_key else "") + (f", closed_reason: {reason.strip()}" if reason else "")


def renegotiate(
    source: PromiseSource,
    due: dt.date,
    reason: str,
    on: dt.date,
    agreed_by: str = "",
    cause: str = "",
    changed: str = "",
) -> str:
    """Append a renegotiation entry (`was` the file's `due`, `on` the day) and move `due`."""
    written = (source.value_of("status") or "").strip().lower()
    if written not in (Status.PROMISED.value, Status.DELIVERED.value):
        raise EditRefused(
            "only a promise in force is renegotiated (promised or delivered), and this one is "
            f"{written or 'without a status'}: a request or an offer changes its `due` directly, and a closed "
            "promise stays as it was"
        )
    was = (source.value_of("due") or "").strip()
    if not was:
        raise EditRefused("the promise has no `due` to renegotiate from: add the date it was promised for first")
    if not reason.strip():
        raise EditRefused("a renegotiation needs --reason: why the date or the terms change")
    if due.isoformat() == was and not changed.strip():
        raise EditRefused(
            f"the date stays {was}: say what else changes with --changed (scope, conditions, cost), or give a new --due"
        )
    customer = (source.value_of("customer") or "").strip()
    entry = [f"on: {on}", f"was: {was}", f"due: {due}", f"reason: {scalar(reason.strip())}"]
    entry.append(f"agreed_by: {agreed_by or customer}")
    if changed.strip():
        entry.append(f"changed: {scalar(changed.strip())}")
    if cause.strip():
        entry.append(f"cause: {cause.strip()}")
    source.append_entry("renegotiations", entry)
    if due.isoformat() != was:
        source.set_scalar("due", due.isoformat())
    moved = f"due {was} → {due}" if due.isoformat() != was else f"the date stays {was}, {changed.strip()}"
    return f"renegotiated on {on}: {moved}, agreed by {agreed_by or customer}"


def _set_after(source: PromiseSource, key: str, value: str) -> None:
    """Set a field, placing a new one after the dates of the conversation (or the status)."""
    if source.has(key):
        source.set_scalar(key, value)
        return
    anchor = next(
        (k for k in ("closed", "accepted", "delivered", "promised", "requested", "due", "status") if source.has(k)),
        None,
    )
    source.insert_lines([f"{key}: {scalar(value)}"], after=anchor)


def _has_list(source: PromiseSource, key: str) -> bool:
    node = source.node(key)
    return node is not None and bool(getattr(node, "value", None))


def _forbidden(chosen: Move, status: Status) -> str:
    if chosen.to in (Status.DECLINED, Status.WITHDRAWN) and status in _COMMITTED:
        ending = "revoke (the promiser)" if chosen.to is Status.DECLINED else "cancel (the customer)"
        return (
            f"it was promised, and {chosen.to.value} ends a request nobody promised (P412): {ending} it instead, "
            "with --reason, so that it stays in the record and the accounting"
        )
    if chosen.to is Status.ACCEPTED and status is Status.PROMISED:
        return (
            "it is promised, not delivered yet: deliver it first (`promisesite deliver ID`), then the customer "
            "accepts it"
        )
    allowed = " or ".join(s.value for s in chosen.allowed_from)
    return f"{chosen.verb} moves a promise that is {allowed}, and this one is {status.value}"
