"""Rules that read git: P304, P305 (who committed a milestone) and P403, P406, P407 (`--base REV`).

`read.history` asks git; these checks only compare what it found with the promises as they are.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..model import MILESTONES, Position, Promise, Renegotiation, Status
from .rule import ERROR, WARNING, Context, Scope, rule

Found = Iterator[tuple[str, Position, str]]
# The record rules, by code: a rule module cannot read the catalogue it is part of.
_RECORD = frozenset(("P403", "P406", "P407", "P408", "P409", "P411", "P412"))
# Committers that are a forge's own hand on a merge made in its web page (GitHub's web flow).
_FORGE_MERGES = frozenset(("noreply@github.com",))
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
    if setter.imported:
        return  # part of the import before `record_since`: the record starts after it
    whose = "the customer's" if code == "P304" else "the promiser's"
    people = context.registry.people
    allowed = {people[h].email.lower() for h in handles if h in people and people[h].email}
    committer = setter.committer_email.lower()
    if committer in _FORGE_MERGES:
        committer = ""  # a merge made on the forge's web page: the author is who wrote it
    if not allowed:
        return
    if setter.email.lower() not in allowed:
        by = f"by {setter.author} <{setter.email}>"
    elif committer and committer not in allowed:
        by = f"by {setter.author} <{setter.email}> but committed by <{setter.committer_email}>"
    else:
        return
    yield (
        promise.path,
        promise.at(name),
        f"`{name}` was set in commit {setter.commit[:10]} {by}, not by {who}: let {who} commit it (their "
        "email in promisesite.yaml is how they are known), or explain the exception with a waiver for "
        f"{code}. Git names are what the committer typed: the sign-off that counts is {whose} review on the "
        "forge (`promisesite codeowners`)",
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
    record=True,
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
    record=True,
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
    record=True,
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
    record=True,
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
    record=True,
)
def promise_deleted(promises: Sequence[Promise], context: Context) -> Iterator[tuple[str, Position, str, str]]:
    ids = {promise.id for promise in promises}
    for path, was in sorted(context.deleted.items()):
        if was.id in ids:
            continue  # moved to another folder, or copied before being removed: the promise is still here
        state = was.status.value if was.status else "unreadable"
        promised = was.promised is not None or (was.status is not None and not was.status.is_proposal)
        if not was.is_open:
            close = "put the file back as it was: a closed promise stays in the record and the accounting"
        elif promised:
            close = (
                "put the file back and close it with a status instead (`status: delivered` and then `accepted`, "
                "or `revoked` by the promiser or `cancelled` by the customer, with `closed` and `closed_reason`), "
                "so that the record and the accounting keep it"
            )
        else:
            close = (
                "put the file back and close it with a status instead (`declined` by the promiser or `withdrawn` "
                "by the customer), so that the record keeps the request and its answer"
            )
        yield (
            path,
            (1, 1),
            f"the promise `{was.id}` ({state} at {context.revision}) was deleted: {close}",
            ERROR if was.is_open else WARNING,
        )


def _changed(promises: Sequence[Promise], context: Context) -> Iterator[tuple[Promise, Promise]]:
    """Each promise with its version at the base revision, when it has one."""
    if not context.base:
        return
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


@rule(
    "P411",
    "backdated-entry",
    ERROR,
    "A renegotiation entry appended since the base revision is dated (`on`) before that revision's commit.",
    why="A renegotiation counts as honest when it was agreed before the old date passed. An entry written today "
    "but dated weeks ago turns a broken promise into a renegotiated one after the fact. An entry is dated when "
    "it is written down: the day the change that adds it is made.",
    bad="# appended on 2026-11-21, to a promise due 2026-10-01\n  - on: 2026-09-25\n    was: 2026-10-01",
    good="  - on: 2026-11-21\n    was: 2026-10-01\n    due: 2026-12-15\n    reason: …\n    agreed_by: payments",
    scope=Scope.BASE,
    needs=_WITH_BASE,
    reports_at=("renegotiations.*",),
    record=True,
)
def backdated_entry(promises: Sequence[Promise], context: Context) -> Found:
    written = context.base_date
    if written is None:
        return
    for promise, was in _changed(promises, context):
        for entry in appended(promise, was):
            if entry.on is not None and entry.on < written:
                yield (
                    promise.path,
                    promise.at(f"{entry.key}.on") if promise.has(f"{entry.key}.on") else promise.at(entry.key),
                    f"this renegotiation is new since {context.revision} (committed {written.isoformat()}) but "
                    f"dated {entry.on.isoformat()}: date it the day it was agreed and written down, "
                    f"`on: {written.isoformat()}` or later; a promise past its old date is renegotiated late, "
                    "and the record should say so",
                )


@rule(
    "P412",
    "unpromised-close",
    ERROR,
    "`declined` or `withdrawn` on a promise that was promised (it has `promised`, or the base revision had it "
    "promised).",
    why="Declined and withdrawn end a request that nobody promised. A promise that was made ends as accepted, "
    "revoked by the promiser or cancelled by the customer, and counts in the accounting; calling it withdrawn "
    "would take a broken promise out of the record.",
    bad="status: withdrawn\npromised: 2026-10-03",
    good="status: cancelled\npromised: 2026-10-03\nclosed: 2026-11-21\nclosed_reason: payments moved to a new provider",
    scope=Scope.BASE,
    reports_at=("status",),
    record=True,
)
def unpromised_close(promises: Sequence[Promise], context: Context) -> Found:
    for promise in promises:
        if promise.status not in (Status.DECLINED, Status.WITHDRAWN):
            continue
        was = context.base.get(promise.path)
        if promise.promised is not None:
            when = f"it was promised on {promise.promised.isoformat()}"
        elif was is not None and (was.promised is not None or (was.status is not None and was.status.is_committed)):
            when = f"it was {was.status.value if was.status else 'promised'} at {context.revision}"
        else:
            continue
        ending = "revoked" if promise.status is Status.DECLINED else "cancelled"
        yield (
            promise.path,
            promise.at("status"),
            f"`{promise.status.value}` ends a request nobody promised, and {when}: end it as `{ending}` "
            f"({'by the promiser' if ending == 'revoked' else 'by the customer'}) with `closed: <date>` and "
            "`closed_reason`, so that it stays in the record and the accounting",
        )


@rule(
    "P413",
    "record-waiver",
    ERROR,
    "A waiver names a record rule (P403, P406–P409, P411, P412): the record cannot be excused.",
    why="A waiver is for a rule that is sometimes wrong about a word. The record rules guard what was agreed and "
    "when; the person they guard against could otherwise silence them in the same change. A mistake in the "
    "record is corrected in the open: a new renegotiation entry, a status with its reason.",
    bad="waivers:\n  - rule: P408\n    reason: a typo in the old date",
    good="renegotiations:\n  - on: 2026-11-21\n    was: 2026-12-01\n    due: 2026-12-15\n    reason: the old date "
    "was a typo; payments confirmed\n    agreed_by: payments",
    reports_at=("waivers.*",),
)
def record_waiver(promise: Promise, context: Context) -> Iterator[tuple[Position, str]]:
    for waiver in promise.waivers:
        if waiver.rule in _RECORD:
            yield (
                promise.at(f"{waiver.key}.rule") if promise.has(f"{waiver.key}.rule") else promise.at(waiver.key),
                f"{waiver.rule} guards the record, and no waiver silences it: remove this waiver and correct the "
                "record in the open (a new renegotiation entry, or a status with its reason)",
            )
