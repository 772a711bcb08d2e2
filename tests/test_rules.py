"""Every rule of SPEC §4, each firing on a bad file and silent on a good one.

Each case writes files into a fresh repository and names the code it must (or must not)
produce, with the level and, where the spec fixes it, the line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conftest import GOOD, Repo, front_matter, promise_text

REGISTRY = """\
people:
  ana.lima: {name: Ana Lima}
  bo.chen: {name: Bo Chen}
teams:
  platform: {name: Platform, members: [ana.lima, bo.chen]}
  payments: {name: Payments, members: [bo.chen]}
"""
RENEGOTIATION = {
    "on": "2026-11-18",
    "was": "2026-12-01",
    "due": "2026-12-15",
    "reason": "the upgrade moved one week",
    "agreed_by": "payments",
}


def one(**changes: Any) -> Callable[[Repo], None]:
    return lambda repo: repo.promise("checkout.md", **changes)


def raw(text: str | bytes, name: str = "checkout.md") -> Callable[[Repo], None]:
    return lambda repo: repo.write(name, text)


def files(**named: dict[str, Any]) -> Callable[[Repo], None]:
    """Several promises: file name (without .md, `__` for `/`) → changes to GOOD."""

    def write(repo: Repo) -> None:
        for name, changes in named.items():
            repo.promise(name.replace("__", "/") + ".md", **changes)

    return write


def with_registry(setup: Callable[[Repo], None]) -> Callable[[Repo], None]:
    def write(repo: Repo) -> None:
        repo.config(REGISTRY)
        setup(repo)

    return write


# (id, setup, code, level it must have — or None: it must be absent —, line or None)
LATE = {"status": "accepted", "due": "2026-11-01", "delivered": "2026-11-09", "accepted": "2026-11-10"}
CASES = [
    # P001 unreadable
    ("latin1", raw("---\ntitle: Café\n---\n".encode("latin-1")), "P001", "error", 2),
    ("nul-byte", raw(b"---\ntitle: a\x00b\n---\n"), "P001", "error", 2),
    ("utf8-ok", raw(promise_text(title="Café menu printed for 300 guests").encode()), "P001", None, None),
    # P002 no-front-matter
    ("no-front-matter", raw("# Ship the thing\n\nNo front matter.\n"), "P002", "error", 1),
    ("never-closed", raw("---\ntitle: x\npromiser: ana.lima\n"), "P002", "error", 1),
    ("empty-file", raw(""), "P002", "error", 1),
    ("front-matter-ok", one(), "P002", None, None),
    # P003 bad-yaml
    ("unclosed-bracket", raw("---\ntitle: [unclosed\npromiser: ana.lima\n---\nbody\n"), "P003", "error", 2),
    ("python-tag", raw("---\ntitle: !!python/object/apply:os.system ['echo hi']\n---\n"), "P003", "error", 2),
    ("local-tag", raw("---\ntitle: !secret x\n---\n"), "P003", "error", 2),
    ("not-a-mapping", raw("---\n- a\n- b\n---\n"), "P003", "error", None),
    ("empty-front-matter", raw("---\n---\nbody\n"), "P003", "error", 1),
    (
        "duplicate-key",
        raw(promise_text().replace("team: platform", "team: platform\nteam: payments")),
        "P003",
        "error",
        6,
    ),
    (
        "alias-bomb",
        raw(
            "---\na: &a [x,x,x,x,x,x,x,x,x,x]\n"
            + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(6))
            + "---\n"
        ),
        "P003",
        "error",
        None,
    ),
    ("deep-nesting", raw("---\ntitle: " + "[" * 500 + "]" * 500 + "\n---\n"), "P003", "error", None),
    ("yaml-ok", one(), "P003", None, None),
    # P004 unknown-field
    ("misspelt-key", raw(promise_text().replace("customer:", "custmer:")), "P004", "error", 4),
    ("unknown-renegotiation-key", one(renegotiations=[{**RENEGOTIATION, "agreed": "payments"}]), "P004", "error", 19),
    (
        "known-keys",
        one(
            measured_by="payments",
            standards=["ISO 8601 dates"],
            risks=["the upgrade slips"],
            help="ask bo.chen",
            confidence="high",
            tags=["perf"],
        ),
        "P004",
        None,
        None,
    ),
    # P005 bad-type
    ("conditions-as-string", one(done_when="the dashboard is live"), "P005", "error", 10),
    ("name-as-handle", one(promiser="Ana Lima"), "P005", "error", 3),
    ("bad-confidence", one(confidence="very"), "P005", "error", 13),
    ("tags-as-string", one(tags="perf"), "P005", "error", 13),
    ("serves-not-an-id", one(serves="Holiday Readiness"), "P005", "error", 13),
    ("waiver-without-reason", one(waivers=[{"rule": "P206"}]), "P005", "error", None),
    ("waiver-of-unknown-rule", one(waivers=[{"rule": "P999", "reason": "x"}]), "P005", "error", None),
    ("empty-condition", raw(promise_text().replace("  - error rate", "  -\n  - error rate")), "P005", "error", 12),
    ("types-ok", one(confidence="low", help="ask bo.chen", tags=["a", "b"]), "P005", None, None),
    ("numbers-are-text", one(tags=["2026", "42"]), "P005", None, None),
    # P006 missing-field
    ("no-title", one(title=None), "P006", "error", 1),
    ("empty-promiser", raw(promise_text().replace("promiser: ana.lima", "promiser:")), "P006", "error", 3),
    ("revoked-without-reason", one(status="revoked", closed="2026-11-01"), "P006", "error", 1),
    (
        "revoked-with-reason",
        one(status="revoked", closed="2026-11-01", closed_reason="the budget was cut"),
        "P006",
        None,
        None,
    ),
    # P007 bad-status
    ("unknown-status", one(status="in-flight"), "P007", "error", 6),
    ("status-ok", one(), "P007", None, None),
    # P008 bad-id
    ("id-not-slug", one(id="Checkout Latency"), "P008", "error", 13),
    ("id-differs", one(id="checkout-latency"), "P008", "error", 13),
    ("file-name-not-slug", lambda repo: repo.promise("Checkout Latency.md"), "P008", "error", 1),
    ("id-matches", one(id="checkout"), "P008", None, None),
    # P009 duplicate-id
    ("same-name-two-folders", files(a__checkout={}, b__checkout={}), "P009", "error", None),
    ("different-names", files(a__checkout={}, b__latency={}), "P009", None, None),
    # P101 undated
    ("no-due", one(due=None), "P101", "error", 1),
    ("empty-due", raw(promise_text().replace("due: 2026-12-15", "due:")), "P101", "error", 9),
    ("declined-without-due", one(status="declined", due=None, done_when=None), "P101", None, None),
    # P102 vague-date
    ("quarter", one(due="Q4"), "P102", "error", 9),
    ("impossible", one(due="2026-02-30"), "P102", "error", 9),
    ("word", one(due="soon"), "P102", "error", 9),
    ("tbd-date", one(due="TBD"), "P102", "error", 9),
    ("slashes", one(due="2026/12/15"), "P102", "error", 9),
    ("with-time", one(due="2026-12-15T10:00"), "P102", "error", 9),
    ("renegotiation-date", one(renegotiations=[{**RENEGOTIATION, "on": "last week"}]), "P102", "error", 14),
    ("quoted-date", one(due='"2026-12-15"'), "P102", None, None),
    ("vague-date-alone", one(due="Q4"), "P101", None, None),
    # P103 date-order
    ("due-before-promised", one(due="2026-09-15"), "P103", "error", 9),
    ("promised-before-requested", one(requested="2026-10-05"), "P103", "error", 8),
    (
        "accepted-before-delivered",
        one(status="accepted", delivered="2026-12-01", accepted="2026-11-30"),
        "P103",
        "error",
        None,
    ),
    (
        "closed-before-promised",
        one(status="cancelled", closed="2026-09-01", closed_reason="budget cut"),
        "P103",
        "error",
        None,
    ),
    ("same-day-is-in-order", one(requested="2026-10-03", promised="2026-10-03"), "P103", None, None),
    # P104 missing-milestone
    ("delivered-without-date", one(status="delivered"), "P104", "error", 1),
    ("promised-without-promised", one(promised=None), "P104", "error", 1),
    ("milestones-ok", one(status="delivered", delivered="2026-12-01"), "P104", None, None),
    # P201 no-conditions
    ("promised-without-conditions", one(done_when=None), "P201", "error", 1),
    ("request-without-conditions", one(status="requested", promised=None, done_when=None), "P201", None, None),
    # P202 placeholder
    ("tbd-condition", one(done_when=["p95 below 300 ms", "TBD"]), "P202", "error", 12),
    ("question-marks", one(done_when=["the export works for ??? customers"]), "P202", "error", 11),
    ("todo-in-title", one(title="TODO checkout latency under 300 ms"), "P202", "error", 2),
    (
        "placeholder-quoted",
        one(done_when=['the button reads "TBD" until the price loads within 2 s']),
        "P202",
        None,
        None,
    ),
    # P203 hedge
    ("try-in-title", one(title="Try to get checkout p95 latency under 300 ms"), "P203", "error", 2),
    ("best-effort-hyphen", one(done_when=["best-effort delivery of the report by 09:00"]), "P203", "error", 11),
    ("if-possible", one(done_when=["export includes VAT if possible"]), "P203", "error", 11),
    ("trying-as-a-word", one(title="We are trying for 300 ms at the country selector"), "P203", "error", 2),
    ("no-hedge-in-words", one(title="Country selector retries the entry form 3 times"), "P203", None, None),
    ("hedge-in-url", one(done_when=["the guide at https://docs.example.com/try-it is published"]), "P203", None, None),
    ("hedge-in-code", one(done_when=["the `--try` flag is documented in the README"]), "P203", None, None),
    # P204 vague-time
    ("asap", one(done_when=["p95 below 300 ms", "the fix is deployed to production ASAP"]), "P204", "error", 12),
    ("next-sprint", one(title="Checkout latency under 300 ms next sprint"), "P204", "error", 2),
    ("bound-is-not-vague", one(done_when=["the report is sent no later than 2026-10-15"]), "P204", None, None),
    ("latest-is-not-later", one(done_when=["the latest invoice is shown first"]), "P204", None, None),
    # P205 unmeasurable
    ("improve-docs", one(done_when=["p95 below 300 ms", "improve the onboarding documentation"]), "P205", "error", 12),
    ("faster-export", one(done_when=["the export is faster"]), "P205", "error", 11),
    ("investigating", one(done_when=["investigating the cause of the outage"]), "P205", "error", 11),
    ("improve-with-number", one(done_when=["improve cold start of the app to under 2 seconds"]), "P205", None, None),
    (
        "improve-with-comparator-word",
        one(done_when=["improve the hit rate to at least half of requests"]),
        "P205",
        None,
        None,
    ),
    ("improve-with-symbol", one(done_when=["improved latency: p95 < p50 of last year"]), "P205", None, None),
    ("unmeasurable-in-title-only", one(title="Improve checkout: p95 under 300 ms"), "P205", None, None),
    # P206 weasel (a warning: exit 0)
    (
        "fairly",
        one(done_when=["p95 below 300 ms", "the runbook has a fairly complete section on the 4 rollback steps"]),
        "P206",
        "warning",
        12,
    ),
    ("etc", one(done_when=["the export has 1 row per invoice: date, amount etc."]), "P206", "warning", 11),
    # without evidence beside it, a weasel word is P205 (an error)
    ("weasel-alone", one(done_when=["the runbook is fairly complete"]), "P205", "error", 11),
    ("weasel-alone-not-P206", one(done_when=["the runbook is fairly complete"]), "P206", None, None),
    (
        "weasel-waived",
        one(
            done_when=["the runbook has a fairly complete section on the 4 rollback steps"],
            waivers=[{"rule": "P206", "reason": "quoting the runbook's own title"}],
        ),
        "P206",
        None,
        None,
    ),
    (
        "waived-by-name",
        one(
            done_when=["the runbook has a fairly complete section on the 4 rollback steps"],
            waivers=[{"rule": "weasel", "reason": "quoting the runbook's own title"}],
        ),
        "P206",
        None,
        None,
    ),
    ("longest-match-wins", one(done_when=["alerts are routed as appropriate"]), "P206", None, None),
    ("longest-match-is-hedge", one(done_when=["alerts are routed as appropriate"]), "P203", "error", 11),
    # P207 no-end-state (a warning): an activity beside evidence that is not an end state
    (
        "activity-beside-a-cadence",
        one(done_when=["p95 below 300 ms", "monitor the error rate of POST /checkout every Monday"]),
        "P207",
        "warning",
        12,
    ),
    (
        "activity-alone-is-P205",
        one(done_when=["p95 below 300 ms", "gather feedback from the pilot teams"]),
        "P205",
        "error",
        12,
    ),
    (
        "activity-with-end-state",
        one(done_when=["gather feedback from the 4 pilot teams until the survey results are published in the wiki"]),
        "P207",
        None,
        None,
    ),
    # P412 unpromised-close, P413 record-waiver (the record)
    ("withdrawn-after-promise", one(status="withdrawn"), "P412", "error", 6),
    ("withdrawn-request", one(status="withdrawn", promised=None, done_when=None), "P412", None, None),
    (
        "record-waived",
        one(waivers=[{"rule": "P408", "reason": "a typo in the old date"}]),
        "P413",
        "error",
        None,
    ),
    ("word-rule-waived", one(waivers=[{"rule": "P206", "reason": "quoting the runbook"}]), "P413", None, None),
    # P301 self-promise
    ("self", one(customer="ana.lima"), "P301", "error", 4),
    ("self-other-spelling", one(customer="Ana-Lima"), "P301", "error", 4),
    ("not-self", one(), "P301", None, None),
    # P302 unknown-handle
    ("unknown-promiser", with_registry(one(promiser="anna.lima")), "P302", "error", 3),
    ("unknown-team", with_registry(one(team="platfrom")), "P302", "error", 5),
    (
        "unknown-agreed-by",
        with_registry(one(due="2026-12-15", renegotiations=[{**RENEGOTIATION, "agreed_by": "payment"}])),
        "P302",
        "error",
        18,
    ),
    ("registered", with_registry(one()), "P302", None, None),
    ("no-registry-any-handle", one(promiser="zed.unknown"), "P302", None, None),
    # P303 handle-collision
    ("collision", files(a={}, b={"promiser": "Ana.Lima"}), "P303", "warning", 3),
    ("one-spelling", files(a={}, b={}), "P303", None, None),
    # P401 renegotiation-mismatch
    ("due-differs", one(renegotiations=[{**RENEGOTIATION, "due": "2026-12-10"}]), "P401", "error", 9),
    (
        "was-differs",
        one(
            renegotiations=[
                RENEGOTIATION.copy() | {"due": "2026-12-08"},
                {**RENEGOTIATION, "on": "2026-11-19", "was": "2026-12-10"},
            ]
        ),
        "P401",
        "error",
        20,
    ),
    ("renegotiation-ok", one(renegotiations=[RENEGOTIATION]), "P401", None, None),
    # P402 renegotiation-incomplete
    ("no-reason", one(renegotiations=[{k: v for k, v in RENEGOTIATION.items() if k != "reason"}]), "P402", "error", 14),
    ("agreed-by-promiser", one(renegotiations=[{**RENEGOTIATION, "agreed_by": "ana.lima"}]), "P402", "error", 18),
    (
        "agreed-by-customer-team-member",
        with_registry(one(renegotiations=[{**RENEGOTIATION, "agreed_by": "bo.chen"}])),
        "P402",
        None,
        None,
    ),
    ("complete", one(renegotiations=[RENEGOTIATION]), "P402", None, None),
    # P404 overdue
    ("overdue", one(due="2026-11-01"), "P404", "warning", 9),
    ("delivered-on-time", one(due="2026-11-01", status="delivered", delivered="2026-10-30"), "P404", None, None),
    ("delivered-late", one(due="2026-11-01", status="delivered", delivered="2026-11-10"), "P404", "warning", 9),
    (
        "closed-is-never-overdue",
        one(due="2026-11-01", status="accepted", delivered="2026-10-30", accepted="2026-10-31"),
        "P404",
        None,
        None,
    ),
    ("due-today", one(due="2026-11-21"), "P404", None, None),
    # P405 at-risk-without-help
    ("low-without-help", one(confidence="low"), "P405", "warning", 13),
    ("low-with-help", one(confidence="low", help="ask bo.chen if the upgrade slips"), "P405", None, None),
    # P410 missing-cause
    ("late-without-cause", one(**LATE), "P410", "warning", 6),
    ("late-with-cause", one(**LATE, cause="dependency"), "P410", None, None),
    ("kept-needs-no-cause", one(**{**LATE, "delivered": "2026-11-01"}), "P410", None, None),
    # P011 text-cut-by-comment: YAML drops ` #…` after a plain value
    ("title-cut", raw(promise_text().replace("title: Checkout", "title: Bug #4512 checkout", 1)), "P011", "error", 2),
    (
        "condition-cut",
        raw(promise_text(done_when=["x"]).replace("  - x", "  - issue #4512 is closed and deployed")),
        "P011",
        "error",
        11,
    ),
    ("help-with-no-comment", one(help="ask bo.chen"), "P011", None, None),
    (
        "title-goes-on-in-an-indented-comment",
        raw(promise_text().replace("for the holiday peak\n", "for the holiday peak\n  #4512 and the SSO login\n", 1)),
        "P011",
        "error",
        2,
    ),
    (
        "a-comment-between-keys",
        raw(promise_text().replace("promiser: ana.lima\n", "promiser: ana.lima\n# the on-call this week\n", 1)),
        "P011",
        None,
        None,
    ),
    ("quoted-is-kept", one(title='"Bug #4512 closed and the fix deployed to production"'), "P011", None, None),
    (
        "comment-after-a-handle",
        raw(promise_text().replace("promiser: ana.lima", "promiser: ana.lima  # the on-call")),
        "P011",
        None,
        None,
    ),
    # P012 title-too-long
    ("title-201", one(title="Checkout p95 latency under 300 ms " + "x" * 180), "P012", "error", 2),
    ("title-200", one(title="Checkout p95 latency under 300 ms " + "x" * 166), "P012", None, None),
    # P014 config-in-source
    ("config-in-source", raw("title: x\n", "platform/promisesite.yaml"), "P014", "error", 1),
    ("config-at-top", one(), "P014", None, None),
    # P501 unknown-parent
    ("dangling-serves", one(serves="holiday-readiness"), "P501", "error", 13),
    ("serves-existing", files(child={"serves": "parent"}, parent={}), "P501", None, None),
    # P502 parent-cycle
    ("two-cycle", files(a={"serves": "b"}, b={"serves": "a"}), "P502", "error", 13),
    ("self-serving", one(serves="checkout"), "P502", "error", 13),
    ("chain-is-not-cycle", files(a={"serves": "b"}, b={"serves": "c"}, c={}), "P502", None, None),
    # P503 child-after-parent
    ("child-later", files(child={"serves": "parent"}, parent={"due": "2026-12-01"}), "P503", "warning", 9),
    (
        "child-earlier",
        files(child={"serves": "parent", "due": "2026-11-30"}, parent={"due": "2026-12-01"}),
        "P503",
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    "setup, code, level, line", [pytest.param(*case[1:], id=f"{case[2]}-{case[0]}") for case in CASES]
)
def test_rule(repo: Repo, setup, code: str, level: str | None, line: int | None) -> None:
    setup(repo)
    result = repo.check()
    hits = [f for f in result.findings if f["code"] == code]
    if level is None:
        assert not hits, hits
        return
    assert hits, f"{code} did not fire; findings: {result.findings}"
    assert {f["level"] for f in hits} == {level}
    if line is not None:
        assert line in {f["line"] for f in hits}, hits
    assert result.exit_code == (1 if any(f["level"] == "error" for f in result.findings) else 0)


def test_the_record_rules_are_those_the_catalogue_marks() -> None:
    from promisesite.rules import RECORD_CODES
    from promisesite.rules.history import _RECORD

    assert RECORD_CODES == _RECORD == {"P403", "P406", "P407", "P408", "P409", "P411", "P412"}


def test_every_implemented_rule_has_a_firing_and_a_silent_case() -> None:
    from promisesite.rules import RULES
    from promisesite.rules.rule import Scope

    firing = {case[2] for case in CASES if case[3]}
    silent = {case[2] for case in CASES if not case[3]}
    for rule in RULES:
        if rule.scope in (Scope.HISTORY, Scope.BASE) or rule.needs:
            continue  # these need git or named files: tests/test_git.py and test_upward.py have their cases
        assert rule.code in firing, f"no case where {rule.code} fires"
        assert rule.code in silent, f"no case where {rule.code} stays silent"


def test_word_finding_points_at_the_word(repo: Repo) -> None:
    repo.promise(title="Checkout latency under 300 ms, hopefully")
    [finding] = [f for f in repo.check().findings if f["code"] == "P203"]
    assert (finding["line"], finding["column"]) == (2, len("title: Checkout latency under 300 ms, ") + 1)


def test_the_example_promise_of_the_spec_passes(repo: Repo) -> None:
    repo.promise(
        measured_by="payments",
        standards=["load test at 3x last year's peak traffic passes"],
        risks=["the database upgrade (INFRA-12) may slip; mitigation: read replica fallback"],
        help="ask bo.chen (database on-call) if the upgrade slips past 2026-11-20",
        confidence="high",
        tags="[performance, holiday]",
        renegotiations=[RENEGOTIATION],
    )
    result = repo.check()
    assert (result.exit_code, result.findings) == (0, [])


def test_overdue_is_an_error_with_strict(repo: Repo) -> None:
    repo.promise(due="2026-11-01", cause="capacity")  # with why it is late, so that P410 is silent
    result = repo.check("--strict")
    assert [(f["code"], f["level"]) for f in result.findings] == [("P404", "error")]
    assert result.exit_code == 1


def test_strict_fails_on_any_warning(repo: Repo) -> None:
    repo.promise(confidence="low")
    assert repo.check().exit_code == 0
    assert repo.check("--strict").exit_code == 1


def test_a_waiver_silences_only_its_own_file(repo: Repo) -> None:
    weasel = ["the runbook covers the 4 rollback steps fairly completely"]
    waived = {"done_when": weasel, "waivers": [{"rule": "P206", "reason": "quoted"}]}
    files(a=waived, b={"done_when": weasel})(repo)
    assert [f["path"] for f in repo.check().findings if f["code"] == "P206"] == ["promises/b.md"]


def test_crlf_and_bom_keep_line_numbers(repo: Repo) -> None:
    text = promise_text(due="Q4").replace("\n", "\r\n")
    repo.write("checkout.md", "\ufeff" + text)
    [finding] = repo.check().findings
    assert (finding["code"], finding["line"]) == ("P102", 9)


def test_on_is_a_key_not_a_boolean(repo: Repo) -> None:
    repo.promise(renegotiations=[RENEGOTIATION])
    assert repo.check().findings == []


def test_every_status_with_its_dates_is_valid(repo: Repo) -> None:
    dates = {
        "requested": "2026-10-01",
        "promised": "2026-10-03",
        "delivered": "2026-12-01",
        "accepted": "2026-12-02",
        "closed": "2026-11-01",
    }
    from promisesite.model import Status

    for status in Status:
        changes: dict[str, Any] = {name: dates[name] for name in status.required_dates}
        changes |= {"status": status.value, "requested": None, "promised": None}
        changes |= {name: dates[name] for name in status.required_dates}
        if status.value in ("revoked", "cancelled"):
            changes["closed_reason"] = "the customer's budget was cut"
        if status.value == "revoked":
            changes["cause"] = "external"
        repo.write(f"{status.value}.md", front_matter({**GOOD, **changes}))
    result = repo.check()
    assert result.findings == [], result.findings
