"""Promise bodies: Markdown (CommonMark plus tables and fenced code) → HTML that cannot run script.

Python-Markdown renders; nh3 then keeps only an allow-list of tags, attributes and URL
schemes, so raw HTML in a body can format text but never execute anything.
"""

from __future__ import annotations

import ctypes
import functools
import re
from typing import Callable

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


def engine_version(engine: str) -> str:
    """The engine's own version: its output, and so the cached bodies, may change with it."""
    from importlib import metadata

    try:
        return metadata.version("cmarkgfm" if engine == "gfm" else "markdown")
    except metadata.PackageNotFoundError:
        return "unknown"
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
            self._convert = _gfm()
        else:
            md = markdown.Markdown(extensions=_EXTENSIONS, output_format="html")

            def convert(text: str) -> str:
                md.reset()
                return md.convert(text)
            self._convert = convert

    def __call__(self, text: str) -> str:
        return _HEADING.sub(_shift, sanitize(self._convert(text)))


GFM_EXTENSIONS = ("table", "autolink", "tagfilter", "strikethrough", "tasklist")  # as GitHub's own


def _gfm() -> Callable[[str], str]:
    """cmark-gfm with GitHub's extensions, freeing what each call allocates.

    cmarkgfm's `github_flavored_markdown_to_html` frees the parser but neither the document
    tree nor the rendered string: about 60 KB a body, 600 MB over 10,000 bodies. This does the
    same calls and frees both (the tree with cmark's own `cmark_node_free`, exported by the same
    library; the string with libc's `free`, cmark's default allocator). Where those symbols
    cannot be found it falls back to the library's function.
    """
    try:
        import cmarkgfm
        from cmarkgfm import _cmark
        from cmarkgfm.cmark import Options
    except ImportError:
        raise ConfigError("markdown_engine: gfm needs cmarkgfm: pip install 'promisesite[gfm]', or remove "
                          "the line to use Python-Markdown") from None
    # Raw HTML passes through cmark so that nh3, not cmark, decides what survives, as for
    # Python-Markdown.
    options = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_GITHUB_PRE_LANG
    try:
        node_free = ctypes.CDLL(_cmark.__file__).cmark_node_free
        libc_free = ctypes.CDLL(None).free
    except (OSError, AttributeError):  # pragma: no cover - a cmarkgfm built differently
        return lambda text: cmarkgfm.github_flavored_markdown_to_html(text, options=options)
    node_free.argtypes = libc_free.argtypes = [ctypes.c_void_p]
    node_free.restype = libc_free.restype = None
    lib, ffi = _cmark.lib, _cmark.ffi
    cmarkgfm.cmark.core_extensions_ensure_registered()
    extensions = [cmarkgfm.cmark.find_syntax_extension(name) for name in GFM_EXTENSIONS]

    def convert(text: str) -> str:
        data = text.encode("utf-8")
        parser = lib.cmark_parser_new(options)
        try:
            for extension in extensions:
                lib.cmark_parser_attach_syntax_extension(parser, extension)
            lib.cmark_parser_feed(parser, data, len(data))
            root = lib.cmark_parser_finish(parser)
            html = lib.cmark_render_html(root, options, lib.cmark_parser_get_syntax_extensions(parser))
            try:
                return ffi.string(html).decode("utf-8")
            finally:
                libc_free(int(ffi.cast("uintptr_t", html)))
                node_free(int(ffi.cast("uintptr_t", root)))
        finally:
            lib.cmark_parser_free(parser)

    return convert


def _shift(match: re.Match) -> str:
    return f"<{match.group(1)}h{int(match.group(2)) + 1}"


_CLEAN_OPTIONS = dict(tags=set(ALLOWED_TAGS), clean_content_tags=set(DROPPED_WITH_CONTENT),
                      attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
                      url_schemes=set(URL_SCHEMES), link_rel="noopener noreferrer", strip_comments=True)
# A Cleaner (nh3 >= 0.2.18) converts the allow-lists once, not on every call.
_clean = nh3.Cleaner(**_CLEAN_OPTIONS).clean if hasattr(nh3, "Cleaner") else functools.partial(
    nh3.clean, **_CLEAN_OPTIONS)


def sanitize(html: str) -> str:
    return _clean(html)
