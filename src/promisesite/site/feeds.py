"""The site's data files: promises.json, iCalendar (RFC 5545), Atom (RFC 4287) and the sitemap."""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any
from xml.etree import ElementTree as ET

from .. import __version__
from ..ledger import Ledger
from ..model import Promise, Registry, Status
from ..text import xml_text
from .memo import Memo
from .urls import Urls, promise_slug

FEED_ENTRIES = 50
ATOM = "http://www.w3.org/2005/Atom"


def json_bytes(data: Any) -> bytes:
    return (json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def promise_data(ledger: Ledger, urls: Urls, promise: Promise) -> dict[str, Any]:
    """One promise as data: every field, plus its state as of today and its URL."""
    state = ledger.state(promise)
    return {
        "id": promise.id,
        "path": promise.path,
        "url": urls.absolute(urls.promise(promise.id)),
        "title": promise.title,
        "promiser": promise.promiser,
        "customer": promise.customer,
        "team": promise.team,
        "status": promise.status.value if promise.status else None,
        "due": _iso(promise.due),
        "requested": _iso(promise.requested),
        "promised": _iso(promise.promised),
        "delivered": _iso(promise.delivered),
        "accepted": _iso(promise.accepted),
        "closed": _iso(promise.closed),
        "closed_reason": promise.closed_reason or None,
        "done_when": list(promise.done_when),
        "measured_by": promise.measured_by or promise.customer,
        "standards": list(promise.standards),
        "risks": list(promise.risks),
        "help": promise.help or None,
        "serves": promise.serves or None,
        "served_by": [child.id for child in ledger.children.get(promise.id, [])],
        "confidence": promise.confidence or None,
        "tags": list(promise.tags),
        "renegotiations": [
            {
                "on": _iso(r.on),
                "was": _iso(r.was),
                "due": _iso(r.due),
                "reason": r.reason,
                "agreed_by": r.agreed_by,
                "changed": r.changed or None,
                "cause": r.cause or None,
            }
            for r in promise.renegotiations
        ],
        "waivers": [{"rule": w.rule, "reason": w.reason} for w in promise.waivers],
        "open": state.is_open,
        "overdue": state.overdue,
        "unanswered": state.unanswered,
        "due_in_force": _iso(state.due_in_force or promise.due),
        "days_to_due": state.days_to_due,
        "outcome": state.outcome.value if state.outcome else None,
        "cause": promise.cause or None,
        "week": ledger.week_of(promise) or None,  # the ISO week it counts in, when it is counted
        "findings": [
            {"code": f.code, "level": f.level, "line": f.line, "message": f.message}
            for f in ledger.findings.get(promise.path, [])
        ],
    }


def _record(ledger: Ledger, urls: Urls, promise: Promise) -> str:
    return json.dumps(promise_data(ledger, urls, promise), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def promises_json(ledger: Ledger, urls: Urls, memo: Memo | None = None) -> bytes:
    """A JSON array, one promise per line."""
    memo = memo or _no_memo()
    records = [
        memo.get(
            "json",
            p,
            (
                ledger.state(p),
                tuple(ledger.findings.get(p.path, ())),
                tuple(c.id for c in ledger.children.get(p.id, ())),
            ),
            functools.partial(_record, ledger, urls, p),
        )
        for p in ledger.promises
    ]
    return ("[\n" + ",\n".join(records) + "\n]\n").encode("utf-8")


def search_index(ledger: Ledger, urls: Urls, registry: Registry, memo: Memo | None = None) -> bytes:
    """What search needs and no more: one short array per promise (docs/site.md), a fraction of
    `promises.json`. Fields: url (from the site's root), id, title, status, due, promiser, its name,
    customer, its name, team, tags. Written as a script that hands the arrays to the page
    (`promisesiteIndex([...])`): a page opened from disk may load a script, but not fetch a file."""
    memo = memo or _no_memo()

    def entry(promise: Promise) -> str:
        record = [
            urls.promise(promise.id)[len(urls.base) :],
            promise.id,
            promise.title,
            promise.status.value if promise.status else "",
            _iso(promise.due) or "",
            promise.promiser,
            _other_name(registry, promise.promiser),
            promise.customer,
            _other_name(registry, promise.customer),
            promise.team,
            " ".join(promise.tags),
        ]
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"))

    records = [memo.get("search", p, None, functools.partial(entry, p)) for p in ledger.promises]
    # JSON is JavaScript, except for U+2028 and U+2029 in old engines; `</` cannot end a script here.
    body = ",\n".join(records).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return ("promisesiteIndex([\n" + body + "\n]);\n").encode("utf-8")


def _other_name(registry: Registry, handle: str) -> str:
    """The registered name when it is not just the handle again."""
    name = registry.name_of(handle)
    return name if name != handle else ""


# --- iCalendar -----------------------------------------------------------------------------------


def _ics_text(text: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): escaped, line breaks as `\\n`, other control characters dropped."""
    text = (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )
    return _ICS_CONTROL.sub("", text)


_ICS_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545 §3.1)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current: list[str] = []
    size, limit = 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines start with a space
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def calendar(ledger: Ledger, urls: Urls, promises: Iterable[Promise], name: str, memo: Memo | None = None) -> bytes:
    """All-day events on the due dates; UIDs are stable across builds and calendars."""
    memo = memo or _no_memo()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//promisesite//promisesite {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_ics_text(name)}",
    ]
    head = "\r\n".join(_fold(line) for line in lines) + "\r\n"
    seen: set[str] = set()
    events = []
    for promise in sorted(promises, key=lambda p: (p.due or dt.date.min, p.id)):
        if promise.due is None or promise.id in seen:
            continue
        seen.add(promise.id)
        events.append(memo.get("ics", promise, ledger.today, functools.partial(_event, ledger, urls, promise)))
    return (head + "".join(events) + "END:VCALENDAR\r\n").encode("utf-8")


def _event(ledger: Ledger, urls: Urls, promise: Promise) -> str:
    status = promise.status.value if promise.status else "unknown"
    description = [f"{promise.promiser} promised {promise.customer}: {status}."]
    description += ["Done when:"] + [f"- {c}" for c in promise.done_when] if promise.done_when else []
    event_status = (
        "CANCELLED"
        if promise.status in (Status.CANCELLED, Status.REVOKED, Status.DECLINED, Status.WITHDRAWN)
        else "TENTATIVE"
        if promise.status in (Status.REQUESTED, Status.OFFERED, Status.COUNTERED)
        else "CONFIRMED"
    )
    assert promise.due is not None
    lines = [
        "BEGIN:VEVENT",
        f"UID:{promise_slug(promise.id)}@{_ics_text(urls.site_id)}",
        f"DTSTAMP:{ledger.today.strftime('%Y%m%dT000000Z')}",
        f"DTSTART;VALUE=DATE:{promise.due.strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{(promise.due + dt.timedelta(days=1)).strftime('%Y%m%d')}",
        f"SUMMARY:{_ics_text('Due: ' + promise.title)}",
        f"DESCRIPTION:{_ics_text(chr(10).join(description))}",
        *([f"URL:{urls.absolute(urls.promise(promise.id))}"] if urls.origin else []),
        f"CATEGORIES:{','.join(_ics_text(c) for c in [status, *promise.tags])}",
        f"STATUS:{event_status}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def _no_memo() -> Memo:
    return Memo()


# --- Atom and sitemap ----------------------------------------------------------------------------


def last_change(ledger: Ledger, promise: Promise) -> str:
    """When the promise last changed, as an Atom time: its newest commit's time when git knows it,
    else the day `Ledger.last_change` gives."""
    history = ledger.history.of(promise.path)
    if history is not None and history.changed.date:
        return history.changed.stamp
    return _stamp(ledger.last_change(promise) or dt.date(1970, 1, 1))


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def recent(ledger: Ledger, memo: Memo | None = None) -> list[Promise]:
    """The promises that changed most recently, newest first."""
    memo = memo or _no_memo()
    changed = {p.id: memo.get("changed", p, None, functools.partial(last_change, ledger, p)) for p in ledger.promises}
    return heapq.nlargest(FEED_ENTRIES, ledger.promises, key=lambda p: (changed[p.id], p.id))


def atom(ledger: Ledger, urls: Urls, title: str, recent: Sequence[Promise]) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    home = urls.absolute(urls.home())
    _sub(feed, "title", title)
    _sub(feed, "id", home if urls.origin else f"urn:promisesite:{urls.site_id}:feed")
    _sub(feed, "updated", max((last_change(ledger, p) for p in recent), default=_stamp(ledger.today)))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=urls.absolute(urls.file("feed.xml")))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=home)
    _sub(ET.SubElement(feed, f"{{{ATOM}}}author"), "name", title)
    _sub(feed, "generator", "promisesite").set("version", __version__)
    for promise in recent:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _sub(entry, "title", promise.title or promise.id)
        url = urls.absolute(urls.promise(promise.id))
        _sub(entry, "id", url if urls.origin else f"urn:promisesite:{urls.site_id}:promise:{promise.id}")
        _sub(entry, "updated", last_change(ledger, promise))
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=url)
        _sub(ET.SubElement(entry, f"{{{ATOM}}}author"), "name", promise.promiser or "unknown")
        status = promise.status.value if promise.status else "unknown"
        due = f", due {promise.due.isoformat()}" if promise.due else ""
        _sub(entry, "summary", f"{status}: {promise.promiser} → {promise.customer}{due}")
        ET.SubElement(entry, f"{{{ATOM}}}category", term=status)
    ET.indent(feed)
    return (
        b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False) + b"\n"
    )


def _sub(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = xml_text(text)
    return element


def sitemap(urls: Urls, pages: Sequence[str]) -> bytes:
    namespace = "http://www.sitemaps.org/schemas/sitemap/0.9"
    ET.register_namespace("", namespace)
    root = ET.Element(f"{{{namespace}}}urlset")
    for page in pages:
        folder = page.removesuffix("index.html")
        ET.SubElement(ET.SubElement(root, f"{{{namespace}}}url"), f"{{{namespace}}}loc").text = urls.absolute(
            urls.base + folder
        )
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"
