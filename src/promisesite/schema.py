"""The JSON Schema (draft 2020-12) of the front matter, generated from `model.FIELDS`.

Editors use it for completion and inline errors; it describes forms, while `check` judges
meaning (vague words, dates in order, the tree).
"""

from __future__ import annotations

from typing import Any

from .model import (
    CAUSES,
    CONFIDENCES,
    DATE_PATTERN,
    FIELDS,
    HANDLE_PATTERN,
    RENEGOTIATION_FIELDS,
    RENEGOTIATION_REQUIRED,
    SLUG_PATTERN,
    WAIVER_FIELDS,
    FieldSpec,
    Kind,
    Status,
)

SCHEMA_ID = "urn:promisesite:schema:promise"


def _text(min_length: int = 1) -> dict[str, Any]:
    return {"type": "string", "minLength": min_length}


def _property(spec: FieldSpec) -> dict[str, Any]:
    kind = spec.kind
    if kind is Kind.DATE:
        prop: dict[str, Any] = {"type": "string", "format": "date", "pattern": f"^{DATE_PATTERN}$"}
    elif kind is Kind.HANDLE:
        prop = {"type": "string", "pattern": f"^{HANDLE_PATTERN}$"}
    elif kind is Kind.SLUG:
        prop = {"type": "string", "pattern": f"^{SLUG_PATTERN}$"}
    elif kind is Kind.LINE:
        prop = {"type": "string", "minLength": 1, "pattern": r"^[^\n]*$"}
    elif kind in (Kind.TEXT, Kind.HANDLE_OR_TEXT):
        prop = _text()
    elif kind is Kind.STATUS:
        prop = {"enum": [s.value for s in Status]}
    elif kind is Kind.CONFIDENCE:
        prop = {"enum": list(CONFIDENCES)}
    elif kind is Kind.CAUSE:  # `causes:` in promisesite.yaml may name others; `check` knows which
        prop = {"type": "string", "pattern": f"^{SLUG_PATTERN}$", "examples": list(CAUSES)}
    elif kind is Kind.TEXT_LIST:
        prop = {"type": "array", "items": _text()}
    elif kind is Kind.RENEGOTIATIONS:
        prop = {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": list(RENEGOTIATION_REQUIRED),
                "properties": {s.name: _property(s) for s in RENEGOTIATION_FIELDS},
            },
        }
    elif kind is Kind.WAIVERS:
        prop = {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["rule", "reason"],
                "properties": {s.name: _property(s) for s in WAIVER_FIELDS},
            },
        }
    else:  # pragma: no cover - every kind is handled above
        raise ValueError(kind)
    return {"description": spec.description, **prop}


def _status_requires(status: Status) -> dict[str, Any]:
    required = list(status.required_dates)
    if status.needs_due:
        required.append("due")
    if status.needs_conditions:
        required.append("done_when")
    if status in (Status.REVOKED, Status.CANCELLED):
        required.append("closed_reason")
    return {
        "if": {"properties": {"status": {"const": status.value}}, "required": ["status"]},
        "then": {"required": required},
    }


def front_matter_schema() -> dict[str, Any]:
    properties = {spec.name: _property(spec) for spec in FIELDS}
    properties["done_when"]["minItems"] = 1
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "promisesite promise",
        "description": "The YAML front matter of a promise file. `promisesite rules` explains every check.",
        "type": "object",
        "additionalProperties": False,
        "required": ["title", "promiser", "customer", "status"],
        "properties": properties,
        "allOf": [_status_requires(status) for status in Status],
    }
