"""The command line as users and CI meet it: exit codes, options, config, rules, schema."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT, Repo
from promisesite.read.document import parse_text

# --- exit codes ------------------------------------------------------------------------------


def test_exit_0_when_clean(repo: Repo) -> None:
    repo.promise()
    assert repo.check().exit_code == 0


def test_exit_0_with_only_warnings(repo: Repo) -> None:
    repo.promise(confidence="low")
    result = repo.check()
    assert (result.exit_code, result.codes()) == (0, {"P405"})


def test_exit_1_on_an_error(repo: Repo) -> None:
    repo.promise(due="soon")
    assert repo.check().exit_code == 1


def test_exit_2_on_an_unknown_option(repo: Repo) -> None:
    result = repo.run("check", "--fromat", "json")
    assert result.exit_code == 2
    assert "--format" in result.stderr  # Click's did-you-mean


def test_exit_2_on_a_missing_path(repo: Repo) -> None:
    repo.promise()
    result = repo.run("check", "promises/nope.md")
    assert result.exit_code == 2
    assert "nope.md" in result.stderr and "no such file" in result.stderr


def test_exit_2_without_a_source_folder(repo: Repo) -> None:
    (repo.root / "promises").rmdir()
    result = repo.run("check")
    assert result.exit_code == 2
    assert "promisesite init" in result.stderr


@pytest.mark.parametrize(
    "config, expected",
    [
        ("titel: x\n", "did you mean `title`?"),
        ("title: [x\n", "promisesite.yaml:1"),
        ("rules:\n  P999: off\n", "unknown rule"),
        ("rules:\n  hedge: loud\n", "write error, warning or off"),
        ("people:\n  Ana Lima: {name: Ana}\n", "is not a handle"),
        ("people:\n  ana: {}\nteams:\n  t: {members: [bob]}\n", "not under `people`"),
        ("vague_words:\n  hedges: [x]\n", "did you mean `hedge`?"),
        ("- just\n- a list\n", "`key: value` lines"),
        ("title: !!python/name:os.system x\n", "not allowed"),
    ],
)
def test_exit_2_on_a_bad_config(repo: Repo, config: str, expected: str) -> None:
    repo.config(config)
    repo.promise()
    result = repo.check()
    assert result.exit_code == 2
    assert expected in result.stderr
    assert result.stderr.startswith("promisesite: ")


def test_config_error_names_the_line(repo: Repo) -> None:
    repo.config("title: Promises\nbase_url: /\nrules:\n  P206: off\n  bogus: error\n")
    repo.promise()
    assert "promisesite.yaml:5:" in repo.check().stderr


def test_config_file_option(repo: Repo) -> None:
    (repo.root / "conf").mkdir()
    (repo.root / "conf" / "site.yaml").write_text("source: ../promises\nrules:\n  P405: off\n")
    repo.promise(confidence="low")
    assert repo.check().codes() == {"P405"}
    assert repo.check("--config", "conf/site.yaml").findings == []
    assert repo.check("--config", "conf/missing.yaml").exit_code == 2


def test_exit_2_on_a_bad_today(repo: Repo) -> None:
    repo.promise()
    result = repo.run("check", "--today", "tomorrow")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr


# --- today -----------------------------------------------------------------------------------


def test_source_date_epoch_sets_today(repo: Repo) -> None:
    repo.promise(due="2026-11-01")
    before = repo.run("check", "--format", "json", env={"SOURCE_DATE_EPOCH": "1790000000"})  # 2026-09-21
    after = repo.run("check", "--format", "json", env={"SOURCE_DATE_EPOCH": "1795000000"})  # 2026-11-18
    assert "P404" not in {f["code"] for f in json.loads(before.stdout)}
    assert "P404" in {f["code"] for f in json.loads(after.stdout)}


def test_today_option_wins_over_source_date_epoch(repo: Repo) -> None:
    repo.promise(due="2026-11-01")
    result = repo.check(env={"SOURCE_DATE_EPOCH": "1790000000"})  # --today 2026-11-21 is in repo.check
    assert "P404" in result.codes()


# --- paths -----------------------------------------------------------------------------------


def test_single_file_reports_only_that_file_but_sees_the_whole_folder(repo: Repo) -> None:
    repo.promise("child.md", serves="parent")
    repo.promise("parent.md")
    repo.promise("other.md", due="soon")
    result = repo.check("promises/child.md")
    assert result.exit_code == 0, result.findings  # the parent exists, though not named
    assert result.findings == []
    duplicate = repo.promise("sub/parent.md")
    result = repo.check(str(duplicate))
    assert [(f["path"], f["code"]) for f in result.findings] == [("promises/sub/parent.md", "P009")]


def test_folders_and_non_promise_files(repo: Repo) -> None:
    repo.promise("team/a.md", due="soon")
    repo.promise("b.md")
    repo.write("notes.txt", "not a promise")
    assert {f["path"] for f in repo.check("promises/team").findings} == {"promises/team/a.md"}
    assert repo.check("promises/notes.txt").findings == []  # named, but not a promise file


def test_other_files_in_the_folder_are_ignored(repo: Repo) -> None:
    repo.promise()
    repo.write("README.txt", "no front matter here")
    repo.write("image.png", b"\x89PNG\x00\x00")
    assert repo.check().findings == []


# --- configured levels and lexicons --------------------------------------------------------


def test_rule_levels_by_code_and_name(repo: Repo) -> None:
    repo.promise(done_when=["the runbook covers the 4 rollback steps fairly completely"], confidence="low")
    repo.config("rules:\n  weasel: error\n  P405: off\n")
    result = repo.check()
    assert [(f["code"], f["level"]) for f in result.findings] == [("P206", "error")]
    assert result.exit_code == 1


def test_vague_words_extend_the_lexicons(repo: Repo) -> None:
    repo.promise(done_when=["the dashboard is live, god willing, by 09:00"])
    assert repo.check().findings == []
    repo.config("vague_words:\n  hedge: [god willing]\n")
    assert repo.check().codes() == {"P203"}


def test_registry_sets_the_default_team(repo: Repo) -> None:
    from promisesite.config import load_config

    repo.config("people:\n  ana.lima: {name: Ana}\nteams:\n  platform: {members: [ana.lima]}\n")
    config = load_config(cwd=repo.root)
    assert config.registry.team_of("ana.lima") == "platform"
    assert config.people["ana.lima"].name == "Ana"


# --- rules and schema ------------------------------------------------------------------------


def test_rules_lists_the_catalogue(repo: Repo) -> None:
    result = repo.run("rules")
    assert result.exit_code == 0
    codes = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("P")]
    from promisesite.rules import RULES

    assert codes == [rule.code for rule in RULES] == sorted(codes) and len(codes) > 30


def test_rules_explains_one_rule_with_an_example(repo: Repo) -> None:
    result = repo.run("rules", "P205")
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("P205 unmeasurable (error)")
    assert "Why it matters:" in text
    assert "improve the onboarding documentation" in text  # the flagged example
    assert "in under 2 hours" in text  # the good example
    assert repo.run("rules", "unmeasurable").stdout == text


def test_rules_unknown_code_suggests(repo: Repo) -> None:
    result = repo.run("rules", "P2O5")
    assert result.exit_code == 2 and "P205" in result.stderr


def test_every_rule_documents_why_and_examples() -> None:
    """Every rule explains itself: a summary, why it matters, a flagged and a fixed example."""
    from promisesite.rules import RULES

    for rule in RULES:
        assert rule.why and rule.bad and rule.good and rule.summary
        assert rule.code in rule.help_markdown()


def test_schema_validates_the_sample_promises(repo: Repo) -> None:
    schema = json.loads(repo.run("schema").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    files = sorted((ROOT / "promises").rglob("*.md"))
    assert len(files) >= 20
    for path in files:
        doc = parse_text(path.read_text(encoding="utf-8"), path.name)
        errors = [e.message for e in validator.iter_errors(doc.front)]
        assert errors == [], f"{path.name}: {errors}"


def test_schema_rejects_what_check_rejects(repo: Repo) -> None:
    schema = json.loads(repo.run("schema").stdout)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    base = {
        "title": "x",
        "promiser": "ana.lima",
        "customer": "payments",
        "status": "promised",
        "promised": "2026-10-01",
        "due": "2026-12-01",
        "done_when": ["a"],
    }
    assert validator.is_valid(base)
    for bad in (
        {"custmer": "x"},
        {"status": "in-flight"},
        {"due": "Q4"},
        {"promiser": "Ana Lima"},
        {"done_when": "one string"},
        {"confidence": "very"},
        {"due": "2026-02-30"},
    ):
        assert not validator.is_valid(base | bad), bad
    assert not validator.is_valid({k: v for k, v in base.items() if k != "due"})
    assert not validator.is_valid(base | {"status": "accepted"})  # needs delivered and accepted


# --- the installed command -------------------------------------------------------------------


def test_python_dash_m_and_the_sample(tmp_path: Path) -> None:
    """The real entry point, in a subprocess, on a copy of the repository's sample."""
    shutil.copytree(ROOT / "promises", tmp_path / "promises")
    shutil.copy(ROOT / "promisesite.yaml", tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    run = subprocess.run(
        [sys.executable, "-m", "promisesite", "check", "--today", "2026-11-21"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[-1].endswith("in 42 files.")
    version = subprocess.run([sys.executable, "-m", "promisesite", "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and "promisesite, version" in version.stdout


def test_readme_names_every_rule_family_and_links_the_catalogue() -> None:
    from promisesite.rules import RULES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/rules.md)" in readme
    for family in sorted({rule.code[:2] for rule in RULES}):
        assert f"**{family}xx" in readme, family
