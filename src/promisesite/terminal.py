"""How promisesite talks on a terminal: colour, quiet and verbose, and the build's progress bar.

Data (findings in a machine format, JSON, schemas) goes to stdout; everything said to a person
goes to stderr. Colour is used on a terminal unless `NO_COLOR` is set (https://no-color.org);
`--color always|never` overrides both. The progress bar appears only on a terminal, and only
once a build has taken a second, so CI logs and quick builds never see it.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

import click

from .findings import Finding
from .formats import format_text

_FINDING = re.compile(
    r"^(?P<where>\S+:\d+:\d+:) (?P<code>P\d{3}) (?P<level>error|warning) (?P<name>[\w-]+):", re.MULTILINE
)
_LEVEL_COLOUR = {"error": "red", "warning": "yellow"}


@dataclass
class Terminal:
    color: str = "auto"  # auto | always | never
    quiet: bool = False
    verbose: bool = False

    def colours(self, stream: IO | None = None) -> bool:
        if self.color != "auto":
            return self.color == "always"
        if os.environ.get("NO_COLOR"):
            return False
        stream = stream or sys.stdout
        return bool(getattr(stream, "isatty", lambda: False)())

    def report(self, findings: Sequence[Finding], files_checked: int, err: bool = False) -> None:
        """Findings in the text format, then the summary line unless --quiet; coloured when colour is on."""
        text = format_text(findings, files_checked)
        if self.quiet:
            text = "".join(f"{finding.as_text()}\n" for finding in findings)
        self.findings(text, err)

    def findings(self, text: str, err: bool = False) -> None:
        """Findings in the text format, with their location, code and level coloured when colour is on."""
        stream = sys.stderr if err else sys.stdout
        if self.colours(stream):
            text = _FINDING.sub(
                lambda m: (
                    f"{click.style(m['where'], bold=True)} "
                    f"{click.style(m['code'], fg=_LEVEL_COLOUR[m['level']], bold=True)} "
                    f"{click.style(m['level'], fg=_LEVEL_COLOUR[m['level']])} {m['name']}:"
                ),
                text,
            )
        click.echo(text, nl=False, err=err, color=self.colours(stream))

    def say(self, text: str, fg: str | None = None) -> None:
        """A message for a person, on stderr; nothing with --quiet."""
        if not self.quiet:
            click.echo(
                click.style(text, fg=fg) if fg and self.colours(sys.stderr) else text,
                err=True,
                color=self.colours(sys.stderr),
            )

    def warn(self, text: str, fg: str | None = None) -> None:
        """A message for a person that --quiet keeps: an error, or where to find what was asked for."""
        click.echo(
            click.style(text, fg=fg) if fg and self.colours(sys.stderr) else text,
            err=True,
            color=self.colours(sys.stderr),
        )

    def detail(self, text: str) -> None:
        """Only with --verbose."""
        if self.verbose:
            click.echo(text, err=True)

    def progress(self, label: str) -> Progress:
        return Progress(sys.stderr, enabled=not self.quiet and _is_terminal(sys.stderr), label=label)


def _is_terminal(stream: IO) -> bool:
    return bool(getattr(stream, "isatty", lambda: False)()) and os.environ.get("TERM") != "dumb"


class Progress:
    """A one-line bar redrawn in place, shown once `after` seconds have passed since it was made."""

    def __init__(self, stream: IO, enabled: bool, label: str = "Rendering", after: float = 1.0, width: int = 30):
        self.stream, self.enabled, self.label, self.after, self.width = stream, enabled, label, after, width
        self.started = time.monotonic()
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0 or time.monotonic() - self.started < self.after:
            return
        filled = self.width * done // total
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {100 * done // total:3d}% {done}/{total}"
        )
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")  # clear the bar: the summary line takes its place
            self.stream.flush()
            self.drawn = False
