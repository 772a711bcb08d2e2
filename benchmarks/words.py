#!/usr/bin/env python3
"""Precision and recall of the word rules on real statements labelled vague or clear.

    python benchmarks/words.py [--split dev|heldout|all] [--set published|everyday|all] [--errors] [--data FILE ...]

Each statement of tests/data/statements.jsonl (real conditions of satisfaction, acceptance
criteria, service commitments and key results, each with its public source) becomes the one
`done_when` condition of a promise that passes every other rule, and is checked as
`promisesite check` checks it. A statement is *flagged* when an error-level word rule (P202
placeholder, P203 hedge, P204 vague-time, P205 unmeasurable) reports on it; the label says
whether the customer could check, on the due date, that it was met. Printed: precision and
recall overall and per rule, the warnings (P206, P207) apart, and with --errors every mistake
by kind.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from promisesite.check import check_document, context_of  # noqa: E402
from promisesite.config import Config  # noqa: E402
from promisesite.read.document import parse_text  # noqa: E402
from promisesite.rules.statement import Statement  # noqa: E402
from promisesite.rules.words import compiled  # noqa: E402

ERROR_RULES = ("P202", "P203", "P204", "P205")
ERROR_KINDS = {"placeholder", "hedge", "vague-time", "unmeasurable"}  # the labels' names for what P202–P205 catch
WARNING_RULES = ("P206", "P207")
TODAY = dt.date(2026, 11, 21)
ANCHORS = "Paska (Veizaga, Shin, Briand): precision 0.89, recall 0.89; Smella (Femmer et al.): 0.59 / 0.82"


def promise_for(text: str) -> str:
    return (
        "---\ntitle: Ship the invoice export\npromiser: ana.lima\ncustomer: payments\nstatus: promised\n"
        f"promised: 2026-10-03\ndue: 2026-12-15\ndone_when:\n  - {json.dumps(text, ensure_ascii=False)}\n---\n"
    )


def judge(statements: list[dict]) -> list[dict]:
    """Each statement with the codes the rules report on its condition (and on it as a title)."""
    context = context_of(Config(root=Path("/nonexistent")), TODAY)
    for statement in statements:
        _, findings = check_document(parse_text(promise_for(statement["text"]), "s.md"), context)
        statement["codes"] = sorted({f.code for f in findings if f.line == 9})
        statement["lexicon_words"] = _has_lexicon_word(statement["text"])
        statement["phrases"] = [
            f"{f.code} {f.message.split('`')[1] if '`' in f.message else ''}" for f in findings if f.line == 9
        ]
    return statements


def _has_lexicon_word(text: str) -> bool:
    """Whether the text holds a phrase of the lexicons at all, before its context is judged."""
    lexicon = compiled()
    return any(hit.category not in ("comparator", "bound") for hit in Statement.of(text, lexicon).phrases)


def report(statements: list[dict], title: str, errors: bool) -> None:
    vague = [s for s in statements if s["label"] == "vague"]
    flagged = [s for s in statements if set(s["codes"]) & set(ERROR_RULES)]
    right = [s for s in flagged if s["label"] == "vague"]
    precision = len(right) / len(flagged) if flagged else 1.0
    recall = len(right) / len(vague) if vague else 1.0
    sources = len({s["source"] for s in statements})
    print(f"\n{title}: {len(statements)} statements ({len(vague)} vague) from {sources} sources")
    print(
        f"  P202–P205 (errors) together: precision {precision:.2f}, recall {recall:.2f} "
        f"({len(right)} of {len(flagged)} flagged are vague; {len(right)} of {len(vague)} vague flagged)"
    )
    for code in ERROR_RULES + WARNING_RULES:
        fired = [s for s in statements if code in s["codes"]]
        if fired:
            good = sum(s["label"] == "vague" for s in fired)
            print(f"  {code}: fires on {len(fired):3d}, precision {good / len(fired):.2f}")
    warned = [s for s in statements if set(s["codes"]) & set(ERROR_RULES + WARNING_RULES)]
    if warned:
        right_any = sum(s["label"] == "vague" for s in warned)
        print(
            f"  any word rule, warnings included: precision {right_any / len(warned):.2f}, recall "
            f"{right_any / len(vague):.2f}"
        )
    error_kind = [s for s in vague if ERROR_KINDS & set(s["kinds"])]
    if error_kind:
        caught = sum(s in right for s in error_kind)
        print(
            f"  recall on the {len(error_kind)} vague statements whose vagueness is an error rule's "
            f"(not only weasel words or an activity, which are warnings): {caught / len(error_kind):.2f}"
        )
    lexical = sum(s["lexicon_words"] for s in statements if s["label"] == "clear")
    print(f"  clear statements that hold a lexicon word: {lexical}")
    print(f"  (anchors: {ANCHORS})")
    if errors:
        print("\n  false alarms (clear, flagged):")
        for s in sorted(flagged, key=lambda s: s["codes"]):
            if s["label"] == "clear":
                print(f"    {','.join(s['phrases'])}: {s['text']}")
        misses = collections.defaultdict(list)
        for s in vague:
            if s not in right:
                misses["+".join(s["kinds"]) or "?"].append(s)
        print("\n  misses (vague, not flagged), by kind:")
        for kind, found in sorted(misses.items(), key=lambda item: -len(item[1])):
            print(f"   {kind} ({len(found)}):")
            for s in found:
                print(f"      {s['text']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=["dev", "heldout", "all"], default="all")
    parser.add_argument("--set", choices=["published", "everyday", "all"], default="all")
    parser.add_argument("--errors", action="store_true", help="list every false alarm and miss")
    parser.add_argument("--data", type=Path, nargs="*", default=[ROOT / "tests/data/statements.jsonl"])
    args = parser.parse_args()
    statements = [json.loads(line) for path in args.data for line in path.read_text().splitlines() if line.strip()]
    judge(statements)
    splits = sorted({s["split"] for s in statements}) if args.split == "all" else [args.split]
    sets = sorted({s.get("set", "published") for s in statements}) if args.set == "all" else [args.set]
    for kind in sets:
        for split in splits:
            chosen = [s for s in statements if s["split"] == split and s.get("set", "published") == kind]
            if chosen:
                report(chosen, f"{kind} statements, split {split}", args.errors)


if __name__ == "__main__":
    main()
