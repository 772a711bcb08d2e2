"""Rules that read git: P304, P305 (who set a milestone) and P403, P406, P407 (`--base REV`).

Their checks compare a promise with its history and arrive with git support; the rules are
catalogued here so that `promisesite rules`, the docs, SARIF and config levels know them.
"""

from __future__ import annotations

from . import Rule

ACCEPTANCE_AUTHOR = Rule(
    "P304", "acceptance-author", "warning",
    "The commit that set `accepted` was not authored by the customer or a member of the customer team.",
    why="Only the customer declares satisfaction. If the promiser marks their own promise accepted, the "
        "accounting records a satisfaction nobody declared. The check uses commit authors' emails and "
        "the emails in the registry.",
    bad="# commit by ana.lima@example.com (the promiser)\nstatus: accepted",
    good="# commit by a member of the customer team\nstatus: accepted",
    needs="in a git repository, with people's emails in promisesite.yaml")
PROMISE_AUTHOR = Rule(
    "P305", "promise-author", "warning", "The commit that set `promised` was not authored by the promiser.",
    why="A promise is made voluntarily by the promiser. A promise entered by someone else on their behalf "
        "may be an assignment dressed up as a promise; the promiser should make it themselves.",
    bad="# commit by the team lead\npromiser: ana.lima\nstatus: promised",
    good="# commit by ana.lima@example.com\npromiser: ana.lima\nstatus: promised",
    needs="in a git repository, with people's emails in promisesite.yaml")
SILENT_RENEGOTIATION = Rule(
    "P403", "silent-renegotiation", "error",
    "`due` changed against the base revision without a new renegotiation entry.",
    why="Moving a due date quietly is how promises are broken without anyone noticing. In a pull request, "
        "a changed `due` must come with a renegotiation entry that says when, why and who agreed.",
    bad="-due: 2026-12-01\n+due: 2026-12-15",
    good="-due: 2026-12-01\n+due: 2026-12-15\n+renegotiations:\n+  - {on: 2026-11-18, was: 2026-12-01, "
         "due: 2026-12-15, reason: …, agreed_by: payments}",
    needs="with `check --base REV`")
STATUS_BACKWARDS = Rule(
    "P406", "status-backwards", "warning",
    "The status moved backwards in the lifecycle against the base revision (e.g. accepted → promised).",
    why="The conversation for action moves forward: request, promise, delivery, acceptance. A status that "
        "moves back usually means an acceptance was withdrawn or a mistake corrected; either deserves a "
        "look in review.",
    bad="-status: accepted\n+status: promised", good="-status: promised\n+status: delivered",
    needs="with `check --base REV`")
CONDITIONS_CHANGED = Rule(
    "P407", "conditions-changed", "warning",
    "`done_when` changed against the base revision without a renegotiation entry whose `changed` says so.",
    why="Changing the conditions of satisfaction changes the promise. The customer must agree, and the "
        "record should show it: add a renegotiation entry whose `changed` describes the new scope.",
    bad="-  - p95 below 300 ms\n+  - p95 below 500 ms",
    good="+  - {on: 2026-11-18, was: …, due: …, reason: …, agreed_by: payments,\n+     "
         "changed: p95 target relaxed to 500 ms}",
    needs="with `check --base REV`")
