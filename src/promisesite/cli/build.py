"""`promisesite build`: check, then render the site and swap it in."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..build import build as run_build
from ..clock import resolve_today
from ..config import load_config
from ..text import plural
from .options import TERMINAL, config_option, friendly, terminal_options, today_option, with_overrides


@click.command()
@click.option("--source", type=click.Path(path_type=Path, file_okay=False), help="The promises folder.")
@click.option("--output", type=click.Path(path_type=Path, file_okay=False), help="Where to write the site.")
@click.option("--base-url", help="The path (or full URL) the site is served under, e.g. /team-promises/.")
@click.option("--strict", is_flag=True, help="Fail on warnings too; overdue promises become errors.")
@click.option("--allow-errors", is_flag=True, help="Build despite errors, marking each problem on its page.")
@click.option("--no-cache", is_flag=True, help="Ignore and do not update .promisesite-cache/.")
@today_option
@config_option
@terminal_options
@friendly
def build(
    source: Path | None,
    output: Path | None,
    base_url: str | None,
    strict: bool,
    allow_errors: bool,
    no_cache: bool,
    today: str | None,
    config_file: Path | None,
) -> None:
    """Check the promises, then render the site into the output folder.

    With an error-level finding the build stops (exit 1) and the previous site is left
    untouched. The output folder is replaced atomically: a reader never sees a half-written
    site.

    \b
    Examples:
      promisesite build
      promisesite build --base-url /team-promises/ --output public
      promisesite build --allow-errors      # a preview that shows every problem
    """
    config = with_overrides(load_config(config_file), source=source, output=output, base_url=base_url)
    progress = TERMINAL.progress("Rendering")
    try:
        result = run_build(
            config,
            resolve_today(today),
            config.output,
            strict=strict,
            allow_errors=allow_errors,
            use_cache=not no_cache,
            progress=progress,
            timings=TERMINAL.verbose,
            say=TERMINAL.say,
        )
    finally:
        progress.finish()
    if result.findings:
        TERMINAL.report(result.findings, result.files, err=True)
    if result.note:
        TERMINAL.say(f"promisesite: no history on the pages: {result.note}")
    if result.cache_note:
        TERMINAL.say(f"promisesite: the build cache was not used: {result.cache_note}")
    where = config.relative(config.output)
    if result.unchanged:
        TERMINAL.say(f"Nothing changed since the last build: {where}/ is up to date ({result.pages} pages).")
    elif result.written:
        written = (
            f"{result.outputs} files"
            if result.rewritten == result.outputs
            else f"{result.rewritten} of {result.outputs} files written; the others did not change"
        )
        TERMINAL.say(
            f"Built {result.pages} pages from {result.promises} promises into {where}/ ({written}).", fg="green"
        )
        if TERMINAL.verbose:
            cached = result.bodies - result.bodies_rendered
            TERMINAL.say(
                f"Markdown rendered {result.bodies_rendered} of {plural(result.bodies, 'body', 'bodies')}; "
                f"{cached} came from the build cache."
            )
    else:
        TERMINAL.say(f"Not built: fix the errors above (or use --allow-errors); {where}/ is unchanged.", fg="red")
    sys.exit(result.exit_code(strict))
