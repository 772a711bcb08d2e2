"""What a promise page shows, worked out in Python rather than in the template: names, links,
dates relative to today, the history, and findings as prose (the page renders 10,000 times in a
large site; Python is quicker at this)."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from markupsafe import Markup

from ..findings import Finding
from ..ledger import Ledger, State
from ..model import MILESTONES, Event, Promise, Registry, Status
from ..outcomes import Reliability
from ..text import plural, shortened
from .theme import format_date
from .urls import Urls

BREADCRUMB_NEAREST = 5  # a chain of promises deeper than this shows its top, a gap, and the nearest ones
_CODE_SPAN = re.compile(r"`([^`]+)`")


def promise_view(promise: Promise, ledger: Ledger, urls: Urls, names: Registry, edit_url: str) -> dict[str, Any]:
    """Everything the promise page shows beyond the promise as read."""
    state = ledger.state(promise)

    def link(p: Promise) -> dict[str, str]:
        """Another promise, as this page names it: its title cut short, since every page of a tree names
        its ancestors, and an uncut long title would grow the site with the square of the tree."""
        status = p.status.value if p.status else "unknown"
        return {"title": shortened(p.title or p.id, LINKED_TITLE), "url": urls.promise(p.id), "status": status}

    def person(handle: str, kind: str) -> dict[str, str] | None:
        return {"name": names.name_of(handle), "url": urls.group(kind, handle)} if handle else None

    parent = ledger.parent(promise)
    return {
        "title": promise.title or promise.id,
        "status": promise.status.value if promise.status else "unknown",
        "team": person(promise.team, "teams"),
        "promiser": person(promise.promiser, "people"),
        "customer": person(promise.customer, "customers"),
        "measured_by": names.name_of(promise.measured_by or promise.customer) or "—",
        "measured_by_url": _handle_url(promise.measured_by or promise.customer, names, urls, promise),
        "help": linked_handles(promise.help, names, urls),
        "ancestors": [link(p) if p else None for p in shown_ancestors(ledger.ancestors(promise))],
        "parent": link(parent) if parent else None,
        "children": [link(p) for p in ledger.children.get(promise.id, [])],
        "due": promise.due.isoformat() if promise.due else "",
        "due_text": format_date(promise.due) if promise.due else "",
        "due_note": due_note(promise, state),
        "overdue": state.overdue,
        "unanswered": state.unanswered,
        "answers": person(promise.answers, "people" if promise.answers == promise.promiser else "customers")
        if state.unanswered
        else None,
        "counted_against": format_date(state.due_in_force) if state.due_in_force else "",
        "outcome": state.outcome,
        "satisfied": promise.status is Status.ACCEPTED,
        "milestones": [
            (name.capitalize(), day.isoformat(), format_date(day))
            for name in MILESTONES
            if (day := getattr(promise, name)) is not None
        ],
        "renegotiations": [
            {
                "on": r.on.isoformat() if r.on else "",
                "on_text": format_date(r.on),
                "was": format_date(r.was),
                "due": format_date(r.due),
                "agreed_by": person(r.agreed_by, "customers"),
                "reason": r.reason,
                "changed": r.changed,
                "cause": r.cause,
                "late": bool(r.on and r.was and r.on > r.was),
            }
            for r in promise.renegotiations
        ],
        "edit_url": edit_url,
        "history": history_view(promise, ledger),
    }


def _handle_url(handle: str, names: Registry, urls: Urls, promise: Promise) -> str:
    """The page of a handle that has one: a registered person or team, or the promise's own parties."""
    if handle in names.people or handle == promise.promiser:
        return urls.group("people", handle)
    if handle in names.teams or handle == promise.customer:
        return urls.group("customers", handle)
    return ""


_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]|[A-Za-z0-9]")


def linked_handles(text: str, names: Registry, urls: Urls) -> Markup:
    """Text with every registered handle in it linked to its page, escaped everywhere else."""
    if not text or not names.registered:
        return Markup.escape(text)
    parts, last = [], 0
    for match in _WORD.finditer(text):
        handle = match.group()
        kind = "people" if handle in names.people else "teams" if handle in names.teams else ""
        if kind:
            parts.append(Markup.escape(text[last : match.start()]))
            parts.append(Markup('<a href="{}">{}</a>').format(urls.group(kind, handle), names.name_of(handle)))
            last = match.end()
    parts.append(Markup.escape(text[last:]))
    return Markup("").join(parts)


def history_view(promise: Promise, ledger: Ledger) -> dict[str, Any] | None:
    """What git recorded of the file: created, last changed, and the status and due-date moves, each
    due-date move that no renegotiation entry records marked as such."""
    history = ledger.history.of(promise.path)
    if history is None:
        return {"uncommitted": True} if ledger.history.files else None

    def mark(event: Event) -> dict[str, Any]:
        return {
            "date": event.date,
            "date_text": format_date(dt.date.fromisoformat(event.date)) if event.date else UNKNOWN_DATE,
            "author": event.author,
            "commit": event.commit[:10],
            "text": event_text(event),
            "unrecorded": event.kind == "due" and not event.recorded,
        }

    return {
        "uncommitted": False,
        "created": mark(history.created),
        "changed": mark(history.changed),
        "events": [mark(event) for event in history.events],
    }


def event_text(event: Event) -> str:
    if event.kind == "created":
        return f"Created as {event.new}" if event.new else "Created"
    if event.kind == "status":
        return f"Status {event.old or 'none'} → {event.new or 'none'}"
    if event.kind == "due" and not event.recorded:
        return f"Due moved {event.old} → {event.new} without a renegotiation entry: this move is not in the record"
    if event.kind == "due":
        return f"Due moved {event.old or 'none'} → {event.new or 'none'}"
    if event.kind == "renamed":
        return f"Renamed from {event.old}"
    return "Changed"


def finding_view(finding: Finding, urls: Urls) -> dict[str, Any]:
    """A finding as a reader sees it: its message as prose, and its rule linked to the rule's page."""
    return {
        "code": finding.code,
        "name": finding.name,
        "level": finding.level,
        "line": finding.line,
        "message": prose(finding.message),
        "url": urls.rule(finding.code),
    }


def prose(text: str) -> Markup:
    """Text with its `code spans` shown as code, and nothing else of it taken as HTML."""
    return Markup(_CODE_SPAN.sub(lambda m: f"<code>{m.group(1)}</code>", html.escape(text, quote=False)))


# A commit whose date no calendar holds (git takes any number): said plainly, never a failed build.
UNKNOWN_DATE = "an unknown date (the commit's date is not a real one)"


LINKED_TITLE = 120  # characters of another promise's title that a page repeats


def shown_ancestors(chain: list[Promise]) -> list[Promise | None]:
    """The top of a chain and its nearest links, with None where links are left out."""
    if len(chain) <= BREADCRUMB_NEAREST + 2:
        return list(chain)
    return [chain[0], None, *chain[-BREADCRUMB_NEAREST:]]


def due_note(promise: Promise, state: State) -> str:
    """What the due date means today: `in 5 days`, `12 days overdue`, `delivered 2 days early`."""
    days = state.days_to_due
    if days is None:
        return ""
    if promise.delivered and promise.due:
        early = (promise.due - promise.delivered).days
        if early > 0:
            return f"delivered {plural(early, 'day')} early"
        if early == 0:
            return "delivered on the due date"
        return f"delivered {plural(-early, 'day')} late"
    if state.overdue:
        return f"{plural(-days, 'day')} overdue"
    if state.unanswered:
        return f"{plural(-days, 'day')} without an answer"
    if state.is_open:
        return {0: "due today", 1: "due tomorrow"}.get(days, f"due in {days} days" if days > 0 else "")
    return ""


MIN_SHARE = 3  # counted promises below which a share is not drawn: "1 of 1" is no 100%


def kept_text(reliability: Reliability) -> str:
    """`67% · 2 of 3`, or `1 of 1 · too few for a share`, or `—` when none is counted."""
    counted = reliability.counted
    if not counted:
        return "—"
    if counted < MIN_SHARE:
        return f"{reliability.kept} of {counted} · too few for a share"
    return f"{round(reliability.kept_share * 100)}% · {reliability.kept} of {counted}"
