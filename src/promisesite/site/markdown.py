"""Promise bodies: Markdown (CommonMark plus tables and fenced code) → HTML that cannot run script.

Python-Markdown (or cmark-gfm) renders; the sanitizer (sanitize.py) then keeps only an allow-list
of tags, attributes and URL schemes, so raw HTML in a body can format text but never execute anything.
"""

from __future__ import annotations

import ctypes
import html
import re
from collections.abc import Callable

import markdown

from ..config import ConfigError
from .sanitize import sanitize

_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]
_HEADING = re.compile(r"<(/?)h([1-5])\b")

# What a body may hold and still be rendered as Markdown. Beyond these, Python-Markdown's link
# patterns (quadratic in `[`), the parsers' nesting (recursive, or quadratic in depth) and the
# sanitizer (quadratic in the depth of nested blocks) would take minutes; such a body is shown
# as plain text instead, the same on every machine. Real bodies stay far below them.
MAX_BRACKETS = 4_000
MAX_NESTING = 32  # `>` markers, or list levels by indentation, at the start of one line
MAX_BLOCKS = 5_000  # block elements the engine made of one body
_NESTING = re.compile(rf"^[ \t]*(?:>[ \t]*){{{MAX_NESTING + 1}}}|^[ \t]{{{4 * MAX_NESTING}}}", re.MULTILINE)
_BLOCK = re.compile(r"<(?:div|blockquote|ul|ol|li|dl|dd|dt|table|tr|td|th|p|pre|details|figure|h[1-6])\b", re.I)


def engine_version(engine: str) -> str:
    """The engine's own version: its output, and so the cached bodies, may change with it."""
    from importlib import metadata

    try:
        return metadata.version("cmarkgfm" if engine == "gfm" else "markdown")
    except metadata.PackageNotFoundError:
        return "unknown"


def too_complex(text: str) -> str:
    """Why a body cannot be rendered as Markdown in reasonable time, or "" when it can."""
    brackets = text.count("[")
    if brackets > MAX_BRACKETS:
        return f"it has {brackets:,} `[`, more than the {MAX_BRACKETS:,} rendered as Markdown"
    if _NESTING.search(text):
        return f"it nests quotes or lists more than {MAX_NESTING} deep"
    return ""


def plain(text: str, why: str) -> str:
    """A body shown as it was written, with the reason."""
    return f'<p class="body-note">Shown as plain text: {html.escape(why)}.</p>\n<pre>{html.escape(text)}</pre>\n'


class MarkdownRenderer:
    """Markdown → safe HTML with one engine: Python-Markdown (default) or cmark-gfm (`gfm`).

    Both go through the same sanitizer, and both shift headings one level down: the promise
    page's own sections are h2, so a body's `#` becomes h2 and `##` becomes h3. A body too
    complex to render (`too_complex`), or that an engine fails on, is shown as plain text.
    """

    def __init__(self, engine: str = "markdown") -> None:
        self.engine = engine
        self._convert = _gfm() if engine == "gfm" else _python_markdown()

    def __call__(self, text: str) -> str:
        why = too_complex(text)
        if why:
            return plain(text, why)
        try:
            converted = self._convert(text)
        except RecursionError:
            if self.engine != "gfm":
                self._convert = _python_markdown()  # the old instance's state is left broken
            return plain(text, "it nests more deeply than the Markdown engine can follow")
        blocks = len(_BLOCK.findall(converted))
        if blocks > MAX_BLOCKS:
            return plain(text, f"it makes {blocks:,} blocks, more than the {MAX_BLOCKS:,} shown as formatted text")
        return _HEADING.sub(_shift, sanitize(converted))


def _python_markdown() -> Callable[[str], str]:
    md = markdown.Markdown(extensions=_EXTENSIONS, output_format="html")

    def convert(text: str) -> str:
        md.reset()
        return md.convert(text)

    return convert


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
        raise ConfigError(
            "markdown_engine: gfm needs cmarkgfm: pip install 'promisesite[gfm]', or remove "
            "the line to use Python-Markdown"
        ) from None
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
