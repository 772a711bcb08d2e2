"""The editor's view of a folder (`promisesite.workspace`, what the language server asks): one file
judged with the few promises the cross-file rules need gives the same findings as `check`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import promise_text
from hostile import promisesite
from promisesite.workspace import Workspace
from sitetools import copy_sample


def test_the_workspace_finds_what_check_finds_for_every_file(tmp_path: Path) -> None:
    """The language server judges one file with the few promises the cross-file rules need (ids,
    the serves chain, one file per handle's spelling): the same findings as `check`, file by file."""
    root = copy_sample(tmp_path)
    (root / ".git").mkdir()
    extra = {
        "platform/dup.md": promise_text(),
        "support/dup.md": promise_text(title="Same id, other folder"),  # P009 on both
        "a.md": promise_text(serves="b"),
        "b.md": promise_text(serves="c"),
        "c.md": promise_text(serves="a"),  # P502 on all three
        "lost.md": promise_text(serves="nowhere"),  # P501
        "late-child.md": promise_text(serves="holiday-readiness", due="2027-03-01"),  # P503
        "spelling.md": promise_text(promiser="Ana.Lima"),  # P303 against ana.lima
    }
    for name, text in extra.items():
        (root / "promises" / name).write_text(text)
    done = promisesite(root, "check", "--format", "json", "--today", "2026-11-21")
    expected: dict[str, list] = {}
    for finding in json.loads(done.stdout):
        expected.setdefault(finding["path"], []).append((finding["line"], finding["code"], finding["message"]))
    workspace = Workspace(root / "promises", today=dt.date(2026, 11, 21))
    for path in sorted((root / "promises").rglob("*.md")):
        rel = path.relative_to(root).as_posix()
        found = [(f.line, f.code, f.message) for f in workspace.analyse(path, path.read_text()).findings]
        assert sorted(found) == sorted(expected.get(rel, [])), rel
    assert {"P009", "P501", "P502", "P503", "P303"} <= {code for found in expected.values() for _, code, _ in found}
