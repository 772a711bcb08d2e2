#!/usr/bin/env python3
"""Write src/promisesite/rules/evaluations.txt: the evaluative words of two public lexicons.

    pip install vaderSentiment textblob && python tools/evaluations.py

An evaluation ("stable", "acceptable", "smooth", "satisfied") is what makes "the app is stable"
vague: a judgement, not something the customer can observe on the due date. Rather than a list
written by hand, the words come from two maintained general lexicons:

- VADER (Hutto & Gilbert, 2014; the `vaderSentiment` package, MIT licence): words rated by ten
  people for how positive or negative they are. Kept: adjectives and adverbs (by the Brill
  tagger lexicon that TextBlob ships) rated at least 1.0 away from neutral.
- Pattern's subjectivity lexicon of English adjectives (De Smedt & Daelemans, 2012; shipped in
  the `textblob` package, PDDL): kept: adjectives judged subjective (0.5 or more) in a sense.

From both, the words that state a fact rather than a judgement in a condition of satisfaction
("available", "live", "public", "new", "free") are left out (EXCLUDED below), and so are the words
that other lexicons already judge (hedges, weasel words). The domain's own evaluations
(`aligned`, `production-ready`, `intuitive`) are data beside this file, in lexicons.yaml.
"""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from importlib import metadata, resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "src/promisesite/rules/evaluations.txt"
ADJECTIVE_OR_ADVERB = {"JJ", "JJR", "JJS", "RB", "RBR", "RBS"}
VADER_MIN = 1.0  # of VADER's -4 … +4 scale
SUBJECTIVITY_MIN = 0.5  # of Pattern's 0 … 1 scale

# Words of either lexicon that, in a condition of satisfaction, state something observable, name a
# thing, or are judged by another rule: never reported as an evaluation.
EXCLUDED = set(
    """
    able available live public private free open closed new old main own full empty final first last next
    previous past present current future early late due active inactive online offline ready-made general
    special certain sure true false real actual exact specific particular basic standard official formal
    legal illegal valid invalid correct incorrect wrong right left top bottom high higher highest low lower
    lowest big bigger small smaller large larger long longer short shorter major minor single double
    different same similar other another such enough more most less least many much few several various
    very quite fairly rather pretty really only just also even still already again yet ever never always
    often sometimes usually normally generally mostly largely likely unlikely possible impossible
    necessary unnecessary required optional mandatory automatic automatically manual manually fully
    partly partially completely entirely totally directly indirectly immediately instantly promptly
    positive negative neutral zero no none all every each any some critical urgent important vital
    essential primary secondary local global national international internal external remote physical
    digital mobile social technical financial commercial human natural normal strict strictly safe unsafe
    secure insecure protected unprotected encrypted blocked approved rejected accepted denied signed
    published released merged deployed shipped live-streamed complete completed incomplete done finished
    open-source proprietary dark light white black red green blue yellow like unlike alone together
    please thank thanks ok okay yes
    absentee advanced aeriform affirmative aired algid alien alive applicative apportioned artesian artificial
    autonomous average base bass behind bootleg broad captive cast-iron catching central ceremonial characteristic
    chicken classic cloud-covered cold common confirmed constant contemporary contingent conventional convex
    coriaceous criminal cutting dead decreased detailed digital distant distinct down up dried dry dynamic dynamical
    ecological economic educational elect elementary entire equal everyday exhaustible experienced extinct
    fabricated faint far female fictional filled first-string foreign freelance full-length golden graphic half
    harmonic heavy hidden honorary identifiable immune independent inhibitory instant intellectual key limited
    little lone marked married mental mere mixed mock naked nameless ordinary original orthodox outside overweight
    polar potential pregnant privileged random rank rare raw recent regular respective rose sec secret sexual sole
    soft-boiled static straight subconscious subject successive sudden supporting thick thin tiny titular total
    traditional ultimate unable unapproved ungraded unilateral unified unique unknown unsalted unsecured unsupported
    vast warm warmish youngish hot quiet cool sick responsible unstable typical usual occasional numerous moderate
    plain solid steady tight sharp soft hard light strong weak stiff loose mild alert
    """.split()
)


def vader_words() -> dict[str, float]:
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    words = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and re.fullmatch(r"[a-z][a-z-]*[a-z]", parts[0]):
            words[parts[0]] = float(parts[1])
    return words


def brill_tags() -> dict[str, str]:
    text = resources.files("textblob").joinpath("en/en-lexicon.txt").read_text(encoding="utf-8")
    tags = {}
    for line in text.splitlines():
        if line.startswith(";;;"):
            continue
        word, _, tag = line.partition(" ")
        tags.setdefault(word, tag.strip())
    return tags


def pattern_subjective() -> set[str]:
    path = resources.files("textblob").joinpath("en/en-sentiment.xml")
    words: dict[str, float] = {}
    for element in ET.fromstring(path.read_text(encoding="utf-8")).iter("word"):
        form = element.get("form", "")
        if element.get("pos") == "JJ" and re.fullmatch(r"[a-z][a-z-]*[a-z]", form):
            words[form] = max(words.get(form, 0.0), float(element.get("subjectivity", "0")))
    return {word for word, subjectivity in words.items() if subjectivity >= SUBJECTIVITY_MIN}


def inflected(word: str, tags: dict[str, str]) -> list[str]:
    """The word with those of its comparative, superlative and adverb that the tagger lexicon knows as
    such: smooth → smoother, smoothest, smoothly; never numb → number."""
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        forms = {word[:-1] + "ier": "JJR", word[:-1] + "iest": "JJS", word[:-1] + "ily": "RB"}
    elif word.endswith("le"):
        forms = {word + "r": "JJR", word + "st": "JJS", word[:-1] + "y": "RB"}
    elif word.endswith("e"):
        forms = {word + "r": "JJR", word + "st": "JJS", word + "ly": "RB"}
    else:
        forms = {word + "er": "JJR", word + "est": "JJS", word + "ly": "RB"}
    return [word] + [form for form, tag in forms.items() if tags.get(form) == tag]


def main() -> None:
    tags = brill_tags()
    from_vader = {w for w, v in vader_words().items() if abs(v) >= VADER_MIN and tags.get(w) in ADJECTIVE_OR_ADVERB}
    from_pattern = pattern_subjective()
    base = (from_vader | from_pattern) - EXCLUDED
    words = sorted({form for word in base for form in inflected(word, tags)} - EXCLUDED)
    header = [
        "# Evaluative adjectives and adverbs, for P205: a judgement, not something the customer can observe.",
        "# Written by tools/evaluations.py; do not edit by hand (add words to `evaluation:` in lexicons.yaml).",
        f"# VADER lexicon (vaderSentiment {metadata.version('vaderSentiment')}, MIT licence, Hutto & Gilbert 2014):",
        f"#   adjectives and adverbs rated at least {VADER_MIN} from neutral: {len(from_vader)} words.",
        f"# Pattern subjectivity lexicon (textblob {metadata.version('textblob')}, PDDL, De Smedt & Daelemans 2012):",
        f"#   adjectives with a subjectivity of at least {SUBJECTIVITY_MIN}: {len(from_pattern)} words.",
        f"# Together, less {len(EXCLUDED)} words that state facts in conditions, with the comparatives,",
        f"#   superlatives and adverbs the Brill tagger lexicon knows: {len(words)} words.",
    ]
    OUTPUT.write_text("\n".join(header + words) + "\n", encoding="utf-8")
    print(f"wrote {len(words)} words to {OUTPUT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
