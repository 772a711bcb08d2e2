"""Rules that read git: P304, P305 (who committed a milestone) and P403, P406, P407 (`--base REV`).

`read.history` asks git; these checks only compare what it found with the promises as they are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from ..model import Position, Promise, Renegotiation
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
        if promise.due and was.due and promise.due != was.due and not new_renegotiations(promise, was):
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
        if promise.done_when != was.done_when and not any(e.changed for e in new_renegotiations(promise, was)):
            yield (
                promise.path,
                promise.at("done_when"),
                f"`done_when` changed since {context.revision} without a new renegotiation entry whose `changed` "
                f"says so: add one agreed by {_customer(promise)} with `changed:` describing the new "
                "conditions, or put back the conditions as they were",
            )


def _changed(promises: Sequence[Promise], context: Context) -> Iterator[tuple[Promise, Promise]]:
    """Each promise with its version at the base revision, when it has one."""
    for promise in promises:
        was = context.base.get(promise.path)
        if was is not None:
            yield promise, was


def _customer(promise: Promise) -> str:
    return promise.customer or "the customer"


def new_renegotiations(promise: Promise, was: Promise) -> list[Renegotiation]:
    """The entries the promise has that its base version did not, with the same content."""

    def content(entry: Renegotiation) -> tuple:
        return entry.on, entry.was, entry.due, entry.reason, entry.agreed_by, entry.changed

    old = Counter(content(entry) for entry in was.renegotiations)
    new = []
    for entry in promise.renegotiations:
        if old[content(entry)]:
            old[content(entry)] -= 1
        else:
            new.append(entry)
    return new
