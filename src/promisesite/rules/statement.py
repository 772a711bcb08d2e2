"""One title or condition, tokenised, with the questions the word rules ask of its structure:
where its clauses start, what a verb's subject is, whether a phrase comes later, what is a
quantity. What is vague (usage.py) and what is checkable (evidence.py) are judged on top of it.
"""

from __future__ import annotations

import bisect
import re
from functools import cached_property, lru_cache
from typing import NamedTuple

from .lexicon import WORD, Hit, Lexicon

# Text that is mentioned rather than used: URLs, inline code, quotations (double, or single at word
# edges), Markdown link text, and asides in parentheses.
_MENTIONS = re.compile(
    r"`[^`]*`|\b(?:https?|ftp)://\S+|\bwww\.\S+|\"[^\"\n]*\"|“[^”]*”|‘[^’]*’|(?<![\w'])'[^'\n]+'(?![\w'])"
    r"|\[[^\]\n]*\]\([^)\n]*\)|\([^()]*\)"
)
_QUOTED = re.compile(
    r"`[^`]*`|\b(?:https?|ftp)://\S+|\bwww\.\S+|\"[^\"\n]*\"|“[^”]*”|‘[^’]*’|(?<![\w'])'[^'\n]+'(?![\w'])"
    r"|\[[^\]\n]*\]\([^)\n]*\)"
)
_MENTION_MARKERS = ("`", "://", "www.", '"', "“", "‘", "'", "](", "(")
BOUNDARY = re.compile(r"[,;:.!?—–]")
QUANTITY = re.compile(
    r"\d+(?:[.,]\d+)*(?:%|x|k|ms|s|h|m|min|mins|gb|mb|kb|tb|rps|qps|hz)?|\d+(?:st|nd|rd|th)", re.IGNORECASE
)
WINDOW = 40  # tokens: how far back the context of a word is looked for


def mask_mentions(text: str, parentheses: bool = True) -> str:
    """Blank out URLs, inline code, quotations and link text (and parentheses), keeping every
    other character's offset."""
    if not any(marker in text for marker in _MENTION_MARKERS):
        return text
    return (_MENTIONS if parentheses else _QUOTED).sub(lambda m: " " * len(m.group()), text)


class Token(NamedTuple):
    word: str  # lowercased
    raw: str  # as written
    start: int
    end: int
    gap: str  # what stands between the previous token and this one


class Statement:
    """One text, tokenised: `plain` as written (format characters removed), `masked` with what is
    mentioned rather than used blanked out."""

    def __init__(self, plain: str, masked: str, lexicon: Lexicon, opened: bool = False):
        self.plain, self.masked, self.lexicon, self.context = plain, masked, lexicon, lexicon.context
        self.opened = opened or "(" not in plain
        self._last_starts: dict[frozenset[str], int] = {}
        self.tokens: list[Token] = []
        previous = 0
        for match in WORD.finditer(masked):
            raw = match.group()
            self.tokens.append(
                Token(raw.lower().replace("’", "'"), raw, match.start(), match.end(), masked[previous : match.start()])
            )
            previous = match.end()
        self.words = [token.word for token in self.tokens]
        self.head = self._head()
        self.title_case = self._title_case()

    @classmethod
    def of(cls, text: str, lexicon: Lexicon) -> Statement:
        return cls(text, mask_mentions(text), lexicon)

    @cached_property
    def whole(self) -> Statement:
        """The same text with its asides in parentheses read (itself when it has none)."""
        if self.opened:
            return self
        opened = mask_mentions(self.plain, parentheses=False)
        return self if opened == self.masked else Statement(self.plain, opened, self.lexicon, opened=True)

    @cached_property
    def phrases(self) -> list[Hit]:
        """Every phrase of the lexicons in the words, leftmost and longest first."""
        return find_phrases(self)

    # --- structure -------------------------------------------------------------------------------

    def _head(self) -> int:
        """The first token after a label such as `KR:` or `Stretch goal:`."""
        for index, token in enumerate(self.tokens[:5]):
            if ":" in token.gap and index:
                return index
        return 0

    def _title_case(self) -> bool:
        long = [token for token in self.tokens if len(token.raw) > 3 and token.raw.isalpha()]
        return bool(long) and sum(token.raw[0].isupper() for token in long) >= 0.6 * len(long)

    def index_at(self, offset: int) -> int:
        """The first token that starts at or after `offset`."""
        return bisect.bisect_left(self._starts, offset)

    @cached_property
    def _starts(self) -> list[int]:
        return [token.start for token in self.tokens]

    @cached_property
    def _clause_starts(self) -> list[int]:
        starts, start = [], 0
        for index, token in enumerate(self.tokens):
            if index and (BOUNDARY.search(token.gap) or token.word in ("but", "whereas", "while")):
                start = index
            starts.append(start)
        return starts

    @cached_property
    def _next_breaks(self) -> list[int]:
        """For each token, the first later token that opens another clause (or the end)."""
        breaks, following = [0] * len(self.tokens), len(self.tokens)
        for index in range(len(self.tokens) - 1, -1, -1):
            breaks[index] = following
            token = self.tokens[index]
            if BOUNDARY.search(token.gap) or token.word in ("or", "and", "but"):
                following = index
        return breaks

    def clause_start(self, index: int) -> int:
        """The first token of the clause that holds token `index` (at most WINDOW tokens back: what
        is further away does not qualify the word, and looking further would make long texts slow)."""
        if index >= len(self.tokens):
            return max(self._clause_starts[-1] if self.tokens else 0, index - WINDOW)
        return max(self._clause_starts[index], index - WINDOW)

    def clause_end(self, index: int) -> int:
        """The first token after the clause that holds token `index`."""
        return self._next_breaks[index] if index < len(self.tokens) else len(self.tokens)

    def later_clause(self, index: int, phrases: frozenset[str], separated: bool = True) -> bool:
        """Whether one of `phrases` follows token `index` (in another clause, when `separated`)."""
        if index + 1 >= len(self.tokens):
            return False
        begin = self._next_breaks[index] if separated else index + 1
        return self._last_start(phrases) >= begin

    def anywhere(self, phrases: frozenset[str]) -> bool:
        return self._last_start(phrases) >= 0

    def _last_start(self, phrases: frozenset[str]) -> int:
        """The last token where one of the phrases starts, or -1 (found once per phrase list)."""
        found = self._last_starts.get(phrases)
        if found is None:
            found = -1
            firsts, longest = first_words(phrases)
            words = self.words
            for at in range(len(words) - 1, -1, -1):
                if words[at] in firsts and self.starts_at(at, phrases, longest):
                    found = at
                    break
            self._last_starts[phrases] = found
        return found

    def starts_at(self, at: int, phrases: frozenset[str], longest: int = 0) -> bool:
        """Whether one of `phrases` starts at token `at`."""
        longest = longest or first_words(phrases)[1]
        key = self.words[at]
        if key in phrases:
            return True
        for last in range(at + 1, min(at + longest, len(self.words))):
            key = f"{key} {self.words[last]}"
            if key in phrases:
                return True
        return False

    def subject(self, index: int) -> str:
        """The word that the verb at `index` follows in its clause, modals and adverbs skipped: its
        subject; "" when the clause opens with it (an imperative)."""
        start = self.clause_start(index)
        at = index - 1
        while at >= start and self.words[at] in self.context.skip:
            at -= 1
        return self.words[at] if at >= start else ""

    def quantity_at(self, index: int) -> bool:
        """A number (in digits or words) that counts or measures, not a digit inside a name (e2e, v1)."""
        token = self.tokens[index]
        if token.word in self.context.numbers:
            return True
        if not QUANTITY.fullmatch(token.raw) or token.gap.endswith(("#", "-", "/", "v", "V")):
            return False
        following = self.tokens[index + 1].gap if index + 1 < len(self.tokens) else ""
        return not following.startswith(("-", "."))  # not e2e, KEP-4355, 3.9.0


@lru_cache(maxsize=256)
def first_words(phrases: frozenset[str]) -> tuple[frozenset[str], int]:
    """The words that phrases start with, and the most words a phrase has."""
    return frozenset(p.split(" ")[0] for p in phrases), max((p.count(" ") + 1 for p in phrases), default=1)


def find_phrases(statement: Statement) -> list[Hit]:
    """Every phrase of the lexicons in the statement's words: leftmost, then longest."""
    lexicon = statement.lexicon
    tokens, masked = statement.tokens, statement.masked
    joined = [index > 0 and token.gap == "-" for index, token in enumerate(tokens)]
    linked = [bool(token.gap) and not token.gap.strip(" \t\n-") for token in tokens]
    hits: list[Hit] = []
    index = 0
    starts = lexicon.first_words
    while index < len(tokens):
        if joined[index] or tokens[index].word not in starts:
            index += 1
            continue
        key, last, found = "", index, None
        while last < len(tokens) and last - index < lexicon.longest:
            key = f"{key} {tokens[last].word}" if key else tokens[last].word
            ends_here = last + 1 >= len(tokens) or not joined[last + 1]
            if key in lexicon.category_of and ends_here:
                found = (last, lexicon.category_of[key])  # keep looking for a longer phrase
            if last + 1 >= len(tokens) or not linked[last + 1]:
                break
            last += 1
        if found is None:
            index += 1
            continue
        last, category = found
        start, end = tokens[index].start, tokens[last].end
        hits.append(Hit(category, statement.plain[start:end], start, end))
        index = last + 1
    if lexicon.symbol_pattern is not None and any(c in masked for c in lexicon.symbol_chars):
        hits += [
            Hit(lexicon.category_of[m.group()], m.group(), m.start(), m.end())
            for m in lexicon.symbol_pattern.finditer(masked)
        ]
    return hits
