"""Small helpers for words shown to people: slugs and URL segments, "did you mean", plurals, and
text made safe to print or to put in XML."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from functools import lru_cache

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def segment(text: str) -> str:
    """A handle's URL segment: lowercased, each run of characters outside [a-z0-9] turned into `-`."""
    return _NOT_SLUG.sub("-", text.lower())


def slug(text: str, limit: int | None = None) -> str:
    """`Checkout p95 under 300 ms!` → `checkout-p95-under-300-ms`, cut at a word boundary past `limit`."""
    found = segment(text).strip("-")
    if limit is not None and len(found) > limit:
        found = found[:limit].rsplit("-", 1)[0]
    return found or "promise"


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """The choice closest to `word`, or "" when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return close[0] if close else ""


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6, quote: str = "`{}`") -> str:
    """`did you mean `customer`?` for the closest choice, or "" when none is close."""
    close = closest(word, choices, cutoff)
    return f"did you mean {quote.format(close)}?" if close else ""


def shortened(text: str, limit: int) -> str:
    """The text, or its first `limit` characters cut at a word and ended with `…`."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2 :] else cut).rstrip(" ,;:") + "…"


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 file`, `2 files`, `3 people` (with `many`)."""
    return f"{count} {word if count == 1 else many or word + 's'}"


# Characters that would end a line, move the cursor, recolour a terminal or reorder text when a
# value from a file is printed: C0 and C1 controls, DEL, line and paragraph separators, bidi controls.
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]"
)
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Characters XML 1.0 does not allow at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def printable(text: str, lines: bool = False) -> str:
    """Text with every control character shown as an escape (`\\n`, `\\x1b`), safe to print on one line;
    with `lines`, line breaks are kept (a message of several lines)."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: m.group() if lines and m.group() == "\n" else _escape(m.group()), text)


def _escape(char: str) -> str:
    return _SHORT.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def xml_text(text: str) -> str:
    """Text an XML 1.0 document can hold: forbidden characters become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text) if _NOT_XML.search(text) else text


# --- Markdown -----------------------------------------------------------------------------------

# A code span the author wrote (`GET /orders`), kept as code; and the words GitHub turns into a
# notification or a link (`@octocat`, `@org/team`, `#123`, `GH-1`), shown as code so they stay words.
_CODE = re.compile(r"`([^`\n|]+)`")
_REFERENCE = re.compile(r"(?<![\w`])([@#][A-Za-z0-9][\w./-]*|GH-\d+)")


def inert(text: str) -> str:
    """Plain text safe in Markdown, a table cell included: no emphasis, link, HTML or heading made from
    it, no `|` that ends a cell (GitHub splits cells even inside code), no notification; the author's
    code spans stay code, control and bidi characters show as escapes."""
    return _spans(printable(" ".join(text.split())), _CODE, lambda rest: _spans(rest, _REFERENCE, _escaped))


def _spans(text: str, pattern: re.Pattern[str], between: Callable[[str], str]) -> str:
    """The text with each match of `pattern` (its first group) as a code span, and `between` applied
    to the rest."""
    parts: list[str] = []
    start = 0
    for found in pattern.finditer(text):
        parts.append(between(text[start : found.start()]))
        parts.append(code_span(found.group(1)))
        start = found.end()
    parts.append(between(text[start:]))
    return "".join(parts)


def code_span(text: str) -> str:
    if "|" in text:
        return _escaped(text)
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _escaped(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return "".join("\\" + c if c in "\\`*_[]#|~!" else c for c in text)
