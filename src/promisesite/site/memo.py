"""Pieces rendered from one promise, kept while that promise is unchanged: rows, bodies, records."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from ..model import Promise

T = TypeVar("T")


def body_key(text: str) -> str:
    """The cache key of a body: a hash of its text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class Memo:
    """Pieces rendered from one promise, reused while that promise (and the little else the piece
    shows) is unchanged: table rows, bodies, JSON records, calendar events. One memo lives as long
    as one theme and config, so `serve` renders an edit's neighbours from it instead of afresh."""

    def __init__(self, bodies: dict[str, str] | None = None, keep_bodies: bool = True) -> None:
        self._pieces: dict[tuple[str, str, str], tuple[Promise, Hashable, Any]] = {}
        self._bodies: dict[str, str] = dict(bodies or {})  # body_key(text) → HTML, e.g. from the build cache
        # What serve shows again, compressed: at 10,000 long bodies the HTML alone would be most
        # of its memory, and inflating one is a small part of rendering its page.
        self._kept: dict[str, bytes] = {}
        self._new_bodies: dict[str, str] = {}
        self._used: set[str] = set()
        self._keyed: dict[Hashable, Any] = {}
        self._made: list[tuple[str, str, str]] = []  # pieces made since the last `export`
        self._keep_bodies = keep_bodies  # a build shows each body once; serve shows them again

    def get(self, kind: str, promise: Promise, extra: Hashable, make: Callable[[], T]) -> T:
        key = (kind, promise.path, promise.id)
        hit = self._pieces.get(key)
        if hit is not None and hit[0] is promise and hit[1] == extra:
            return hit[2]
        value = make()
        self._pieces[key] = (promise, extra, value)
        self._made.append(key)
        return value

    def keyed(self, key: Hashable, make: Callable[[], T]) -> T:
        """A piece that depends on `key` alone, not on one promise: a group's line of figures."""
        found = self._keyed.get(key)
        if found is None:
            found = self._keyed[key] = make()
        return found

    def body(self, text: str, render: Callable[[str], str]) -> str:
        key = body_key(text)
        self._used.add(key)
        html = self._bodies.get(key)
        if html is not None:
            return html
        kept = self._kept.get(key)
        if kept is not None:
            return zlib.decompress(kept).decode("utf-8")
        html = self._new_bodies[key] = render(text)
        if self._keep_bodies:
            self._kept[key] = _packed(html)
        return html

    def keep(self, bodies: dict[str, str]) -> None:
        """Bodies rendered elsewhere (by a build's worker processes), to show again without rendering."""
        self._kept.update((key, _packed(html)) for key, html in bodies.items())

    def export(self) -> list[tuple[tuple[str, str, str], Hashable, Any]]:
        """The pieces made since the last call, without the promise each was made from: what a
        worker process sends back."""
        made, self._made = self._made, []
        return [(key, *self._pieces[key][1:]) for key in dict.fromkeys(made)]

    def adopt(
        self, pieces: list[tuple[tuple[str, str, str], Hashable, Any]], promises: dict[tuple[str, str], Promise]
    ) -> None:
        """Pieces another process made from the same promises (found here by path and id)."""
        for key, extra, value in pieces:
            promise = promises.get(key[1:])
            if promise is not None:
                self._pieces[key] = (promise, extra, value)

    def drain(self) -> tuple[dict[str, str], set[str]]:
        """Since the last call: the bodies rendered (what a build adds to the cache) and the keys of
        all bodies shown (what the cache keeps)."""
        new, used = self._new_bodies, self._used
        self._new_bodies, self._used = {}, set()
        return new, used


def _packed(html: str) -> bytes:
    return zlib.compress(html.encode("utf-8"), 1)
