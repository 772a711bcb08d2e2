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
from .clock import resolve_today
from .config import load_config
from .errors import UserError
from .findings import printable
from .terminal import Terminal

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class Failure(click.ClickException):
    """A problem the user can fix: message on stderr, exit code 2."""

    exit_code = EXIT_USAGE

    def show(self, file=None) -> None:
        click.echo(f"promisesite: {printable(self.format_message(), lines=True)}", err=True)


def config_option(command: Callable) -> Callable:
    return click.option("--config", "config_file", type=click.Path(path_type=Path, dir_okay=False),
                        help="The site config; default: promisesite.yaml in the current folder.")(command)


def today_option(command: Callable) -> Callable:
    return click.option("--today", metavar="YYYY-MM-DD",
                        help="The date rules and pages treat as today (default: SOURCE_DATE_EPOCH, "
                             "else the local date).")(command)


TERMINAL = Terminal()


def terminal_options(command: Callable) -> Callable:
    """--color, --quiet and --verbose, for the commands that talk to a person."""

    @functools.wraps(command)
    def wrapper(*args, color: str, quiet: bool, verbose: bool, **kwargs):
        TERMINAL.color, TERMINAL.quiet, TERMINAL.verbose = color, quiet, verbose and not quiet
        return command(*args, **kwargs)

    for option in reversed((
            click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
                         help="Colour the output; auto means on a terminal, unless NO_COLOR is set."),
            click.option("-q", "--quiet", is_flag=True, help="Only findings and errors; no summary, notes or progress."),
            click.option("-v", "--verbose", is_flag=True, help="Also say what happens and how long each phase takes."))):
        wrapper = option(wrapper)
    return wrapper


def friendly(command: Callable) -> Callable:
    """Turn the input's problems into exit-2 messages, and anything unexpected into one line, not a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except UserError as error:
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
@click.option("--base", metavar="REV", help="Also compare each changed file with its version at this git revision "
                                            "(e.g. origin/main): silent due-date moves, status moving back, "
                                            "changed conditions.")
@today_option
@config_option
@terminal_options
@friendly
def check(paths: tuple[Path, ...], output_format: str, output_file: Path | None, strict: bool, base: str | None,
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
      promisesite check --base origin/main    in a pull request
    """
    from .check import run_check
    from .findings import FORMATS, format_junit, summary
    from .history import read_history
    from .rules import RULES

    config = load_config(config_file)
    history = None
    if config.has_emails:  # only then can P304 and P305 match commit authors to people
        history = read_history(config)
        if history.note:
            TERMINAL.say(f"promisesite: P304 and P305 not checked: {history.note}")
    result = run_check(config, resolve_today(today), list(paths), strict=strict, keep_bodies=False, base=base,
                       history=history)
    TERMINAL.detail(f"promisesite: checked {len(result.files)} files ({len(result.promises)} promises readable)"
                    + (f" against {base}" if base else ""))
    if output_format == "text" and not output_file:
        TERMINAL.report(result.findings, len(result.files))
        sys.exit(result.exit_code(strict))
    if output_format == "junit":
        text = format_junit(result.findings, len(result.files), RULES, paths=result.files)
    else:
        text = FORMATS[output_format](result.findings, len(result.files), RULES)
    if output_file:
        _write_atomically(output_file, text)
        if output_format != "text":
            TERMINAL.say(summary(result.findings, len(result.files)))
    else:
        click.echo(text, nl=False)
    sys.exit(result.exit_code(strict))


@cli.command()
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
def build(source: Path | None, output: Path | None, base_url: str | None, strict: bool, allow_errors: bool,
          no_cache: bool, today: str | None, config_file: Path | None) -> None:
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
    from .build import build as run_build
    from .site.writer import OutputRefused

    config = _with_overrides(load_config(config_file), source=source, output=output, base_url=base_url)
    progress = TERMINAL.progress("Rendering")
    try:
        result = run_build(config, resolve_today(today), config.output, strict=strict, allow_errors=allow_errors,
                           use_cache=not no_cache, progress=progress, timings=TERMINAL.verbose, say=TERMINAL.say)
    except OutputRefused as error:
        raise Failure(str(error)) from None
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
        TERMINAL.say(f"Built {result.pages} pages from {result.promises} promises into {where}/ "
                     f"({result.rewritten} of {result.outputs} files written; the others did not change).",
                     fg="green")
    else:
        TERMINAL.say(f"Not built: fix the errors above (or use --allow-errors); {where}/ is unchanged.", fg="red")
    sys.exit(result.exit_code(strict))


def _with_overrides(config, **overrides):
    """Command-line options over promisesite.yaml; paths relative to the working folder."""
    from dataclasses import replace

    from .config import normal_base_url

    changes = {}
    for key in ("source", "output"):
        if overrides.get(key) is not None:
            changes[key] = Path.cwd() / overrides[key]
    if overrides.get("base_url"):
        changes["base_url"] = normal_base_url(overrides["base_url"])
    if not changes:
        return config
    config = replace(config, **changes)
    config.check_paths(named=tuple(changes))
    return config


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="The port; 0 picks a free one.")
@click.option("--poll", is_flag=True, help="Poll for changes instead of native events (network drives, containers).")
@today_option
@click.option("--source", type=click.Path(path_type=Path, file_okay=False), help="The promises folder.")
@click.option("--output", type=click.Path(path_type=Path, file_okay=False),
              help="Where to write the site (default: a temporary folder, removed on exit).")
@config_option
@terminal_options
@friendly
def serve(host: str, port: int, poll: bool, today: str | None, source: Path | None, output: Path | None,
          config_file: Path | None) -> None:
    """Build, serve and watch: every save reaches the open pages at once.

    A file that breaks mid-edit shows its findings in the browser while the last good
    version is served; the next good save recovers. Ctrl-C stops.

    \b
    Examples:
      promisesite serve
      promisesite serve --port 8080 --today 2026-11-21
      promisesite serve --poll          # on a network drive or in a container
    """
    from .serve.server import serve as run_server

    overrides = {"source": Path.cwd() / source if source else None}
    sys.exit(run_server(config_file, today, host, port, poll, Path.cwd() / output if output else None, overrides,
                        quiet=TERMINAL.quiet))


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
    from .site.writer import write_file

    try:
        write_file(path, text.encode("utf-8"))
    except OSError as error:
        raise Failure(f"cannot write {path} ({error.strerror or error}): choose a folder you may write to") from None


def _register_authoring() -> None:
    from .cli_authoring import init, new

    cli.add_command(init)
    cli.add_command(new)


_register_authoring()


def main() -> None:
    cli(prog_name="promisesite")
