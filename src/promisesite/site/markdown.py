"""Promise bodies: Markdown (CommonMark plus tables and fenced code) → HTML that cannot run script.

Python-Markdown renders; nh3 then keeps only an allow-list of tags, attributes and URL
schemes, so raw HTML in a body can format text but never execute anything.
"""

from __future__ import annotations

import re

import markdown
import nh3

from ..config import ConfigError

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

_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]
_HEADING = re.compile(r"<(/?)h([1-5])\b")
ENGINES = ("markdown", "gfm")


class MarkdownRenderer:
    """Markdown → safe HTML with one engine: Python-Markdown (default) or cmark-gfm (`gfm`).

    Both go through the same sanitizer, and both shift headings one level down: the promise
    page's own sections are h2, so a body's `#` becomes h2 and `##` becomes h3.
    """

    def __init__(self, engine: str = "markdown") -> None:
        self.engine = engine
        if engine == "gfm":
            try:
                import cmarkgfm
                from cmarkgfm.cmark import Options
            except ImportError:
                raise ConfigError("markdown_engine: gfm needs cmarkgfm: pip install 'promisesite[gfm]', or remove "
                                  "the line to use Python-Markdown") from None
            # Raw HTML passes through cmark so that nh3, not cmark, decides what survives, as for
            # Python-Markdown.
            options = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_GITHUB_PRE_LANG
            self._convert = lambda text: cmarkgfm.github_flavored_markdown_to_html(text, options=options)
        else:
            md = markdown.Markdown(extensions=_EXTENSIONS, output_format="html")

            def convert(text: str) -> str:
                md.reset()
                return md.convert(text)
            self._convert = convert

    def __call__(self, text: str) -> str:
        return _HEADING.sub(_shift, sanitize(self._convert(text)))


def _shift(match: re.Match) -> str:
    return f"<{match.group(1)}h{int(match.group(2)) + 1}"


def sanitize(html: str) -> str:
    return nh3.clean(html, tags=set(ALLOWED_TAGS), clean_content_tags=set(DROPPED_WITH_CONTENT),
                     attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
                     url_schemes=set(URL_SCHEMES), link_rel="noopener noreferrer", strip_comments=True)
