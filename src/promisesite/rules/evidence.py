"""What a customer can check on the due date: the positive evidence a condition carries.

A condition is checkable when it holds at least one of these:

- a measure: a quantity (`300 ms`, `three`, `95%`), a date, a comparator with a quantity
  (`under 2 s`, `≤ 5`), a bound (`no later than`), a baseline (`faster than the 2025 release`,
  `from 2.1% to 2.5%`), an operational test (`in one click`, `without having to`), or a cadence
  with a number or a calendar word (`every Monday`, `weekly`);
- a reference someone can open: a URL, inline code (a command, a field), a path or a file name,
  a version, an HTTP request (`GET /orders`), an e-mail address, or a named standard that the
  thing must conform to (`conforms to the OpenTelemetry semantic conventions`);
- an observable end state of a thing: `PR #482 is merged`, `the contract is signed`, `GET
  /orders returns 401`, `users can delete their account from the settings page`, or an action
  that leaves one (`Merge the macro frontend`, `Publish the artifacts to Docker Hub`).

An end state whose own words are judgements (`users can easily find what they need`, `the report
lists the most important numbers`) is no evidence: what it leaves is not observable either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .lexicon import Hit
from .statement import BOUNDARY, Statement

_CAMEL = re.compile(r"[a-z][A-Z]")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{4}/\d{1,2}/\d{1,2}\b")
_SYMBOL = re.compile(r"[<>≤≥=]=?\s*[\d$£€]")
_REFERENCE = re.compile(
    r"\b(?:https?|ftp)://\S+|\bwww\.\w\S+"  # a URL
    r"|`[^`\s][^`]*`"  # inline code: a command, a field, a file
    r"|\b(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+/\S*"  # an HTTP request
    r"|(?<![\w/])/[a-z0-9_-]+(?:/[\w.-]*)*\b"  # an absolute path: /settings, /api/orders
    r"|\b[\w-]+(?:/[\w.-]+)+\.[a-z]{1,5}\b"  # a relative path with a file: docs/guide.md
    r"|\b[\w-]+\.(?:md|txt|json|ya?ml|toml|csv|pdf|html?|py|js|ts|go|rs|java|sh|xml|ini|cfg|sql|xlsx?|docx?)\b"
    r"|\bv\d+(?:\.\d+)+\b|\b\d+\.\d+\.\d+\b"  # a version: v2.1, 3.9.0
    r"|\b[\w.+-]+@[\w-]+\.[\w.-]+\b",  # an e-mail address
    re.IGNORECASE,
)
# A thing that the result must conform to, named: `conforms to the OpenTelemetry conventions`.
_CONFORMS = re.compile(
    r"\b(?:conforms?|conforming|compl(?:y|ies|iant)|in line|in accordance|consistent|per|according|as defined|"
    r"as described|as specified|as documented|meets?|passes|pass)\b(?: to| with| in| by)?(?: the| our| their)?"
    r"\s+(?:[A-Z][\w.-]*[A-Z0-9][\w.-]*|[A-Z][a-z]+(?:\s+[A-Z][\w-]*)+)"
)
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
_VOIDING = ("unmeasurable", "evaluation")  # words that make an end state's own words a judgement
_DETERMINERS = frozenset("a an the every each all its their our your this these".split())
_NOT_A_SUBJECT = frozenset(
    "the a an to of for by with and or but in on at from as is are was were be been being not no any some "
    "this that these those its their our your my his her".split()
)
_AFTER_A_STATE = frozenset("and in on to by for at with from into as".split())
_OBJECT_STARTS = frozenset(
    "a an the every each all no its their his her your our one two three four five six seven eight nine ten "
    "only exactly at least zero none this that these those".split()
)  # words that make an end state's own words a judgement


def evidence(statement: Statement, vague: Iterable[Hit] = ()) -> str:
    """What in the statement the customer can check, in a word (`quantity`, `reference`, `end
    state` …), or "" when nothing is. `vague` are the judgements found in it: an end state whose
    own words are among them is not evidence."""
    whole = statement.whole
    return measure(whole) or end_state(statement, list(vague)) or _reference(whole)


def names_a_thing(statement: Statement) -> bool:
    """A name inside the text, which someone can look up: an acronym (`K8S`, `SSO`), a capitalised
    word that does not open the sentence (`Stripe`, `the Billing page`), or a camelCase identifier."""
    tokens = statement.tokens
    for index, token in enumerate(tokens):
        if index in (0, statement.head) or BOUNDARY.search(token.gap):
            continue
        raw = token.raw
        if len(raw) >= 2 and raw.isupper():
            return True
        if raw[:1].isupper() and not statement.title_case:
            return True
        if _CAMEL.search(raw):
            return True
    return False


def measure(statement: Statement) -> str:
    """A quantity, a date, a comparator with a quantity, a bound, a baseline, an operational test
    or a cadence."""
    masked = statement.masked
    if _DATE.search(masked):
        return "date"
    if _SYMBOL.search(masked):
        return "comparator"
    if any(statement.quantity_at(index) for index in range(len(statement.tokens))):
        return "quantity"
    for hit in statement.phrases:
        if hit.category == "bound":
            return "bound"
    if statement.anywhere(_OPERATIONAL):
        return "baseline"
    if statement.anywhere(statement.context.how_often):
        return "cadence"
    return ""


def _reference(statement: Statement) -> str:
    plain = statement.plain
    if _REFERENCE.search(plain):
        return "reference"
    if _CONFORMS.search(plain):
        return "named standard"
    return ""


def end_state(statement: Statement, vague: list[Hit]) -> str:
    evidence_words = statement.lexicon.evidence
    words = statement.words
    for index, word in enumerate(words):
        kind = ""
        if word in evidence_words.observable_states and (
            _after_copula(statement, index) or _after_its_noun(statement, index)
        ):
            kind = "end state"
        elif word in evidence_words.capabilities and _after_ability(statement, index):
            kind = "end state"
        elif word in evidence_words.system_verbs and index > statement.head and _says_what(statement, index):
            kind = "end state"
        elif word in evidence_words.actions and index == statement.head and _leaves_a_thing(statement, index):
            kind = "end state"
        elif word in ("no", "zero") and index == statement.head and index + 1 < len(words):
            kind = "end state"  # an absence someone can look for: `No console errors`
        if kind and not _judged_after(statement, index, vague):
            return kind
    return ""


def _after_copula(statement: Statement, index: int) -> bool:
    """`is merged`, `are deployed`, `has been released`, `gets published`, `is automatically deployed`;
    or a participle after its noun at the end of a clause: `PR #482 merged and deployed`."""
    copulas = statement.lexicon.evidence.copulas
    for back in (1, 2, 3):
        at = index - back
        if at < statement.clause_start(index):
            break
        word = statement.words[at]
        if word in copulas:
            return True
        if word not in ("not", "also", "then", "now", "fully", "automatically", "successfully", "all", "been", "and"):
            break
    return False


def _after_its_noun(statement: Statement, index: int) -> bool:
    """A participle straight after the thing it is said of, where a checklist leaves out the verb:
    `integration tests pass`, `All PRs merged and CI green`, `UX approved`, `benchmark baseline
    recorded`; not an adjective before a noun (`the merged branch`)."""
    if index == 0 or index == statement.head:
        return False
    tokens = statement.tokens
    previous = statement.words[index - 1]
    if previous in _NOT_A_SUBJECT or BOUNDARY.search(tokens[index].gap):
        return False
    if index + 1 >= len(tokens) or BOUNDARY.search(tokens[index + 1].gap):
        return True
    return statement.words[index + 1] in _AFTER_A_STATE


def _after_ability(statement: Statement, index: int) -> bool:
    """`users can delete`, `a buyer is able to cancel`, `you can now export`."""
    ability = statement.lexicon.evidence.ability
    start = statement.clause_start(index)
    for back in (1, 2, 3):
        at = index - back
        if at < start:
            break
        if statement.words[at] in ability:
            return at > start or statement.words[at] in ("can", "could")
    return False


def _says_what(statement: Statement, index: int) -> bool:
    """A present-tense verb after its subject and before what it observably does (`GET /orders
    returns 401`, `the report lists every invoice`), not a noun (`existing pages`, `returns are
    processed`) or an imperative."""
    words, tokens = statement.words, statement.tokens
    previous = words[index - 1]
    if previous in ("the", "a", "an", "of", "for", "to", "and", "or", "with") or BOUNDARY.search(tokens[index].gap):
        return False
    if index + 1 >= len(words) or BOUNDARY.search(tokens[index + 1].gap):
        return False
    following = words[index + 1]
    return (
        following in _OBJECT_STARTS
        or statement.quantity_at(index + 1)
        or tokens[index + 1].gap.endswith(("`", '"', "“", "'", "/"))
        or tokens[index + 1].raw[:1].isupper()
    )


def _leaves_a_thing(statement: Statement, index: int) -> bool:
    """An action at the head with an object, not a causative (`Enable customers to operate …`)."""
    words = statement.words
    if index + 1 >= len(words):
        return False
    ahead = words[index + 1 : index + 5]
    return "to" not in ahead or words[index] not in ("enable", "allow", "let", "help", "get", "encourage")


def _judged_after(statement: Statement, index: int, vague: list[Hit]) -> bool:
    """Whether a judgement stands in the end state's own words, between the punctuation around it:
    `reviewed and investigated promptly`, `Ensure relevant data is deleted`."""
    tokens = statement.tokens
    end_at = next((at for at in range(index + 1, len(tokens)) if BOUNDARY.search(tokens[at].gap)), len(tokens))
    end = tokens[end_at].start if end_at < len(tokens) else len(statement.plain)
    start_at = next((at for at in range(index, -1, -1) if at == 0 or BOUNDARY.search(tokens[at].gap)), 0)
    begin = tokens[start_at].start
    return any(
        hit.category in _VOIDING and begin <= hit.start < end and not _attributive(statement, hit) for hit in vague
    )


def _attributive(statement: Statement, hit: Hit) -> bool:
    """A judgement inside a noun phrase (`a fairly complete section`, `the most important numbers`):
    it qualifies the thing the end state names, which is still there to check (P206 warns of it)."""
    at = statement.index_at(hit.start)
    after = statement.index_at(hit.end)
    words = statement.words
    if after >= len(words) or BOUNDARY.search(statement.tokens[after].gap):
        return False  # it ends the clause: a predicate (`the app is stable`)
    return any(word in _DETERMINERS for word in words[max(at - 2, 0) : at])
