"""A digest as Markdown (a chat message, a job summary, a mail's HTML), plain text (a mail's text
part, a terminal) and JSON. Text from promise files is shown, never obeyed: Markdown escapes it
(no link, HTML, notification or heading made from a title), text shows control characters as
escapes. Quiet digests (nothing to do) are left out; all quiet, the output is empty."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

from ..text import inert, plural, printable
from .items import SECTIONS, Digest


def as_markdown(digests: Sequence[Digest], today: str) -> str:
    parts = []
    for digest in digests:
        if digest.quiet:
            continue
        who = f"{inert(digest.name)}" + (f" ({inert(digest.handle)})" if digest.name != digest.handle else "")
        lines = [f"### {who}: {plural(len(digest.items), 'thing')} to do this week", ""]
        if digest.last_week:
            lines += [f"Last week, {inert(digest.last_week)}." + _misses(digest, inert), ""]
        for section, heading in SECTIONS.items():
            items = [item for item in digest.items if item.section == section]
            if not items:
                continue
            lines += [f"**{heading}**", ""]
            for item in items:
                due = f", due {item.due}" if item.due else ""
                title = f"[{inert(item.title)}]({item.url})" if item.url else inert(item.title)
                lines.append(f"- {title}{due} — {inert(item.todo)}")
            lines.append("")
        parts.append("\n".join(lines).rstrip() + "\n")
    if not parts:
        return ""
    return f"## Promises, the week of {today}\n\n" + "\n".join(parts)


def as_text(digests: Sequence[Digest], today: str) -> str:
    parts = []
    for digest in digests:
        if digest.quiet:
            continue
        lines = [printable(f"{digest.name} ({digest.handle}): {plural(len(digest.items), 'thing')} to do this week")]
        if digest.last_week:
            lines.append(printable(f"  Last week, {digest.last_week}." + _misses(digest, str)))
        for section, heading in SECTIONS.items():
            items = [item for item in digest.items if item.section == section]
            if items:
                lines.append(f"  {heading}:")
                for item in items:
                    due = f", due {item.due}" if item.due else ""
                    lines.append(printable(f"    - {item.title}{due}: {item.todo}"))
                    if item.url:
                        lines.append(printable(f"      {item.url}"))
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def as_json(digests: Sequence[Digest], today: str) -> str:
    data = {"today": today, "digests": [asdict(d) for d in digests if not d.quiet]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _misses(digest: Digest, escape) -> str:
    return f" Why last week's misses happened: {escape(', '.join(digest.misses))}." if digest.misses else ""


RENDER = {"markdown": as_markdown, "text": as_text, "json": as_json}
