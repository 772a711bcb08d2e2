"""How an edited text differs from the one before, word by word, so that `250 → 400 ms` stands out
in a long condition instead of hiding in two whole copies of it."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

_WORDS = re.compile(r"\S+|\s+")


@dataclass(frozen=True)
class Segment:
    """A run of a text: the same in both (`same`), only in the old one (`removed`) or the new (`added`)."""

    kind: str
    text: str


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """The two texts as one run of segments, the changed words marked."""
    before, after = _WORDS.findall(old), _WORDS.findall(new)
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", "".join(before[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("removed", "".join(before[i1:i2]).strip()))
        if j2 > j1:
            segments.append(Segment("added", "".join(after[j1:j2]).strip()))
    return tuple(segments)


@dataclass(frozen=True)
class ListChange:
    """One entry of a list that changed: edited (both texts, with the words marked), removed or added."""

    kind: str  # edited | removed | added
    was: str = ""
    now: str = ""
    words: tuple[Segment, ...] = ()


def list_diff(old: Sequence[str], new: Sequence[str]) -> tuple[ListChange, ...]:
    """What changed from one list of texts to another: entries kept are left out, an entry replaced
    by a similar one is an edit, the rest are removed or added."""
    found: list[ListChange] = []
    matcher = difflib.SequenceMatcher(None, list(old), list(new), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        removed, added = list(old[i1:i2]), list(new[j1:j2])
        while removed and added:
            was, now = removed.pop(0), added.pop(0)
            found.append(ListChange("edited", was, now, word_diff(was, now)))
        found += [ListChange("removed", was=text) for text in removed]
        found += [ListChange("added", now=text) for text in added]
    return tuple(found)
