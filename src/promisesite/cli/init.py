"""`promisesite init`: a new promises repository that checks and builds at once."""

from __future__ import annotations

from pathlib import Path

import click

from ..clock import resolve_today
from ..scaffold import init as scaffold
from .options import TERMINAL, Failure, friendly, terminal_options, today_option


@click.command()
@click.argument("directory", default=".", type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@today_option
@terminal_options
@friendly
def init(directory: Path, force: bool, today: str | None) -> None:
    """Scaffold a promises repository that checks and builds at once.

    Writes promisesite.yaml (every key explained), two example promises, templates/README.md,
    .gitignore, a pre-commit config and a GitHub Actions workflow. Existing files are never
    overwritten without --force.

    \b
    Examples:
      promisesite init demo && cd demo && promisesite check && promisesite build
      promisesite init                 # in the current folder
    """
    try:
        written = scaffold(directory, resolve_today(today), force=force)
    except OSError as error:
        raise Failure(
            f"cannot write into {directory} ({error.strerror or error}): choose a folder you may write to"
        ) from None
    for name in written:
        TERMINAL.detail(f"  wrote {directory / name}")
    step = "" if directory == Path(".") else f"cd {directory} && "
    TERMINAL.say(
        f"Wrote {len(written)} files into {directory}/. Next: {step}promisesite check && promisesite serve", fg="green"
    )
    if any(name.startswith(".github/") for name in written):
        TERMINAL.say(
            "Note: the workflow in .github/workflows/promises.yml publishes the site to GitHub Pages, which "
            "anyone can read when the repository is public, and the site shows each person's reliability. "
            "To publish less, set `accounting: teams` (teams only) or `accounting: none` in promisesite.yaml."
        )
