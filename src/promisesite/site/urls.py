"""The URL map of docs/site.md. Every page is a folder with index.html, linked with a trailing slash."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import urlsplit

from ..model import MAX_ID, SLUG_PATTERN
from ..text import segment

_SLUG = re.compile(SLUG_PATTERN)


class Urls:
    """Links under `base_url`: a path (`/team-promises/`) or a full URL (`https://x.example/p/`)."""

    def __init__(self, base_url: str = "/", site_id: str = "", seed: str = ""):
        parts = urlsplit(base_url)
        path = parts.path if parts.scheme else base_url
        self.base = "/" + path.strip("/") + "/" if path.strip("/") else "/"
        self.origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
        self.site_id = site_id or self._site_id(parts.netloc, seed)

    def _site_id(self, host: str, seed: str) -> str:
        """What makes calendar and feed ids unique to this site: its host and path when base_url
        names them (`promises.example.org`, `team.example.org.promises`), else a hash of `seed`
        (the title and repository address) under `promisesite.invalid`, a name no one else uses."""
        if host:
            return ".".join([host.lower(), *(part for part in self.base.strip("/").split("/") if part)])
        return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:12] + ".promisesite.invalid"

    def page(self, *parts: str) -> str:
        """A page's link: `/base/a/b/`."""
        return self.base + "".join(f"{part}/" for part in parts)

    def file(self, *parts: str) -> str:
        """A file's link: `/base/a/b.json`."""
        return self.base + "/".join(parts)

    def absolute(self, url: str) -> str:
        """A link for feeds and sitemaps; absolute when base_url names a host."""
        return self.origin + url

    def home(self) -> str:
        return self.base

    def promise(self, promise_id: str) -> str:
        return self.page("promises", promise_slug(promise_id))

    def group(self, kind: str, handle: str) -> str:
        return self.page(kind, segment(handle))

    def rule(self, code: str) -> str:
        """A rule's page: `/rules/P404/`."""
        return self.page("rules", code)

    def status(self, status: str) -> str:
        return self.page("status", status)

    def asset(self, name: str) -> str:
        return self.file("assets", name)


@lru_cache(maxsize=65536)
def promise_slug(promise_id: str) -> str:
    """The id when it is a valid slug; otherwise (only with --allow-errors) a safe stand-in, made unique
    by a hash of the id so that two bad ids never share a page."""
    if _SLUG.fullmatch(promise_id) and len(promise_id) <= MAX_ID:
        return promise_id
    stem = segment(promise_id).strip("-")[:60].strip("-") or "promise"
    return f"{stem}-{hashlib.sha1(promise_id.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


def output_path(url: str, base: str) -> str:
    """The file a link resolves to, relative to the output folder: `/base/a/` → `a/index.html`."""
    relative = url[len(base) :] if url.startswith(base) else url.lstrip("/")
    return relative + "index.html" if relative.endswith("/") or relative == "" else relative
