"""P50x: the promise tree — every promise serves a larger one, and the links must hold."""

from __future__ import annotations

from typing import Iterator, Sequence

from ..findings import Finding
from ..model import Promise
from . import Rule

UNKNOWN_PARENT = Rule(
    "P501", "unknown-parent", "error", "`serves` names no existing promise.",
    why="`serves` places the promise in the tree under the larger promise it forwards. A dangling link "
        "drops it out of that tree, and out of the parent's progress, usually because the parent was "
        "renamed.",
    bad="serves: holiday-readines", good="serves: holiday-readiness")
PARENT_CYCLE = Rule(
    "P502", "parent-cycle", "error", "`serves` links form a cycle.",
    why="A promise cannot serve itself, directly or through others: the tree would have no top, and the "
        "dashboard could not show where the work leads.",
    bad="# a.md\nserves: b\n# b.md\nserves: a", good="# a.md\nserves: b\n# b.md\n# (serves nothing: a top-level promise)")
CHILD_AFTER_PARENT = Rule(
    "P503", "child-after-parent", "warning", "A promise is due after the promise it serves.",
    why="A promise that forwards a larger one must land before it, or the larger promise is already at "
        "risk. Either renegotiate the parent, or bring this one forward.",
    bad="# parent due 2026-12-01\nserves: parent\ndue: 2026-12-15",
    good="# parent due 2026-12-01\nserves: parent\ndue: 2026-11-25")


def check_tree(promises: Sequence[Promise]) -> Iterator[Finding]:
    by_id: dict[str, Promise] = {}
    for promise in promises:
        by_id.setdefault(promise.id, promise)
    cycles = _cycle_ids(by_id)
    for promise in promises:
        if not promise.serves:
            continue
        parent = by_id.get(promise.serves)
        if parent is None:
            yield UNKNOWN_PARENT.at(promise.path, promise.at("serves"),
                                    f"`serves: {promise.serves}` names no promise: write the id (file name "
                                    "without .md) of an existing promise, or remove the line")
        elif promise.due and parent.due and promise.due > parent.due and promise.id not in cycles:
            yield CHILD_AFTER_PARENT.at(promise.path, promise.at("due"),
                                        f"due {promise.due}, after {parent.id} which it serves (due {parent.due}): "
                                        f"bring this due date forward, or renegotiate {parent.id}")
    for promise in promises:
        if promise.id in cycles and by_id[promise.id] is promise:
            loop = " → ".join(cycles[promise.id])
            yield PARENT_CYCLE.at(promise.path, promise.at("serves"),
                                  f"`serves` links form a cycle ({loop}): remove `serves` from the promise at the "
                                  "top of the tree")


def _cycle_ids(by_id: dict[str, Promise]) -> dict[str, list[str]]:
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
            loop = trail[index[node]:]
            for position, member in enumerate(loop):
                on_cycle[member] = loop[position:] + loop[:position] + [member]
        done.update(trail)
    return on_cycle
