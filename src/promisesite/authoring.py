"""`promisesite new`: a promise file written from answers, each answer checked by the same rules
as `promisesite check` before it is accepted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from .check import check_document, context_of
from .config import Config
from .edit.source import scalar
from .read.dates import parse_date
from .read.document import parse_text
from .text import slug

ORDER = ("title", "promiser", "customer", "team", "status", "requested", "promised", "due", "done_when")
STATUSES = ("promised", "requested", "offered")
MILESTONE = {"promised": "promised", "requested": "requested", "offered": None}


def render(fields: dict[str, Any], body: str = "", comments: tuple[str, ...] = ()) -> str:
    """Front matter in the canonical order, then `comments` as YAML comments, then the body."""
    lines = ["---"]
    for key in ORDER:
        value = fields.get(key)
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines.extend(f"  - {scalar(item)}" for item in value)
        else:
            lines.append(f"{key}: {scalar(str(value))}")
    lines.extend(f"# {comment}" for comment in comments)
    return "\n".join(lines + ["---", ""]) + (f"\n{body}" if body else "")


class Draft:
    """The answers so far, and what the rules say about each one."""

    def __init__(self, config: Config, today: dt.date, status: str = "promised"):
        self.config, self.today = config, today
        self.context = context_of(config, today)
        self.fields: dict[str, Any] = {"status": status, "done_when": []}
        milestone = MILESTONE[status]
        if milestone:
            self.fields[milestone] = today.isoformat()

    def problems(self, key: str, value: str) -> list[str]:
        """What `check` would say about this answer (errors and warnings): empty when it is fine."""
        value = value.strip()
        if not value:
            return [f"`{key}` cannot be empty"]
        if key == "due" and (day := parse_date(value)) is not None and day < self.today:
            ahead = self.today + dt.timedelta(days=28)
            return [
                f"`due: {value}` is in the past (today is {self.today}): a new promise is due on a day still "
                f"ahead; write the day you commit to, e.g. four weeks from today is `due: {ahead}`"
            ]
        fields = dict(self.fields)
        if key == "done_when":
            fields["done_when"] = [*self.fields["done_when"], value]
            keys = {f"done_when.{len(fields['done_when']) - 1}"}
        else:
            fields[key] = value
            keys = {key}
        document = parse_text(render(fields), "new.md")
        if not document.readable:
            return [finding.message for finding in document.findings]
        lines = {document.positions[k][0] for k in keys if k in document.positions}
        _, findings = check_document(document, self.context)
        return [f"{f.code} {f.name}: {f.message}" for f in findings if f.line in lines]

    def set(self, key: str, value: str) -> None:
        if key == "done_when":
            self.fields["done_when"].append(value.strip())
        else:
            self.fields[key] = value.strip()

    def remaining_errors(self) -> list[str]:
        """Whatever `check` finds wrong in the whole file (e.g. a required field never given), and with
        the other promise files (an id one of them has already, P009)."""
        document = parse_text(self.text(), "new.md")
        _, findings = check_document(document, self.context)
        errors = [f"{f.code} {f.name}: {f.message}" for f in findings if f.is_error]
        stem = self.path().stem
        taken = [rel for rel in self.config.sources().files if Path(rel).stem == stem]
        if taken:
            errors.append(
                f"P009 duplicate-id: the id `{stem}` (from the title) is the file name of {taken[0]} already, and "
                "ids name pages: give a title that says what differs, or edit that promise"
            )
        return errors

    def text(self) -> str:
        causes = " | ".join(self.config.causes)
        return render(
            self.fields,
            "Context, approach and links: free Markdown.\n",
            (f"if it ends late, broken or revoked, say why (rule P410): cause: {causes}",),
        )

    def path(self) -> Path:
        """`<source>/<slug>.md`, or `<source>/<team>/<slug>.md` when the team has a folder there."""
        folder = self.config.source
        team = self.fields.get("team") or self.config.registry.team_of(self.fields.get("promiser", ""))
        if team and (folder / team).is_dir() and not (folder / team).is_symlink():
            folder = folder / team
        return folder / f"{slug(self.fields['title'], limit=60)}.md"
