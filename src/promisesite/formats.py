"""The formats CI systems read: text, json, github (workflow commands), sarif (2.1.0), junit."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import asdict
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree as ET

from . import __version__
from .findings import Finding, summary
from .text import inert, plural, printable, xml_text


def format_text(findings: Sequence[Finding], files_checked: int, rules: Sequence = ()) -> str:
    lines = [f.as_text() for f in findings]
    lines.append(summary(findings, files_checked))
    return "\n".join(lines) + "\n"


def format_json(findings: Sequence[Finding], files_checked: int, rules: Sequence = ()) -> str:
    return json.dumps([asdict(f) for f in findings], indent=2, ensure_ascii=False) + "\n"


def _github_escape_data(text: str) -> str:
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _github_escape_property(text: str) -> str:
    return _github_escape_data(text).replace(":", "%3A").replace(",", "%2C")


# GitHub shows at most 10 annotations of each level in a step (and 50 in a job), and drops the rest
# without a word: the ones shown must be the ones that matter.
ANNOTATIONS_PER_LEVEL = 10


def format_github(
    findings: Sequence[Finding], files_checked: int, rules: Sequence = (), first: Collection[str] | None = None
) -> str:
    """GitHub Actions workflow commands: annotations on the pull request's diff. With `first` (the
    files a change touches, from `--base`), only their findings are annotations; without it, errors
    come before warnings. At most ANNOTATIONS_PER_LEVEL of each level are annotations, and one notice
    counts the rest, which the job summary and SARIF list."""
    candidates = [f for f in findings if first is None or f.path in first]
    shown: list[Finding] = []
    per_level: Counter[str] = Counter()
    for finding in sorted(candidates, key=lambda f: not f.is_error):
        if per_level[finding.level] < ANNOTATIONS_PER_LEVEL:
            per_level[finding.level] += 1
            shown.append(finding)
    shown.sort(key=lambda f: (f.path, f.line, f.column))
    out = [_annotation(f) for f in shown]
    left = len(findings) - len(shown)
    if left:
        touched = len(candidates) - len(shown)
        out.append(
            f"::notice title=promisesite::{plural(left, 'more finding')} not shown as annotations "
            f"(GitHub shows {ANNOTATIONS_PER_LEVEL} of each level){_touching(touched, first is not None)}: the "
            "job summary lists every finding, and so does `promisesite check --format sarif`"
        )
    out.append(summary(findings, files_checked))
    return "\n".join(out) + "\n"


def _touching(count: int, changed: bool) -> str:
    if not changed:
        return ""
    return f", {count} of them in files this change touches" if count else ", none in files this change touches"


def _annotation(f: Finding) -> str:
    props = ",".join(
        f"{key}={_github_escape_property(str(value))}"
        for key, value in (("file", f.path), ("line", f.line), ("col", f.column), ("title", f"{f.code} {f.name}"))
    )
    return f"::{f.level} {props}::{_github_escape_data(f.message)}"


def findings_markdown(findings: Sequence[Finding]) -> str:
    """Every finding as a Markdown table, for a job summary: what the annotations could not show."""
    lines = ["### Every finding", "", "| File | Line | Rule | Message |", "|---|---|---|---|"]
    lines += [f"| {inert(f.path)} | {f.line} | {f.code} {f.level} | {inert(f.message)} |" for f in findings]
    return "\n".join(lines) + "\n"


def format_sarif(findings: Sequence[Finding], files_checked: int, rules: Sequence = ()) -> str:
    """SARIF 2.1.0, as GitHub code scanning and most CI dashboards read it."""
    index = {rule.code: i for i, rule in enumerate(rules)}
    driver = {
        "name": "promisesite",
        "version": __version__,
        "informationUri": "https://pypi.org/project/promisesite/",
        "rules": [
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.why},
                "help": {"text": rule.help_text(), "markdown": rule.help_markdown()},
                "defaultConfiguration": {"level": rule.level},
            }
            for rule in rules
        ],
    }
    results = []
    for f in findings:
        result: dict[str, Any] = {
            "ruleId": f.code,
            "level": f.level,
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": quote(f.path), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": f.line, "startColumn": f.column},
                    }
                }
            ],
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "originalUriBaseIds": {"%SRCROOT%": {"uri": "./"}},
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def format_junit(
    findings: Sequence[Finding], files_checked: int, rules: Sequence = (), paths: Iterable[str] = ()
) -> str:
    """JUnit XML: one test case per file, failed when the file has an error-level finding."""
    by_path: dict[str, list[Finding]] = {path: [] for path in paths}
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    failures = sum(any(f.is_error for f in fs) for fs in by_path.values())
    suites = ET.Element("testsuites", name="promisesite", tests=str(len(by_path)), failures=str(failures))
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="promisesite check",
        tests=str(len(by_path)),
        failures=str(failures),
        errors="0",
        skipped="0",
    )
    for path in sorted(by_path):
        shown = xml_text(path)
        case = ET.SubElement(suite, "testcase", classname="promisesite.check", name=shown, file=shown)
        errors = [f for f in by_path[path] if f.is_error]
        warnings = [f for f in by_path[path] if not f.is_error]
        if errors:
            failure = ET.SubElement(
                case,
                "failure",
                type=errors[0].code,
                message=xml_text(f"{plural(len(errors), 'error')}: {errors[0].message}"),
            )
            failure.text = "\n".join(f.as_text() for f in errors)
        if warnings:
            ET.SubElement(case, "system-out").text = "\n".join(f.as_text() for f in warnings)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


FORMATS: dict[str, Callable[..., str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "sarif": format_sarif,
    "junit": format_junit,
}
