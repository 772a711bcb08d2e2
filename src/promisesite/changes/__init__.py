"""What a change since a base revision does to the promises, in promise terms, for whoever reviews
it (`promisesite changes`, and the job summary of `check --format github --base`)."""

from __future__ import annotations

from .describe import CLOSINGS, describe
from .items import Item, PromiseChange
from .render import as_json, as_markdown, as_text

__all__ = ["CLOSINGS", "Item", "PromiseChange", "as_json", "as_markdown", "as_text", "describe"]
