"""Finding vague words: whole words and phrases, longest first, never inside URLs, code or quotes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

CATEGORIES = ("placeholder", "hedge", "vague-time", "unmeasurable", "weasel", "comparator", "bound")
# Text that is mentioned rather than used: URLs, inline code, and quotations.
_MENTIONS = re.compile(r"`[^`]*`|\b(?:https?|ftp)://\S+|\bwww\.\S+|\"[^\"\n]*\"|“[^”]*”")
_MENTION_MARKERS = ("`", "://", "www.", '"', "“")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[^\W_]+")  # letters and digits: a word in any script
_COMPARATOR_SYMBOL = re.compile(r"[<>≤≥=]")


@dataclass(frozen=True)
class Hit:
    category: str
    phrase: str  # as written in the text
    start: int
    end: int


def builtin_lexicons() -> dict[str, tuple[str, ...]]:
    text = resources.files("promisesite.rules").joinpath("lexicons.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {category: tuple(str(p) for p in data.get(category) or ()) for category in CATEGORIES}


def mask_mentions(text: str) -> str:
    """Blank out URLs, inline code and quotations, keeping every other character's offset."""
    if not any(marker in text for marker in _MENTION_MARKERS):
        return text
    return _MENTIONS.sub(lambda m: " " * len(m.group()), text)


class Lexicon:
    """The phrases of every category, matched by looking up word n-grams (leftmost, then longest).

    A phrase matches whole words: `try` never inside `country`, nor in `re-try`, whose hyphen
    joins it to another word; a space or hyphen inside a phrase matches either (`best effort`
    finds `best-effort`). Phrases of symbols only (`???`) match anywhere.
    """

    def __init__(self, categories: Mapping[str, tuple[str, ...]]):
        self.category_of: dict[str, str] = {}
        symbols: list[str] = []
        for category in CATEGORIES:
            for phrase in categories.get(category, ()):
                key = _normal(phrase)
                if key:
                    self.category_of.setdefault(key, category)
                elif phrase.strip():
                    symbols.append(phrase.strip())
                    self.category_of.setdefault(phrase.strip(), category)
        self.longest = max((key.count(" ") + 1 for key in self.category_of), default=1)
        self.symbol_pattern = (
            re.compile("|".join(re.escape(s) for s in sorted(set(symbols), key=len, reverse=True))) if symbols else None
        )
        self.symbol_chars = {c for symbol in symbols for c in symbol}
        self.first_words = frozenset(key.split(" ")[0] for key in self.category_of if key[:1].isalnum())

    def scan(self, text: str) -> list[Hit]:
        """Every vague phrase in the text, `bound` and `comparator` phrases included."""
        if self.first_words.isdisjoint(_WORD.findall(text.lower())) and not any(c in text for c in self.symbol_chars):
            return []  # most texts: no word that can start a phrase
        masked = mask_mentions(text)
        words = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(masked)]
        gaps = [masked[words[k][1] : words[k + 1][0]] for k in range(len(words) - 1)]
        joined = [gap == "-" for gap in gaps]  # `re-try`: one word, never the start or end of a phrase
        linked = [bool(gap) and not gap.strip(" \t\n-") for gap in gaps]  # may continue a phrase
        hits: list[Hit] = []
        index = 0
        while index < len(words):
            if index and joined[index - 1]:
                index += 1
                continue
            key, last, found = "", index, None
            while last < len(words) and last - index < self.longest:
                key = f"{key} {words[last][2]}" if key else words[last][2]
                if key in self.category_of and not (last < len(joined) and joined[last]):
                    found = (last, self.category_of[key])  # keep looking for a longer phrase
                if last >= len(linked) or not linked[last]:
                    break
                last += 1
            if found is None:
                index += 1
                continue
            last, category = found
            start, end = words[index][0], words[last][1]
            hits.append(Hit(category, text[start:end], start, end))
            index = last + 1
        if self.symbol_pattern is not None and any(c in masked for c in self.symbol_chars):
            hits += [
                Hit(self.category_of[m.group()], m.group(), m.start(), m.end())
                for m in self.symbol_pattern.finditer(masked)
            ]
            hits.sort(key=lambda hit: hit.start)
        return hits

    @staticmethod
    def measurable(text: str, hits: list[Hit]) -> bool:
        """A number, a date, a comparator symbol or a comparator word makes a condition measurable."""
        plain = mask_mentions(text)
        return bool(
            _DIGIT.search(plain)
            or _COMPARATOR_SYMBOL.search(plain)
            or any(hit.category in ("comparator", "bound") for hit in hits)
        )


@lru_cache(maxsize=16)
def compiled(extra: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> Lexicon:
    """The built-in lexicons plus a config's `vague_words`, compiled once per distinct config."""
    categories = builtin_lexicons()
    for category, phrases in extra:
        categories[category] = categories.get(category, ()) + phrases
    return Lexicon(categories)


def _normal(phrase: str) -> str:
    """The lookup key of a phrase: its words, lowercased, joined by single spaces (`etc.` → `etc`)."""
    return " ".join(_WORD.findall(phrase.lower()))
