"""Promise bodies: Markdown (CommonMark plus tables and fenced code) → HTML that cannot run script.

Python-Markdown renders; nh3 then keeps only an allow-list of tags, attributes and URL
schemes, so raw HTML in a body can format text but never execute anything.
"""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "dfn",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "code": {"class"},  # language-xyz from fenced code
    "time": {"datetime"},
    "del": {"datetime"},
    "ins": {"datetime"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Removed with their content, not just unwrapped.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template", "noscript",
                                  "svg", "math", "form", "textarea", "select", "button"})

# A body's `##` becomes h3: the promise page's own sections are h2.
_EXTENSIONS = ["tables", "fenced_code", "sane_lists", "toc"]
_CONFIG = {"toc": {"baselevel": 2, "anchorlink": False, "permalink": False}}


class MarkdownRenderer:
    """One reusable Python-Markdown instance (building one costs more than rendering a body)."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=_EXTENSIONS, extension_configs=_CONFIG,
                                     output_format="html")

    def __call__(self, text: str) -> str:
        self._md.reset()
        return sanitize(self._md.convert(text))


def sanitize(html: str) -> str:
    return nh3.clean(html, tags=set(ALLOWED_TAGS), clean_content_tags=set(DROPPED_WITH_CONTENT),
                     attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
                     url_schemes=set(URL_SCHEMES), link_rel="noopener noreferrer", strip_comments=True)
