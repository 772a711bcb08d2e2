"""Property tests over generated front matter and bodies (Hypothesis).

CI runs the `ci` profile (a few seconds); run longer with `--hypothesis-profile=long` or
PROMISESITE_FUZZ=long (see conftest.py).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from promisesite.check import check_document, context_of
from promisesite.cli import cli
from promisesite.config import Config
from promisesite.model import FIELDS
from promisesite.read.document import parse_bytes, parse_text
from promisesite.rules import BY_CODE
from promisesite.site.markdown import MarkdownRenderer

TODAY = dt.date(2026, 11, 21)
CONFIG = Config(root=Path("/nonexistent"))
CONTEXT = context_of(CONFIG, TODAY)

# Text that YAML, Markdown and HTML each find interesting, mixed with plain words.
TRICKY = [
    "",
    " ",
    "~",
    "null",
    "yes",
    "on",
    "&a",
    "*a",
    "!!python/object:os.system",
    "!!binary aGk=",
    "[",
    "]",
    "{",
    "}",
    ": ",
    " #",
    "---",
    "...",
    "|",
    ">",
    "'",
    '"',
    "\\",
    "\t",
    "\r",
    "\u202e",
    "\x00",
    "\x85",
    "2026-02-30",
    "2026-12-15",
    "Q4",
    "TBD",
    "soon",
    "try",
    "improve",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "<a href='javascript:x'>x</a>",
    "<iframe src=//evil>",
    "<svg onload=alert(1)>",
    "<style>*{}</style>",
    "ana.lima",
    "payments",
    "🚀",
]
words = st.one_of(st.sampled_from(TRICKY), st.text(max_size=12))
scalars = st.lists(words, max_size=4).map("".join)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(scalars, inner, max_size=3)),
    max_leaves=8,
)
keys = st.one_of(st.sampled_from([spec.name for spec in FIELDS]), scalars)
front_matters = st.dictionaries(keys, values, max_size=10)


def dumped(front: dict) -> str:
    return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n"


raw_front = st.lists(st.one_of(st.builds(lambda k, v: f"{k}: {v}", keys, scalars), words), max_size=12).map(
    lambda lines: "---\n" + "\n".join(lines) + "\n---\n"
)
documents = st.tuples(st.one_of(front_matters.map(dumped), raw_front), st.lists(words, max_size=20).map(" ".join))


def well_formed(findings, rel: str) -> None:
    for finding in findings:
        assert finding.path == rel and finding.line >= 1 and finding.column >= 1
        assert finding.code in BY_CODE and finding.level in ("error", "warning") and finding.message


@given(documents)
def test_check_never_raises_and_its_findings_are_well_formed_and_deterministic(document: tuple[str, str]) -> None:
    text = document[0] + document[1]
    first = check_document(parse_text(text, "p.md"), CONTEXT)
    well_formed(first[1], "p.md")
    assert check_document(parse_text(text, "p.md"), CONTEXT)[1] == first[1]


@given(st.binary(max_size=400))
def test_any_bytes_are_read_without_raising(raw: bytes) -> None:
    document = parse_bytes(b"---\n" + raw, "p.md")
    well_formed(document.findings, "p.md")
    if document.readable:
        well_formed(check_document(document, CONTEXT)[1], "p.md")


MARKDOWN = MarkdownRenderer("markdown")
ACTIVE = {"script", "iframe", "object", "embed", "style", "form", "svg", "math", "base", "meta", "link"}


class _Elements(HTMLParser):
    """Every element as a browser would see it: escaped text (`&lt;script&gt;`) is not an element."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


THEME_SVG = {"weeks", "reliability-bar", "cause-bar"}  # the theme's own charts; bodies cannot make svg


def active_parts(html: str, theme: bool = False) -> list[str]:
    """Elements that could run or load something, event handlers, and script URLs; with `theme`,
    not counting the theme's own charts."""
    found = []
    for tag, attrs in _Elements(html).tags:
        if theme and tag == "svg" and dict(attrs).get("class") in THEME_SVG:
            continue
        if tag in ACTIVE:
            found.append(f"<{tag}>")
        found += [f"{tag}[{name}]" for name, _ in attrs if name.lower().startswith("on")]
        found += [
            f"{tag}[{name}={value}]"
            for name, value in attrs
            if (value or "").strip().lower().startswith(("javascript:", "vbscript:", "data:text/html"))
        ]
    return found


@given(
    st.lists(
        st.one_of(words, st.sampled_from(["\n\n", "# ", "- ", "[x](", ")", "`", "```\n", "<", ">", "="])), max_size=40
    ).map("".join)
)
def test_no_body_renders_script_or_event_handlers(body: str) -> None:
    assert active_parts(MARKDOWN(body)) == []


@settings(max_examples=max(3, settings.default.max_examples // 8))
@given(st.lists(documents, min_size=1, max_size=3))
def test_build_with_errors_allowed_writes_only_inert_pages_inside_its_output(files: list[tuple[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "promises").mkdir()
        for index, (front, body) in enumerate(files):
            (root / "promises" / f"p{index}.md").write_text(front + body, encoding="utf-8", errors="surrogatepass")
        before = {p for p in root.rglob("*")}
        cwd = os.getcwd()
        os.chdir(root)
        try:
            result = CliRunner().invoke(cli, ["build", "--allow-errors", "--today", "2026-11-21", "--no-cache"])
        finally:
            os.chdir(cwd)
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output
        added = {p for p in root.rglob("*")} - before
        assert all(p == root / "site" or (root / "site") in p.parents for p in added)
        for page in (root / "site").rglob("*.html"):
            content = page.read_text().partition("<main")[
                2
            ]  # what promises fill; the theme's head and header are above
            assert content and active_parts(content, theme=True) == [], page
