"""P009 and P50x: the whole tree — ids are unique, and every promise serves a larger one that exists."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from ..model import Position, Promise
from .rule import ERROR, WARNING, Context, Scope, rule

Found = Iterator[tuple[str, Position, str]]


@rule(
    "P009",
    "duplicate-id",
    ERROR,
    "Two files have the same id.",
    why="Two promises at one address means one page hides the other and `serves` links become ambiguous. "
    "Files in different folders still share one id space.",
    bad="# promises/a/checkout.md and promises/b/checkout.md",
    good="# promises/a/checkout-latency.md and promises/b/checkout-errors.md",
    scope=Scope.TREE,
    reports_at=("id",),
)
def duplicate_id(promises: Sequence[Promise], context: Context) -> Found:
    """Reported on every file that shares the id."""
    by_id: dict[str, list[Promise]] = defaultdict(list)
    for promise in promises:
        by_id[promise.id].append(promise)
    for same in by_id.values():
        if len(same) > 1:
            for promise in same:
                paths = [p.path for p in same if p is not promise]
                others = ", ".join(paths[:5]) + (f" and {len(paths) - 5} more files" if len(paths) > 5 else "")
                yield (
                    promise.path,
                    promise.at("id"),
                    f"the id `{promise.id}` is also used by {others}: ids are "
                    "file names and must be unique across folders; rename one file",
                )


@rule(
    "P501",
    "unknown-parent",
    ERROR,
    "`serves` names no existing promise.",
    why="`serves` places the promise in the tree under the larger promise it forwards. A dangling link "
    "drops it out of that tree, and out of the parent's progress, usually because the parent was "
    "renamed.",
    bad="serves: holiday-readines",
    good="serves: holiday-readiness",
    scope=Scope.TREE,
    reports_at=("serves",),
)
def unknown_parent(promises: Sequence[Promise], context: Context) -> Found:
    by_id = _by_id(promises)
    for promise in promises:
        if promise.serves and promise.serves not in by_id:
            yield (
                promise.path,
                promise.at("serves"),
                f"`serves: {promise.serves}` names no promise: write the id "
                "(file name without .md) of an existing promise, or remove "
                "the line",
            )


@rule(
    "P502",
    "parent-cycle",
    ERROR,
    "`serves` links form a cycle.",
    why="A promise cannot serve itself, directly or through others: the tree would have no top, and the "
    "dashboard could not show where the work leads.",
    bad="# a.md\nserves: b\n# b.md\nserves: a",
    good="# a.md\nserves: b\n# b.md\n# (serves nothing: a top-level promise)",
    scope=Scope.TREE,
    reports_at=("serves",),
)
def parent_cycle(promises: Sequence[Promise], context: Context) -> Found:
    by_id, cycles = _tree(promises, context)
    for promise in promises:
        if promise.id in cycles and by_id[promise.id] is promise:
            loop = " → ".join(cycles[promise.id])
            yield (
                promise.path,
                promise.at("serves"),
                f"`serves` links form a cycle ({loop}): remove `serves` from the promise at the top of the tree",
            )


@rule(
    "P503",
    "child-after-parent",
    WARNING,
    "A promise is due after the promise it serves.",
    why="A promise that forwards a larger one must land before it, or the larger promise is already at "
    "risk. Either renegotiate the parent, or bring this one forward.",
    bad="# parent due 2026-12-01\nserves: parent\ndue: 2026-12-15",
    good="# parent due 2026-12-01\nserves: parent\ndue: 2026-11-25",
    scope=Scope.TREE,
    reports_at=("due",),
)
def child_after_parent(promises: Sequence[Promise], context: Context) -> Found:
    by_id, cycles = _tree(promises, context)
    for promise in promises:
        parent = by_id.get(promise.serves) if promise.serves else None
        if parent is not None and promise.due and parent.due and promise.due > parent.due and promise.id not in cycles:
            yield (
                promise.path,
                promise.at("due"),
                f"due {promise.due}, after {parent.id} which it serves (due "
                f"{parent.due}): bring this due date forward, or renegotiate "
                f"{parent.id}",
            )


def _tree(promises: Sequence[Promise], context: Context) -> tuple[dict[str, Promise], dict[str, list[str]]]:
    """The first promise of each id, and each id on a cycle: worked out once for the promises that
    P502 and P503 both judge."""
    last = context.shared.get("tree")
    if last is None or last[0] is not promises:
        by_id = _by_id(promises)
        last = context.shared["tree"] = (promises, by_id, cycle_ids(by_id))
    return last[1], last[2]


def _by_id(promises: Sequence[Promise]) -> dict[str, Promise]:
    """The first promise of each id, in path order (a duplicate id is P009's)."""
    by_id: dict[str, Promise] = {}
    for promise in promises:
        by_id.setdefault(promise.id, promise)
    return by_id


def cycle_ids(by_id: dict[str, Promise]) -> dict[str, list[str]]:
    """Each id that lies on a cycle, with the cycle as seen from it."""
    on_cycle: dict[str, list[str]] = {}
    done: set[str] = set()
    for start in sorted(by_id):
        trail: list[str] = []
        index: dict[str, int] = {}
        node = start
        while node in by_id and node not in done and node not in index:
            index[node] = len(trail)
            trail.append(node)
            node = by_id[node].serves
        if node in index:
            loop = trail[index[node] :]
            for position, member in enumerate(loop):
                on_cycle[member] = loop[position:] + loop[:position] + [member]
        done.update(trail)
    return on_cycle
