"""What `changes` says of one promise: its items, each one thing the change did, and who must act."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Finding
from .wording import ListChange


@dataclass(frozen=True)
class Item:
    """One thing a change did to a promise."""

    kind: str  # new, moved, promised, renegotiated, due-moved, conditions, delivered, accepted, closed, status,
    # milestone, edited, waiver, notes, deleted, unchanged
    text: str  # in promise terms, one line
    act: str = ""  # who must agree or act, and what, or ""
    old: str | list[str] | None = None
    new: str | list[str] | None = None
    lists: tuple[ListChange, ...] = ()  # for conditions and other lists: what changed, entry by entry
    changed: str = ""  # a renegotiation's `changed`: what else it changes


@dataclass
class PromiseChange:
    path: str
    id: str
    title: str
    promiser: str
    customer: str
    items: list[Item] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    approvers: list[str] = field(default_factory=list)  # forge accounts (or handles) whose review signs it off
    moved_from: str = ""
