"""The command line: parse options, run the pipeline, map results to exit codes (SPEC §5).

Exit codes, for every command: 0 no error-level finding; 1 at least one (or, with --strict,
any warning); 2 a usage or configuration error, or an internal failure — never a traceback.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path
from typing import Callable

import click

from . import __version__
from .clock import BadToday, resolve_today
from .config import ConfigError, load_config

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class Failure(click.ClickException):
    """A problem the user can fix: message on stderr, exit code 2."""

    exit_code = EXIT_USAGE

    def show(self, file=None) -> None:
        click.echo(f"promisesite: {self.format_message()}", err=True)


def config_option(command: Callable) -> Callable:
    return click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False),
                        help="The site config; default: promisesite.yaml in the current folder.")(command)


def today_option(command: Callable) -> Callable:
    return click.option("--today", metavar="YYYY-MM-DD",
                        help="The date rules and pages treat as today (default: SOURCE_DATE_EPOCH, "
                             "else the local date).")(command)


def friendly(command: Callable) -> Callable:
    """Turn the input's problems into exit-2 messages, and anything unexpected into one line, not a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from .check import UsageError

        try:
            return command(*args, **kwargs)
        except (ConfigError, BadToday, UsageError) as error:
            raise Failure(str(error)) from None
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, KeyboardInterrupt):
            raise
        except Exception as error:  # noqa: BLE001 - the promise of SPEC §5: no traceback, ever
            if os.environ.get("PROMISESITE_DEBUG"):
                raise
            raise Failure(f"internal error: {type(error).__name__}: {error}. This is a bug in promisesite; "
                          "rerun with PROMISESITE_DEBUG=1 for the traceback and report it") from None

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="promisesite")
def cli() -> None:
    """Manage work as promises: check promise files in CI and publish them as a static site.

    \b
    Examples:
      promisesite check                       check every promise in promises/
      promisesite check --format github       annotations on a pull request
      promisesite rules P205                  why a rule exists, with an example
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github", "sarif", "junit"]),
              default="text", show_default=True, help="How to print the findings.")
@click.option("--output-file", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the findings to this file instead of standard output.")
@click.option("--strict", is_flag=True, help="Fail on warnings too; overdue promises become errors.")
@today_option
@config_option
@friendly
def check(paths: tuple[Path, ...], output_format: str, output_file: Path | None, strict: bool,
          today: str | None, config_file: Path | None) -> None:
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
    """
    from .check import run_check
    from .findings import FORMATS, format_junit
    from .rules import RULES

    config = load_config(config_file)
    result = run_check(config, resolve_today(today), list(paths), strict=strict)
    if output_format == "junit":
        text = format_junit(result.findings, len(result.files), RULES, paths=result.files)
    else:
        text = FORMATS[output_format](result.findings, len(result.files), RULES)
    if output_file:
        _write_atomically(output_file, text)
        if output_format != "text":
            from .findings import summary
            click.echo(summary(result.findings, len(result.files)), err=True)
    else:
        click.echo(text, nl=False)
    sys.exit(result.exit_code(strict))


@cli.command()
@click.argument("code", required=False)
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="markdown renders the catalogue for docs.")
@friendly
def rules(code: str | None, output_format: str) -> None:
    """Explain the rules: what each checks, why it matters, an example.

    \b
    Examples:
      promisesite rules              the catalogue, one rule per line
      promisesite rules P205         one rule in full
      promisesite rules hedge        rules can be named by name too
    """
    from .rules import RULES, lookup, suggest

    chosen = RULES
    if code:
        rule = lookup(code)
        if rule is None:
            raise Failure(f"no rule {code!r}: {suggest(code)}")
        chosen = (rule,)
    if output_format == "json":
        click.echo(json.dumps([{"code": r.code, "name": r.name, "level": r.level, "summary": r.summary,
                                "why": r.why, "bad": r.bad, "good": r.good, "needs": r.needs} for r in chosen],
                              indent=2, ensure_ascii=False))
    elif output_format == "markdown":
        click.echo("\n".join(rule.help_markdown() for rule in chosen), nl=False)
    elif code:
        click.echo(chosen[0].help_text())
    else:
        width = max(len(rule.name) for rule in RULES)
        for rule in RULES:
            click.echo(f"{rule.code}  {rule.name:<{width}}  {rule.level:<7}  {rule.summary}")
        click.echo("\nRun `promisesite rules CODE` for why a rule exists and an example.")


@cli.command()
@friendly
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of a promise file's front matter.

    \b
    Example, for editors using the YAML language server:
      promisesite schema > promise.schema.json
      # then put `# yaml-language-server: $schema=promise.schema.json` in the front matter
    """
    from .schema import front_matter_schema

    click.echo(json.dumps(front_matter_schema(), indent=2, ensure_ascii=False))


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise Failure(f"cannot write {path} ({error.strerror or error}): choose a folder you may write to") from None


def main() -> None:
    cli(prog_name="promisesite")
