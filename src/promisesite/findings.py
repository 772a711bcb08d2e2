"""A finding, and the formats CI systems read (SPEC §5: text, json, github, sarif, junit)."""

from __future__ import annotations

import enum
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, replace
from typing import Callable, Iterable, Sequence
from urllib.parse import quote
from xml.etree import ElementTree as ET

from . import __version__


class Level(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    OFF = "off"


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    column: int
    code: str
    name: str
    level: str  # "error" or "warning"
    message: str

    @property
    def is_error(self) -> bool:
        return self.level == Level.ERROR.value

    def as_text(self) -> str:
        """`path:line:col: CODE level name: message` on one line, whatever the path and message hold."""
        return (f"{printable(self.path)}:{self.line}:{self.column}: {self.code} {self.level} {self.name}: "
                f"{printable(self.message)}")


# Characters that would end a line, move the cursor, recolour a terminal or reorder text when a
# value from a file is printed: C0 and C1 controls, DEL, line and paragraph separators, bidi controls.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                          "\u2066-\u2069\ufeff\ufffe\uffff]")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Characters XML 1.0 does not allow at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def printable(text: str, lines: bool = False) -> str:
    """Text with every control character shown as an escape (`\\n`, `\\x1b`), safe to print on one line;
    with `lines`, line breaks are kept (a message of several lines)."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: m.group() if lines and m.group() == "\n" else _SHORT.get(m.group()) or (
        f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"), text)


def xml_text(text: str) -> str:
    """Text an XML 1.0 document can hold: forbidden characters become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text) if _NOT_XML.search(text) else text


MAX_PER_RULE = 20  # findings of one rule in one file; the rest are counted in one more finding


def bounded(findings: Sequence[Finding], limit: int = MAX_PER_RULE) -> list[Finding]:
    """At most `limit` findings of each rule in each file, then one that says how many more there are."""
    totals = Counter((f.path, f.code) for f in findings)
    if all(count <= limit for count in totals.values()):
        return list(findings)
    kept: list[Finding] = []
    seen: Counter[tuple[str, str]] = Counter()
    for finding in findings:
        key = (finding.path, finding.code)
        seen[key] += 1
        if seen[key] <= limit:
            kept.append(finding)
        elif seen[key] == limit + 1:
            more = totals[key] - limit
            kept.append(replace(finding, message=f"and {more:,} more {finding.code} finding{'s' * (more != 1)} in "
                                                 f"this file, not listed: fix the {limit} above, then check again"))
    return kept


def summary(findings: Sequence[Finding], files_checked: int) -> str:
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    files = f"{files_checked} file{'s' * (files_checked != 1)}"
    if not findings:
        return f"All good: {files} checked, no findings."
    return (f"Found {errors} error{'s' * (errors != 1)} and {warnings} warning{'s' * (warnings != 1)} "
            f"in {files}.")


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
        props = ",".join(f"{key}={_github_escape_property(str(value))}" for key, value in (
            ("file", f.path), ("line", f.line), ("col", f.column), ("title", f"{f.code} {f.name}")))
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
        "rules": [{
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.why},
            "help": {"text": rule.help_text(), "markdown": rule.help_markdown()},
            "defaultConfiguration": {"level": rule.level},
        } for rule in rules],
    }
    results = []
    for f in findings:
        result = {
            "ruleId": f.code,
            "level": f.level,
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": quote(f.path), "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": f.line, "startColumn": f.column},
            }}],
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": "./"}},
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def format_junit(findings: Sequence[Finding], files_checked: int, rules: Sequence = (),
                 paths: Iterable[str] = ()) -> str:
    """JUnit XML: one test case per file, failed when the file has an error-level finding."""
    by_path: dict[str, list[Finding]] = {path: [] for path in paths}
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    failures = sum(any(f.is_error for f in fs) for fs in by_path.values())
    suites = ET.Element("testsuites", name="promisesite", tests=str(len(by_path)), failures=str(failures))
    suite = ET.SubElement(suites, "testsuite", name="promisesite check", tests=str(len(by_path)),
                          failures=str(failures), errors="0", skipped="0")
    for path in sorted(by_path):
        shown = xml_text(path)
        case = ET.SubElement(suite, "testcase", classname="promisesite.check", name=shown, file=shown)
        errors = [f for f in by_path[path] if f.is_error]
        warnings = [f for f in by_path[path] if not f.is_error]
        if errors:
            failure = ET.SubElement(case, "failure", type=errors[0].code, message=xml_text(
                f"{len(errors)} error{'s' * (len(errors) != 1)}: {errors[0].message}"))
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
