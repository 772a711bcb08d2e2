"""What a change since a base revision does to the promises, in promise terms, for whoever reviews
it: every difference in a promise's front matter (named fields in promise terms, the rest as old →
new), promises made, moved and deleted, every file with an error, and for each who must act and who
must approve on the forge. `check --base` judges the same change; its findings go beside it.

Promises are compared by id, as `check --base` compares them: a promise moved to another folder is
the same promise, and every promise file on disk counts, tracked by git or not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields

from ..check import CheckResult
from ..config import CONFIG_NAME, Config, levels_in
from ..findings import Finding
from ..model import MILESTONES, Promise, Registry, Status
from ..read.front import declared
from ..rules import RECORD_CODES
from .items import Item, PromiseChange
from .wording import list_diff

CLOSINGS = (Status.DECLINED, Status.WITHDRAWN, Status.REVOKED, Status.CANCELLED)
# Fields shown as one value each, in the order the format lists them; lists are shown entry by entry.
SINGLE = ("title", "promiser", "customer", "team", "measured_by", "help", "serves", "confidence", "cause")
LISTS = ("standards", "risks", "tags")
# Judged by their own items (or not front matter at all): never listed again as a plain edit.
_OWN_ITEMS = {"id", "path", "status", "due", "done_when", "renegotiations", "waivers", "body", "body_line"}
_OWN_ITEMS |= {"invalid", "positions", "closed_reason", *MILESTONES}


def describe(result: CheckResult, config: Config | None = None) -> list[PromiseChange]:
    """The promises a change touched (the CheckResult of `check --base`), and every file with an error,
    in path order."""
    base = result.base
    if base is None:
        return []
    registry = config.registry if config is not None else Registry()
    both = config is not None and config.codeowners == "both"
    findings: dict[str, list[Finding]] = {}
    for finding in result.findings:
        findings.setdefault(finding.path, []).append(finding)
    found: dict[str, PromiseChange] = {}
    for now in result.promises:
        was = base.changed.get(now.path)
        if now.path in base.added:
            items = _new(now)
        elif was is not None:
            items = _changed(was, now, base.moved.get(now.path, ""), base.date)
        else:
            continue
        if items:
            found[now.path] = _entry(now, items, registry, both, moved_from=base.moved.get(now.path, ""))
    for path, was in base.deleted.items():
        act = f"{was.promiser or 'the promiser'} to put the file back and end the promise with a status"
        act += (
            " (delivered then accepted, revoked or cancelled with `closed` and `closed_reason`)"
            if was.status is not None and (was.status.is_committed or was.promised)
            else " (declined or withdrawn for a request nobody promised)"
            if was.is_open
            else ": a closed promise stays in the record and the accounting"
        )
        state = was.status.value if was.status else "unreadable"
        found[path] = _entry(was, [Item("deleted", f"deleted ({state} at the base)", act)], registry, both, path)
    for path, own in findings.items():
        if path not in found and any(f.is_error for f in own):
            known = next((p for p in result.promises if p.path == path), None)
            entry = (
                _entry(known, [], registry, both)
                if known is not None
                else PromiseChange(path, path.rsplit("/", 1)[-1].removesuffix(".md"), path, "", "")
            )
            found[path] = entry
    if config is not None:
        settings = _settings(base.config, config)
        if settings:
            found[CONFIG_NAME] = PromiseChange(CONFIG_NAME, "", "the site's config", "", "", settings)
    for path, entry in found.items():
        entry.findings = findings.get(path, [])
        if not entry.items:
            entry.items.append(Item("unchanged", "no field changed; what the check finds in it:", _fix(entry)))
    return [found[path] for path in sorted(found)]


# The keys of promisesite.yaml that change how the record is judged or who signs it off.
_RECORD_KEYS = ("source", "record_since", "codeowners", "accounting")


def _settings(was_text: str, config: Config) -> list[Item]:
    """What the change does to the config's keys that judge the record: each said, for a maintainer."""
    file = config.root / CONFIG_NAME
    try:
        now_text = file.read_text(encoding="utf-8-sig") if file.is_file() else ""
    except (OSError, UnicodeDecodeError):
        return []
    items = []
    for key in _RECORD_KEYS:
        before, after = declared(was_text, key), declared(now_text, key)
        if before != after:
            items.append(
                Item("config", f"{key}: {_shown(before)} → {_shown(after)}", _MAINTAINERS, _str(before), _str(after))
            )
    before_levels, after_levels = levels_in(was_text), levels_in(now_text)
    for code in sorted(set(before_levels) | set(after_levels)):
        before, after = before_levels.get(code, "default"), after_levels.get(code, "default")
        if before != after:
            note = " (a rule of the record: its old level judges this change)" if code in RECORD_CODES else ""
            items.append(Item("config", f"rules: {code} {before} → {after}{note}", _MAINTAINERS, before, after))
    return items


_MAINTAINERS = "the maintainers to review it: it changes how every promise is judged"


def _fix(entry: PromiseChange) -> str:
    return f"{entry.promiser or 'the author of the change'} to fix the errors below"


def _entry(
    promise: Promise, items: list[Item], registry: Registry, both: bool, path: str = "", moved_from: str = ""
) -> PromiseChange:
    approvers = [_account(registry, promise.customer)]
    if both and promise.promiser and promise.promiser != promise.customer:
        approvers.append(_account(registry, promise.promiser))
    return PromiseChange(
        path or promise.path,
        promise.id,
        promise.title or promise.id,
        promise.promiser,
        promise.customer,
        items,
        approvers=[a for a in approvers if a],
        moved_from=moved_from,
    )


def _account(registry: Registry, handle: str) -> str:
    """The forge account that approves for a handle: its GitHub or GitLab name, else the handle."""
    known = registry.people.get(handle) or registry.teams.get(handle)
    if known is not None and (known.github or known.gitlab):
        return known.github or known.gitlab
    return handle


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


def _changed(was: Promise, now: Promise, moved_from: str, written: dt.date | None = None) -> list[Item]:
    """Every difference between the two versions of one promise, each once. A milestone newly set to a
    day before the base revision was committed (`written`) is said to be dated back."""
    items: list[Item] = []
    if moved_from:
        items.append(Item("moved", f"moved from {moved_from}"))
    items += _status(was, now)
    appended = now.renegotiations[len(was.renegotiations) :]
    for entry in appended:
        items.append(_renegotiation(entry, now))
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
                list_diff(was.done_when, now.done_when),
            )
        )
    for name in MILESTONES:
        before, after = getattr(was, name), getattr(now, name)
        if before is None and after is not None and written is not None and after < written:
            items.append(
                Item(
                    "backdated",
                    f"`{name}` set to {after}, before the base revision was committed ({written}): dated back",
                    f"{now.customer} to confirm it happened on {after}: a late delivery dated back reads as kept",
                    None,
                    str(after),
                )
            )
        if before != after and not (name == now.status_milestone and _status_covers(was, now)):
            items.append(
                Item("milestone", f"`{name}` {_shown(before)} → {_shown(after)}", "", _str(before), _str(after))
            )
    if was.closed_reason != now.closed_reason and now.status not in CLOSINGS:
        items.append(Item("edited", f"closed_reason: {_shown(was.closed_reason)} → {_shown(now.closed_reason)}"))
    for name in SINGLE:
        before, after = getattr(was, name), getattr(now, name)
        if before != after:
            item = Item("edited", f"{name}: {_shown(before)} → {_shown(after)}", "", _str(before), _str(after))
            if name in ("customer", "promiser", "cause"):
                item = Item(item.kind, item.text, _who_agrees(name, was, now), item.old, item.new)
            items.append(item)
    for name in LISTS:
        before, after = getattr(was, name), getattr(now, name)
        if before != after:
            items.append(Item("edited", f"{name} changed", "", list(before), list(after), list_diff(before, after)))
    added = [w for w in now.waivers if w not in was.waivers]
    removed = [w for w in was.waivers if w not in now.waivers]
    items += [
        Item("waiver", f"waiver of {w.rule} added ({w.reason})", f"{now.customer} to accept the exception")
        for w in added
    ]
    items += [Item("waiver", f"waiver of {w.rule} removed") for w in removed]
    if was.body != now.body:
        items.append(Item("notes", "notes (the Markdown body) edited"))
    items += _others(was, now)
    return items


def _status_covers(was: Promise, now: Promise) -> bool:
    """Whether the status item already says the milestone (`delivered on …`)."""
    return was.status != now.status


def _others(was: Promise, now: Promise) -> list[Item]:
    """Any other field a future format adds: never a difference left unsaid."""
    items = []
    for spec in fields(Promise):
        name = spec.name
        if name in _OWN_ITEMS or name in SINGLE or name in LISTS:
            continue
        before, after = getattr(was, name), getattr(now, name)
        if before != after:
            items.append(Item("edited", f"{name}: {_shown(before)} → {_shown(after)}"))
    return items


def _who_agrees(name: str, was: Promise, now: Promise) -> str:
    if name == "customer":
        return f"{was.customer} and {now.customer} to agree that the promise now serves {now.customer}"
    if name == "promiser":
        return f"{now.promiser} to make the promise themselves (a promise is personal), and {now.customer} to agree"
    return f"{now.customer} to agree the cause"


def _renegotiation(entry, now: Promise) -> Item:
    reason = f" ({entry.reason})" if entry.reason else ""
    cause = f", cause {entry.cause}" if entry.cause else ""
    who = entry.agreed_by or "nobody named"
    on = f" on {entry.on}" if entry.on else ""
    if entry.was == entry.due:
        changed = f": {entry.changed}" if entry.changed else ": nothing said of what changed"
        text = f"renegotiated{on}, the date stays {entry.due}{changed}{reason}, agreed by {who}{cause}"
        act = f"{now.customer} to confirm they agreed the new terms"
    else:
        also = f"; also changed: {entry.changed}" if entry.changed else ""
        text = f"renegotiated{on}: due {entry.was} → {entry.due}{reason}, agreed by {who}{cause}{also}"
        act = f"{now.customer} to confirm they agreed the new date"
    return Item("renegotiated", text, act, str(entry.was), str(entry.due), changed=entry.changed or "")


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
        text = f"accepted on {now.accepted} (set in this change), delivered on {now.delivered}"
        act = (
            f"{now.customer} to confirm the acceptance: only the customer declares satisfaction, and their "
            "approval of this change is the sign-off"
        )
        return [Item("accepted", text, act, shown, after.value)]
    if after in CLOSINGS:
        why = f": {now.closed_reason}" if now.closed_reason else ""
        acts = {
            Status.REVOKED: f"{now.customer} to agree that it is revoked (it counts as broken)",
            Status.CANCELLED: f"{now.customer} to confirm they cancelled it: only the customer cancels, and a "
            "cancelled promise is not counted",
            Status.DECLINED: f"{now.customer} to acknowledge the request is declined",
            Status.WITHDRAWN: f"{now.promiser} to acknowledge the request is withdrawn",
        }
        return [Item("closed", f"{after.value}{why}", acts[after], shown, after.value)]
    return [Item("status", f"status {shown} → {after.value}", f"{now.customer} to agree", shown, after.value)]


def _shown(value: object) -> str:
    if value in (None, "", ()):
        return "(none)"
    if isinstance(value, Status):
        return value.value
    return str(value)


def _str(value: object) -> str | None:
    return None if value in (None, "") else str(value)
