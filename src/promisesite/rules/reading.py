"""P0xx and P102: the rules the reader reports while it turns a file into a promise — the file
cannot be read, has no front matter or bad YAML, or a field of the wrong name, type or form."""

from __future__ import annotations

from .rule import ERROR, WARNING, Rule, Scope


def _reading(code: str, name: str, level: str, summary: str, *, why: str, bad: str, good: str) -> Rule:
    return Rule(code, name, level, summary, why=why, bad=bad, good=good, scope=Scope.READING)


UNREADABLE = _reading(
    "P001",
    "unreadable",
    ERROR,
    "The file is not UTF-8 text or cannot be read.",
    why="A promise nobody can read is a promise nobody can keep. Binary files, other encodings and "
    "unreadable files would silently drop out of the site and the accounting, so they fail the check.",
    bad="(a file saved as Latin-1: `Caf\\xe9 menu`)",
    good="(the same file saved as UTF-8: `Café menu`)",
)
NO_FRONT_MATTER = _reading(
    "P002",
    "no-front-matter",
    ERROR,
    "The file does not start with a `---` YAML block closed by `---`.",
    why="Every `*.md` file in the promises folder is a promise. Without front matter there is no promiser, "
    "customer or due date, only prose: nothing can be checked or accounted for.",
    bad="# Ship the thing\n\nWe will ship it.",
    good="---\ntitle: Ship the invoice export to finance\npromiser: bo.chen\ncustomer: finance\n"
    "status: requested\nrequested: 2026-11-02\ndue: 2026-12-01\n---\n\nWe will ship it.",
)
BAD_YAML = _reading(
    "P003",
    "bad-yaml",
    ERROR,
    "The front matter is not valid YAML, or not a mapping of fields.",
    why="The front matter is data that CI, the site and the accounting all read. If it does not parse, "
    "every other rule is blind. Only plain YAML is accepted: tags such as `!!python/object` are refused "
    "so that nothing in a file is ever executed.",
    bad="title: [unclosed\npromiser: ana.lima",
    good='title: "[unclosed"\npromiser: ana.lima',
)
UNKNOWN_FIELD = _reading(
    "P004",
    "unknown-field",
    ERROR,
    "A key that is not a field of the promise file format.",
    why="A misspelt key is a field that silently does nothing: `custmer: payments` leaves the promise "
    "without a customer while the author believes it has one.",
    bad="custmer: payments",
    good="customer: payments",
)
BAD_TYPE = _reading(
    "P005",
    "bad-type",
    ERROR,
    "A field has the wrong type or form (handle, list, confidence, …).",
    why="Handles link people to their pages and accounting, lists become checklists: a condition written as "
    "one long string, or a name where a handle belongs, breaks the links and the counts.",
    bad="promiser: Ana Lima\ndone_when: the dashboard is live",
    good="promiser: ana.lima\ndone_when:\n  - the dashboard is live at /status for all customers",
)
MISSING_FIELD = _reading(
    "P006",
    "missing-field",
    ERROR,
    "`title`, `promiser`, `customer` or `status` is absent or empty (or `closed_reason` when one is due).",
    why="A promise is a personal commitment from a promiser to a customer. Without both names, a title and "
    "a status there is no promise to account for; a revoked or cancelled promise owes its reason.",
    bad="title: Checkout latency\nstatus: promised",
    good="title: Checkout latency\npromiser: ana.lima\ncustomer: payments\nstatus: promised",
)
BAD_STATUS = _reading(
    "P007",
    "bad-status",
    ERROR,
    "`status` is not one of the lifecycle statuses.",
    why="The status drives the accounting: what is open, kept, broken. A status outside the conversation "
    "for action (requested, offered, countered, promised, delivered, accepted, declined, withdrawn, "
    "revoked, cancelled) cannot be counted.",
    bad="status: in-flight",
    good="status: promised",
)
BAD_ID = _reading(
    "P008",
    "bad-id",
    ERROR,
    "`id` is not a slug, or differs from the file name.",
    why="The id is the promise's address: its page URL and the name other promises use in `serves`. "
    "It is the file name, so the two can never disagree.",
    bad="# file checkout.md\nid: Checkout Latency",
    good="# file checkout.md\nid: checkout",
)
VAGUE_DATE = _reading(
    "P102",
    "vague-date",
    ERROR,
    "A date field is not a real calendar date written YYYY-MM-DD.",
    why="`Q4`, `soon`, `next sprint` and `TBD` let a promise slide without anyone noticing it was broken. "
    "Only a calendar date can be missed, and so only a calendar date can be kept. Impossible dates "
    "(`2026-02-30`) are caught too.",
    bad="due: Q4",
    good="due: 2026-12-31",
)
OUTSIDE_SOURCE = Rule(
    "P010",
    "outside-source",
    WARNING,
    "A file named on the command line lies outside the source folder: it is checked, never published.",
    why="Only the files in the source folder become pages and count in the accounting. A promise checked "
    "somewhere else passes CI and then appears nowhere, which looks like it was kept track of and is not.",
    bad="$ promisesite check drafts/checkout-latency.md   # source: promises",
    good="$ git mv drafts/checkout-latency.md promises/ && promisesite check promises/checkout-latency.md",
    scope=Scope.READING,
    needs="when `check` is given files outside the source folder",
)
TEXT_CUT = _reading(
    "P011",
    "text-cut-by-comment",
    ERROR,
    "A text field goes on after its value with ` #…`, which YAML drops as a comment.",
    why='YAML ends a plain value at ` #`: `title: Login bug #4512 fixed for SSO users` publishes "Login bug", '
    'and a condition `issue #4512 is closed` publishes "issue". Teams write `#1234` and `#channel` every day, '
    "and nothing the author wrote may be dropped without a word. A comment after a handle, a status or a date "
    "is fine; after text, quote the value.",
    bad="title: Login bug #4512 fixed for SSO users",
    good='title: "Login bug #4512 fixed for SSO users"',
)
TITLE_TOO_LONG = _reading(
    "P012",
    "title-too-long",
    ERROR,
    "The title has more than 200 characters.",
    why="The title is the promise in one line: it heads its page and every list, feed and calendar that "
    "names it, and each promise that serves it repeats it. A paragraph there is unreadable in a list and "
    "multiplies the site's size; the detail belongs in the conditions and the body.",
    bad="title: Checkout latency under 300 ms for the holiday peak, which matters because last year … (600 characters)",
    good="title: Checkout p95 latency under 300 ms for the holiday peak",
)
CONFIG_IN_SOURCE = _reading(
    "P014",
    "config-in-source",
    ERROR,
    "A `promisesite.yaml` lies inside the source folder.",
    why="promisesite finds its config in the folder it runs in or the nearest one above. A config added in a "
    "pull request inside the promises folder would take over for anyone who works in that folder: its own "
    "templates, its own rule levels. promisesite never uses one there, and the check says so.",
    bad="promises/platform/promisesite.yaml",
    good="promisesite.yaml   # one config, at the top of the repository",
)
MAX_TITLE = 200  # characters
