"""The word lists behind rules P202–P207, and finding their phrases in a text as whole words.

The lists are data: `lexicons.yaml` (the phrases of each category, and the context words that
decide whether a phrase is used vaguely) and `evaluations.txt` (the evaluative words of two public
lexicons, written by tools/evaluations.py). A config's `vague_words` adds to them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

# The categories a config's `vague_words` may add to. `evaluation` and `unmeasurable` (directions
# and activities) are P205's; `comparator` and `bound` are evidence, never reported.
CATEGORIES = (
    "placeholder",
    "hedge",
    "vague-time",
    "unmeasurable",
    "evaluation",
    "weasel",
    "no-end-state",
    "comparator",
    "bound",
)
JUDGED = ("placeholder", "hedge", "vague-time", "unmeasurable", "evaluation", "weasel", "no-end-state")
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")  # letters and digits, with an inner apostrophe (we'll)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's C parser when PyYAML has it


@dataclass(frozen=True)
class Hit:
    """A phrase of a category found in a text; `kind` says what makes an unmeasurable one vague
    (a direction, an evaluation, an activity or a weasel word with nothing checkable beside it)."""

    category: str
    phrase: str  # as written in the text
    start: int
    end: int
    kind: str = ""


def normal(phrase: str) -> str:
    """The lookup key of a phrase: its words, lowercased, joined by single spaces (`etc.` → `etc`)."""
    return " ".join(WORD.findall(phrase.lower()))


def word_set(phrases: Sequence[str]) -> frozenset[str]:
    return frozenset(normal(p) for p in phrases)


@lru_cache(maxsize=1)
def _data() -> dict:
    text = resources.files("promisesite.rules").joinpath("lexicons.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=_LOADER)
    return data if isinstance(data, dict) else {}


@lru_cache(maxsize=1)
def _evaluations() -> tuple[str, ...]:
    text = resources.files("promisesite.rules").joinpath("evaluations.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def builtin_lexicons() -> dict[str, tuple[str, ...]]:
    data = _data()
    found = {category: tuple(str(p) for p in data.get(category) or ()) for category in CATEGORIES}
    found["evaluation"] = tuple(form for word in found["evaluation"] for form in inflections(word)) + _evaluations()
    return found


def evidence_words() -> Mapping[str, Sequence[str]]:
    """The words that make a condition checkable (the `evidence` part of the lexicons)."""
    return _data().get("evidence") or {}


def inflections(word: str) -> tuple[str, ...]:
    """An evaluative adjective with its comparative, superlative and adverb: smooth, smoother,
    smoothest, smoothly; easy, easier, easiest, easily; simple, simpler, simply."""
    if " " in word or "-" in word or len(word) < 3 or len(word) > 8 or word.endswith(("ed", "ing", "ly", "er")):
        return (word,)
    if word.endswith("y") and word[-2] not in "aeiou":
        stem = word[:-1]
        return word, stem + "ier", stem + "iest", stem + "ily"
    if word.endswith("le"):
        return word, word + "r", word + "st", word[:-1] + "y"
    if word.endswith("e"):
        return word, word + "r", word + "st", word + "ly"
    if word.endswith("ly"):
        return (word,)
    return word, word + "er", word + "est", word + "ly"


_SMALL = frozenset("the a an our to of in on as if when where with for at by no it is be we i".split())


def _distinctive(key: str) -> str:
    """The word of a phrase that a text must hold for the phrase to be there: its first word that is
    not a common small one (`the aim is` → `aim`)."""
    return next((word for word in key.split(" ") if word not in _SMALL), key.split(" ")[0])


class Context:
    """The word lists that decide whether a phrase is used vaguely (the `context` part of the lexicons)."""

    def __init__(self, data: Mapping[str, Sequence[str]]):
        def words(key: str) -> frozenset[str]:
            return word_set(data.get(key) or ())

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
        self.story_openers = words("story-openers")
        self.ranked = words("ranked")


class Evidence:
    """The word lists of what a customer can check (the `evidence` part of the lexicons)."""

    def __init__(self, data: Mapping[str, Sequence[str]]):
        def words(key: str) -> frozenset[str]:
            return word_set(data.get(key) or ())

        self.observable_states = words("observable-states")
        self.capabilities = words("capabilities")
        self.system_verbs = words("system-verbs")
        self.actions = words("actions")
        self.universal = words("universal")
        self.units = words("units")
        self.copulas = words("copulas")
        self.ability = words("ability")


class Lexicon:
    """The phrases of every category, found by word n-grams (leftmost, then longest), kept or dropped
    by their context. A space or hyphen inside a phrase matches either (`best effort` finds
    `best-effort`); a hyphen joins words, so `try` is not found in `re-try`."""

    def __init__(
        self,
        categories: Mapping[str, tuple[str, ...]],
        context: Mapping[str, Sequence[str]] | None = None,
        evidence: Mapping[str, Sequence[str]] | None = None,
    ):
        self.category_of: dict[str, str] = {}
        symbols: list[str] = []
        for category in CATEGORIES:
            for phrase in categories.get(category, ()):
                key = normal(phrase)
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
        self.context = Context(context if context is not None else _data().get("context") or {})
        self.evidence = Evidence(evidence if evidence is not None else evidence_words())
        # A text with none of these words holds no vague phrase, whatever its context: for each phrase,
        # one of its words that is not a common small word (a phrase matches only with all its words).
        self.candidates = (
            frozenset(
                _distinctive(key)
                for key, category in self.category_of.items()
                if category in JUDGED and key[:1].isalnum()
            )
            | self.context.keep_words
            | {"possible"}
        )

    def is_cadence(self, phrase: str) -> bool:
        """Whether a vague-time phrase is a cadence (regularly, keep you updated) rather than a time."""
        key = normal(phrase)
        return (
            key in self.context.cadences
            or key.split(" ")[0] in self.context.keep_words
            or key.startswith(("regular", "periodic"))
        )


@lru_cache(maxsize=16)
def compiled(extra: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> Lexicon:
    """The built-in lexicons plus a config's `vague_words`, compiled once per distinct config."""
    categories = builtin_lexicons()
    for category, phrases in extra:
        categories[category] = categories.get(category, ()) + phrases
    return Lexicon(categories)
