"""`changes` as text for a terminal or a CI log, as JSON, and as Markdown for a pull-request comment
or a job summary. Every value from a promise file is shown, never obeyed: on a terminal its control
characters are escapes (no forged `::error` workflow command, no recoloured log); in Markdown it is
text (no link, HTML, table cell or heading made from it, no `@mention` or `#123` that notifies)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict

from ..findings import Finding
from ..text import code_span, inert, plural, printable
from .items import Item, PromiseChange
from .wording import ListChange, Segment


def as_text(changes: Sequence[PromiseChange], revision: str) -> str:
    if not changes:
        return f"No promise changed since {printable(revision)}.\n"
    lines = [f"{plural(len(changes), 'promise')} changed since {printable(revision)}:", ""]
    for change in changes:
        parties = f" ({change.promiser} → {change.customer})" if change.promiser or change.customer else ""
        lines.append(printable(f"{change.path}: {change.title}{parties}"))
        for item in change.items:
            lines.append("  - " + printable(item.text))
            lines += ["      " + printable(line) for line in _list_lines(item.lists, _text_words)]
            if item.act:
                lines.append("    needs: " + printable(item.act))
        if change.approvers:
            lines.append("    approves: " + printable(", ".join(change.approvers)))
        lines += ["  " + printable(f"{f.code} {f.level} {f.name}: {f.message}") for f in change.findings]
        lines.append("")
    return "\n".join(lines)


def _text_words(segments: Iterable[Segment]) -> str:
    """git's word diff: `below [-300-]{+250+} ms`."""
    marks = {"same": "{}", "removed": "[-{}-]", "added": "{{+{}+}}"}
    return _joined(marks[segment.kind].format(segment.text) for segment in segments)


def _list_lines(changes: Iterable[ListChange], words) -> list[str]:
    lines = []
    for change in changes:
        if change.kind == "edited":
            lines.append(f"edited: {words(change.words)}")
        elif change.kind == "removed":
            lines.append(f"removed: {change.was}")
        else:
            lines.append(f"added: {change.now}")
    return lines


def _joined(parts: Iterable[str]) -> str:
    return " ".join(part.strip() for part in parts if part.strip())


def as_json(changes: Sequence[PromiseChange], revision: str) -> str:
    data = {
        "base": revision,
        "promises": [
            {
                **{k: v for k, v in asdict(change).items() if k not in ("findings", "items")},
                "items": [_item(item) for item in change.items],
                "findings": _findings(change.findings),
            }
            for change in changes
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _item(item: Item) -> dict[str, object]:
    data = asdict(item)
    data["lists"] = [
        {"kind": c.kind, "was": c.was, "now": c.now, "words": [asdict(s) for s in c.words]} for c in item.lists
    ]
    return data


def _findings(findings: Iterable[Finding]) -> list[dict[str, object]]:
    return [{"code": f.code, "level": f.level, "line": f.line, "message": f.message} for f in findings]


def as_markdown(changes: Sequence[PromiseChange], revision: str) -> str:
    """For a pull-request comment or a CI job summary: a table of what changed, then the details."""
    head = f"### Promise changes since {inert(revision)}\n\n"
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
        what = "; ".join(inert(item.text) for item in change.items)
        act = "; ".join(inert(item.act) for item in change.items if item.act) or "—"
        lines.append(f"| {inert(change.title)} ({inert(change.path)}) | {what} | {act} |")
    for change in changes:
        parties = f": {inert(change.promiser)} → {inert(change.customer)}" if change.promiser else ""
        lines += ["", f"#### {inert(change.title)}", "", f"{inert(change.path)}{parties}", ""]
        for item in change.items:
            lines.append(f"- {inert(item.text)}" + (f" — **needs:** {inert(item.act)}" if item.act else ""))
            # Four spaces: a sub-list that Python-Markdown and cmark-gfm both nest under its item.
            lines += [f"    - {line}" for line in _list_lines(item.lists, _markdown_words)]
        if change.approvers:
            lines.append("- approves on the forge: " + ", ".join(code_span(a) for a in change.approvers))
        for finding in change.findings:
            mark = "❌" if finding.is_error else "⚠️"
            lines.append(f"- {mark} **{finding.code}** {finding.name}: {inert(finding.message)}")
    return "\n".join(lines) + "\n"


def _markdown_words(segments: Iterable[Segment]) -> str:
    """The changed words struck out and in bold: `below <del>300</del> **250** ms`."""
    marks = {"same": "{}", "removed": "<del>{}</del>", "added": "**{}**"}  # <del>: Python-Markdown has no ~~
    return _joined(marks[s.kind].format(inert(s.text)) if s.text.strip() else "" for s in segments)
