"""The promise as plain data: statuses, the fields of a promise file, the people and teams who
make and receive promises, and what git recorded of each file.

Nothing here reads files or knows about rules: `read` builds these, `rules` judge them.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

Position = tuple[int, int]  # (line, column), both 1-based, in the promise file


class Status(str, enum.Enum):
    """The conversation-for-action lifecycle (docs/format.md), in lifecycle order."""

    REQUESTED = "requested"
    OFFERED = "offered"
    COUNTERED = "countered"
    PROMISED = "promised"
    DELIVERED = "delivered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    REVOKED = "revoked"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        return self in _OPEN

    @property
    def is_committed(self) -> bool:
        """Promised and not yet closed: the promiser has given their word."""
        return self in (Status.PROMISED, Status.DELIVERED)

    @property
    def is_proposal(self) -> bool:
        """A request, an offer or a counter-offer: nobody has promised anything yet."""
        return self in (Status.REQUESTED, Status.OFFERED, Status.COUNTERED)

    @property
    def required_dates(self) -> tuple[str, ...]:
        """Milestone dates this status requires (`due` is handled separately)."""
        return _REQUIRED_DATES[self]

    @property
    def needs_due(self) -> bool:
        return self not in (Status.DECLINED, Status.WITHDRAWN)

    @property
    def needs_conditions(self) -> bool:
        return self not in (Status.REQUESTED, Status.DECLINED, Status.WITHDRAWN)

    @property
    def stage(self) -> int:
        """How far the conversation has come; a smaller stage later means it went backwards."""
        return _STAGE[self]


_OPEN = frozenset({Status.REQUESTED, Status.OFFERED, Status.COUNTERED, Status.PROMISED, Status.DELIVERED})
_REQUIRED_DATES = {
    Status.REQUESTED: ("requested",),
    Status.OFFERED: (),
    Status.COUNTERED: (),
    Status.PROMISED: ("promised",),
    Status.DELIVERED: ("promised", "delivered"),
    Status.ACCEPTED: ("promised", "delivered", "accepted"),
    Status.DECLINED: (),
    Status.WITHDRAWN: (),
    Status.REVOKED: ("promised", "closed"),
    Status.CANCELLED: ("promised", "closed"),
}
# Offers and counter-offers are the same stage of the negotiation; every closing is final.
_STAGE = {
    Status.REQUESTED: 0,
    Status.OFFERED: 1,
    Status.COUNTERED: 1,
    Status.PROMISED: 2,
    Status.DELIVERED: 3,
    Status.ACCEPTED: 4,
    Status.DECLINED: 4,
    Status.WITHDRAWN: 4,
    Status.REVOKED: 4,
    Status.CANCELLED: 4,
}


class Kind(str, enum.Enum):
    """The form a field's value must take."""

    LINE = "line"  # one line of text
    TEXT = "text"
    HANDLE = "handle"
    HANDLE_OR_TEXT = "handle or text"
    SLUG = "slug"
    DATE = "date"
    STATUS = "status"
    CONFIDENCE = "confidence"
    CAUSE = "cause"
    TEXT_LIST = "list of text"
    RENEGOTIATIONS = "renegotiations"
    WAIVERS = "waivers"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: Kind
    description: str


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("id", Kind.SLUG, "Defaults to the file name without .md; if given it must equal it."),
    FieldSpec("title", Kind.LINE, "The promise in words, on one line."),
    FieldSpec("promiser", Kind.HANDLE, "The one person who makes the promise."),
    FieldSpec("customer", Kind.HANDLE, "The person or team who will declare satisfaction; not the promiser."),
    FieldSpec("team", Kind.HANDLE, "The team the promise belongs to; defaults to the promiser's team."),
    FieldSpec("status", Kind.STATUS, "Where the conversation for action stands."),
    FieldSpec("due", Kind.DATE, "By when: the current agreed date."),
    FieldSpec("requested", Kind.DATE, "When the customer asked."),
    FieldSpec("promised", Kind.DATE, "When the promiser committed and the customer accepted the terms."),
    FieldSpec("delivered", Kind.DATE, "When the promiser reported it done."),
    FieldSpec("accepted", Kind.DATE, "When the customer declared satisfaction."),
    FieldSpec("closed", Kind.DATE, "When a promise was revoked or cancelled."),
    FieldSpec("closed_reason", Kind.TEXT, "Why a promise was revoked or cancelled."),
    FieldSpec("done_when", Kind.TEXT_LIST, "Conditions of satisfaction, each one checkable."),
    FieldSpec("measured_by", Kind.HANDLE_OR_TEXT, "By whose measure; defaults to the customer."),
    FieldSpec("standards", Kind.TEXT_LIST, "To what standards."),
    FieldSpec("risks", Kind.TEXT_LIST, "What could break the promise, and the mitigation."),
    FieldSpec("help", Kind.TEXT, "Where help comes from when the promise is at risk."),
    FieldSpec("serves", Kind.SLUG, "The id of the larger promise this one forwards."),
    FieldSpec("confidence", Kind.CONFIDENCE, "The promiser's current confidence."),
    FieldSpec("tags", Kind.TEXT_LIST, "Free labels."),
    FieldSpec("renegotiations", Kind.RENEGOTIATIONS, "The breakdown protocol, oldest first."),
    FieldSpec("cause", Kind.CAUSE, "Why it was delivered late, broken or revoked: one of the configured causes."),
    FieldSpec("waivers", Kind.WAIVERS, "Public, reasoned exceptions to one rule each for this file."),
)
CONFIDENCES = ("high", "medium", "low")
# Why promises are missed: the Last Planner System's reasons for non-completion, in plain words.
CAUSES = ("dependency", "capacity", "scope", "information", "quality", "external", "estimate")
# What each status means, in one sentence: the site's legend and the editor's hover.
STATUS_MEANING = {
    Status.REQUESTED: "The customer asked; no commitment yet.",
    Status.OFFERED: "The promiser offered; the customer has not accepted yet.",
    Status.COUNTERED: "A counter-offer is on the table.",
    Status.PROMISED: "The promiser committed and the customer accepted the terms.",
    Status.DELIVERED: "The promiser reports it done; awaiting the customer.",
    Status.ACCEPTED: "The customer declared satisfaction.",
    Status.DECLINED: "The promiser declined the request, before any commitment.",
    Status.WITHDRAWN: "The customer withdrew the request, before any commitment.",
    Status.REVOKED: "The promiser revoked an existing promise: it counts as broken.",
    Status.CANCELLED: "The customer cancelled an existing promise.",
}

MILESTONES = ("requested", "promised", "delivered", "accepted", "closed")  # the dates of the conversation
_STATUS_MILESTONE = {
    Status.REQUESTED: "requested",
    Status.PROMISED: "promised",
    Status.DELIVERED: "delivered",
    Status.ACCEPTED: "accepted",
    Status.REVOKED: "closed",
    Status.CANCELLED: "closed",
}

RENEGOTIATION_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("on", Kind.DATE, "When the new date was agreed."),
    FieldSpec("was", Kind.DATE, "The due date it replaced."),
    FieldSpec("due", Kind.DATE, "The new due date."),
    FieldSpec("reason", Kind.TEXT, "Why the date moved."),
    FieldSpec("agreed_by", Kind.HANDLE, "The customer who agreed."),
    FieldSpec("changed", Kind.TEXT, "What else changed: scope, cost, conditions."),
    FieldSpec("cause", Kind.CAUSE, "Why the date had to move: one of the configured causes."),
)
RENEGOTIATION_REQUIRED = ("on", "was", "due", "reason", "agreed_by")
WAIVER_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("rule", Kind.LINE, "The rule code (P206) or name (weasel) to waive for this file."),
    FieldSpec("reason", Kind.TEXT, "Why the exception is right, for every reader of the site."),
)

HANDLE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]*"
MAX_HANDLE = 100  # characters: a handle and an id name a folder of the site, whose names have a limit
MAX_ID = 100
SLUG_PATTERN = r"[a-z0-9][a-z0-9-]*"
DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


@dataclass(frozen=True)
class Renegotiation:
    on: dt.date | None
    was: dt.date | None
    due: dt.date | None
    reason: str = ""
    agreed_by: str = ""
    changed: str = ""
    cause: str = ""
    key: str = ""  # where the entry stands in the file, e.g. "renegotiations.0"
    invalid: frozenset[str] = frozenset()  # fields written but unreadable


@dataclass(frozen=True)
class Waiver:
    rule: str  # the code, e.g. P206, whichever way the file named it
    reason: str
    key: str = field(default="", compare=False)  # where it stands: `waivers.0`


@dataclass(frozen=True)
class Promise:
    """One promise file as read. Fields that could not be read are None or empty."""

    id: str
    path: str  # repository-relative, with forward slashes
    title: str = ""
    promiser: str = ""
    customer: str = ""
    team: str = ""
    status: Status | None = None
    due: dt.date | None = None
    requested: dt.date | None = None
    promised: dt.date | None = None
    delivered: dt.date | None = None
    accepted: dt.date | None = None
    closed: dt.date | None = None
    closed_reason: str = ""
    done_when: tuple[str, ...] = ()
    measured_by: str = ""
    standards: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    help: str = ""
    serves: str = ""
    confidence: str = ""
    tags: tuple[str, ...] = ()
    renegotiations: tuple[Renegotiation, ...] = ()
    cause: str = ""
    waivers: tuple[Waiver, ...] = ()
    body: str = ""
    body_line: int = 1
    invalid: frozenset[str] = frozenset()  # fields present in the file but unreadable
    positions: Mapping[str, Position] = field(default_factory=dict, compare=False, repr=False)

    def at(self, *keys: str | int) -> Position:
        """Where a key or list item stands: `at("done_when", 1)`; line 1 column 1 if absent."""
        return self.positions.get(".".join(str(k) for k in keys), (1, 1))

    def has(self, *keys: str | int) -> bool:
        return ".".join(str(k) for k in keys) in self.positions

    @property
    def is_open(self) -> bool:
        return self.status is not None and self.status.is_open

    @property
    def status_milestone(self) -> str:
        """The milestone date the status sets when it is reached (`delivered` for delivered), or ""."""
        return _STATUS_MILESTONE.get(self.status, "") if self.status is not None else ""

    def overdue_on(self, today: dt.date, due: dt.date | None = None) -> bool:
        """Promised (or delivered, not yet accepted), its due date (or `due`, the date in force) before
        today, and not delivered on or before it: the one meaning of "overdue" for the rules (P404),
        the pages and the accounting, where an overdue promise counts as broken."""
        due = due or self.due
        return (
            self.status is not None
            and self.status.is_committed
            and due is not None
            and due < today
            and not (self.delivered is not None and self.delivered <= due)
        )

    def unanswered_on(self, today: dt.date) -> bool:
        """A request, offer or counter-offer whose due date is before today: waiting for an answer,
        never a broken promise (nobody promised it yet)."""
        return self.status is not None and self.status.is_proposal and self.due is not None and self.due < today

    @property
    def answers(self) -> str:
        """Who must answer a request (the promiser asked) or an offer (the customer it was made to)."""
        if self.status is Status.REQUESTED:
            return self.promiser
        return self.customer if self.status is not None and self.status.is_proposal else ""


# --- who: the registry of promisesite.yaml ---------------------------------------------------------


@dataclass(frozen=True)
class Person:
    handle: str
    name: str = ""
    email: str = ""
    github: str = ""  # the forge accounts that sign off in review (`promisesite codeowners`)
    gitlab: str = ""


@dataclass(frozen=True)
class Team:
    handle: str
    name: str = ""
    members: tuple[str, ...] = ()
    github: str = ""  # e.g. `@northwind/payments`
    gitlab: str = ""


@dataclass(frozen=True)
class Registry:
    """The people, teams and causes of promisesite.yaml; without people and teams any handle goes."""

    people: Mapping[str, Person] = field(default_factory=dict)
    teams: Mapping[str, Team] = field(default_factory=dict)
    causes: tuple[str, ...] = CAUSES

    @property
    def registered(self) -> bool:
        return bool(self.people or self.teams)

    @property
    def has_emails(self) -> bool:
        """Whether commit authors can be matched to people (P304, P305)."""
        return any(person.email for person in self.people.values())

    @cached_property
    def handles(self) -> Mapping[str, object]:
        """People and teams together: who may be a customer or agree to a renegotiation."""
        return {**self.people, **self.teams}

    @cached_property
    def _first_team(self) -> Mapping[str, str]:
        first: dict[str, str] = {}
        for team in self.teams.values():
            for member in team.members:
                first.setdefault(member, team.handle)
        return first

    def team_of(self, person: str) -> str:
        """The first team (in config order) that lists the person, or ""."""
        return self._first_team.get(person, "")

    def name_of(self, handle: str) -> str:
        """A handle's registered name, or the handle."""
        entry = self.people.get(handle) or self.teams.get(handle)
        return entry.name if entry and entry.name else handle


# --- what git recorded of each promise file ------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """One commit's mark on one file: created, a status change, a due-date move or a rename."""

    kind: str  # "created", "status", "due", "renamed"
    date: str  # YYYY-MM-DD, the author date; "" when git's date is none a calendar holds
    timestamp: int
    author: str
    email: str
    commit: str
    old: str = ""
    new: str = ""
    recorded: bool = True  # a due-date move: whether an appended renegotiation entry records it
    committer_email: str = ""  # who made the commit, when it is not the author
    imported: bool = False  # made before `record_since`: the import of promises kept elsewhere, not judged

    @property
    def stamp(self) -> str:
        """The author time in UTC, as Atom and sitemaps write it ("" when the date is unknown)."""
        if not self.date:
            return ""
        return dt.datetime.fromtimestamp(self.timestamp, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class FileHistory:
    created: Event
    changed: Event  # the newest commit that touched the file
    events: tuple[Event, ...]  # oldest first
    committed: Mapping[str, str]  # the tracked fields as the newest commit left them
    setters: Mapping[str, Event]  # field → the commit that gave it its committed value
    due_in_force: str = ""  # the due date the record supports: moves without an entry do not count

    @property
    def unrecorded(self) -> tuple[Event, ...]:
        """The due-date moves no renegotiation entry records."""
        return tuple(event for event in self.events if event.kind == "due" and not event.recorded)


@dataclass(frozen=True)
class History:
    files: Mapping[str, FileHistory] = field(default_factory=dict)  # promise path → its history
    note: str = ""  # why there is no history, and what would give one

    def of(self, path: str) -> FileHistory | None:
        return self.files.get(path)
