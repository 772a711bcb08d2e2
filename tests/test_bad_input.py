"""Bad input of every kind gets findings, never a traceback, and never changes the file."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, Repo, hang_guard, promise_text
from hostile import obey_permissions, promisesite

BAD_FILES: dict[str, bytes] = {
    "empty": b"",
    "only-dashes": b"---",
    "only-opening": b"---\n",
    "binary": bytes(range(256)),
    "latin1": "---\ntitle: Café\n---\n".encode("latin-1"),
    "utf16": promise_text().encode("utf-16"),
    "lone-cr": promise_text().replace("\n", "\r").encode(),
    "tabs": b"---\ntitle: x\n\tpromiser: y\n---\n",
    "list-root": b"---\n- a\n---\n",
    "scalar-root": b"---\njust text\n---\n",
    "list-key": b"---\n? [a, b]\n: c\n---\n",
    "int-keys": b"---\n1: a\n2: b\n---\n",
    "null-key": b"---\n~: a\n---\n",
    "two-documents": b"---\ntitle: a\n---\n--- \ntitle: b\n",
    "document-marker-inside": b"---\ntitle: a\n--- x\n---\n",
    "python-object": b"---\ntitle: !!python/object/new:os.system [echo pwned]\n---\n",
    "binary-tag": b"---\ntitle: !!binary aGVsbG8=\n---\n",
    "set-tag": b"---\ntags: !!set {a, b}\n---\n",
    "alias-bomb": b"---\n"
    + b"a: &a ["
    + b",".join([b"lol"] * 9)
    + b"]\n"
    + b"".join(f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n".encode() for i in range(8))
    + b"---\n",
    "deep-flow": b"---\ntitle: " + b"[" * 10000 + b"]" * 10000 + b"\n---\n",
    "deep-block": b"---\n" + b"".join(b"  " * i + b"k:\n" for i in range(300)) + b"---\n",
    "merge-key": b"---\nbase: &b {title: x}\n<<: *b\n---\n",
    "huge-line": b"---\ntitle: " + b"a" * 200_000 + b"\n---\n",
    "dates-as-lists": promise_text(due="[2026-12-01, 2026-12-02]", promised="{a: b}").encode(),
    "mapping-title": promise_text(title="{a: b}").encode(),
    "list-status": promise_text(status="[promised]").encode(),
    "renegotiations-text": promise_text(renegotiations="moved twice").encode(),
    "renegotiations-scalars": promise_text(renegotiations="[1, 2]").encode(),
    "waivers-text": promise_text(waivers="P206").encode(),
    "waivers-list-rule": promise_text(waivers="[{rule: [P206], reason: x}]").encode(),
    "nested-done-when": promise_text(done_when="[[a, b], {c: d}]").encode(),
    "year-zero": promise_text(due="0000-01-01").encode(),
    "year-huge": promise_text(due="99999-01-01").encode(),
    "control-chars": "---\ntitle: a\u0007b\n---\n".encode(),
    "bidi-and-emoji": promise_text(title="Checkout \u202e under 300 ms 🚀").encode(),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_gets_findings_not_a_traceback(repo: Repo, name: str) -> None:
    path = repo.write(f"{name}.md", BAD_FILES[name])
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with hang_guard():
        result = repo.check()
    assert result.exit_code in (0, 1), result.stderr
    for finding in result.findings:
        assert finding["path"] == f"promises/{name}.md"
        assert finding["line"] >= 1 and finding["column"] >= 1
        assert finding["message"] and finding["message"][0].islower() or finding["message"][0] in '`"'
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # check never writes
    if name != "bidi-and-emoji":
        assert result.exit_code == 1, f"{name} passed the check: {result.findings}"


def test_the_installed_command_never_prints_a_traceback(tmp_path: Path) -> None:
    """The same files through the real entry point, all at once."""
    folder = tmp_path / "promises"
    folder.mkdir()
    for name, data in BAD_FILES.items():
        (folder / f"{name}.md").write_bytes(data)
    run = subprocess.run(
        [sys.executable, "-m", "promisesite", "check", "--today", "2026-11-21"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != "PROMISESITE_DEBUG"},
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    assert run.stdout.count("promises/") >= len(BAD_FILES) - 1


def test_unreadable_file(repo: Repo) -> None:
    path = repo.promise()
    path.chmod(0)
    done = promisesite(repo.root, "check", "--format", "json", preexec=obey_permissions)  # even as root
    assert {finding["code"] for finding in json.loads(done.stdout)} == {"P001"}


def test_symlink_outside_the_repository_is_not_followed(repo: Repo, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.md"
    outside.write_text(promise_text())
    (repo.root / "promises" / "link.md").symlink_to(outside)
    [finding] = repo.check().findings
    assert finding["code"] == "P001" and "symbolic link" in finding["message"]


def test_a_promise_file_is_a_file_of_its_own_never_a_link(repo: Repo) -> None:
    """A link to a file elsewhere in the repository would change without `git diff -- promises/` seeing it."""
    (repo.root / "notes").mkdir()
    (repo.root / "notes/real.md").write_text(promise_text())
    (repo.root / "promises" / "checkout.md").symlink_to(repo.root / "notes/real.md")
    [finding] = repo.check().findings
    assert (finding["code"], finding["path"], finding["line"]) == ("P001", "promises/checkout.md", 1)
    assert "replace the link with the file itself" in finding["message"]


def test_conformance_suite(tmp_path: Path) -> None:
    """The public conformance suite of ../shared, when it is there (it is in CI)."""
    runner = ROOT.parent / "shared" / "conformance" / "run"
    if not runner.exists():
        pytest.skip("../shared/conformance is not beside this checkout")
    command = Path(sys.executable).parent / "promisesite"
    run = subprocess.run(
        [sys.executable, str(runner), "--cmd", str(command)], capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stdout
    assert run.stdout.strip().endswith(" 0 failed")


def test_a_file_over_the_size_limit_is_a_finding_and_is_not_read(repo: Repo) -> None:
    big = promise_text(body="A long body of notes. " * 70_000)  # about 1.5 MB
    repo.write("huge.md", big)
    with hang_guard():
        result = repo.check()
    [finding] = result.findings
    assert (finding["code"], finding["line"], finding["column"]) == ("P001", 1, 1)
    assert "larger than 1 MB" in finding["message"] and "max_file_size" in finding["message"]
    repo.config("max_file_size: 2 MB\n")
    assert repo.check().findings == []  # within the raised limit it is an ordinary promise
    repo.config("max_file_size: big\n")
    refused = repo.run("check")
    assert refused.exit_code == 2 and "max_file_size: 2 MB" in refused.stderr


def test_thousands_of_files_good_and_bad_at_once(tmp_path: Path) -> None:
    folder = tmp_path / "promises"
    for index in range(3000):
        sub = folder / f"team-{index % 30:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        kind = sorted(BAD_FILES)[index % len(BAD_FILES)] if index % 3 == 0 else None
        data = BAD_FILES[kind] if kind else promise_text().encode()
        (sub / f"p{index:04d}.md").write_bytes(data)
    run = subprocess.run(
        [sys.executable, "-m", "promisesite", "check", "--format", "json", "--today", "2026-11-21"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr
    paths = {finding["path"] for finding in json.loads(run.stdout)}
    assert len(paths) >= 950  # every bad file (a third) is reported, each under its own name
