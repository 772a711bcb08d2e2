"""The word rules judge how a word is used, not how it is spelt.

Each statement is the one condition of a promise that passes every other rule; the test names the
word rule that must report it, or says that none may. The statements are the kinds that real
acceptance criteria and service commitments are made of (tests/data/statements.jsonl holds the
real ones, measured by benchmarks/words.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import promise_text
from promisesite.check import check_document, context_of
from promisesite.config import Config
from promisesite.read.document import parse_text

WORD_RULES = {"P202", "P203", "P204", "P205", "P206", "P207"}


def word_findings(condition: str | None = None, title: str | None = None) -> dict[str, str]:
    """The word rules that report on a promise with this condition (or title): code → phrase."""
    changes: dict[str, object] = {}
    if condition is not None:
        changes["done_when"] = [condition]
    if title is not None:
        changes["title"] = title
    context = context_of(Config(root=Path("/nonexistent")), dt.date(2026, 11, 21))
    _, findings = check_document(parse_text(promise_text(**changes), "checkout.md"), context)
    return {f.code: f.message.split("`")[1] for f in findings if f.code in WORD_RULES}


NOT_VAGUE = [
    # nouns and descriptions of what something else does
    "the account is locked after 5 failed login attempts",
    "the driver makes three delivery attempts before the parcel returns to the depot",
    "kube-proxy does not attempt to remove rules it did not create",
    "the todo title is required and at most 200 characters",
    # bounds
    "the app runs on iOS 14.0 or later",
    "the deprecated flag is removed 3 releases later",
    "we reply as soon as possible and within 20 working days at the latest",
    "the report is sent no later than 2026-12-10",
    "the refund is paid as soon as the return is scanned at the depot",
    # names, quotations, code
    "the Easy Read version of the guide is published on the council website",
    "an enhanced DBS check is completed for every new carer",
    "the End of Day process posts every payment of the day to the ledger",
    'the banner reads "coming soon" until the launch on 2026-12-10',
    "the `--optimize` flag is documented in the README",
    # someone else's ability, a trigger, a purpose after a concrete action
    "the user should be able to log in with a passkey on the sign-in page",
    "users can quickly skip to the main content with the first Tab press",
    "keep the customer updated when each agreed action is completed",
    "add an index on invoices.customer_id to improve the nightly report query",
    "we investigate every complaint and reply with our decision within 20 working days",
    # measures
    "improve cold start of the app to under 2 seconds on a Pixel 6",
    "provider lookups are efficient (under 1 s between peers on two continents)",
    "the release is announced on the mailing list every 6 weeks",
    "regular expressions in the router are compiled once at start-up",
]


@pytest.mark.parametrize("condition", NOT_VAGUE)
def test_a_clear_condition_is_not_reported(condition: str) -> None:
    assert word_findings(condition) == {}


VAGUE = [
    # an unrelated digit does not measure
    ("Improve DHT scalability [p1]", "P205", "Improve"),
    ("Investigate how e2e tests can be implemented", "P205", "Investigate"),
    ("improve the checkout page for the #324 customers", "P205", "improve"),
    # hedges and escapes
    ("we will strive to reply to every ticket", "P203", "strive to"),
    ("we will do our best to fix the export", "P203", "do our best"),
    ("the supplier uses best efforts to restore the service", "P203", "best efforts"),
    ("we use reasonable endeavours to restore the service", "P203", "reasonable endeavours"),
    ("the export includes VAT whenever possible", "P203", "whenever possible"),
    ("the export includes VAT wherever possible", "P203", "wherever possible"),
    ("large files are streamed where this is practical", "P203", "where this is practical"),
    ("we will try to cut p95 latency below 300 ms", "P203", "try to"),
    ("Attempt to reduce churn below 2% a month", "P203", "Attempt to"),
    ("we hope to ship the export to all customers", "P203", "we hope"),
    # unbounded cadences and times
    ("we keep you updated about progress", "P204", "keep you updated"),
    ("regular vulnerability scans of the production hosts", "P204", "regular"),
    ("the runbook is reviewed periodically", "P204", "periodically"),
    ("the fix is deployed to production later", "P204", "later"),
    # subjective quality with no measure
    ("the dashboard scrolls smoothly on a phone", "P205", "smoothly"),
    ("a sound solution for the backups is in place", "P205", "sound solution"),
    ("the parser has proper unit tests", "P205", "proper"),
    ("users are happy with the new export", "P205", "happy"),
    ("the API should be easily extendable with new metrics", "P205", "easily"),
    ("we are always looking to improve the accessibility of this website", "P205", "improve"),
    ("package builds are more robust", "P205", "more robust"),
    # placeholders, blanks left to fill
    ("support upgrades from v0.3.[TBD] to the current release", "P202", "TBD"),
    ("TODO: add more tests here", "P202", "TODO"),
    ("the error rate falls from X% to Y%", "P202", "from X% to Y%"),
    # activities with no end state (a warning)
    ("gather feedback from developers", "P207", "gather"),
    ("we monitor the production environment", "P207", "monitor"),
]


@pytest.mark.parametrize(("condition", "code", "phrase"), VAGUE)
def test_a_vague_condition_is_reported_with_its_phrase(condition: str, code: str, phrase: str) -> None:
    assert word_findings(condition).get(code) == phrase


def test_the_title_is_judged_for_unmeasurable_words_too() -> None:
    assert word_findings(title="Improve the website") == {"P205": "Improve"}
    assert word_findings(title="Improve checkout: p95 under 300 ms") == {}


def test_a_hedge_in_a_concession_beside_the_commitment_is_not_reported() -> None:
    found = word_findings("While we strive to answer at once, we answer every P1 ticket within 1 hour")
    assert "P203" not in found


def test_weasel_words_stay_warnings() -> None:
    assert word_findings("the runbook has a fairly complete section on rollbacks") == {"P206": "fairly"}
    assert word_findings("adequate documentation exists for the feature") == {"P206": "adequate"}


def test_a_message_names_the_phrase_and_what_to_write_instead() -> None:
    context = context_of(Config(root=Path("/nonexistent")), dt.date(2026, 11, 21))
    text = promise_text(done_when=["we keep you updated about progress"])
    _, findings = check_document(parse_text(text, "checkout.md"), context)
    (finding,) = [f for f in findings if f.code == "P204"]
    assert "`keep you updated`" in finding.message
    assert "every" in finding.message or "how often" in finding.message
