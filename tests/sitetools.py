"""Helpers for tests that read a built site: building the sample, links, file hashes."""

from __future__ import annotations

import hashlib
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from conftest import ROOT


def copy_sample(target: Path) -> Path:
    """The repository's sample (promises, config, template overrides) in a folder of its own."""
    shutil.copytree(ROOT / "promises", target / "promises", dirs_exist_ok=True)
    shutil.copy(ROOT / "promisesite.yaml", target / "promisesite.yaml")
    if (ROOT / "templates").is_dir():
        shutil.copytree(ROOT / "templates", target / "templates")
    return target


def tree_hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.scripts: list[dict[str, str | None]] = []
        self.handlers: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(values[name] or "")
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "script":
            self.scripts.append(values)
        self.handlers += [(tag, name) for name, _ in attrs if name.lower().startswith("on")]


def parse_html(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(site: Path, base: str = "/") -> list[str]:
    """Every internal link (href/src) of every page that does not resolve to a file of the site, read
    from where the page lies as a browser reads it; and every link written from the server's root
    rather than relative to the page (which breaks the site opened from disk or under a sub-path).
    The 404 page, served at any depth, is the one page whose links start at `base`."""
    problems = []
    pages = sorted(site.rglob("*.html"))
    ids = {page: parse_html(page).ids for page in pages}
    for page in pages:
        rel = page.relative_to(site).as_posix()
        address = base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        parsed = parse_html(page)
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("data:"):
                continue
            if not parts.path:  # a fragment on the same page
                if parts.fragment and parts.fragment not in ids[page]:
                    problems.append(f"{rel}: #{parts.fragment} has no target")
                continue
            if parts.path.startswith("/") and rel != "404.html":
                problems.append(f"{rel}: {link} starts at the server's root, not at this page")
                continue
            path = urlsplit(urljoin(address, link)).path
            if not path.startswith(base):
                problems.append(f"{rel}: {link} leads outside the site ({path})")
                continue
            target = site / path[len(base) :]
            if path.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                problems.append(f"{rel}: {link} does not exist")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in ids.get(target, set()):
                problems.append(f"{rel}: {link} has no #{parts.fragment}")
    return problems


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def text_of(html: str) -> str:
    """What a reader sees of a page: its text, without scripts and styles, spaces collapsed."""
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))
