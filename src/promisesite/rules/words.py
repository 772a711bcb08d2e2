"""Finding vague words by how they are used, not how they are spelt.

A phrase of the lexicons (`lexicons.yaml`) is found as whole words, longest first, never inside a
URL, inline code, a quotation or parentheses. Then its context decides whether it is vague here:

- a hedge verb (try, attempt, should be able to) hedges only when the promiser is its subject
  (`we will try`) or it opens the statement (`Try to cut latency`), not when it describes what a
  system or someone else does (`kube-proxy does not attempt`, `5 failed login attempts`), nor in a
  test step that states what to verify;
- a scope hedge (if possible, as needed) or a hedged commitment (aim to) is taken back by a hard
  bound in another clause (`…, or 20 working days at the latest`);
- a vague time is bounded by `or later` after a version, by a number (`3 releases later`), by
  `within`/`by`/`no later than`, and `as soon as <event>` is a trigger, not a vague time;
- a cadence (regularly, keep you updated) is vague unless the statement says how often;
- an unmeasurable word needs a measure in the statement — a quantity, a date, a comparator with a
  quantity, a named baseline (`faster than X`), an operational test (`without having to …`) — and
  is not judged inside a name (`Easy Read`, `enhanced DBS check`), in a purpose clause after a
  concrete action (`… to improve correctness`), in the description of a deliverable (`a report on
  how … could be optimized`), nor as a noun for a process that ends in a decision (`investigate
  your complaint`).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import NamedTuple

import yaml

CATEGORIES = ("placeholder", "hedge", "vague-time", "unmeasurable", "weasel", "no-end-state", "comparator", "bound")
_JUDGED = ("placeholder", "hedge", "vague-time", "unmeasurable", "weasel", "no-end-state")
# Text that is mentioned rather than used: URLs, inline code, quotations, and asides in parentheses.
_MENTIONS = re.compile(r"`[^`]*`|\b(?:https?|ftp)://\S+|\bwww\.\S+|\"[^\"\n]*\"|“[^”]*”|\([^()]*\)")
_QUOTED = re.compile(r"`[^`]*`|\b(?:https?|ftp)://\S+|\bwww\.\S+|\"[^\"\n]*\"|“[^”]*”")
_MENTION_MARKERS = ("`", "://", "www.", '"', "“", "(")
# Asides in parentheses are not judged for hedges and vague words, but a measure there still counts,
# and so does a blank left to fill in: `efficient (<1 sec)`, `v0.3.[TBD]`.
_PAREN_JUDGED = ("placeholder",)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")  # letters and digits, with an inner apostrophe (we'll)
_BOUNDARY = re.compile(r"[,;:.!?—–]")
_QUANTITY = re.compile(
    r"\d+(?:[.,]\d+)*(?:%|x|k|ms|s|h|m|min|mins|gb|mb|kb|tb|rps|qps|hz)?|\d+(?:st|nd|rd|th)", re.IGNORECASE
)
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{4}/\d{1,2}/\d{1,2}\b")
_SYMBOL = re.compile(r"[<>≤≥=]=?\s*[\d$£€]")
_VARIABLE = re.compile(r"\bfrom [XYN]%? to [XYN]%?|\b(?:at|to|by|of) [XYN]%?(?:\s|\.|$)|[<>≤≥]=? ?[NXY]\b")
_BRACKET_BLANK = re.compile(r"\[[a-z][a-z ]{2,40}\](?!\()")
_HYPHEN_EASY = re.compile(r"\b(?:easy|easier|hard|harder|simple|quick)-to-\w+", re.IGNORECASE)


_WINDOW = 40  # tokens: how far back the context of a word is looked for
_DESCRIBING = frozenset("for about on of why how that which describing explaining covering comparing".split())
# An operational test or a baseline measures an unmeasurable word: `faster than`, `in one click`.
_OPERATIONAL = frozenset(
    (
        "without having to",
        "without needing to",
        "without the need to",
        "in one step",
        "in a single step",
        "in one click",
        "by default",
        "than",
    )
)
_EVENT_WORDS = frozenset(("when", "once", "after", "if", "whenever", "as"))
_DETERMINERS = frozenset(
    "the a an this that these those its their our your his her any each every of for in after before from with "
    "during on no all".split()
)


@dataclass(frozen=True)
class Hit:
    category: str
    phrase: str  # as written in the text
    start: int
    end: int


class _Token(NamedTuple):
    word: str  # lowercased
    raw: str  # as written
    start: int
    end: int
    gap: str  # what stands between the previous token and this one


def builtin_lexicons() -> dict[str, tuple[str, ...]]:
    data = _data()
    return {category: tuple(str(p) for p in data.get(category) or ()) for category in CATEGORIES}


@lru_cache(maxsize=1)
def _data() -> dict:
    text = resources.files("promisesite.rules").joinpath("lexicons.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml's C parser when present


def mask_mentions(text: str, parentheses: bool = True) -> str:
    """Blank out URLs, inline code, quotations (and parentheses), keeping every other character's offset."""
    if not any(marker in text for marker in _MENTION_MARKERS):
        return text
    return (_MENTIONS if parentheses else _QUOTED).sub(lambda m: " " * len(m.group()), text)


def _normal(phrase: str) -> str:
    """The lookup key of a phrase: its words, lowercased, joined by single spaces (`etc.` → `etc`)."""
    return " ".join(_WORD.findall(phrase.lower()))


def _words(phrases: Sequence[str]) -> frozenset[str]:
    return frozenset(_normal(p) for p in phrases)


class _Context:
    """The word lists that decide whether a phrase is used vaguely (the `context` part of the lexicons)."""

    def __init__(self, data: Mapping[str, Sequence[str]]):
        def words(key: str) -> frozenset[str]:
            return _words(data.get(key) or ())

        self.first_person = words("first-person")
        self.skip = words("subject-skip")
        self.subject_hedges = words("subject-hedges")
        self.noun_before = words("noun-before")
        self.test_markers = words("test-markers")
        self.relative = words("relative")
        self.hard_bounds = words("hard-bounds")
        self.fallbacks = words("fallbacks")
        self.weak_scope = words("weak-scope")
        self.reference_after = words("reference-after")
        self.cadences = words("cadences")
        self.keep_words = words("keep-informed")
        self.purpose = words("purpose")
        self.deliverables = words("deliverables")
        self.processes = words("processes")
        self.process_verbs = words("process-verbs")
        self.manner = words("manner")
        self.names = words("names")
        self.not_regular = words("not-regular")
        self.numbers = words("numbers")
        self.stop = words("stop")
        self.how_often = words("how-often")
        self.catenatives = words("catenatives")
        self.concrete_results = words("concrete-results")
        self.goal_verbs = words("goal-verbs")
        self.people = words("people")
        self.causatives = words("causatives")


class Lexicon:
    """The phrases of every category, found by word n-grams (leftmost, then longest), kept or dropped
    by their context. A space or hyphen inside a phrase matches either (`best effort` finds
    `best-effort`); a hyphen joins words, so `try` is not found in `re-try`."""

    def __init__(self, categories: Mapping[str, tuple[str, ...]], context: Mapping[str, Sequence[str]] | None = None):
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
        self.context = _Context(context if context is not None else _data().get("context") or {})
        # A text with none of these words holds no vague phrase, whatever its context.
        self.candidates = (
            frozenset(
                key.split(" ")[0]
                for key, category in self.category_of.items()
                if category in _JUDGED and key[:1].isalnum()
            )
            | self.context.keep_words
            | {"possible"}
        )

    # --- finding --------------------------------------------------------------------------------

    def scan(self, text: str) -> list[Hit]:
        """Every phrase used vaguely in the text, and the `bound` and `comparator` phrases."""
        plain, offsets = _without_format_chars(text)
        lowered = plain.lower()
        if (
            self.candidates.isdisjoint(_WORD.findall(lowered))
            and not any(c in plain for c in self.symbol_chars)
            and "[" not in plain
            and "-to-" not in lowered
            and not _VARIABLE.search(plain)
        ):
            return []  # most texts: no word that can start a phrase
        statement = _Statement(plain, mask_mentions(plain), self)
        hits = [hit for hit in statement.phrases if statement.keeps(hit)]
        if statement.whole is not statement:
            seen = {hit.start for hit in hits}
            hits += [
                hit
                for hit in statement.whole.phrases
                if hit.category in _PAREN_JUDGED and hit.start not in seen and statement.whole.keeps(hit)
            ]
        hits += statement.patterns()
        hits.sort(key=lambda hit: hit.start)
        if offsets is not None:
            hits = [
                Hit(h.category, text[offsets[h.start] : offsets[h.end]], offsets[h.start], offsets[h.end]) for h in hits
            ]
        return hits

    def _phrases(self, statement: _Statement) -> list[Hit]:
        tokens, masked = statement.tokens, statement.masked
        joined = [index > 0 and token.gap == "-" for index, token in enumerate(tokens)]
        linked = [bool(token.gap) and not token.gap.strip(" \t\n-") for token in tokens]
        hits: list[Hit] = []
        index = 0
        first_words = self.first_words
        while index < len(tokens):
            if joined[index] or tokens[index].word not in first_words:
                index += 1
                continue
            key, last, found = "", index, None
            while last < len(tokens) and last - index < self.longest:
                key = f"{key} {tokens[last].word}" if key else tokens[last].word
                ends_here = last + 1 >= len(tokens) or not joined[last + 1]
                if key in self.category_of and ends_here:
                    found = (last, self.category_of[key])  # keep looking for a longer phrase
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
        if self.symbol_pattern is not None and any(c in masked for c in self.symbol_chars):
            hits += [
                Hit(self.category_of[m.group()], m.group(), m.start(), m.end())
                for m in self.symbol_pattern.finditer(masked)
            ]
        return hits

    def is_cadence(self, phrase: str) -> bool:
        """Whether a vague-time phrase is a cadence (regularly, keep you updated) rather than a time."""
        key = _normal(phrase)
        return (
            key in self.context.cadences
            or key.split(" ")[0] in self.context.keep_words
            or key.startswith(("regular", "periodic"))
        )

    def measurable(self, text: str, hits: list[Hit]) -> bool:
        """A quantity, a date, a comparator with a quantity, a named baseline or an operational test."""
        plain, _ = _without_format_chars(text)
        return _Statement(plain, mask_mentions(plain), self).measured()


def _without_format_chars(text: str) -> tuple[str, list[int] | None]:
    """The text without invisible format characters (zero-width spaces, soft hyphens), and where each
    character of that text stands in the original (None when there were none)."""
    if text.isascii() or not any(unicodedata.category(char) == "Cf" for char in text if not char.isascii()):
        return text, None
    kept, offsets = [], []
    for index, char in enumerate(text):
        if char.isascii() or unicodedata.category(char) != "Cf":
            kept.append(char)
            offsets.append(index)
    offsets.append(len(text))
    return "".join(kept), offsets


class _Statement:
    """One text, tokenised, with the questions the context rules ask of it."""

    def __init__(self, plain: str, masked: str, lexicon: Lexicon, opened: bool = False):
        self.plain, self.masked, self.lexicon, self.context = plain, masked, lexicon, lexicon.context
        self.opened = opened or "(" not in plain
        self._measured: bool | None = None
        self._last_starts: dict[frozenset[str], int] = {}
        self.tokens: list[_Token] = []
        previous = 0
        for match in _WORD.finditer(masked):
            raw = match.group()
            self.tokens.append(
                _Token(raw.lower().replace("’", "'"), raw, match.start(), match.end(), masked[previous : match.start()])
            )
            previous = match.end()
        self.words = [token.word for token in self.tokens]
        self.head = self._head()
        self.title_case = self._title_case()

    @cached_property
    def whole(self) -> _Statement:
        """The same text with its asides in parentheses read (itself when it has none)."""
        if self.opened:
            return self
        opened = mask_mentions(self.plain, parentheses=False)
        return self if opened == self.masked else _Statement(self.plain, opened, self.lexicon, opened=True)

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
            if index and (_BOUNDARY.search(token.gap) or token.word in ("but", "whereas", "while")):
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
            if _BOUNDARY.search(token.gap) or token.word in ("or", "and", "but"):
                following = index
        return breaks

    def clause_start(self, index: int) -> int:
        """The first token of the clause that holds token `index` (at most _WINDOW tokens back: what
        is further away does not qualify the word, and looking further would make long texts slow)."""
        if index >= len(self.tokens):
            return max(self._clause_starts[-1] if self.tokens else 0, index - _WINDOW)
        return max(self._clause_starts[index], index - _WINDOW)

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
            firsts, longest = _first_words(phrases)
            words = self.words
            for at in range(len(words) - 1, -1, -1):
                if words[at] in firsts and self._starts_at(at, phrases, longest):
                    found = at
                    break
            self._last_starts[phrases] = found
        return found

    def _starts_at(self, at: int, phrases: frozenset[str], longest: int) -> bool:
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

    # --- measures ----------------------------------------------------------------------------------

    def quantity_at(self, index: int) -> bool:
        token = self.tokens[index]
        if token.word in self.context.numbers:
            return True
        if not _QUANTITY.fullmatch(token.raw) or token.gap.endswith(("#", "-", "/", "v", "V")):
            return False
        following = self.tokens[index + 1].gap if index + 1 < len(self.tokens) else ""
        return not following.startswith(("-", "."))  # not e2e, KEP-4355, 3.9.0

    def measured(self) -> bool:
        """A quantity, a date, a comparator with a quantity, a baseline or an operational test, asides
        in parentheses included."""
        if self.whole is not self:
            return self.whole.measured()
        if self._measured is None:
            self._measured = self._measures()
        return self._measured

    def _measures(self) -> bool:
        if _DATE.search(self.masked) or _SYMBOL.search(self.masked):
            return True
        if any(self.quantity_at(index) for index in range(len(self.tokens))):
            return True
        hits = self.phrases
        if any(hit.category == "bound" for hit in hits):
            return True
        for hit in hits:
            if hit.category == "comparator":
                after = self.index_at(hit.end)
                if any(self.quantity_at(at) for at in range(after, min(after + 4, len(self.tokens)))):
                    return True
        return self.anywhere(_OPERATIONAL)

    @cached_property
    def phrases(self) -> list[Hit]:
        return self.lexicon._phrases(self)

    # --- the context rules -------------------------------------------------------------------------

    def keeps(self, hit: Hit) -> bool:
        if hit.category not in _JUDGED:
            return True
        index = self.index_at(hit.start)
        phrase = _normal(hit.phrase)
        if hit.category != "placeholder" and index < self.head - 1 and len(self.tokens) - self.head >= 4:
            return False  # a label before a colon: `Smooth graduation: if the API …`
        last = self.index_at(hit.end)
        if any(self.in_name(at, phrase) for at in range(index, last)) or self._capitalised_run(index, last):
            return False
        keep = getattr(self, "_" + hit.category.replace("-", "_"), None)
        return keep(index, phrase, hit) if keep else True

    def in_name(self, index: int, phrase: str) -> bool:
        """Part of a proper name: a run of capitalised words (not in a title-case sentence), a participle
        before an acronym (`enhanced DBS`), or a term of the lexicons' `names`."""
        if any(
            " ".join(self.words[at : at + 2]) in self.context.names or self.words[at] in self.context.names
            for at in range(max(index - 1, 0), min(index + 2, len(self.tokens)))
        ):
            return True
        tokens, token = self.tokens, self.tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.word.endswith("ed") and following is not None and following.raw.isupper() and len(following.raw) > 1:
            return True
        if self.title_case or not token.raw[:1].isupper():
            return False
        neighbours = []
        if index > 0 and index != self.head and not _BOUNDARY.search(token.gap):
            neighbours.append(tokens[index - 1])
        if following is not None and index + 1 != self.head and not _BOUNDARY.search(following.gap):
            neighbours.append(following)
        return any(n.raw[:1].isupper() and n.raw[1:].islower() and n.word not in self.context.stop for n in neighbours)

    def _capitalised_run(self, first: int, last: int) -> bool:
        """A phrase of several words, each capitalised, inside a sentence: `the End of Day process`."""
        words = [token for token in self.tokens[first:last] if token.word not in self.context.stop]
        return (
            len(words) > 1
            and first != self.head
            and not self.title_case
            and all(token.raw[:1].isupper() and token.raw[1:].islower() for token in words)
        )

    def _placeholder(self, index: int, phrase: str, hit: Hit) -> bool:
        token = self.tokens[index]
        following = self.tokens[index + 1].gap if index + 1 < len(self.tokens) else ""
        if phrase == "todo" and token.raw.islower() and ":" not in following:
            return False  # a noun: `the todo title`, `solved todo comment`
        return True

    def _hedge(self, index: int, phrase: str, hit: Hit) -> bool:
        context = self.context
        if phrase in context.subject_hedges or phrase.split(" ")[0] in context.subject_hedges:
            previous = self.words[index - 1] if index else ""
            after = index + len(phrase.split())
            infinitive = phrase.endswith(" to") or (after < len(self.words) and self.words[after] == "to")
            if not infinitive and (previous in context.noun_before or (index and self.quantity_at(index - 1))):
                return False  # `5 failed login attempts`, `the first attempt`
            subject = self.subject(index)
            if subject and subject not in context.first_person:
                return False  # what someone or something else does: `kube-proxy does not attempt`
            if self.anywhere(context.test_markers):
                return False  # a test step: `Attempt to scale up the pod, verify the resize is deferred`
            if not subject and phrase.startswith("attempt") and not self._goal_follows(index + len(phrase.split())):
                return False  # a step of a test, not an outcome: `Attempt to clone while in a failed state`
        if any(word in context.relative for word in self.words[self.clause_start(index) : index]):
            return False  # a description: `the timescale in which we aim to reply`
        if any(
            word in ("while", "although", "though", "whilst") for word in self.words[self.clause_start(index) : index]
        ):
            return False  # a concession beside the commitment: `While we will strive to …, we will uphold …`
        if phrase in context.weak_scope:
            after = index + len(phrase.split())
            if after < len(self.words) and self.words[after] in context.reference_after:
                return False  # `as required by the contract`
            if self.cadenced() or self.measured():
                return False  # `review every 6 months and update as needed`
        if self.later_clause(index, context.hard_bounds) or self.later_clause(index, context.fallbacks):
            return False  # `we aim to reply within 10 days, or 20 at the latest`
        return True

    def _vague_time(self, index: int, phrase: str, hit: Hit) -> bool:
        context, words = self.context, self.words
        if phrase in ("later", "later on"):
            previous = words[index - 1] if index else ""
            following = words[index + 1] if index + 1 < len(words) else ""
            return not (
                previous in ("or", "and")
                or following == "than"  # a comparison: `not later than 40 working days after …`
                or (index and self.quantity_at(index - 1))
                or previous in context.numbers
                or previous in ("years", "months", "weeks", "days", "releases")
                or (index > 1 and previous.endswith("ed"))  # `the secret is created later`: a sequence
                or previous in ("come", "comes", "came", "done", "made", "run", "set")
            )
        if (
            phrase == "soon"
            and index >= 2
            and words[index - 1] == "as"
            and index + 1 < len(words)
            and words[index + 1] == "as"
        ):
            return False  # `as soon as it merges` (as soon as possible is its own phrase)
        if phrase in (
            "as soon as possible",
            "asap",
            "as soon as practicable",
            "as soon as practical",
            "as soon as reasonably practicable",
        ):
            return not (self.measured() or self.later_clause(index, context.hard_bounds, separated=False))
        if self.describes_deliverable(index):
            return False  # `a report on areas worth exploring in the future`
        if phrase in context.cadences or phrase.startswith(("regular", "periodic")):
            if phrase == "regular" and index + 1 < len(words) and words[index + 1] in context.not_regular:
                return False  # `a regular expression`
            return not self.cadenced()
        return True

    def _goal_follows(self, at: int) -> bool:
        words = self.words
        if at < len(words) and words[at] == "to":
            at += 1
        return at < len(words) and (
            words[at] in self.context.goal_verbs or self.lexicon.category_of.get(words[at]) == "unmeasurable"
        )

    def cadenced(self) -> bool:
        """The statement says how often: every N, weekly, at least monthly, twice a year."""
        return self.whole.anywhere(self.context.how_often)

    def _unmeasurable(self, index: int, phrase: str, hit: Hit) -> bool:
        context, words = self.context, self.words
        if self.measured():
            return False
        first = phrase.split(" ")[0]
        if first.endswith(("ion", "ions", "ment", "ments")) and index != self.head:
            previous = words[index - 1] if index else ""
            if previous in _DETERMINERS:
                return False  # a noun naming a process or a result: `the results of the investigation`
        if phrase in context.process_verbs:
            following = words[index + len(phrase.split()) : index + len(phrase.split()) + 3]
            if any(word in context.processes for word in following):
                return False  # a process that ends in a decision: `investigate your complaint`
        if first in context.manner and self._someone_else_can(index):
            return False  # what someone else can do: `users can quickly skip to the content`
        if self.describes_deliverable(index):
            return False  # the description of a deliverable: `a report on why … could be explored`
        if index > self.head and self._after_purpose(index):
            return False  # the reason for a concrete action: `…, to improve correctness`
        if index == self.head and self._says_what_changes(index + len(phrase.split())):
            return False  # `Enhance clusterctl describe to display MachinePool Machines`
        if self._conditional(index):
            return False  # a trigger, not the commitment: `If nobody is working on an issue, drop it`
        return True

    def _someone_else_can(self, index: int) -> bool:
        start = self.clause_start(index)
        before = self.words[start:index]
        return any(word in ("can", "could", "may") for word in before) and any(
            word in self.context.people for word in before
        )

    def describes_deliverable(self, index: int) -> bool:
        """The token describes a thing to be delivered: `a report on why …`, `the process for …`."""
        deliverables = self.context.deliverables
        for at in range(max(self.head, index - _WINDOW), index):
            if self.words[at] in deliverables:
                following = self.words[at + 1] if at + 1 < len(self.words) else ""
                if following in _DESCRIBING:
                    return True
        return False

    def _says_what_changes(self, after: int) -> bool:
        """After an unmeasurable head verb and its object: `to <result>` or `by <doing something>`."""
        words = self.words
        for at in range(after, min(after + 8, len(words) - 1)):
            if _BOUNDARY.search(self.tokens[at].gap) and at > after and words[at] != "by":
                return False
            if words[at] == "to" and words[at + 1] in self.context.concrete_results:
                return True
            if words[at] == "by" and words[at + 1].endswith("ing") and words[at + 1] not in ("making", "being"):
                return True
        return False

    def _conditional(self, index: int) -> bool:
        start = self.clause_start(index)
        return any(word in ("if", "unless", "whenever") for word in self.words[start:index])

    def _after_purpose(self, index: int) -> bool:
        """The token stands in a purpose or result clause that follows a concrete main clause."""
        context = self.context
        head_word = self.words[self.head] if self.head < len(self.words) else ""
        if head_word in self.lexicon.category_of and self.lexicon.category_of[head_word] in _JUDGED:
            return False
        floor = max(self.head, index - _WINDOW)
        for at in range(index - 1, floor, -1):
            word = self.words[at]
            if word in context.purpose and at > self.head + 1:
                if not word.endswith("ing") or _BOUNDARY.search(self.tokens[at].gap):
                    return True  # `…, ensuring that`, not `committed to ensuring a reliable service`
            if word == "to" and at > self.head + 1 and self.words[at - 1] not in context.skip:
                if self.words[at - 1] not in context.catenatives and not any(
                    w in context.causatives for w in self.words[floor:at]
                ):  # `looking to improve`, `allow X to be easily queried` want it
                    return True
        return False

    def _weasel(self, index: int, phrase: str, hit: Hit) -> bool:
        return True

    def _no_end_state(self, index: int, phrase: str, hit: Hit) -> bool:
        if index != self.head and self.subject(index) not in self.context.first_person:
            return False  # only an activity that is the whole commitment: `Gather feedback from users`
        return not (self.measured() or self.cadenced() or any(w in self.context.deliverables for w in self.words))

    # --- patterns beyond the phrase lists ---------------------------------------------------------

    def patterns(self) -> list[Hit]:
        found = []
        for match in _VARIABLE.finditer(self.masked):
            found.append(
                Hit("placeholder", match.group().strip(), match.start(), match.start() + len(match.group().strip()))
            )
        for match in _BRACKET_BLANK.finditer(self.masked):
            found.append(Hit("placeholder", match.group(), match.start(), match.end()))
        if "-to-" in self.masked:
            for match in _HYPHEN_EASY.finditer(self.masked):
                if not self.measured():
                    found.append(Hit("unmeasurable", match.group(), match.start(), match.end()))
        found += self._as_possible()
        found += self._kept_informed()
        return found

    def _as_possible(self) -> list[Hit]:
        """`as <word> as possible`: a scope hedge, unless a hard bound stands in another clause."""
        found = []
        for index in range(len(self.words) - 3):
            if self.words[index] == "as" and self.words[index + 2] == "as" and self.words[index + 3] == "possible":
                if self.words[index + 1] in ("soon", "much", "far"):
                    continue  # phrases of their own
                if self.later_clause(index + 3, self.context.hard_bounds):
                    continue
                start, end = self.tokens[index].start, self.tokens[index + 3].end
                found.append(Hit("hedge", self.plain[start:end], start, end))
        return found

    def _kept_informed(self) -> list[Hit]:
        """`keep you updated`, `kept informed`, `provide updates`: a cadence that says nothing of how often."""
        if self.context.keep_words.isdisjoint(self.words) or self.cadenced():
            return []
        found = []
        for index, word in enumerate(self.words):
            if word in ("keep", "keeps", "kept", "keeping"):
                window = self.words[index + 1 : index + 5]
                for informed in ("updated", "informed", "posted", "aware"):
                    if informed in window:
                        end_at = index + 1 + window.index(informed)
                        if end_at + 1 < len(self.words) and self.words[end_at + 1] in _EVENT_WORDS:
                            break  # on an event: `keep you updated when the actions are completed`
                        start, end = self.tokens[index].start, self.tokens[end_at].end
                        found.append(Hit("vague-time", self.plain[start:end], start, end))
                        break
        return found


@lru_cache(maxsize=256)
def _first_words(phrases: frozenset[str]) -> tuple[frozenset[str], int]:
    """The words that phrases start with, and the most words a phrase has."""
    return frozenset(p.split(" ")[0] for p in phrases), max((p.count(" ") + 1 for p in phrases), default=1)


@lru_cache(maxsize=16)
def compiled(extra: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> Lexicon:
    """The built-in lexicons plus a config's `vague_words`, compiled once per distinct config."""
    categories = builtin_lexicons()
    for category, phrases in extra:
        categories[category] = categories.get(category, ()) + phrases
    return Lexicon(categories)
