"""Whether a phrase of the lexicons is used vaguely here: the context rules of each category.

- a hedge verb (try, attempt, should be able to) hedges only when the promiser is its subject
  (`we will try`) or it opens the statement (`Try to cut latency`), not when it describes what a
  system or someone else does (`kube-proxy does not attempt`, `5 failed login attempts`), nor in a
  test step or a user story (`As a user, I should be able to add a task`, `Then I should see …`);
- a scope hedge (if possible, as needed) or a hedged commitment (aim to) is taken back by a hard
  bound in another clause (`…, or 20 working days at the latest`);
- a vague time is bounded by `or later` after a version, by a number (`3 releases later`), by
  `within`/`by`/`no later than`, and `as soon as <event>` is a trigger, not a vague time;
- a cadence (regularly, keep you updated) is vague unless the statement says how often;
- a direction or an evaluation is not judged inside a name (`Easy Read`, `enhanced DBS check`),
  in a purpose clause after a concrete action (`… to improve correctness`), in the description
  of a deliverable (`a report on how … could be optimized`), as a noun for a process that ends in
  a decision (`investigate your complaint`), as what someone else can do (`users can quickly
  skip to the content`), or as a verb (`prompt the user to confirm`). Whether the statement
  carries evidence beside it is judged after, in words.py.
"""

from __future__ import annotations

import re

from .evidence import measure
from .lexicon import JUDGED, Hit, normal
from .statement import BOUNDARY, WINDOW, Statement

_DESCRIBING = frozenset("for about on of why how that which describing explaining covering comparing".split())
_EVENT_WORDS = frozenset(("when", "once", "after", "if", "whenever", "as"))
_DETERMINERS = frozenset(
    "the a an this that these those its their our your his her any each every of for in after before from with "
    "during on no all".split()
)
VARIABLE = re.compile(r"\bfrom [XYN]%? to [XYN]%?|\b(?:at|to|by|of) [XYN]%?(?:\s|\.|$)|[<>≤≥]=? ?[NXY]\b")
_BRACKET_BLANK = re.compile(r"\[[a-z][a-z ]{2,40}\](?!\()")
_HYPHEN_EASY = re.compile(r"\b(?:easy|easier|hard|harder|simple|quick)-to-\w+", re.IGNORECASE)
_END_OF = frozenset(("eod", "eow", "eom", "eoq", "eoy"))
_NOT_A_NOUN = frozenset("and or to at by for on in of with from the a an this that is are will".split())
_VERB_OBJECT = frozenset("the a an you them users user him her us people customers for to".split())
_VERB_BEFORE = frozenset("to will should must can could and then we shall would may".split())


def keeps(s: Statement, hit: Hit) -> bool:
    """Whether the phrase is used vaguely in the statement."""
    if hit.category not in JUDGED:
        return True
    index = s.index_at(hit.start)
    phrase = normal(hit.phrase)
    if hit.category != "placeholder" and index < s.head - 1 and len(s.tokens) - s.head >= 4:
        return False  # a label before a colon: `Smooth graduation: if the API …`
    last = s.index_at(hit.end)
    if any(in_name(s, at) for at in range(index, last)) or _capitalised_run(s, index, last):
        return False
    keep = _RULES.get(hit.category)
    return keep(s, index, phrase) if keep else True


def in_name(s: Statement, index: int) -> bool:
    """Part of a proper name: a run of capitalised words (not in a title-case sentence), a participle
    before an acronym (`enhanced DBS`), or a term of the lexicons' `names`."""
    names = s.context.names
    for at in range(max(index - 2, 0), min(index + 2, len(s.tokens))):
        if s.words[at] in names or " ".join(s.words[at : at + 2]) in names or " ".join(s.words[at : at + 3]) in names:
            if _covers(s, at, index):
                return True
    tokens, token = s.tokens, s.tokens[index]
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if token.word.endswith("ed") and following is not None and following.raw.isupper() and len(following.raw) > 1:
        return True
    if s.title_case or not token.raw[:1].isupper():
        return False
    neighbours = []
    if index > 0 and index != s.head and not BOUNDARY.search(token.gap):
        neighbours.append(tokens[index - 1])
    if following is not None and index + 1 != s.head and not BOUNDARY.search(following.gap):
        neighbours.append(following)
    return any(n.raw[:1].isupper() and n.raw[1:].islower() and n.word not in s.context.stop for n in neighbours)


def _covers(s: Statement, at: int, index: int) -> bool:
    """Whether a name of the lexicons that starts at token `at` spans token `index`."""
    names = s.context.names
    for length in (3, 2, 1):
        if " ".join(s.words[at : at + length]) in names and at <= index < at + length:
            return True
    return False


def _capitalised_run(s: Statement, first: int, last: int) -> bool:
    """A phrase of several words, each capitalised, inside a sentence: `the End of Day process`."""
    words = [token for token in s.tokens[first:last] if token.word not in s.context.stop]
    return (
        len(words) > 1
        and first != s.head
        and not s.title_case
        and all(token.raw[:1].isupper() and token.raw[1:].islower() for token in words)
    )


def _placeholder(s: Statement, index: int, phrase: str) -> bool:
    token = s.tokens[index]
    following = s.tokens[index + 1].gap if index + 1 < len(s.tokens) else ""
    if phrase == "todo" and token.raw.islower() and ":" not in following:
        return False  # a noun: `the todo title`, `solved todo comment`
    return True


def story(s: Statement) -> bool:
    """A user story or a test step (`As a user, I …`, `Then I should see …`): what it says a person
    should be able to do is the requirement, not a hedge."""
    return bool(s.words) and s.starts_at(s.head, s.context.story_openers)


def _hedge(s: Statement, index: int, phrase: str) -> bool:
    context = s.context
    if phrase in context.subject_hedges or phrase.split(" ")[0] in context.subject_hedges:
        previous = s.words[index - 1] if index else ""
        after = index + len(phrase.split())
        infinitive = phrase.endswith(" to") or (after < len(s.words) and s.words[after] == "to")
        if not infinitive and (previous in context.noun_before or (index and s.quantity_at(index - 1))):
            return False  # `5 failed login attempts`, `the first attempt`
        if phrase == "should be able to" and story(s):
            return False  # `As a user, I should be able to add a task`
        subject = s.subject(index)
        if subject and subject not in context.first_person:
            return False  # what someone or something else does: `kube-proxy does not attempt`
        if s.anywhere(context.test_markers):
            return False  # a test step: `Attempt to scale up the pod, verify the resize is deferred`
        if not subject and phrase.startswith("attempt") and not _goal_follows(s, index + len(phrase.split())):
            return False  # a step of a test, not an outcome: `Attempt to clone while in a failed state`
    if any(word in context.relative for word in s.words[s.clause_start(index) : index]):
        return False  # a description: `the timescale in which we aim to reply`
    if any(word in ("while", "although", "though", "whilst") for word in s.words[s.clause_start(index) : index]):
        return False  # a concession beside the commitment: `While we will strive to …, we will uphold …`
    if phrase in context.weak_scope:
        after = index + len(phrase.split())
        if after < len(s.words) and s.words[after] in context.reference_after:
            return False  # `as required by the contract`
        if measure(s.whole):
            return False  # `review every 6 months and update as needed`
    if s.later_clause(index, context.hard_bounds) or s.later_clause(index, context.fallbacks):
        return False  # `we aim to reply within 10 days, or 20 at the latest`
    return True


def _vague_time(s: Statement, index: int, phrase: str) -> bool:
    context, words = s.context, s.words
    if phrase in ("later", "later on"):
        previous = words[index - 1] if index else ""
        following = words[index + 1] if index + 1 < len(words) else ""
        return not (
            previous in ("or", "and")
            or following == "than"  # a comparison: `not later than 40 working days after …`
            or (index and s.quantity_at(index - 1))
            or previous in context.numbers
            or previous in ("years", "months", "weeks", "days", "releases")
            or (index > 1 and previous.endswith("ed"))  # `the secret is created later`: a sequence
            or previous in ("come", "comes", "came", "done", "made", "run", "set")
        )
    if (
        phrase == "soon"
        and index >= 1
        and words[index - 1] == "as"
        and index + 1 < len(words)
        and words[index + 1] == "as"
    ):
        return False  # a trigger: `as soon as it merges`, `As soon as a payment fails, …`
    if phrase in (
        "as soon as possible",
        "asap",
        "as soon as practicable",
        "as soon as practical",
        "as soon as reasonably practicable",
    ):
        return not (measure(s.whole) or s.later_clause(index, context.hard_bounds, separated=False))
    if describes_deliverable(s, index):
        return False  # `a report on areas worth exploring in the future`
    if phrase in _END_OF:
        if (
            index + 1 < len(words)
            and not BOUNDARY.search(s.tokens[index + 1].gap)
            and words[index + 1] not in _NOT_A_NOUN
        ):
            return False  # the name of a process: `the EOD process`, `EOD processing`
        if index and words[index - 1] in ("run", "runs", "ran", "running", "start", "starts", "trigger", "triggers"):
            return False  # `run EOD for a single client`
    if phrase in context.cadences or phrase.startswith(("regular", "periodic")):
        if phrase == "regular" and index + 1 < len(words) and words[index + 1] in context.not_regular:
            return False  # `a regular expression`, `regular scheduled maintenance`
        return not cadenced(s)
    return True


def _goal_follows(s: Statement, at: int) -> bool:
    words = s.words
    if at < len(words) and words[at] == "to":
        at += 1
    return at < len(words) and (
        words[at] in s.context.goal_verbs or s.lexicon.category_of.get(words[at]) in ("unmeasurable", "evaluation")
    )


def cadenced(s: Statement) -> bool:
    """The statement says how often: every N, weekly, at least monthly, twice a year."""
    return s.whole.anywhere(s.context.how_often)


def _judgement(s: Statement, index: int, phrase: str) -> bool:
    """A direction, an activity or an evaluation: vague unless it is a name, a noun for a process,
    a verb, what someone else can do, a deliverable's description, a purpose or a condition."""
    context, words = s.context, s.words
    first = phrase.split(" ")[0]
    if first.endswith(("ion", "ions", "ment", "ments")) and index != s.head:
        previous = words[index - 1] if index else ""
        if previous in _DETERMINERS:
            return False  # a noun naming a process or a result: `the results of the investigation`
    if phrase in context.process_verbs:
        following = words[index + len(phrase.split()) : index + len(phrase.split()) + 3]
        if any(word in context.processes for word in following):
            return False  # a process that ends in a decision: `investigate your complaint`
    if first in ("prompt", "prompts", "prompted", "prompting") and _used_as_verb(s, index):
        return False  # `prompt the user to confirm`
    if first in context.manner and _someone_else_can(s, index):
        return False  # what someone else can do: `users can quickly skip to the content`
    if describes_deliverable(s, index):
        return False  # the description of a deliverable: `a report on why … could be explored`
    if index > s.head and _after_purpose(s, index):
        return False  # the reason for a concrete action: `…, to improve correctness`
    if index == s.head and _says_what_changes(s, index + len(phrase.split())):
        return False  # `Enhance clusterctl describe to display MachinePool Machines`
    if _conditional(s, index):
        return False  # a trigger, not the commitment: `If nobody is working on an issue, drop it`
    if index and s.quantity_at(index - 1) and first in ("most", "best", "worst", "fastest", "slowest"):
        return False  # a ranked set: `the 10 most frequent refund questions`
    return True


def _used_as_verb(s: Statement, index: int) -> bool:
    following = s.words[index + 1] if index + 1 < len(s.words) else ""
    previous = s.words[index - 1] if index else ""
    return following in _VERB_OBJECT or previous in _VERB_BEFORE


def _someone_else_can(s: Statement, index: int) -> bool:
    start = s.clause_start(index)
    before = s.words[start:index]
    return any(word in ("can", "could", "may") for word in before) and any(word in s.context.people for word in before)


def describes_deliverable(s: Statement, index: int) -> bool:
    """The token describes a thing to be delivered: `a report on why …`, `the process for …`."""
    deliverables = s.context.deliverables
    for at in range(max(s.head, index - WINDOW), index):
        if s.words[at] in deliverables:
            following = s.words[at + 1] if at + 1 < len(s.words) else ""
            if following in _DESCRIBING:
                return True
    return False


def _says_what_changes(s: Statement, after: int) -> bool:
    """After a direction as the head verb and its object: `to <result>` or `by <doing something>`."""
    words = s.words
    for at in range(after, min(after + 8, len(words) - 1)):
        if BOUNDARY.search(s.tokens[at].gap) and at > after and words[at] != "by":
            return False
        if words[at] == "to" and words[at + 1] in s.context.concrete_results:
            return True
        if words[at] == "by" and words[at + 1].endswith("ing") and words[at + 1] not in ("making", "being"):
            return True
    return False


def _conditional(s: Statement, index: int) -> bool:
    start = s.clause_start(index)
    return any(word in ("if", "unless", "whenever") for word in s.words[start:index])


def _after_purpose(s: Statement, index: int) -> bool:
    """The token stands in a purpose or result clause that follows a concrete main clause."""
    context = s.context
    head_word = s.words[s.head] if s.head < len(s.words) else ""
    if head_word in s.lexicon.category_of and s.lexicon.category_of[head_word] in JUDGED:
        return False
    floor = max(s.head, index - WINDOW)
    for at in range(index - 1, floor, -1):
        word = s.words[at]
        if word in context.purpose and at > s.head + 1:
            if not word.endswith("ing") or BOUNDARY.search(s.tokens[at].gap):
                return True  # `…, ensuring that`, not `committed to ensuring a reliable service`
        if word == "to" and at > s.head + 1 and s.words[at - 1] not in context.skip:
            if s.words[at - 1] not in context.catenatives and not any(
                w in context.causatives for w in s.words[floor:at]
            ):  # `looking to improve`, `allow X to be easily queried` want it
                return True
    return False


def _weasel(s: Statement, index: int, phrase: str) -> bool:
    if phrase == "most":
        if index and s.quantity_at(index - 1):
            return False  # a ranked set: `the 10 most frequent refund questions`
        following = s.words[index + 1] if index + 1 < len(s.words) else ""
        if following in s.context.ranked:
            return False  # `the most recent backup`: the one that exists
    return True


def _no_end_state(s: Statement, index: int, phrase: str) -> bool:
    if index != s.head and s.subject(index) not in s.context.first_person:
        return False  # only an activity that is the whole commitment: `Gather feedback from users`
    if phrase in s.context.process_verbs:
        following = s.words[index + len(phrase.split()) : index + len(phrase.split()) + 3]
        if any(word in s.context.processes for word in following):
            return False  # a process that ends in a decision: `investigate your complaint`
    return True


_RULES = {
    "placeholder": _placeholder,
    "hedge": _hedge,
    "vague-time": _vague_time,
    "unmeasurable": _judgement,
    "evaluation": _judgement,
    "weasel": _weasel,
    "no-end-state": _no_end_state,
}


# --- patterns beyond the phrase lists --------------------------------------------------------------


def patterns(s: Statement) -> list[Hit]:
    """Blanks left to fill in (`from X% to Y%`, `[owner]`), `easy-to-use`, `as fast as possible`,
    and `keep you updated` with no word of how often."""
    found = []
    for match in VARIABLE.finditer(s.masked):
        found.append(
            Hit("placeholder", match.group().strip(), match.start(), match.start() + len(match.group().strip()))
        )
    for match in _BRACKET_BLANK.finditer(s.masked):
        found.append(Hit("placeholder", match.group(), match.start(), match.end()))
    if "-to-" in s.masked:
        for match in _HYPHEN_EASY.finditer(s.masked):
            found.append(Hit("evaluation", match.group(), match.start(), match.end()))
    found += _as_possible(s)
    found += _kept_informed(s)
    return found


def _as_possible(s: Statement) -> list[Hit]:
    """`as <word> as possible`: a scope hedge, unless a hard bound stands in another clause."""
    found = []
    for index in range(len(s.words) - 3):
        if s.words[index] == "as" and s.words[index + 2] == "as" and s.words[index + 3] == "possible":
            if s.words[index + 1] in ("soon", "much", "far"):
                continue  # phrases of their own
            if s.later_clause(index + 3, s.context.hard_bounds):
                continue
            start, end = s.tokens[index].start, s.tokens[index + 3].end
            found.append(Hit("hedge", s.plain[start:end], start, end))
    return found


def _kept_informed(s: Statement) -> list[Hit]:
    """`keep you updated`, `kept informed`, `provide updates`: a cadence that says nothing of how often."""
    if s.context.keep_words.isdisjoint(s.words) or cadenced(s):
        return []
    found = []
    for index, word in enumerate(s.words):
        if word in ("keep", "keeps", "kept", "keeping"):
            window = s.words[index + 1 : index + 5]
            for informed in ("updated", "informed", "posted", "aware"):
                if informed in window:
                    end_at = index + 1 + window.index(informed)
                    if end_at + 1 < len(s.words) and s.words[end_at + 1] in _EVENT_WORDS:
                        break  # on an event: `keep you updated when the actions are completed`
                    start, end = s.tokens[index].start, s.tokens[end_at].end
                    found.append(Hit("vague-time", s.plain[start:end], start, end))
                    break
    return found
