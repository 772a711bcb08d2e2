"""What a change since a base revision does to the promises, in promise terms, for whoever reviews
it: promises made, requested or offered; renegotiations; changed conditions; deliveries and
acceptances; closings and deletions; and, for each, who must agree or act. `check --base` judges
the same change; its findings on a file go beside that file's changes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field

from .check import CheckResult
from .findings import Finding
from .model import Promise, Status
from .text import plural

CLOSINGS = (Status.DECLINED, Status.WITHDRAWN, Status.REVOKED, Status.CANCELLED)
EDITED = ("title", "customer", "promiser", "team", "measured_by", "standards", "risks", "help", "serves", "confidence")


@dataclass(frozen=True)
class Item:
    """One thing a change did to a promise."""

    kind: (
        str  # new, promised, renegotiated, due-moved, conditions, delivered, accepted, closed, status, edited, deleted
    )
    text: str  # in promise terms, one line
    act: str = ""  # who must agree or act, and what, or ""
    old: str | list[str] | None = None
    new: str | list[str] | None = None


@dataclass
class PromiseChange:
    path: str
    id: str
    title: str
    promiser: str
    customer: str
    items: list[Item] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def describe(result: CheckResult) -> list[PromiseChange]:
    """The promises a change touched (the CheckResult of `check --base`), in path order."""
    base = result.base
    if base is None:
        return []
    by_path = {promise.path: promise for promise in result.promises}
    found: list[PromiseChange] = []
    for path in sorted({*base.changed, *base.added} & set(by_path)):
        now = by_path[path]
        was = base.changed.get(path)
        items = _new(now) if was is None else _changed(was, now)
        if items:
            found.append(_entry(now, items))
    for path, was in sorted(base.deleted.items()):
        if was.id in {p.id for p in result.promises}:
            continue  # moved: its new path shows what changed
        state = was.status.value if was.status else "unreadable"
        act = (
            "put the file back and end the promise with a status (accepted, withdrawn, revoked, cancelled)"
            if was.is_open
            else "put the file back: a closed promise stays in the record and the accounting"
        )
        found.append(_entry(was, [Item("deleted", f"deleted ({state} before the change)", act)], path))
    findings: dict[str, list[Finding]] = {}
    for finding in result.findings:
        findings.setdefault(finding.path, []).append(finding)
    for change in found:
        change.findings = findings.get(change.path, [])
    return found


def _entry(promise: Promise, items: list[Item], path: str = "") -> PromiseChange:
    return PromiseChange(
        path or promise.path, promise.id, promise.title or promise.id, promise.promiser, promise.customer, items
    )


def _new(now: Promise) -> list[Item]:
    status, due = now.status, f", due {now.due}" if now.due else ""
    if status is Status.REQUESTED:
        return [Item("new", f"requested by {now.customer} of {now.promiser}{due}", f"{now.promiser} to answer it")]
    if status in (Status.OFFERED, Status.COUNTERED):
        return [Item("new", f"offered by {now.promiser} to {now.customer}{due}", f"{now.customer} to answer it")]
    if status is Status.PROMISED:
        act = f"{now.customer} to confirm the terms: the conditions and the date"
        return [Item("new", f"promised by {now.promiser} to {now.customer}{due}", act)]
    shown = status.value if status else "no status"
    return [Item("new", f"added as {shown}{due}", f"{now.customer} to confirm the record")]


def _changed(was: Promise, now: Promise) -> list[Item]:
    items: list[Item] = []
    items += _status(was, now)
    appended = now.renegotiations[len(was.renegotiations) :]
    for entry in appended:
        reason = f" ({entry.reason})" if entry.reason else ""
        cause = f", cause {entry.cause}" if entry.cause else ""
        items.append(
            Item(
                "renegotiated",
                f"renegotiated: due {entry.was} → {entry.due}{reason}, agreed by {entry.agreed_by or 'nobody named'}"
                f"{cause}",
                f"{now.customer} to confirm they agreed the new date",
                str(entry.was),
                str(entry.due),
            )
        )
    if was.due != now.due and not any(entry.due == now.due for entry in appended):
        items.append(
            Item(
                "due-moved",
                f"due moved {was.due} → {now.due} without a renegotiation entry",
                f"{now.promiser} to record the move as a renegotiation agreed by {now.customer}, or put the date back",
                str(was.due),
                str(now.due),
            )
        )
    if was.done_when != now.done_when:
        items.append(
            Item(
                "conditions",
                "conditions of satisfaction changed",
                f"{now.customer} to agree the new conditions",
                list(was.done_when),
                list(now.done_when),
            )
        )
    edited = [name for name in EDITED if getattr(was, name) != getattr(now, name)]
    if edited:
        items.append(Item("edited", "edited: " + ", ".join(edited)))
    return items


def _status(was: Promise, now: Promise) -> list[Item]:
    before, after = was.status, now.status
    if before == after or after is None:
        return []
    shown = before.value if before else "no status"
    if after is Status.PROMISED and before is not None and before.is_proposal:
        act = f"{now.customer} to confirm the terms"
        return [Item("promised", f"promised: {shown} → promised, due {now.due}", act, shown, after.value)]
    if after is Status.DELIVERED:
        act = f"{now.customer} to accept it (status: accepted) or say what is missing"
        return [Item("delivered", f"delivered on {now.delivered}, due {now.due}", act, shown, after.value)]
    if after is Status.ACCEPTED:
        text = f"accepted on {now.accepted} by {now.customer}, delivered on {now.delivered}"
        return [Item("accepted", text, "", shown, after.value)]
    if after in CLOSINGS:
        why = f": {now.closed_reason}" if now.closed_reason else ""
        act = f"{now.customer} to agree" if after is Status.REVOKED else ""
        return [Item("closed", f"{after.value}{why}", act, shown, after.value)]
    return [Item("status", f"status {shown} → {after.value}", "", shown, after.value)]


# --- output -----------------------------------------------------------------------------------


def as_text(changes: Sequence[PromiseChange], revision: str) -> str:
    if not changes:
        return f"No promise changed since {revision}.\n"
    lines = [f"{plural(len(changes), 'promise')} changed since {revision}:", ""]
    for change in changes:
        lines.append(f"{change.path}: {change.title} ({change.promiser} → {change.customer})")
        for item in change.items:
            lines.append(f"  - {item.text}")
            if isinstance(item.old, list) and isinstance(item.new, list):
                lines += [f"      was: {condition}" for condition in item.old]
                lines += [f"      now: {condition}" for condition in item.new]
            if item.act:
                lines.append(f"    needs: {item.act}")
        lines += [f"  {f.code} {f.level} {f.name}: {f.message}" for f in change.findings]
        lines.append("")
    return "\n".join(lines)


def as_json(changes: Sequence[PromiseChange], revision: str) -> str:
    data = {
        "base": revision,
        "promises": [
            {**{k: v for k, v in asdict(change).items() if k != "findings"}, "findings": _findings(change.findings)}
            for change in changes
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _findings(findings: Iterable[Finding]) -> list[dict[str, object]]:
    return [{"code": f.code, "level": f.level, "line": f.line, "message": f.message} for f in findings]


def as_markdown(changes: Sequence[PromiseChange], revision: str) -> str:
    """For a pull-request comment or a CI job summary: a table of what changed, then the details."""
    head = f"### Promise changes since {_text(revision)}\n\n"
    if not changes:
        return head + "No promise changed.\n"
    errors = sum(f.is_error for change in changes for f in change.findings)
    lines = [
        head.rstrip("\n"),
        "",
        f"{plural(len(changes), 'promise')} changed"
        + (f"; **{plural(errors, 'error')}** to fix before merging." if errors else "."),
        "",
        "| Promise | What changed | Who must act |",
        "|---|---|---|",
    ]
    for change in changes:
        what = "; ".join(_text(item.text) for item in change.items)
        act = "; ".join(_text(item.act) for item in change.items if item.act) or "—"
        lines.append(f"| {_text(change.title)} ({_text(change.path)}) | {what} | {act} |")
    for change in changes:
        lines += [
            "",
            f"#### {_text(change.title)}",
            "",
            f"{_text(change.path)}: {change.promiser} → {change.customer}",
            "",
        ]
        for item in change.items:
            lines.append(f"- {_text(item.text)}" + (f" — **needs:** {_text(item.act)}" if item.act else ""))
            if isinstance(item.old, list) and isinstance(item.new, list):
                lines += [f"  - was: {_text(condition)}" for condition in item.old]
                lines += [f"  - now: {_text(condition)}" for condition in item.new]
        for finding in change.findings:
            mark = "❌" if finding.is_error else "⚠️"
            lines.append(f"- {mark} **{finding.code}** {finding.name}: {_text(finding.message)}")
    return "\n".join(lines) + "\n"


def _text(text: str) -> str:
    """Plain text safe in Markdown, a table cell included: no emphasis, links, HTML, code spans or
    headings made from it, and no `|` that ends a cell (GitHub splits cells even inside code)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = "".join("\\" + c if c in "\\`*_[]#|~" else c for c in text)
    return " ".join(escaped.split())
