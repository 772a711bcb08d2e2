"""A read `Document` → a `Promise`: every field read by its kind, with the reading findings (P004
unknown field, P005 bad type, P006 missing field, P007 bad status, P008 bad id, P102 vague date).
What could not be read is left out of the promise and named in `Promise.invalid`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from ..findings import Finding
from ..model import (
    CONFIDENCES,
    FIELDS,
    HANDLE_PATTERN,
    MAX_HANDLE,
    MAX_ID,
    RENEGOTIATION_FIELDS,
    SLUG_PATTERN,
    WAIVER_FIELDS,
    FieldSpec,
    Kind,
    Promise,
    Registry,
    Renegotiation,
    Status,
    Waiver,
)
from ..rules import lookup, suggest
from ..rules.reading import (
    BAD_ID,
    BAD_STATUS,
    BAD_TYPE,
    MAX_TITLE,
    MISSING_FIELD,
    TEXT_CUT,
    TITLE_TOO_LONG,
    UNKNOWN_FIELD,
    VAGUE_DATE,
)
from ..rules.rule import Rule
from ..text import closest, did_you_mean, slug
from .dates import date_problem
from .document import Document

_HANDLE = re.compile(HANDLE_PATTERN)
_SLUG = re.compile(SLUG_PATTERN)
_REQUIRED = ("title", "promiser", "customer", "status")
# Text a reader reads as a sentence: a ` #…` after it is text YAML dropped (P011), not a comment. (Handles,
# statuses, dates, tags and rule codes may carry a comment after them.)
_PROSE = frozenset(
    ("title", "closed_reason", "done_when", "standards", "risks", "help", "reason", "changed", "measured_by")
)
# What people write for a status or a field, and what they mean: closer in meaning than in spelling
# (`done` is spelt like `declined` and means the opposite).
STATUS_MEANT = {
    **dict.fromkeys(
        ("done", "complete", "completed", "finished", "shipped", "closed", "resolved", "fixed", "ready"),
        ("delivered", "accepted"),
    ),
    **dict.fromkeys(
        ("in progress", "wip", "doing", "active", "open", "committed", "started", "ongoing", "agreed", "planned"),
        ("promised",),
    ),
    **dict.fromkeys(("new", "todo", "to do", "proposed", "asked", "backlog", "draft", "pending"), ("requested",)),
    **dict.fromkeys(("rejected", "refused", "wont do", "won't do", "wontfix", "wont fix"), ("declined",)),
    **dict.fromkeys(("canceled", "abandoned", "dropped"), ("cancelled", "withdrawn")),
    "broken": ("revoked",),
    "verified": ("accepted",),
}
FIELD_MEANT = {
    **dict.fromkeys(("due_date", "duedate", "deadline", "due_on", "due_by", "target_date", "eta"), "due"),
    **dict.fromkeys(("owner", "assignee", "assigned_to", "author", "responsible"), "promiser"),
    **dict.fromkeys(("client", "requester", "requestor", "stakeholder", "for"), "customer"),
    **dict.fromkeys(
        ("acceptance_criteria", "acceptance", "criteria", "definition_of_done", "dod", "done_if", "conditions"),
        "done_when",
    ),
    **dict.fromkeys(("parent", "parents", "part_of", "epic"), "serves"),
    **dict.fromkeys(("state",), "status"),
    **dict.fromkeys(("name", "summary", "subject"), "title"),
    **dict.fromkeys(("label", "labels", "tag"), "tags"),
    **dict.fromkeys(("renegotiation", "renegotiated", "history", "changes"), "renegotiations"),
    **dict.fromkeys(("risk",), "risks"),
    **dict.fromkeys(("delivered_on", "delivered_at", "delivery_date"), "delivered"),
    **dict.fromkeys(("accepted_on", "accepted_at"), "accepted"),
    **dict.fromkeys(("promised_on", "promised_at", "committed"), "promised"),
    **dict.fromkeys(("requested_on", "requested_at", "created", "opened"), "requested"),
}


def build_promise(doc: Document, registry: Registry, today: dt.date) -> tuple[Promise, list[Finding]]:
    """Check every field's form and return the promise with whatever could be read."""
    return _Builder(doc, registry, today).build()


class _Builder:
    def __init__(self, doc: Document, registry: Registry, today: dt.date):
        self.doc, self.registry, self.today = doc, registry, today
        self.front: dict[str, Any] = doc.front or {}
        self.findings: list[Finding] = []

    def at(self, path: str) -> tuple[int, int]:
        return self.doc.positions.get(path, (1, 1))

    def report(self, rule: Rule, path: str, message: str) -> None:
        self.findings.append(rule.at(self.doc.path, self.at(path), message))

    def build(self) -> tuple[Promise, list[Finding]]:
        values: dict[str, Any] = {}
        invalid = set()
        self.unknown_keys(self.front, FIELDS, "")
        for spec in FIELDS:
            raw = self.front.get(spec.name)
            if raw is None or raw == "" or raw == []:
                continue
            value = self.read(spec, raw, spec.name)
            if value is None:
                invalid.add(spec.name)
            else:
                values[spec.name] = value
        stem = self.doc.path.rsplit("/", 1)[-1].removesuffix(".md")
        values["id"] = self.check_id(values.get("id"), stem)
        for name in _REQUIRED:
            if name not in values and name not in invalid:
                self.report(MISSING_FIELD, name, self.missing_message(name))
        status = values.get("status")
        if status in (Status.REVOKED, Status.CANCELLED) and "closed_reason" not in values:
            self.report(
                MISSING_FIELD,
                "closed_reason",
                f"a {status.value} promise needs `closed_reason`: one line on why, for the customer "
                "and the accounting, e.g. `closed_reason: the payments team moved to a new provider`",
            )
        if "team" not in values and values.get("promiser"):
            values["team"] = self.registry.team_of(values["promiser"])
        promise = Promise(
            path=self.doc.path,
            body=self.doc.body,
            body_line=self.doc.body_line,
            invalid=frozenset(invalid),
            positions=self.doc.positions,
            **values,
        )
        return promise, self.findings

    def unknown_keys(self, mapping: dict[str, Any], specs: Sequence[FieldSpec], prefix: str) -> None:
        known = [spec.name for spec in specs]
        for key in mapping:
            if key not in known:
                meant = FIELD_MEANT.get(key.lower().replace("-", "_")) if not prefix else None
                hint = (
                    f"did you mean `{meant}`?"
                    if meant in known
                    else did_you_mean(key, known) or "the fields are " + ", ".join(known)
                )
                where = f" in {prefix.split('.')[0]}" if prefix else ""
                self.report(UNKNOWN_FIELD, prefix + key, f"unknown field `{key}`{where}: {hint}")

    def missing_message(self, name: str) -> str:
        examples = {
            "title": "title: Checkout p95 latency under 300 ms for the holiday peak",
            "promiser": "promiser: ana.lima",
            "customer": "customer: payments",
            "status": "status: requested",
        }
        reason = {
            "title": "the promise in words",
            "promiser": "the one person who promises",
            "customer": "who will declare satisfaction",
            "status": "where the conversation stands",
        }
        registry = self.registry
        known = {"promiser": list(registry.people), "customer": [*registry.teams, *registry.people]}.get(name, [])
        example = f"{name}: {known[0]}" if known else examples[name]
        return f"`{name}` is missing: add {reason[name]}, e.g. `{example}`"

    # --- reading one value by its kind -------------------------------------------------------

    def read(self, spec: FieldSpec, raw: Any, path: str) -> Any:
        kind = spec.kind
        if kind is Kind.DATE:
            return self.date(raw, path)
        if kind is Kind.STATUS:
            return self.status(raw, path)
        if kind in (Kind.TEXT_LIST,):
            return self.text_list(raw, path)
        if kind is Kind.RENEGOTIATIONS:
            return self.renegotiations(raw, path)
        if kind is Kind.WAIVERS:
            return self.waivers(raw, path)
        if not isinstance(raw, str):
            self.report(
                BAD_TYPE,
                path,
                f"`{path}` must be {self.form(kind)}, not a {'list' if isinstance(raw, list) else 'mapping'}",
            )
            return None
        text = raw.strip()
        if path.rsplit(".", 1)[-1] in _PROSE and not (kind is Kind.HANDLE_OR_TEXT and _HANDLE.fullmatch(text)):
            self.cut_by_comment(path, text)
        if path == "title" and len(text) > MAX_TITLE:
            self.report(
                TITLE_TOO_LONG,
                path,
                f"the title has {len(text)} characters, more than {MAX_TITLE}: say the promise in one line, e.g. "
                f"`title: {_shortened(text)}`, and move the rest into the conditions or the Markdown body",
            )
        if kind is Kind.LINE and "\n" in text:
            self.report(BAD_TYPE, path, f"`{path}` must be one line: put the detail in the Markdown body")
            return None
        if kind is Kind.HANDLE and not _HANDLE.fullmatch(text):
            self.report(BAD_TYPE, path, f"`{path}: {text}` is not a handle: {self.handle_hint(path, text)}")
            return None
        if kind in (Kind.HANDLE, Kind.SLUG) and len(text) > MAX_HANDLE:
            self.report(
                BAD_TYPE,
                path,
                f"`{path}` is {len(text)} characters long; a handle or id has at most "
                f"{MAX_HANDLE}, as it names a page of the site: shorten it",
            )
            return None
        if kind is Kind.SLUG and spec.name != "id" and not _SLUG.fullmatch(text):
            self.report(
                BAD_TYPE,
                path,
                f"`{path}: {text}` is not a promise id: write the file name of the "
                f"promise it serves, without `.md`, e.g. `{path}: {slug(text)}`",
            )
            return None
        if kind is Kind.CONFIDENCE and text not in CONFIDENCES:
            self.report(BAD_TYPE, path, f"`confidence: {text}` is not a confidence: write high, medium or low")
            return None
        if kind is Kind.CAUSE and text.lower() not in self.registry.causes:
            causes = self.registry.causes
            hint = did_you_mean(text.lower(), causes, cutoff=0.5, quote="`cause: {}`")
            self.report(
                BAD_TYPE,
                path,
                f"`cause: {text}` is not one of the causes: {hint + ' ' if hint else ''}write one of "
                + ", ".join(causes)
                + ", or add it to `causes:` in promisesite.yaml",
            )
            return None
        if kind is Kind.CAUSE:
            return text.lower()
        return text

    def handle_hint(self, path: str, text: str) -> str:
        """What to write for a handle that is not one: a registered handle it is close to, or the
        form a handle takes (a person's name, `Ana Lima`, is written `ana.lima`); never a made-up one."""
        field = path.rsplit(".", 1)[-1]
        registry = self.registry
        known = {"promiser": registry.people, "team": registry.teams}.get(field, registry.handles)
        if known:
            close = closest(_suggest_handle(text), known) or closest(text.lower(), known)
            if close:
                return f"did you mean `{field}: {close}`?"
            names = list(known)
            return f"write a handle registered in promisesite.yaml, e.g. `{field}: {names[0]}`" + (
                " (a promise is made by one person)" if field == "promiser" else ""
            )
        if _PERSONAL_NAME.fullmatch(text):
            return f"write the handle of that person, e.g. `{field}: {_suggest_handle(text)}`"
        one = "one person's" if field == "promiser" else "a person's or team's"
        return f"write {one} handle: letters, digits, `.`, `_` or `-`, no spaces, like a login name"

    @staticmethod
    def form(kind: Kind) -> str:
        return {
            Kind.HANDLE: "a handle (letters, digits, `.`, `_` or `-`, no spaces)",
            Kind.LINE: "one line of text",
            Kind.TEXT: "text",
            Kind.HANDLE_OR_TEXT: "a handle or text",
            Kind.SLUG: "a promise id",
            Kind.CONFIDENCE: "high, medium or low",
            Kind.CAUSE: "one of the configured causes",
        }.get(kind, kind.value)

    def date(self, raw: Any, path: str) -> dt.date | None:
        if not isinstance(raw, str):
            self.report(
                VAGUE_DATE,
                path,
                f"`{path}` must be one date written YYYY-MM-DD, not a list or mapping: "
                f"`{path.rsplit('.', 1)[-1]}: YYYY-MM-DD`",
            )
            return None
        parsed, problem = date_problem(raw.strip(), path.rsplit(".", 1)[-1], self.today)
        if problem:
            self.report(VAGUE_DATE, path, problem)
        return parsed

    def status(self, raw: Any, path: str) -> Status | None:
        text = raw.strip().lower() if isinstance(raw, str) else ""
        try:
            return Status(text)
        except ValueError:
            names = [s.value for s in Status]
            meant = STATUS_MEANT.get(text.replace("_", " ").replace("-", " "))
            hint = (
                "did you mean " + " or ".join(f"`status: {name}`" for name in meant) + "?"
                if meant
                else did_you_mean(text, names, cutoff=0.5, quote="`status: {}`")
            )
            hint = hint + " " if hint else ""
            shown = raw if isinstance(raw, str) else "a list or mapping"
            self.report(BAD_STATUS, path, f"`status: {shown}` is not a status: {hint}write one of " + ", ".join(names))
            return None

    def text_list(self, raw: Any, path: str) -> tuple[str, ...] | None:
        if not isinstance(raw, list):
            example = raw.strip() if isinstance(raw, str) else "…"
            self.report(
                BAD_TYPE,
                path,
                f"`{path}` must be a list, one item per line: write `{path}:` and below it `  - {example}`",
            )
            return None
        items = []
        for index, item in enumerate(raw):
            item = self.colon_text(item, f"{path}.{index}")
            if not isinstance(item, str) or not item.strip():
                what = "empty" if item in (None, "") else "a list or mapping"
                self.report(
                    BAD_TYPE,
                    f"{path}.{index}",
                    f"item {index + 1} of `{path}` is {what}: write one line of text per item",
                )
                continue
            folded = self.doc.positions.get(f"{path}.{index}-")
            if folded is not None:
                self.findings.append(
                    BAD_TYPE.at(
                        self.doc.path,
                        folded,
                        f"item {index + 1} of `{path}` runs on into a line that starts with `- `: YAML folds a "
                        "list item indented differently into the text above it; write each item as its own "
                        "`  - …` line at the same indentation",
                    )
                )
            if path in _PROSE:
                self.cut_by_comment(f"{path}.{index}", item.strip())
            items.append(item.strip())
        return tuple(items)

    def cut_by_comment(self, path: str, value: str) -> None:
        """P011 when YAML dropped the ` #…` that went on after this text."""
        dropped = self.doc.comments.get(path)
        if dropped is None:
            return
        whole = f"{value} {dropped}".replace("\\", "\\\\").replace('"', '\\"')
        name = path.rsplit(".", 1)[-1]
        written = f'- "{whole}"' if name.isdigit() else f'{name}: "{whole}"'
        self.findings.append(
            TEXT_CUT.at(
                self.doc.path,
                self.at(path),
                f"YAML ends this value at ` #` and drops `{_cut(dropped)}` as a comment, so it reads "
                f"`{_cut(value)}`: quote the whole value, `{_cut(written, 120)}`; if the words after `#` are a "
                "comment, put them on a line of their own, not indented under the value",
            )
        )

    def colon_text(self, item: Any, path: str) -> Any:
        """`- may slip; mitigation: a replica` is YAML for a one-entry mapping, but the author meant text."""
        if isinstance(item, dict) and len(item) == 1:
            ((key, value),) = item.items()
            if value is None or isinstance(value, str):
                key_line = self.at(f"{path}.{key}")[0]
                if value is None or self.doc.positions.get(f"{path}.{key}=", (0, 0))[0] == key_line:
                    return f"{key}: {value}" if value else f"{key}:"
        return item

    def mappings(self, raw: Any, path: str, example: str) -> list[tuple[str, dict[str, Any]]]:
        if not isinstance(raw, list):
            self.report(BAD_TYPE, path, f"`{path}` must be a list of entries, e.g.\n{example}")
            return []
        entries = []
        for index, item in enumerate(raw):
            item_path = f"{path}.{index}"
            if not isinstance(item, dict):
                self.report(
                    BAD_TYPE, item_path, f"entry {index + 1} of `{path}` must have named fields, e.g.\n{example}"
                )
                continue
            entries.append((item_path, item))
        return entries

    def renegotiations(self, raw: Any, path: str) -> tuple[Renegotiation, ...]:
        example = (
            "  - on: 2026-11-18\n    was: 2026-12-01\n    due: 2026-12-15\n"
            "    reason: the database upgrade moved one week\n    agreed_by: payments"
        )
        result = []
        for item_path, entry in self.mappings(raw, path, example):
            self.unknown_keys(entry, RENEGOTIATION_FIELDS, item_path + ".")
            values: dict[str, Any] = {}
            invalid = set()
            for spec in RENEGOTIATION_FIELDS:
                value = entry.get(spec.name)
                if value not in (None, ""):
                    value = self.read(spec, value, f"{item_path}.{spec.name}")
                    if value is None:
                        invalid.add(spec.name)
                    else:
                        values[spec.name] = value
            result.append(
                Renegotiation(
                    on=values.pop("on", None),
                    was=values.pop("was", None),
                    due=values.pop("due", None),
                    key=item_path,
                    invalid=frozenset(invalid),
                    **values,
                )
            )
        return tuple(result)

    def waivers(self, raw: Any, path: str) -> tuple[Waiver, ...]:
        example = "  - rule: P206\n    reason: quoting the runbook's own title"
        result = []
        for item_path, entry in self.mappings(raw, path, example):
            self.unknown_keys(entry, WAIVER_FIELDS, item_path + ".")
            name, reason = entry.get("rule"), entry.get("reason")
            rule = lookup(name) if isinstance(name, str) else None
            if rule is None:
                shown = f"`{name}`" if isinstance(name, str) else "missing" if name is None else "not one code"
                hint = suggest(name) if isinstance(name, str) else "name one rule, e.g. `rule: P206`"
                self.report(BAD_TYPE, f"{item_path}.rule" if name else item_path, f"the waived rule is {shown}: {hint}")
                continue
            if not isinstance(reason, str) or not reason.strip():
                self.report(
                    BAD_TYPE,
                    f"{item_path}.reason" if reason else item_path,
                    f"the waiver of {rule.code} needs a `reason`: a waiver is a public exception, "
                    "so say why, e.g. `reason: quoting the customer's own wording`",
                )
                continue
            self.cut_by_comment(f"{item_path}.reason", reason.strip())
            result.append(Waiver(rule.code, reason.strip(), item_path))
        return tuple(result)

    def check_id(self, given: str | None, stem: str) -> str:
        if len(stem) > MAX_ID:
            self.report(
                BAD_ID,
                "id",
                f"the file name is {len(stem)} characters long; an id has at most {MAX_ID}, "
                f"as it is the page's address: rename the file to `{slug(stem, limit=60)}.md`",
            )
            return stem
        if given is None:
            if not _SLUG.fullmatch(stem):
                self.report(
                    BAD_ID,
                    "id",
                    f"the file name `{stem}.md` is not a valid id (lowercase letters, "
                    f"digits and `-`): rename the file to `{slug(stem)}.md`",
                )
            return stem
        if not _SLUG.fullmatch(given):
            self.report(
                BAD_ID,
                "id",
                f"`id: {given}` is not a slug (lowercase letters, digits and `-`): "
                f"write `id: {stem if _SLUG.fullmatch(stem) else slug(given)}`, "
                "or leave `id` out; it defaults to the file name",
            )
        elif given != stem:
            self.report(
                BAD_ID,
                "id",
                f"`id: {given}` differs from the file name `{stem}.md`: rename the file "
                f"to `{given}.md` or remove the `id` line",
            )
        return stem


def _cut(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shortened(title: str) -> str:
    """The title's first clause or words, under the limit: a start the author can edit, not a verdict."""
    first = re.split(r"(?<=[.;:—–])\s|,\s(?=which|because|so that|as)", title, maxsplit=1)[0].rstrip(".;:—– ")
    if len(first) > 100:
        first = first[:100].rsplit(" ", 1)[0]
    return first


_PERSONAL_NAME = re.compile(r"[A-Z][a-zà-ÿ'-]+(?: [A-Z][a-zà-ÿ'-]+){1,2}")


def _suggest_handle(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", ".", text.strip()).strip("._-").lower() or "ana.lima"
