"""Small helpers for words shown to people: slugs and URL segments, "did you mean", plurals, and
text made safe to print or to put in XML."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
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


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6, quote: str = "`{}`") -> str:
    """`did you mean `customer`?` for the closest choice, or "" when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f"did you mean {quote.format(close[0])}?" if close else ""


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
