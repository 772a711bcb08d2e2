"""The sanitizer every body goes through: nh3 keeps an allow-list of tags, attributes and URL
schemes, so raw HTML can format text but never run script; then what is left is made valid HTML,
as the W3C's Nu checker reads it: attribute values of the right form, an `alt` on every image, no
`rel` without an `href`, and list items, definitions and summaries only where HTML allows them.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

import nh3

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
        "var",
        "wbr",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},  # not `align`, which HTML has made obsolete
    "th": {"colspan", "rowspan", "scope"},
    "code": {"class"},  # language-xyz from fenced code
    "time": {"datetime"},
    "del": {"datetime"},
    "ins": {"datetime"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Removed with their content, not just unwrapped.
DROPPED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "template",
        "noscript",
        "svg",
        "math",
        "form",
        "textarea",
        "select",
        "button",
    }
)

_LANGUAGE = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}")
_INTEGER = re.compile(r"-?\d{1,9}")
_COUNT = re.compile(r"\d{1,9}")
_SPAN = re.compile(r"[1-9]\d{0,3}")
_SCOPES = frozenset({"row", "col", "rowgroup", "colgroup"})
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    """An attribute as HTML allows it, or None to drop it. `class` survives only as fenced code's
    `language-…`, so a body cannot dress up as the theme (a `badge s-accepted` of its own making)."""
    if name == "class":
        kept = [token for token in value.split() if _LANGUAGE.fullmatch(token)]
        return " ".join(kept) or None
    if name in ("href", "src"):
        return quote(value.strip(), safe=_URL_SAFE)  # a space or a quote mark is not a URL
    if name == "start":
        return value if _INTEGER.fullmatch(value.strip()) else None
    if name in ("width", "height"):
        return value if _COUNT.fullmatch(value.strip()) else None
    if name == "colspan":
        return value if _SPAN.fullmatch(value.strip()) else None
    if name == "rowspan":
        return value if _COUNT.fullmatch(value.strip()) else None
    if name == "scope":
        return value.strip().lower() if value.strip().lower() in _SCOPES else None
    if name == "datetime":
        return value if _is_datetime(value.strip(), with_zone=tag != "time") else None
    return value


def _is_datetime(value: str, with_zone: bool) -> bool:
    """A date (`2026-11-21`), or a date and time; `del` and `ins` want the time with its zone."""
    try:
        dt.date.fromisoformat(value)
        return True
    except ValueError:
        pass
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in value and (moment.tzinfo is not None or not with_zone)


_CLEAN_OPTIONS: dict[str, Any] = dict(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_keep_attribute,
    url_schemes=set(URL_SCHEMES),
    link_rel="noopener noreferrer",
    strip_comments=True,
)
_clean = nh3.Cleaner(**_CLEAN_OPTIONS).clean

# nh3 gives every <a> the rel it adds, and an <a> whose href it removed (`javascript:`) keeps it:
# HTML allows rel only beside an href, so it goes where there is none.
_OTHER_ATTRIBUTES = r'((?:\s(?!href=)[a-z-]+="[^"]*")*)'
_REL_WITHOUT_HREF = re.compile(f'<a{_OTHER_ATTRIBUTES} rel="noopener noreferrer"{_OTHER_ATTRIBUTES}>')
_IMAGE_WITHOUT_ALT = re.compile(r"<img(?![^>]*\salt=)")
# A `time` without a valid `datetime` must hold a date in its text; as any other text, it is a span.
_TIME_WITHOUT_DATETIME = re.compile(r"<time>(.*?)</time>", re.DOTALL)
# Elements HTML allows only inside certain parents; elsewhere they become a neutral block.
_PARENTS = {
    "li": frozenset({"ul", "ol", "menu"}),
    "dt": frozenset({"dl"}),
    "dd": frozenset({"dl"}),
    "summary": frozenset({"details"}),
}
_MAYBE_STRAY = re.compile(r"<(?:li|dt|dd|summary)\b")


def sanitize(html: str) -> str:
    cleaned = _clean(html)
    if ' rel="noopener noreferrer"' in cleaned:
        cleaned = _REL_WITHOUT_HREF.sub(r"<a\1\2>", cleaned)
    if "<time>" in cleaned:
        cleaned = _TIME_WITHOUT_DATETIME.sub(r"<span>\1</span>", cleaned)
    if "<img" in cleaned:
        cleaned = _IMAGE_WITHOUT_ALT.sub('<img alt=""', cleaned)
    if _MAYBE_STRAY.search(cleaned):
        cleaned = _Placed.fixed(cleaned)
    return cleaned


class _Placed(HTMLParser):
    """Rewrites the sanitizer's output (well-formed: every tag closed, attributes quoted) with each
    `li`, `dt`, `dd` and `summary` outside the parent HTML requires turned into a `div` (a summary
    belongs first in its `details`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.stack: list[list[Any]] = []  # [tag as read, tag as written, whether it holds anything yet]

    @classmethod
    def fixed(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        parser.close()
        return "".join(parser.out)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        written = tag
        parents = _PARENTS.get(tag)
        if parents is not None:
            parent = self.stack[-1] if self.stack else None
            if parent is None or parent[0] not in parents or (tag == "summary" and parent[2]):
                written = "div"
        if self.stack:
            self.stack[-1][2] = True
        text = self.get_starttag_text() or f"<{tag}>"
        self.out.append("<" + written + text[1 + len(tag) :] if written != tag else text)
        if tag not in _VOID:
            self.stack.append([tag, written, False])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.stack:
            self.stack[-1][2] = True
        self.out.append(self.get_starttag_text() or f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                written = self.stack[index][1]
                del self.stack[index:]
                self.out.append(f"</{written}>")
                return
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.stack and data.strip():
            self.stack[-1][2] = True
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")


_VOID = frozenset({"br", "col", "hr", "img", "wbr"})
