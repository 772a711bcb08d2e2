"""Judging a title or a condition: which of its words make it vague, and whether it says anything the
customer can check.

A phrase of the lexicons is found as whole words, longest first, never inside a URL, inline code,
a quotation, link text or parentheses (lexicon.py); its context decides whether it is used vaguely
here (usage.py). Then the statement's evidence decides what a vague word means (evidence.py):

- a placeholder, a hedge or a vague time is reported as it is (P202, P203, P204), evidence or not;
- a direction, an evaluation or an activity with no checkable evidence beside it is unmeasurable
  (P205): `the app is stable`, `improve the onboarding`, `monitor the rollout`;
- with evidence, a direction or an evaluation is measured (`improve cold start to under 2 s`);
  a weasel word is a warning (P206), and so is an activity whose evidence is not an end state
  (P207, `monitor error rates weekly`); without evidence, both are P205.
"""

from __future__ import annotations

import unicodedata

from .evidence import end_state, evidence, names_a_thing
from .lexicon import CATEGORIES, WORD, Hit, Lexicon, builtin_lexicons, compiled
from .statement import Statement, mask_mentions
from .usage import VARIABLE, keeps, patterns

__all__ = ["CATEGORIES", "Hit", "Lexicon", "builtin_lexicons", "compiled", "mask_mentions", "scan", "judged"]

# Asides in parentheses are not judged for hedges and vague words, but a measure there still counts,
# and so does a blank left to fill in: `efficient (<1 sec)`, `v0.3.[TBD]`.
_PAREN_JUDGED = ("placeholder",)
# A condition this short with no measure, reference, end state or name has nothing to check
# (`Mac signing`, `Continuity of process`): longer ones may describe an end state in words no list
# foresees, so they are judged by their vague words alone.
SHORT = 6
_P205 = ("unmeasurable", "evaluation")
_REFERENCES = ("reference", "named standard")
_REPORTED = ("placeholder", "hedge", "vague-time", "unmeasurable")
_KIND = {"unmeasurable": "direction", "evaluation": "evaluation", "weasel": "weasel", "no-end-state": "activity"}


def scan(lexicon: Lexicon, text: str) -> list[Hit]:
    """Every phrase used vaguely in the text, judged against its evidence; and the `bound` and
    `comparator` phrases."""
    plain, offsets = _without_format_chars(text)
    lowered = plain.lower()
    words = WORD.findall(lowered)
    if (
        len(words) > SHORT
        and lexicon.candidates.isdisjoint(words)
        and not any(c in plain for c in lexicon.symbol_chars)
        and "[" not in plain
        and "-to-" not in lowered
        and not VARIABLE.search(plain)
    ):
        return []  # most texts: no word that can start a phrase
    hits = judged(Statement(plain, mask_mentions(plain), lexicon))
    if offsets is not None:
        hits = [
            Hit(h.category, text[offsets[h.start] : offsets[h.end]], offsets[h.start], offsets[h.end], h.kind)
            for h in hits
        ]
    return hits


def judged(statement: Statement) -> list[Hit]:
    """The statement's vague phrases, each in the category of the rule that reports it."""
    hits = [hit for hit in statement.phrases if keeps(statement, hit)]
    whole = statement.whole
    if whole is not statement:
        seen = {hit.start for hit in hits}
        hits += [
            hit
            for hit in whole.phrases
            if hit.start not in seen
            and (hit.category in _PAREN_JUDGED or (hit.category == "hedge" and _whole_aside(statement, hit)))
            and keeps(whole, hit)
        ]
    hits += patterns(statement)
    vague = [hit for hit in hits if hit.category in (*_P205, "weasel")]
    if any(hit.category in (*_P205, "weasel", "no-end-state") for hit in hits):
        found = evidence(statement, vague)
        if found != "end state" and any(hit.category == "no-end-state" for hit in hits):
            found = end_state(statement, vague) or found  # an activity is judged by what it leaves
        hits = [_against(hit, found) for hit in hits]
    hits = [hit for hit in hits if hit.category]
    if not any(hit.category in _REPORTED for hit in hits) and _nothing_to_check(statement):
        tokens = statement.tokens
        hits.append(
            Hit(
                "unmeasurable",
                statement.plain[tokens[0].start : tokens[-1].end],
                tokens[0].start,
                tokens[-1].end,
                "nothing",
            )
        )
    hits.sort(key=lambda hit: hit.start)
    return hits


def _nothing_to_check(statement: Statement) -> bool:
    """A short text with no evidence and no name: P205 for a condition (not for a title, which may
    name what the conditions make checkable)."""
    words = len(WORD.findall(statement.plain))  # quotations and code count: they say something
    return 0 < words <= SHORT and bool(statement.tokens) and not names_a_thing(statement) and not evidence(statement)


def _whole_aside(statement: Statement, hit: Hit) -> bool:
    """A hedge that is all of an aside in parentheses: `(if applicable)`, `(optional)`, `(maybe)`."""
    before = statement.plain[: hit.start].rstrip()
    after = statement.plain[hit.end :].lstrip()
    return before.endswith("(") and after.startswith(")")


def _against(hit: Hit, found: str) -> Hit:
    """A vague word judged against the statement's evidence: reported as P205 when there is none;
    with some, a direction or evaluation is measured (dropped), a weasel word stays a warning, and an
    activity stays one unless the evidence is an end state. A reference says what to look at, not
    how far: it measures neither a direction nor an activity."""
    if hit.category not in (*_P205, "weasel", "no-end-state"):
        return hit
    if found in _REFERENCES and hit.category in ("unmeasurable", "no-end-state"):
        found = ""
    if not found:
        return Hit("unmeasurable", hit.phrase, hit.start, hit.end, _KIND[hit.category])
    if hit.category in _P205 or (hit.category == "no-end-state" and found == "end state"):
        return Hit("", hit.phrase, hit.start, hit.end)
    return hit


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
