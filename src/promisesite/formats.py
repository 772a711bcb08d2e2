"""The formats CI systems read: text, json, github (workflow commands), sarif (2.1.0), junit."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree as ET

from . import __version__
from .findings import Finding, summary
from .text import plural, printable, xml_text


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


def format_github(findings: Sequence[Finding], files_checked: int, rules: Sequence = ()) -> str:
    """GitHub Actions workflow commands: annotations on the pull request's diff."""
    out = []
    for f in findings:
        props = ",".join(
            f"{key}={_github_escape_property(str(value))}"
            for key, value in (("file", f.path), ("line", f.line), ("col", f.column), ("title", f"{f.code} {f.name}"))
        )
        out.append(f"::{f.level} {props}::{_github_escape_data(f.message)}")
    out.append(summary(findings, files_checked))
    return "\n".join(out) + "\n"


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
