"""Finding vague words: whole words and phrases, longest first, never inside URLs, code or quotes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Mapping

import yaml

CATEGORIES = ("placeholder", "hedge", "vague-time", "unmeasurable", "weasel", "comparator", "bound")
# Text that is mentioned rather than used: URLs, inline code, and quotations.
_MENTIONS = re.compile(r"`[^`]*`|\b(?:https?|ftp)://\S+|\bwww\.\S+|\"[^\"\n]*\"|“[^”]*”")
_DIGIT = re.compile(r"\d")
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
    return _MENTIONS.sub(lambda m: " " * len(m.group()), text)


class Lexicon:
    """All the categories compiled into one regular expression (leftmost, then longest, match)."""

    def __init__(self, categories: Mapping[str, tuple[str, ...]]):
        self.category_of: dict[str, str] = {}
        for category in CATEGORIES:
            for phrase in categories.get(category, ()):
                self.category_of.setdefault(_normal(phrase), category)
        alternatives = sorted(self.category_of, key=len, reverse=True)
        self.pattern = re.compile("|".join(_phrase_pattern(p) for p in alternatives), re.IGNORECASE)

    def scan(self, text: str) -> list[Hit]:
        """Every vague phrase in the text, `bound` and `comparator` phrases included."""
        masked = mask_mentions(text)
        return [Hit(self.category_of[_normal(m.group())], m.group(), m.start(), m.end())
                for m in self.pattern.finditer(masked)]

    @staticmethod
    def measurable(text: str, hits: list[Hit]) -> bool:
        """A number, a date, a comparator symbol or a comparator word makes a condition measurable."""
        plain = mask_mentions(text)
        return bool(_DIGIT.search(plain) or _COMPARATOR_SYMBOL.search(plain)
                    or any(hit.category in ("comparator", "bound") for hit in hits))


@lru_cache(maxsize=16)
def compiled(extra: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> Lexicon:
    """The built-in lexicons plus a config's `vague_words`, compiled once per distinct config."""
    categories = builtin_lexicons()
    for category, phrases in extra:
        categories[category] = categories.get(category, ()) + phrases
    return Lexicon(categories)


def _normal(phrase: str) -> str:
    return re.sub(r"[\s-]+", " ", phrase.strip().lower())


def _phrase_pattern(normal: str) -> str:
    body = r"[\s-]+".join(re.escape(word) for word in normal.split(" "))
    before = r"(?<![\w-])" if re.match(r"\w", normal) else ""
    after = r"(?![\w-])" if re.search(r"\w$", normal) else ""
    return before + body + after
