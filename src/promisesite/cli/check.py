"""`promisesite check`: findings for CI, in the format it reads."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from ..changes import as_markdown, describe
from ..check import authorship_history, run_check, touched_paths
from ..clock import resolve_today
from ..config import load_config
from ..findings import summary
from ..formats import ANNOTATIONS_PER_LEVEL, FORMATS, findings_markdown, format_github, format_junit
from ..rules import RULES
from ..site.writer import write_file
from .fixing import apply_fixes
from .options import TERMINAL, Failure, config_option, friendly, terminal_options, today_option


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(list(FORMATS)),
    default="text",
    show_default=True,
    help="How to print the findings.",
)
@click.option(
    "--output-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the findings to this file instead of standard output.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too; overdue promises become errors.")
@click.option(
    "--base",
    metavar="REV",
    help="Also compare each changed file with its version at this git revision "
    "(e.g. origin/main): silent due-date moves, status moving back, "
    "changed conditions.",
)
@click.option("--fix", is_flag=True, help="Apply the safe fixes in place, and say each one; then check.")
@click.option("--diff", is_flag=True, help="With --fix: print the fixes as a diff and write nothing.")
@today_option
@config_option
@terminal_options
@friendly
def check(
    paths: tuple[Path, ...],
    output_format: str,
    output_file: Path | None,
    strict: bool,
    base: str | None,
    fix: bool,
    diff: bool,
    today: str | None,
    config_file: Path | None,
) -> None:
    """Check promise files: exit 1 on an error-level finding.

    PATHS are promise files or folders (default: the configured source folder). Rules
    that look across files (duplicate ids, the serves tree) always run over the whole
    source folder, so naming single files works as a pre-commit hook.

    \b
    Examples:
      promisesite check
      promisesite check promises/checkout-latency.md
      promisesite check --format sarif --output-file promisesite.sarif
      promisesite check --strict --today 2026-11-21
      promisesite check --base origin/main    in a pull request
      promisesite check --fix                 apply the safe fixes (--diff to see them first)
    """
    config = load_config(config_file)
    if diff and not fix:
        raise Failure("--diff shows what --fix would change: write `promisesite check --fix --diff`")
    if fix:
        changed = apply_fixes(config, resolve_today(today), list(paths), write=not diff)
        if diff:
            sys.exit(1 if changed else 0)
    history = authorship_history(config)  # only with emails can P304 and P305 match commit authors to people
    if history is not None and history.note:
        TERMINAL.say(f"promisesite: P304 and P305 not checked: {history.note}")
    result = run_check(
        config, resolve_today(today), list(paths), strict=strict, keep_bodies=bool(base), base=base, history=history
    )
    TERMINAL.detail(
        f"promisesite: checked {len(result.files)} files ({len(result.promises)} promises readable)"
        + (f" against {base}" if base else "")
    )
    touched = touched_paths(result)
    if output_format == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        parts = [as_markdown(describe(result, config), base)] if base else []
        if len(result.findings) > 2 * ANNOTATIONS_PER_LEVEL:  # more than the annotations can show
            parts.append(findings_markdown(sorted(result.findings, key=lambda f: f.path not in touched)))
        if parts:
            _summarise(Path(os.environ["GITHUB_STEP_SUMMARY"]), "\n".join(parts))
    if output_format == "text" and not output_file:
        TERMINAL.report(result.findings, len(result.files))
        sys.exit(result.exit_code(strict))
    if output_format == "junit":
        text = format_junit(result.findings, len(result.files), RULES, paths=result.files)
    elif output_format == "github":
        text = format_github(result.findings, len(result.files), RULES, first=touched if base else None)
    else:
        text = FORMATS[output_format](result.findings, len(result.files), RULES)
    if output_file:
        try:
            write_file(output_file, text.encode("utf-8"))
        except OSError as error:
            raise Failure(
                f"cannot write {output_file} ({error.strerror or error}): choose a folder you may write to"
            ) from None
        if output_format != "text":
            TERMINAL.say(summary(result.findings, len(result.files)))
    else:
        click.echo(text, nl=False)
    sys.exit(result.exit_code(strict))


def _summarise(summary_file: Path, markdown: str) -> None:
    """Append the change's summary to the GitHub Actions job summary (a file GitHub names)."""
    try:
        with open(summary_file, "a", encoding="utf-8") as handle:
            handle.write(markdown + "\n")
    except OSError as error:
        TERMINAL.say(f"promisesite: the job summary was not written ({error.strerror or error})")
