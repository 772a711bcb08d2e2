"""`promisesite changes`: what a change does to the promises, in their terms, for its reviewers."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..changes import as_json, as_markdown, as_text, describe
from ..check import authorship_history, run_check
from ..clock import resolve_today
from ..config import load_config
from .options import config_option, friendly, terminal_options, today_option

RENDER = {"text": as_text, "markdown": as_markdown, "json": as_json}


@click.command()
@click.option(
    "--base", metavar="REV", required=True, help="The revision the change is compared with, e.g. origin/main."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(list(RENDER)),
    default="text",
    show_default=True,
    help="How to print it.",
)
@today_option
@config_option
@terminal_options
@friendly
def changes(base: str, output_format: str, today: str | None, config_file: Path | None) -> None:
    """Say what the change since REV does to the promises: made, requested or offered;
    renegotiated; conditions changed; delivered, accepted, closed, deleted; and who must
    agree or act. Beside each, what `check --base REV` finds. Exit 1 on an error.

    \b
    Examples:
      promisesite changes --base origin/main
      promisesite changes --base origin/main --format markdown >> "$GITHUB_STEP_SUMMARY"
      promisesite changes --base "$(git merge-base origin/main HEAD)" --format json
    """
    config = load_config(config_file)
    # The same findings as `check --base` (P304 and P305 included), and notes edits shown too.
    history = authorship_history(config)
    result = run_check(config, resolve_today(today), keep_bodies=True, base=base, history=history)
    click.echo(RENDER[output_format](describe(result, config), base), nl=False)
    sys.exit(result.exit_code())
