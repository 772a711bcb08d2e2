"""Rules that read git: P304, P305 (who committed a milestone) and P403, P406, P407 (`--base REV`).

`read.history` asks git; these checks only compare what it found with the promises as they are.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..model import MILESTONES, Position, Promise, Renegotiation
from .rule import ERROR, WARNING, Context, Scope, rule

Found = Iterator[tuple[str, Position, str]]
_IN_GIT = "in a git repository, with people's emails in promisesite.yaml"
_WITH_BASE = "with `check --base REV`"


@rule(
    "P304",
    "acceptance-author",
    WARNING,
    "The commit that set `accepted` was not authored by the customer or a member of the customer team.",
    why="Only the customer declares satisfaction. If the promiser marks their own promise accepted, the "
    "accounting records a satisfaction nobody declared. The check uses commit authors' emails and "
    "the emails in the registry.",
    bad="# commit by ana.lima@example.com (the promiser)\nstatus: accepted",
    good="# commit by a member of the customer team\nstatus: accepted",
    scope=Scope.HISTORY,
    needs=_IN_GIT,
    reports_at=("accepted",),
)
def acceptance_author(promises: Sequence[Promise], context: Context) -> Found:
    if not context.history.files or not context.registry.has_emails:
        return  # nothing to judge by: no commits, or nobody's email
    for promise in promises:
        team = context.registry.teams.get(promise.customer)
        who = f"the customer {promise.customer}" + (" or a member of it" if team else "")
        yield from _author(
            promise, context, acceptance_author.code, "accepted", team.members if team else (promise.customer,), who
        )


@rule(
    "P305",
    "promise-author",
    WARNING,
    "The commit that set `promised` was not authored by the promiser.",
    why="A promise is made voluntarily by the promiser. A promise entered by someone else on their behalf "
    "may be an assignment dressed up as a promise; the promiser should make it themselves.",
    bad="# commit by the team lead\npromiser: ana.lima\nstatus: promised",
    good="# commit by ana.lima@example.com\npromiser: ana.lima\nstatus: promised",
    scope=Scope.HISTORY,
    needs=_IN_GIT,
    reports_at=("promised",),
)
def promise_author(promises: Sequence[Promise], context: Context) -> Found:
    if not context.history.files or not context.registry.has_emails:
        return
    for promise in promises:
        yield from _author(
            promise, context, promise_author.code, "promised", (promise.promiser,), f"the promiser {promise.promiser}"
        )


def _author(promise: Promise, context: Context, code: str, name: str, handles: Sequence[str], who: str) -> Found:
    """Who committed the milestone's value, judged by the registered emails of `handles`."""
    history = context.history.of(promise.path)
    day = getattr(promise, name)
    setter = history.setters.get(name) if history else None
    if history is None or day is None or setter is None or history.committed.get(name) != day.isoformat():
        return  # not set, or changed since the last commit: the commit that sets it is judged
    people = context.registry.people
    allowed = {people[h].email.lower() for h in handles if h in people and people[h].email}
    if allowed and setter.email.lower() not in allowed:
        yield (
            promise.path,
            promise.at(name),
            f"`{name}` was set in commit {setter.commit[:10]} by {setter.author} "
            f"<{setter.email}>, not by {who}: let {who} commit it (their email "
            "in promisesite.yaml is how they are known), or explain the "
            f"exception with a waiver for {code}",
        )


@rule(
    "P403",
    "silent-renegotiation",
    ERROR,
    "`due` changed against the base revision without a new renegotiation entry.",
    why="Moving a due date quietly is how promises are broken without anyone noticing. In a pull request, "
    "a changed `due` must come with a renegotiation entry that says when, why and who agreed.",
    bad="-due: 2026-12-01\n+due: 2026-12-15",
    good="-due: 2026-12-01\n+due: 2026-12-15\n+renegotiations:\n+  - {on: 2026-11-18, was: 2026-12-01, "
    "due: 2026-12-15, reason: …, agreed_by: payments}",
    scope=Scope.BASE,
    needs=_WITH_BASE,
    reports_at=("due",),
)
def silent_renegotiation(promises: Sequence[Promise], context: Context) -> Found:
    for promise, was in _changed(promises, context):
        if promise.due and was.due and promise.due != was.due and not appended(promise, was):
            yield (
                promise.path,
                promise.at("due"),
                f"`due` moved from {was.due} (at {context.revision}) to {promise.due} without a new renegotiation "
                f"entry: add one under `renegotiations:` with `was: {was.due}`, `due: {promise.due}`, `on`, "
                f"`reason` and `agreed_by: {_customer(promise)}`, or put back `due: {was.due}`",
            )


@rule(
    "P406",
    "status-backwards",
    WARNING,
    "The status moved backwards in the lifecycle against the base revision (e.g. accepted → promised).",
    why="The conversation for action moves forward: request, promise, delivery, acceptance. A status that "
    "moves back usually means an acceptance was withdrawn or a mistake corrected; either deserves a "
    "look in review.",
    bad="-status: accepted\n+status: promised",
    good="-status: promised\n+status: delivered",
    scope=Scope.BASE,
    needs=_WITH_BASE,
    reports_at=("status",),
)
def status_backwards(promises: Sequence[Promise], context: Context) -> Found:
    for promise, was in _changed(promises, context):
        if promise.status and was.status and promise.status.stage < was.status.stage:
            yield (
                promise.path,
                promise.at("status"),
                f"`status` moved back from {was.status.value} (at {context.revision}) to {promise.status.value}: "
                f"put back `status: {was.status.value}`, or if {_customer(promise)} agreed to reopen it, record "
                "that in a renegotiation entry",
            )


@rule(
    "P407",
    "conditions-changed",
    WARNING,
    "`done_when` changed against the base revision without a renegotiation entry whose `changed` says so.",
    why="Changing the conditions of satisfaction changes the promise. The customer must agree, and the "
    "record should show it: add a renegotiation entry whose `changed` describes the new scope.",
    bad="-  - p95 below 300 ms\n+  - p95 below 500 ms",
    good="+  - {on: 2026-11-18, was: …, due: …, reason: …, agreed_by: payments,\n+     "
    "changed: p95 target relaxed to 500 ms}",
    scope=Scope.BASE,
    needs=_WITH_BASE,
    reports_at=("done_when",),
)
def conditions_changed(promises: Sequence[Promise], context: Context) -> Found:
    for promise, was in _changed(promises, context):
        if promise.done_when != was.done_when and not any(e.changed for e in appended(promise, was)):
            yield (
                promise.path,
                promise.at("done_when"),
                f"`done_when` changed since {context.revision} without a new renegotiation entry whose `changed` "
                f"says so: add one agreed by {_customer(promise)} with `changed:` describing the new "
                "conditions, or put back the conditions as they were",
            )


@rule(
    "P408",
    "history-rewritten",
    ERROR,
    "A renegotiation entry the base revision has was changed, reordered or removed, or a milestone date it "
    "had set now holds another date.",
    why="The renegotiations and the milestones are the record: what was agreed, when, and by whom. Editing an "
    "old entry, or moving `delivered` earlier, rewrites that record quietly: a late delivery becomes a kept "
    "one, a broken promise a renegotiated one. The record only grows: append a new entry instead.",
    bad="   - on: 2026-11-18\n     was: 2026-12-01\n-    due: 2026-12-15\n+    due: 2027-01-15",
    good="   - on: 2026-11-18\n     was: 2026-12-01\n     due: 2026-12-15\n+  - on: 2026-12-10\n+    was: 2026-12-15\n"
    "+    due: 2027-01-15\n+    reason: …\n+    agreed_by: payments",
    scope=Scope.BASE,
    needs=_WITH_BASE,
    reports_at=("renegotiations", "renegotiations.*", *MILESTONES),
)
def history_rewritten(promises: Sequence[Promise], context: Context) -> Found:
    for promise, was in _changed(promises, context):
        now = promise.renegotiations
        for index, old in enumerate(was.renegotiations):
            number = index + 1
            if index >= len(now):
                yield (
                    promise.path,
                    promise.at("renegotiations"),
                    f"renegotiation {number} (of {old.on or '?'}, {old.was or '?'} → {old.due or '?'}) is gone since "
                    f"{context.revision}: the record only grows, so put it back and append a new entry for what "
                    "changed",
                )
            elif _content(now[index]) != _content(old) or (old.cause and now[index].cause != old.cause):
                # A cause may be added to an entry later (the team learnt why); one given stays.
                changed = ", ".join(
                    f"`{name}` {_shown(getattr(old, name))} → {_shown(getattr(now[index], name))}"
                    for name in (*_ENTRY_FIELDS, "cause")
                    if getattr(old, name) != getattr(now[index], name) and (name != "cause" or old.cause)
                )
                yield (
                    promise.path,
                    promise.at(now[index].key),
                    f"renegotiation {number} was rewritten since {context.revision} ({changed}): the record only "
                    "grows, so put the entry back as it was and append a new one with what changed",
                )
        for name in MILESTONES:
            before, after = getattr(was, name), getattr(promise, name)
            if before is not None and after is not None and before != after:
                yield (
                    promise.path,
                    promise.at(name),
                    f"`{name}` was {before} at {context.revision} and is now {after}: a milestone that happened "
                    f"stays as it was recorded; put back `{name}: {before}`",
                )


@rule(
    "P409",
    "promise-deleted",
    ERROR,
    "A promise file the base revision has is gone (an error if the promise was open there, a warning if closed).",
    why="Deleting a promise removes it from the record and from the accounting: a broken promise disappears "
    "from its promiser's reliability, and a customer loses what they were waiting for. A promise ends with "
    "a status, not a deletion: accepted, declined, withdrawn, revoked or cancelled, with the date and why.",
    bad="$ git rm promises/checkout-latency.md",
    good="status: cancelled\nclosed: 2026-11-21\nclosed_reason: payments moved to a new provider",
    scope=Scope.BASE,
    needs=_WITH_BASE,
)
def promise_deleted(promises: Sequence[Promise], context: Context) -> Iterator[tuple[str, Position, str, str]]:
    ids = {promise.id for promise in promises}
    for path, was in sorted(context.deleted.items()):
        if was.id in ids:
            continue  # moved to another folder, or copied before being removed: the promise is still here
        state = was.status.value if was.status else "unreadable"
        close = (
            "close it with a status instead (`withdrawn` or `declined` for a request, `revoked` or `cancelled` "
            "with `closed` and `closed_reason` for a promise), so that the record and the accounting keep it"
        )
        yield (
            path,
            (1, 1),
            f"the promise `{was.id}` ({state} at {context.revision}) was deleted: {close}",
            ERROR if was.is_open else WARNING,
        )


def _changed(promises: Sequence[Promise], context: Context) -> Iterator[tuple[Promise, Promise]]:
    """Each promise with its version at the base revision, when it has one."""
    for promise in promises:
        was = context.base.get(promise.path)
        if was is not None:
            yield promise, was


def _customer(promise: Promise) -> str:
    return promise.customer or "the customer"


_ENTRY_FIELDS = ("on", "was", "due", "reason", "agreed_by", "changed")


def _content(entry: Renegotiation) -> tuple:
    return tuple(getattr(entry, name) for name in _ENTRY_FIELDS)


def _shown(value: object) -> str:
    return f"`{value}`" if value not in (None, "") else "(none)"


def appended(promise: Promise, was: Promise) -> tuple[Renegotiation, ...]:
    """The entries after those the base version has: what this change adds to the record."""
    return promise.renegotiations[len(was.renegotiations) :]
