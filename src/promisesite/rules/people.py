"""P30x: who promises to whom. (P304 and P305, who committed a milestone, are in `history`.)"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache

from ..model import Position, Promise
from ..text import did_you_mean
from .rule import ERROR, WARNING, Context, Scope, rule

_FOLD = re.compile(r"[._-]")


@lru_cache(maxsize=65536)
def fold(handle: str) -> str:
    """The form in which handles that name the same person are equal."""
    return _FOLD.sub("", handle.lower())


@rule(
    "P301",
    "self-promise",
    ERROR,
    "The `customer` is the `promiser`.",
    why="A promise needs someone who can declare satisfaction other than the person who declares "
    "completion. A promise to yourself has nobody to disappoint, so it tells the organisation nothing. "
    "Name who needs the result: a person or a team.",
    bad="promiser: ana.lima\ncustomer: ana.lima",
    good="promiser: ana.lima\ncustomer: payments",
)
def self_promise(promise: Promise, context: Context) -> Iterator[tuple[Position, str]]:
    if promise.promiser and promise.customer and fold(promise.promiser) == fold(promise.customer):
        yield (
            promise.at("customer"),
            (
                f"`{promise.customer}` is both promiser and customer: name who will declare "
                "satisfaction, a person or a team other than the promiser"
            ),
        )


@rule(
    "P302",
    "unknown-handle",
    ERROR,
    "A promiser, customer, team or `agreed_by` is not in the registry of `promisesite.yaml`.",
    why="When the site config lists people and teams, every handle must be one of them, or the promise "
    "drops out of that person's page and that team's reliability. Typos (`anna.lima`) are the usual "
    "cause. Without `people`/`teams` in the config, any handle is accepted.",
    bad="promiser: anna.lima   # registry has ana.lima",
    good="promiser: ana.lima",
)
def unknown_handle(promise: Promise, context: Context) -> Iterator[tuple[Position, str]]:
    registry = context.registry
    if not registry.registered:
        return
    # A customer may be a person or a team, so it can be verified only when people are registered.
    anyone = registry.handles if registry.people else None
    checks = [
        ("promiser", promise.promiser, registry.people or None, "people"),
        ("customer", promise.customer, anyone, "people or teams"),
        ("team", promise.team if promise.has("team") else "", registry.teams or None, "teams"),
    ]
    checks += [(f"{r.key}.agreed_by", r.agreed_by, anyone, "people or teams") for r in promise.renegotiations]
    for key, handle, known, section in checks:
        if handle and known is not None and handle not in known:
            yield promise.at(key), _unknown(handle, key.rsplit(".", 1)[-1], section, known, context)


def _unknown(handle: str, field: str, section: str, known: Mapping[str, object], context: Context) -> str:
    """What to write for a handle the registry does not have, with the registry in view."""
    registry = context.registry
    if field == "promiser" and handle in registry.teams:
        members = registry.teams[handle].members
        named = ", ".join(f"`{m}`" for m in members[:5]) + (" …" if len(members) > 5 else "")
        who = (
            f"name the one of its members who makes it ({named}), e.g. `promiser: {members[0]}`"
            if members
            else (f"name the person who makes it (`{handle}` lists no members in promisesite.yaml)")
        )
        return f"`{handle}` is a team, and a promise is personal: {who}; the team goes in `team: {handle}`"
    if field == "team" and handle in registry.people:
        team = registry.team_of(handle)
        example = f"`team: {team}` ({handle}'s team)" if team else f"one of {_some(registry.teams)}"
        return f"`{handle}` is a person, and `team` names a team: write {example}, or leave `team` out"
    hint = did_you_mean(handle, known)
    if hint:
        return f"`{handle}` is not registered under {section} in promisesite.yaml: {hint}"
    return (
        f"`{handle}` is not registered under {section} in promisesite.yaml: write a registered handle "
        f"({_some(known)}), or add `{handle}` to `{section.split()[0]}:`"
    )


def _some(handles: Mapping[str, object], count: int = 4) -> str:
    names = list(handles)
    shown = ", ".join(f"`{name}`" for name in names[:count])
    return shown + (f" and {len(names) - count} more" if len(names) > count else "")


@rule(
    "P303",
    "handle-collision",
    WARNING,
    "Two different handles are equal once lowercased with `.`, `_` and `-` removed.",
    why="`Ana.Lima`, `ana-lima` and `analima` are almost certainly one person, but the site would give "
    "them three pages and split their reliability three ways. Use one spelling everywhere.",
    bad="# a.md\npromiser: ana.lima\n# b.md\npromiser: Ana.Lima",
    good="# a.md and b.md\npromiser: ana.lima",
    scope=Scope.TREE,
    reports_at=("promiser", "customer", "team", "*.agreed_by"),
)
def handle_collision(promises: Sequence[Promise], context: Context) -> Iterator[tuple[str, Position, str]]:
    """Reported at each use of a spelling other than the first one seen (registry first)."""
    first: dict[str, str] = {}
    for handle in (*context.registry.people, *context.registry.teams):
        first.setdefault(fold(handle), handle)
    used = {p.promiser for p in promises} | {p.customer for p in promises} | {p.team for p in promises}
    used |= {r.agreed_by for p in promises for r in p.renegotiations}
    spellings = {*first.values(), *used} - {""}
    if len({fold(handle) for handle in spellings}) == len(spellings):
        return  # every handle has one spelling: the usual case, found without a pass per use
    for promise in promises:
        uses = [
            ("promiser", promise.promiser),
            ("customer", promise.customer),
            ("team", promise.team if promise.has("team") else ""),
        ]
        uses += [(f"{r.key}.agreed_by", r.agreed_by) for r in promise.renegotiations]
        for key, handle in uses:
            if not handle:
                continue
            seen = first.setdefault(fold(handle), handle)
            if seen != handle:
                yield (
                    promise.path,
                    promise.at(key),
                    f"`{handle}` looks like `{seen}` spelt differently: write "
                    f"`{seen}` so that both count as one person or team",
                )
