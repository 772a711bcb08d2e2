"""The whole set of promises: lookups, groups, the promise tree, and reliability accounting (docs/site.md).

Everything here is derived from the promises, the config and today; nothing reads files.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .config import Config
from .findings import Finding
from .model import History, Promise, Status
from .outcomes import Cause, Outcome, Reliability, Week, by_week, causes, due_in_force, iso_week, outcome
from .text import segment

STALE_WEEKS = 4  # an open promise unchanged this long is shown as stale
STEADY_WEEKS = 8  # weeks with counted promises before a steady near-100% share is pointed out
NEAR_ALL = 0.95
SWING = 0.4  # a change in the weekly share this large, between weeks with SWING_MIN counted each
SWING_MIN = 3


@dataclass(frozen=True)
class Signal:
    """Something in a record worth a conversation: under-commitment, swings, stale promises."""

    kind: str
    message: str
    promises: tuple[Promise, ...] = ()


@dataclass(frozen=True)
class State:
    """What a promise's page and data show beyond its fields, computed for today."""

    is_open: bool
    overdue: bool  # promised, past due and not delivered in time: counted as broken
    days_to_due: int | None  # negative when past due
    outcome: Outcome | None
    unanswered: bool = False  # a request or offer past its due date: waiting for an answer
    due_in_force: dt.date | None = None  # when it is not `due`: the date before a move nobody recorded


@dataclass
class Group:
    """The promises of one team, customer or person, under one URL segment."""

    kind: str  # "teams", "customers" or "people"
    segment: str
    handle: str
    name: str
    promises: list[Promise] = field(default_factory=list)  # as promiser / of the team / to the customer
    as_customer: list[Promise] = field(default_factory=list)  # people only

    @property
    def title(self) -> str:
        return self.name or self.handle


class Ledger:
    def __init__(
        self,
        promises: Sequence[Promise],
        config: Config,
        today: dt.date,
        findings: Iterable[Finding] = (),
        waived: Mapping[str, list[Finding]] | None = None,
        history: History | None = None,
        previous: Ledger | None = None,
    ):
        """With `previous` (the ledger before an edit, same config, today and history), the state of
        every promise that did not change is taken from it rather than worked out again."""
        self.config, self.today = config, today
        self.history = history or History()  # what git knows of each file; empty outside git
        self.findings: dict[str, list[Finding]] = defaultdict(list)
        for finding in findings:
            self.findings[finding.path].append(finding)
        self.waived = dict(waived or {})
        by_id: dict[str, Promise] = {}
        for promise in sorted(promises, key=lambda p: p.path):
            by_id.setdefault(promise.id, promise)  # a duplicate id (P009) keeps the first file
        self.by_id = dict(sorted(by_id.items()))
        self.promises = list(self.by_id.values())
        reuse = previous is not None and previous.today == today and previous.history is self.history
        known: dict[str, Promise] = previous.by_id if previous is not None and reuse else {}
        worked_out: dict[str, State] = previous.states if previous is not None and reuse else {}
        self.states: dict[str, State] = {
            p.id: worked_out[p.id] if known.get(p.id) is p else self._state(p) for p in self.promises
        }
        self.children: dict[str, list[Promise]] = defaultdict(list)
        for promise in self.promises:
            if promise.serves in self.by_id and promise.serves != promise.id:
                self.children[promise.serves].append(promise)
        self.roots = [p for p in self.promises if p.serves not in self.by_id or p.serves == p.id]
        self.team_handles = set(config.teams) | {p.team for p in self.promises if p.team}
        self.teams = self._groups("teams")
        self.customers = self._groups("customers")
        self.people = self._groups("people")

    def with_promise(self, promise: Promise, findings: list[Finding]) -> Ledger:
        """This ledger with one promise (same id) replaced: enough for that promise's own page,
        which `serve` shows before it works out everything else an edit affects."""
        patched = copy.copy(self)
        for derived in ("_by_status", "_weeks_unchanged"):  # worked out again from the patched promises
            patched.__dict__.pop(derived, None)
        old = self.by_id[promise.id]
        patched.by_id = {**self.by_id, promise.id: promise}
        patched.states = {**self.states, promise.id: self._state(promise)}
        patched.findings = defaultdict(list, {**self.findings, promise.path: findings})
        if old.serves != promise.serves:
            patched.children = defaultdict(list, self.children)
            patched.children[old.serves] = [p for p in self.children.get(old.serves, []) if p.id != promise.id]
            if promise.serves in self.by_id and promise.serves != promise.id:
                patched.children[promise.serves] = sorted(
                    [*self.children.get(promise.serves, []), promise], key=lambda p: p.id
                )
        return patched

    # --- one promise -------------------------------------------------------------------------

    def _state(self, promise: Promise) -> State:
        days = (promise.due - self.today).days if promise.due else None
        due = due_in_force(promise, self.history.of(promise.path))
        return State(
            promise.is_open,
            promise.overdue_on(self.today),
            days,
            outcome(promise, self.today, due),
            unanswered=promise.unanswered_on(self.today),
            due_in_force=due if due != promise.due else None,
        )

    def state(self, promise: Promise) -> State:
        return self.states[promise.id]

    def parent(self, promise: Promise) -> Promise | None:
        parent = self.by_id.get(promise.serves)
        return parent if parent is not promise else None

    def ancestors(self, promise: Promise) -> list[Promise]:
        """From the top of the tree down to the promise's parent (stops at a cycle). Pages show only
        the top and the nearest few of a long chain: see `shown_ancestors`."""
        chain, seen = [], {promise.id}
        parent = self.parent(promise)
        while parent is not None and parent.id not in seen:
            chain.append(parent)
            seen.add(parent.id)
            parent = self.parent(parent)
        return chain[::-1]

    def trees(self, limit: int) -> tuple[list[list[tuple[int, Promise]]], int]:
        """The trees under each top-level promise that something serves, at most `limit` rows in all;
        and how many promises were left out."""
        trees, shown, hidden = [], 0, 0
        for root in self.roots:
            if not self.children.get(root.id):
                continue
            rows = self.subtree(root)
            room = max(limit - shown, 0)
            if room:
                trees.append(rows[:room])
            shown += min(len(rows), room)
            hidden += max(len(rows) - room, 0)
        return trees, hidden

    def subtree(self, promise: Promise) -> list[tuple[int, Promise]]:
        """The promise and all that serve it, depth first, with their depth (however deep the tree)."""
        rows: list[tuple[int, Promise]] = []
        seen: set[str] = set()
        stack = [(0, promise)]
        while stack:
            depth, node = stack.pop()
            if node.id in seen:
                continue
            seen.add(node.id)
            rows.append((depth, node))
            stack.extend((depth + 1, child) for child in reversed(self.children.get(node.id, ())))
        return rows

    # --- sets ----------------------------------------------------------------------------------

    @property
    def open_count(self) -> int:
        return sum(1 for p in self.promises if p.is_open)

    def with_status(self, status: Status) -> list[Promise]:
        return self._by_status.get(status, [])

    @functools.cached_property
    def _by_status(self) -> dict[Status | None, list[Promise]]:
        found: dict[Status | None, list[Promise]] = defaultdict(list)
        for promise in self.promises:
            found[promise.status].append(promise)
        return found

    def status_counts(self) -> list[tuple[Status, int]]:
        counts = Counter(p.status for p in self.promises)
        return [(status, counts.get(status, 0)) for status in Status]

    def overdue(self) -> list[Promise]:
        return sorted((p for p in self.promises if self.states[p.id].overdue), key=lambda p: (p.due, p.id))

    def waiting(self, promises: Iterable[Promise] | None = None) -> list[Promise]:
        """Requests and offers past their due date, oldest first: who must answer is `Promise.answers`."""
        chosen = self.promises if promises is None else promises
        return sorted((p for p in chosen if self.states[p.id].unanswered), key=lambda p: (p.due, p.id))

    def due_within(self, days: int) -> list[Promise]:
        end = self.today + dt.timedelta(days=days)
        return sorted(
            (p for p in self.promises if p.is_open and p.due and self.today <= p.due <= end),
            key=lambda p: (p.due, p.id),
        )

    def recently_accepted(self, limit: int = 10) -> list[Promise]:
        accepted = [p for p in self.promises if p.status is Status.ACCEPTED and p.accepted]
        return sorted(accepted, key=lambda p: (p.accepted, p.id), reverse=True)[:limit]

    def reliability(self, promises: Iterable[Promise]) -> Reliability:
        return Reliability.of(self.states[p.id].outcome for p in promises)

    def due_of(self, promise: Promise) -> dt.date | None:
        """The due date the promise counts against: `due`, or the date before a move nobody recorded."""
        return self.states[promise.id].due_in_force or promise.due

    def week_of(self, promise: Promise) -> str:
        """The ISO week a counted promise counts in, or "" for one not counted."""
        due = self.due_of(promise)
        return iso_week(due) if due is not None and self.states[promise.id].outcome is not None else ""

    def weeks(self, promises: Iterable[Promise]) -> list[Week]:
        """The outcomes by ISO week of the due date in force, for the last WEEKS weeks."""
        counted = []
        for promise in promises:
            found, due = self.states[promise.id].outcome, self.due_of(promise)
            if found is not None and due is not None:
                counted.append((due, found))
        return by_week(counted, self.today)

    def causes(self, promises: Iterable[Promise]) -> list[Cause]:
        """Why promises were missed and renegotiated, most frequent first."""
        return causes((p, self.states[p.id].outcome) for p in promises)

    def last_change(self, promise: Promise) -> dt.date | None:
        """When the promise last changed: its newest commit, or else the newest date written in it."""
        history = self.history.of(promise.path)
        if history is not None and history.changed.date:
            return dt.date.fromisoformat(history.changed.date)
        written = [promise.requested, promise.promised, promise.delivered, promise.accepted, promise.closed]
        written += [entry.on for entry in promise.renegotiations]
        known = [day for day in written if day is not None]
        return max(known) if known else None

    def stale(self, promises: Iterable[Promise], weeks: int = STALE_WEEKS) -> list[tuple[Promise, int]]:
        """Open promises not yet overdue (those are shown as overdue) with no change in `weeks` weeks or
        more, with the weeks since, longest first."""
        unchanged = self._weeks_unchanged
        found = [(p, unchanged[p.id]) for p in promises if unchanged.get(p.id, -1) >= weeks]
        return sorted(found, key=lambda item: (-item[1], item[0].id))

    @functools.cached_property
    def _weeks_unchanged(self) -> dict[str, int]:
        """For each open promise not yet overdue, whole weeks since it last changed: worked out once,
        since the dashboard and every group page ask (for signals and for what is at risk)."""
        weeks = {}
        for promise in self.promises:
            state = self.states[promise.id]
            if not promise.is_open or state.overdue or state.unanswered:
                continue
            changed = self.last_change(promise)
            if changed is not None:
                weeks[promise.id] = (self.today - changed).days // 7
        return weeks

    def at_risk(self, promises: Iterable[Promise], soon: int = 14) -> list[tuple[Promise, list[str]]]:
        """Promised (or delivered, not accepted) promises that may break, each with why, soonest due first:
        low confidence, medium confidence and due within `soon` days, low confidence with nobody asked
        for help, overdue, renegotiated more than once, or unchanged for STALE_WEEKS weeks."""
        stale = {promise.id: weeks for promise, weeks in self.stale(promises)}
        found = []
        for promise in promises:
            if promise.status is None or not promise.status.is_committed:
                continue
            state, reasons = self.states[promise.id], []
            if state.overdue:
                days = -(state.days_to_due or 0)
                reasons.append(f"{days} day{'s' if days != 1 else ''} overdue")
            if promise.confidence == "low":
                reasons.append("low confidence" + ("" if promise.help else ", and nobody asked for help"))
            elif promise.confidence == "medium" and state.days_to_due is not None and 0 <= state.days_to_due <= soon:
                reasons.append(
                    f"medium confidence, due in {state.days_to_due} day{'s' if state.days_to_due != 1 else ''}"
                )
            if len(promise.renegotiations) > 1:
                reasons.append(f"renegotiated {len(promise.renegotiations)} times")
            if promise.id in stale:
                reasons.append(f"unchanged for {stale[promise.id]} weeks")
            if reasons:
                found.append((promise, reasons))
        return sorted(found, key=lambda item: (item[0].due or dt.date.max, item[0].id))

    def signals(self, promises: Sequence[Promise], weeks: Sequence[Week] | None = None) -> list[Signal]:
        """What a coach would point at in these promises' record (docs/site.md); `weeks` when the
        caller has worked them out already."""
        found: list[Signal] = []
        weeks = [week for week in (self.weeks(promises) if weeks is None else weeks) if week.share is not None]
        if len(weeks) >= STEADY_WEEKS and all((week.share or 0) >= NEAR_ALL for week in weeks):
            found.append(
                Signal(
                    "under-commitment",
                    f"Kept {NEAR_ALL:.0%} or more in each of {len(weeks)} weeks: a share near 100% for long can "
                    "mean promises are made too safe. Aim high, not perfect.",
                )
            )
        for before, after in zip(weeks, weeks[1:], strict=False):
            both_counted = min(before.reliability.counted, after.reliability.counted) >= SWING_MIN
            if both_counted and abs((after.share or 0) - (before.share or 0)) >= SWING:
                found.append(
                    Signal(
                        "swing",
                        f"From {before.label} to {after.label} the share kept went from {before.share:.0%} to "
                        f"{after.share:.0%}: a swing that large says the weekly plan is not yet reliable.",
                    )
                )
        stale = self.stale(promises)
        if stale:
            found.append(
                Signal(
                    "stale",
                    f"{len(stale)} open {'promise has' if len(stale) == 1 else 'promises have'} not changed in "
                    f"{STALE_WEEKS} weeks or more: confirm, renegotiate or close them.",
                    tuple(promise for promise, _ in stale),
                )
            )
        return found

    # --- groups --------------------------------------------------------------------------------

    def is_team(self, handle: str) -> bool:
        return handle in self.team_handles

    def _groups(self, kind: str) -> dict[str, Group]:
        registry = {"teams": self.config.teams, "people": self.config.people, "customers": {}}[kind]
        groups: dict[str, Group] = {}

        def group(handle: str) -> Group:
            key = segment(handle)
            if key not in groups:
                entry = self.config.teams.get(handle) or self.config.people.get(handle)
                groups[key] = Group(kind, key, handle, getattr(entry, "name", "") if entry else "")
            return groups[key]

        for handle in registry:
            group(handle)
        for promise in self.promises:
            if kind == "teams" and promise.team:
                group(promise.team).promises.append(promise)
            elif kind == "customers" and promise.customer:
                group(promise.customer).promises.append(promise)
            elif kind == "people":
                if promise.promiser:
                    group(promise.promiser).promises.append(promise)
                if promise.customer and not self.is_team(promise.customer):
                    group(promise.customer).as_customer.append(promise)
        return dict(sorted(groups.items()))
