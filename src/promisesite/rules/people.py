"""P30x: who promises to whom. (P304 and P305 read git and live in `history`.)"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Iterator, Sequence

from ..findings import Finding
from ..model import Promise
from . import Rule

if TYPE_CHECKING:
    from ..config import Config

SELF_PROMISE = Rule(
    "P301", "self-promise", "error", "The `customer` is the `promiser`.",
    why="A promise needs someone who can declare satisfaction other than the person who declares "
        "completion. A promise to yourself has nobody to disappoint, so it tells the organisation nothing. "
        "Name who needs the result: a person or a team.",
    bad="promiser: ana.lima\ncustomer: ana.lima", good="promiser: ana.lima\ncustomer: payments")
UNKNOWN_HANDLE = Rule(
    "P302", "unknown-handle", "error",
    "A promiser, customer, team or `agreed_by` is not in the registry of `promisesite.yaml`.",
    why="When the site config lists people and teams, every handle must be one of them, or the promise "
        "drops out of that person's page and that team's reliability. Typos (`anna.lima`) are the usual "
        "cause. Without `people`/`teams` in the config, any handle is accepted.",
    bad="promiser: anna.lima   # registry has ana.lima", good="promiser: ana.lima")
HANDLE_COLLISION = Rule(
    "P303", "handle-collision", "warning",
    "Two different handles are equal once lowercased with `.`, `_` and `-` removed.",
    why="`Ana.Lima`, `ana-lima` and `analima` are almost certainly one person, but the site would give "
        "them three pages and split their reliability three ways. Use one spelling everywhere.",
    bad="# a.md\npromiser: ana.lima\n# b.md\npromiser: Ana.Lima", good="# a.md and b.md\npromiser: ana.lima")

_FOLD = re.compile(r"[._-]")


@lru_cache(maxsize=65536)
def fold(handle: str) -> str:
    """The form in which handles that name the same person are equal."""
    return _FOLD.sub("", handle.lower())


def check_people(promise: Promise, config: Config) -> Iterator[Finding]:
    """P301 and P302 for one promise."""
    if promise.promiser and promise.customer and fold(promise.promiser) == fold(promise.customer):
        yield SELF_PROMISE.at(promise.path, promise.at("customer"),
                              f"`{promise.customer}` is both promiser and customer: name who will declare "
                              "satisfaction, a person or a team other than the promiser")
    if not config.has_registry:
        return
    # A customer may be a person or a team, so it can be verified only when people are registered.
    anyone = config.handles if config.people else None
    checks = [("promiser", promise.promiser, config.people or None, "people"),
              ("customer", promise.customer, anyone, "people or teams"),
              ("team", promise.team if promise.has("team") else "", config.teams or None, "teams")]
    checks += [(f"{r.key}.agreed_by", r.agreed_by, anyone, "people or teams") for r in promise.renegotiations]
    for key, handle, registry, section in checks:
        if handle and registry is not None and handle not in registry:
            close = difflib.get_close_matches(handle, list(registry), n=1, cutoff=0.6)
            hint = f"did you mean `{close[0]}`? " if close else ""
            yield UNKNOWN_HANDLE.at(promise.path, promise.at(key),
                                    f"`{handle}` is not registered under {section} in promisesite.yaml: {hint}"
                                    f"write a registered handle, or add `{handle}` to `{section.split()[0]}:`")


def handle_collisions(promises: Sequence[Promise], config: Config) -> Iterator[Finding]:
    """P303: reported at each use of a spelling other than the first one seen (registry first)."""
    first: dict[str, str] = {}
    for handle in (*config.people, *config.teams):
        first.setdefault(fold(handle), handle)
    for promise in promises:
        uses = [("promiser", promise.promiser), ("customer", promise.customer),
                ("team", promise.team if promise.has("team") else "")]
        uses += [(f"{r.key}.agreed_by", r.agreed_by) for r in promise.renegotiations]
        for key, handle in uses:
            if not handle:
                continue
            seen = first.setdefault(fold(handle), handle)
            if seen != handle:
                yield HANDLE_COLLISION.at(promise.path, promise.at(key),
                                          f"`{handle}` looks like `{seen}` spelt differently: write `{seen}` "
                                          "so that both count as one person or team")
