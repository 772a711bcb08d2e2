"""Who owes what and who waits for whom: the weekly review of each person and team, as items that
each name one promise, the other party and the one thing to do. Worked out from the ledger, as
the site's pages are, so the digest and the site never disagree.

A person owes, as promiser: what is overdue, what is due within the horizon, what is at risk. A
person waits on, as the one to answer: requests made to them, offers made to them, deliveries to
accept, renegotiations recorded in the last week to confirm, and promises made to them that are
late. Nothing is said to a person with nothing to do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..ledger import Ledger
from ..model import Promise, Status
from ..outcomes import Outcome, iso_week, monday

HORIZON_DAYS = 7
RECENT_DAYS = 7  # a renegotiation recorded this recently is one to confirm


@dataclass(frozen=True)
class Item:
    section: str  # overdue, due-soon, at-risk, to-answer, to-accept, to-confirm, late-for-you
    promise_id: str
    title: str
    url: str
    due: str
    other: str  # the other party's handle
    other_name: str
    todo: str  # the one thing to do, a sentence


@dataclass
class Digest:
    """One person's or team's week: what they owe, what waits on them; for a team, last week."""

    handle: str
    name: str
    kind: str  # person | team
    email: str = ""
    items: list[Item] = field(default_factory=list)
    last_week: str = ""  # "2026-W46: 3 of 4 kept (75%)", for a team when the accounting shows it
    misses: list[str] = field(default_factory=list)  # causes of last week's misses, most frequent first

    @property
    def quiet(self) -> bool:
        return not self.items


SECTIONS = {
    "overdue": "Overdue: you promised these",
    "due-soon": "Due soon",
    "at-risk": "At risk",
    "to-answer": "Waiting for your answer",
    "to-accept": "Delivered to you: accept or say what is missing",
    "to-confirm": "Renegotiated with you this week: confirm you agreed",
    "late-for-you": "Promised to you, and late",
}


def person_digest(ledger: Ledger, handle: str, url_of, horizon: int = HORIZON_DAYS) -> Digest:
    """What one person owes and what waits on them (as themselves, or as a member of a customer team)."""
    registry = ledger.config.registry
    person = registry.people.get(handle)
    teams = {t.handle for t in registry.teams.values() if handle in t.members}
    mine = {handle, *teams}
    digest = Digest(handle, registry.name_of(handle), "person", person.email if person else "")
    today = ledger.today
    at_risk = {p.id: reasons for p, reasons in ledger.at_risk(ledger.promises)}
    for promise in ledger.promises:
        state = ledger.states[promise.id]
        due = promise.due
        days = (due - today).days if due else None
        name = registry.name_of
        if promise.promiser == handle and promise.status is not None and promise.status.is_committed:
            other = promise.customer
            if state.overdue:
                todo = f"deliver it, or renegotiate with {name(other)} now (it counts as broken until you do)"
                if promise.status is Status.DELIVERED:
                    todo = f"ask {name(other)} to accept it (delivered {promise.delivered}, after its due date)"
                digest.items.append(_item("overdue", promise, url_of, other, name(other), todo))
            elif promise.status is Status.PROMISED and days is not None and 0 <= days <= horizon:
                todo = f"deliver it by {due}, or renegotiate with {name(other)} before then"
                digest.items.append(_item("due-soon", promise, url_of, other, name(other), todo))
            elif promise.id in at_risk:
                reasons = ", ".join(at_risk[promise.id])
                todo = f"{reasons}: say what would help (`help`), or renegotiate with {name(other)} while there is time"
                digest.items.append(_item("at-risk", promise, url_of, other, name(other), todo))
        if promise.status is Status.REQUESTED and promise.promiser == handle:
            other = promise.customer
            todo = f"answer {name(other)}: promise it (with a date you can keep), counter-offer, or decline"
            digest.items.append(_item("to-answer", promise, url_of, other, name(other), todo))
        elif promise.status in (Status.OFFERED, Status.COUNTERED) and promise.customer in mine:
            other = promise.promiser
            todo = f"answer {name(other)}'s offer: accept it (status: promised) or say what you need instead"
            digest.items.append(_item("to-answer", promise, url_of, other, name(other), todo))
        if promise.customer not in mine or promise.promiser == handle:
            continue
        other = promise.promiser
        if promise.status is Status.DELIVERED:
            todo = f"accept it (status: accepted) or tell {name(other)} what is missing"
            digest.items.append(_item("to-accept", promise, url_of, other, name(other), todo))
        elif state.overdue:
            todo = f"ask {name(other)} to deliver or to renegotiate with you: it was due {due}"
            digest.items.append(_item("late-for-you", promise, url_of, other, name(other), todo))
        recent = [r for r in promise.renegotiations if r.on and 0 <= (today - r.on).days < RECENT_DAYS]
        if recent and promise.is_open:
            entry = recent[-1]
            todo = f"confirm you agreed: due {entry.was} → {entry.due} ({entry.reason}), recorded on {entry.on}"
            digest.items.append(_item("to-confirm", promise, url_of, other, name(other), todo))
    digest.items.sort(key=lambda item: (list(SECTIONS).index(item.section), item.due, item.promise_id))
    return digest


def team_digest(ledger: Ledger, team: str, url_of, horizon: int = HORIZON_DAYS, shares: bool = True) -> Digest:
    """A team's week: the items of the team's promises for every member, last week's kept share (when
    the accounting shows team shares) and the causes of last week's misses."""
    registry = ledger.config.registry
    digest = Digest(team, registry.name_of(team), "team")
    members = list(getattr(registry.teams.get(team), "members", ())) or sorted(
        {p.promiser for p in ledger.promises if p.team == team}
    )
    seen: set[tuple[str, str]] = set()
    for member in members:
        for item in person_digest(ledger, member, url_of, horizon).items:
            promise = ledger.by_id[item.promise_id]
            if promise.team == team and (item.section, item.promise_id) not in seen:
                seen.add((item.section, item.promise_id))
                digest.items.append(item)
    digest.items.sort(key=lambda item: (list(SECTIONS).index(item.section), item.due, item.promise_id))
    start = monday(ledger.today) - dt.timedelta(days=7)
    promises = [p for p in ledger.promises if p.team == team]
    weeks = [week for week in ledger.weeks(promises) if week.start == start]
    if weeks and weeks[0].reliability.counted and shares:
        reliability = weeks[0].reliability
        digest.last_week = (
            f"{iso_week(start)}: {reliability.kept} of {reliability.counted} kept "
            f"({round(reliability.kept_share * 100)}%)"
        )
    missed = [
        p
        for p in promises
        if (due := ledger.due_of(p)) is not None
        and start <= due < start + dt.timedelta(days=7)
        and ledger.states[p.id].outcome in (Outcome.LATE, Outcome.BROKEN)
    ]
    for cause in ledger.causes(missed):
        if cause.missed:
            digest.misses.append(f"{cause.name or 'no cause given'}: {len(cause.missed)}")
    return digest


def _item(section: str, promise: Promise, url_of, other: str, other_name: str, todo: str) -> Item:
    return Item(
        section,
        promise.id,
        promise.title or promise.id,
        url_of(promise.id),
        promise.due.isoformat() if promise.due else "",
        other,
        other_name,
        todo,
    )
