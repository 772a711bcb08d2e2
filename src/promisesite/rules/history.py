"""Rules that read git: P304, P305 (who set a milestone) and P403, P406, P407 (`--base REV`).

`history.py` asks git; these functions only compare what it found with the promise as it is.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Iterable, Iterator

from ..findings import Finding
from ..model import Promise, Renegotiation
from . import Rule

if TYPE_CHECKING:
    from ..config import Config
    from ..history import FileHistory, History

ACCEPTANCE_AUTHOR = Rule(
    "P304", "acceptance-author", "warning",
    "The commit that set `accepted` was not authored by the customer or a member of the customer team.",
    why="Only the customer declares satisfaction. If the promiser marks their own promise accepted, the "
        "accounting records a satisfaction nobody declared. The check uses commit authors' emails and "
        "the emails in the registry.",
    bad="# commit by ana.lima@example.com (the promiser)\nstatus: accepted",
    good="# commit by a member of the customer team\nstatus: accepted",
    needs="in a git repository, with people's emails in promisesite.yaml")
PROMISE_AUTHOR = Rule(
    "P305", "promise-author", "warning", "The commit that set `promised` was not authored by the promiser.",
    why="A promise is made voluntarily by the promiser. A promise entered by someone else on their behalf "
        "may be an assignment dressed up as a promise; the promiser should make it themselves.",
    bad="# commit by the team lead\npromiser: ana.lima\nstatus: promised",
    good="# commit by ana.lima@example.com\npromiser: ana.lima\nstatus: promised",
    needs="in a git repository, with people's emails in promisesite.yaml")
SILENT_RENEGOTIATION = Rule(
    "P403", "silent-renegotiation", "error",
    "`due` changed against the base revision without a new renegotiation entry.",
    why="Moving a due date quietly is how promises are broken without anyone noticing. In a pull request, "
        "a changed `due` must come with a renegotiation entry that says when, why and who agreed.",
    bad="-due: 2026-12-01\n+due: 2026-12-15",
    good="-due: 2026-12-01\n+due: 2026-12-15\n+renegotiations:\n+  - {on: 2026-11-18, was: 2026-12-01, "
         "due: 2026-12-15, reason: …, agreed_by: payments}",
    needs="with `check --base REV`")
STATUS_BACKWARDS = Rule(
    "P406", "status-backwards", "warning",
    "The status moved backwards in the lifecycle against the base revision (e.g. accepted → promised).",
    why="The conversation for action moves forward: request, promise, delivery, acceptance. A status that "
        "moves back usually means an acceptance was withdrawn or a mistake corrected; either deserves a "
        "look in review.",
    bad="-status: accepted\n+status: promised", good="-status: promised\n+status: delivered",
    needs="with `check --base REV`")
CONDITIONS_CHANGED = Rule(
    "P407", "conditions-changed", "warning",
    "`done_when` changed against the base revision without a renegotiation entry whose `changed` says so.",
    why="Changing the conditions of satisfaction changes the promise. The customer must agree, and the "
        "record should show it: add a renegotiation entry whose `changed` describes the new scope.",
    bad="-  - p95 below 300 ms\n+  - p95 below 500 ms",
    good="+  - {on: 2026-11-18, was: …, due: …, reason: …, agreed_by: payments,\n+     "
         "changed: p95 target relaxed to 500 ms}",
    needs="with `check --base REV`")


def check_against_base(promise: Promise, was: Promise, base: str) -> Iterator[Finding]:
    """P403, P406 and P407: one promise against its version at the base revision."""
    new_entries = _new_renegotiations(promise, was)
    customer = promise.customer or "the customer"
    if promise.due and was.due and promise.due != was.due and not new_entries:
        yield SILENT_RENEGOTIATION.at(
            promise.path, promise.at("due"),
            f"`due` moved from {was.due} (at {base}) to {promise.due} without a new renegotiation entry: add "
            f"one under `renegotiations:` with `was: {was.due}`, `due: {promise.due}`, `on`, `reason` and "
            f"`agreed_by: {customer}`, or put back `due: {was.due}`")
    if promise.status and was.status and promise.status.stage < was.status.stage:
        yield STATUS_BACKWARDS.at(
            promise.path, promise.at("status"),
            f"`status` moved back from {was.status.value} (at {base}) to {promise.status.value}: put back "
            f"`status: {was.status.value}`, or if {customer} agreed to reopen it, record that in a "
            "renegotiation entry")
    if promise.done_when != was.done_when and not any(entry.changed for entry in new_entries):
        yield CONDITIONS_CHANGED.at(
            promise.path, promise.at("done_when"),
            f"`done_when` changed since {base} without a new renegotiation entry whose `changed` says so: add "
            f"one agreed by {customer} with `changed:` describing the new conditions, or put back the "
            "conditions as they were")


def _new_renegotiations(promise: Promise, was: Promise) -> list[Renegotiation]:
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


def check_authorship(promises: Iterable[Promise], history: History, config: Config) -> list[Finding]:
    """P304 and P305 for every promise that git has a history of."""
    return [finding for promise in promises if (file := history.of(promise.path)) is not None
            for finding in check_authors(promise, file, config)]


def check_authors(promise: Promise, history: FileHistory, config: Config) -> Iterator[Finding]:
    """P304 and P305: who committed the acceptance and the promise, judged by registered emails."""
    team = config.teams.get(promise.customer)
    customers = team.members if team else (promise.customer,)
    for rule, name, handles, who in ((ACCEPTANCE_AUTHOR, "accepted", customers, f"the customer {promise.customer}"
                                      + (" or a member of it" if team else "")),
                                     (PROMISE_AUTHOR, "promised", (promise.promiser,),
                                      f"the promiser {promise.promiser}")):
        day = getattr(promise, name)
        setter = history.setters.get(name)
        if day is None or setter is None or history.committed.get(name) != day.isoformat():
            continue  # not set, or changed since the last commit: the commit that sets it is judged
        allowed = {config.people[h].email.lower() for h in handles if h in config.people and config.people[h].email}
        if allowed and setter.email.lower() not in allowed:
            yield rule.at(promise.path, promise.at(name),
                          f"`{name}` was set in commit {setter.commit[:10]} by {setter.author} <{setter.email}>, "
                          f"not by {who}: let {who} commit it (their email in promisesite.yaml is how they "
                          f"are known), or explain the exception with a waiver for {rule.code}")
