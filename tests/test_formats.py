"""The output formats, parsed as the CI systems that read them would parse them."""

from __future__ import annotations

import json
import re
import urllib.parse
from xml.etree import ElementTree as ET

import pytest

from conftest import Repo
from promisesite.findings import Finding
from promisesite.formats import format_github

FINDING_KEYS = {"path", "line", "column", "code", "name", "level", "message"}


@pytest.fixture
def mixed(repo: Repo) -> Repo:
    """One file with an error and a warning, one clean file, one with only a warning."""
    repo.promise("bad.md", due="Q4", done_when=["the runbook covers the 4 rollback steps fairly completely"])
    repo.promise("good.md")
    repo.promise("risky.md", confidence="low")
    return repo


def test_text_is_one_finding_a_line_then_a_summary(mixed: Repo) -> None:
    result = mixed.run("check", "--today", "2026-11-21")
    lines = result.stdout.splitlines()
    pattern = re.compile(
        r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>P\d{3}) (?P<level>error|warning) "
        r"(?P<name>[a-z-]+): (?P<message>.+)$"
    )
    parsed = [pattern.match(line) for line in lines[:-1]]
    assert all(parsed), lines
    assert [(m["path"], m["line"], m["code"], m["level"]) for m in parsed] == [
        ("promises/bad.md", "9", "P102", "error"),
        ("promises/bad.md", "11", "P206", "warning"),
        ("promises/risky.md", "13", "P405", "warning"),
    ]
    assert lines[-1] == "Found 1 error and 2 warnings in 3 files."
    assert result.exit_code == 1


def test_json_is_an_array_of_findings(mixed: Repo) -> None:
    findings = mixed.check().findings
    assert isinstance(findings, list) and len(findings) == 3
    for finding in findings:
        assert set(finding) == FINDING_KEYS
        assert isinstance(finding["line"], int) and isinstance(finding["column"], int)
        assert finding["level"] in ("error", "warning")


def test_json_of_a_clean_repository_is_an_empty_array(repo: Repo) -> None:
    repo.promise()
    result = repo.check()
    assert (result.exit_code, result.findings) == (0, [])


def test_github_workflow_commands(mixed: Repo) -> None:
    lines = mixed.run("check", "--format", "github", "--today", "2026-11-21").stdout.splitlines()
    command = re.compile(r"^::(error|warning) file=([^,]+),line=(\d+),col=(\d+),title=([^:]+)::(.+)$")
    commands = [command.match(line) for line in lines if line.startswith("::")]
    assert len(commands) == 3 and all(commands)
    assert commands[0].groups()[:5] == ("error", "promises/bad.md", "9", "1", "P102 vague-date")


def test_github_escapes_percent_colon_comma_and_newlines() -> None:
    finding = Finding("promises/a,b:c%.md", 3, 1, "P005", "bad-type", "error", "100% wrong:\nsee a, b\r")
    line = format_github([finding], 1).splitlines()[0]
    properties, _, message = line.removeprefix("::error ").partition("::")
    assert "file=promises/a%2Cb%3Ac%25.md" in properties
    assert message == "100%25 wrong:%0Asee a, b%0D"
    # A reader that splits properties on "," and values on ":" recovers the original path.
    props = dict(item.split("=", 1) for item in properties.split(","))
    assert urllib.parse.unquote(props["file"]) == "promises/a,b:c%.md"
    assert urllib.parse.unquote(message) == "100% wrong:\nsee a, b\r"


def test_sarif_2_1_0_structure(mixed: Repo) -> None:
    log = json.loads(mixed.run("check", "--format", "sarif", "--today", "2026-11-21").stdout)
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "promisesite"
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert len(rule_ids) == len(set(rule_ids)) and "P205" in rule_ids
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning")
    assert len(run["results"]) == 3
    for result in run["results"]:
        assert result["level"] in ("error", "warning", "note")
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        [location] = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"].startswith("promises/")  # repository-relative
        assert not physical["artifactLocation"]["uri"].startswith("/")
        assert physical["artifactLocation"]["uriBaseId"] in run["originalUriBaseIds"]
        assert physical["region"]["startLine"] >= 1 and physical["region"]["startColumn"] >= 1
        assert result["message"]["text"]


def test_junit_has_one_test_case_per_file(mixed: Repo) -> None:
    xml = mixed.run("check", "--format", "junit", "--today", "2026-11-21").stdout
    root = ET.fromstring(xml)
    assert root.tag == "testsuites"
    [suite] = root.findall("testsuite")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert set(cases) == {"promises/bad.md", "promises/good.md", "promises/risky.md"}
    assert suite.get("tests") == "3" and suite.get("failures") == "1"
    [failure] = cases["promises/bad.md"].findall("failure")
    assert "P102" in failure.text and "P206" not in failure.text
    assert cases["promises/good.md"].find("failure") is None
    assert cases["promises/risky.md"].find("failure") is None
    assert "P405" in cases["promises/risky.md"].find("system-out").text


def test_output_file_receives_the_report(mixed: Repo) -> None:
    result = mixed.run("check", "--format", "sarif", "--output-file", "report.sarif", "--today", "2026-11-21")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert json.loads((mixed.root / "report.sarif").read_text())["version"] == "2.1.0"
    assert "1 error" in result.stderr
