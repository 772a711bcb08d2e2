"""What every command shares: the error that exits 2, the common options, and the terminal."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from ..config import Config, normal_base_url
from ..errors import UserError
from ..terminal import Terminal
from ..text import printable

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
TERMINAL = Terminal()


class Failure(click.ClickException):
    """A problem the user can fix: message on stderr, exit code 2."""

    exit_code = EXIT_USAGE

    def show(self, file: Any = None) -> None:
        click.echo(f"promisesite: {printable(self.format_message(), lines=True)}", err=True)


def config_option(command: Callable) -> Callable:
    return click.option(
        "--config",
        "config_file",
        type=click.Path(path_type=Path, dir_okay=False),
        help="The site config; default: promisesite.yaml in the current folder.",
    )(command)


def today_option(command: Callable) -> Callable:
    return click.option(
        "--today",
        metavar="YYYY-MM-DD",
        help="The date rules and pages treat as today (default: SOURCE_DATE_EPOCH, else the local date).",
    )(command)


def terminal_options(command: Callable) -> Callable:
    """--color, --quiet and --verbose, for the commands that talk to a person."""

    @functools.wraps(command)
    def wrapper(*args: Any, color: str, quiet: bool, verbose: bool, **kwargs: Any) -> Any:
        TERMINAL.color, TERMINAL.quiet, TERMINAL.verbose = color, quiet, verbose and not quiet
        return command(*args, **kwargs)

    for option in reversed(
        (
            click.option(
                "--color",
                type=click.Choice(["auto", "always", "never"]),
                default="auto",
                show_default=True,
                help="Colour the output; auto means on a terminal, unless NO_COLOR is set.",
            ),
            click.option(
                "-q", "--quiet", is_flag=True, help="Only findings and errors; no summary, notes or progress."
            ),
            click.option("-v", "--verbose", is_flag=True, help="Also say what happens and how long each phase takes."),
        )
    ):
        wrapper = option(wrapper)
    return wrapper


def friendly(command: Callable) -> Callable:
    """Turn the input's problems into exit-2 messages, and anything unexpected into one line, not a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except UserError as error:
            raise Failure(str(error)) from None
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, KeyboardInterrupt):
            raise
        except Exception as error:  # noqa: BLE001 - every command's promise: no traceback, ever
            if os.environ.get("PROMISESITE_DEBUG"):
                raise
            raise Failure(
                f"internal error: {type(error).__name__}: {error}. This is a bug in promisesite; "
                "rerun with PROMISESITE_DEBUG=1 for the traceback and report it"
            ) from None

    return wrapper


def with_overrides(config: Config, **overrides: Any) -> Config:
    """Command-line options over promisesite.yaml; paths relative to the working folder."""
    changes: dict[str, Any] = {}
    for key in ("source", "output"):
        if overrides.get(key) is not None:
            changes[key] = Path(os.path.normpath(Path.cwd() / overrides[key]))
    if overrides.get("base_url"):
        changes["base_url"] = normal_base_url(overrides["base_url"])
    if not changes:
        return config
    config = replace(config, **changes)
    config.check_paths(named=tuple(key for key in changes if key != "base_url"))
    return config
