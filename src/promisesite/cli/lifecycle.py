"""`promisesite renegotiate|promise|deliver|accept|decline|withdraw|revoke|cancel ID`: change a promise
as the record requires, in place (every other byte of the file as it was), check the result, and
leave it uncommitted, or commit that file alone with --commit."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click

from ..check import run_check
from ..clock import resolve_today
from ..config import Config, load_config
from ..edit.lifecycle import MOVES, move, renegotiate
from ..edit.source import EditRefused, PromiseSource
from ..read.dates import parse_date
from ..read.files import Unreadable, read_bounded
from ..site.writer import write_file
from .options import TERMINAL, Failure, config_option, friendly, terminal_options, today_option


def _date(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    day = parse_date(value)
    if day is None:
        raise Failure(f"{name} {value!r} is not a date: write it as YYYY-MM-DD, e.g. {name} 2027-01-15")
    return day


def _edit(
    config: Config, promise_id: str, today: dt.date, change: Callable[[PromiseSource], str], commit: bool
) -> None:
    """Find the promise file by id, change it, check it, write it (and commit it)."""
    files = {Path(rel).stem: (rel, path) for rel, path in config.sources().files.items()}
    if promise_id not in files:
        raise Failure(
            f"no promise `{promise_id}` in {config.relative(config.source)}/: give its id, the file name without .md"
        )
    rel, path = files[promise_id]
    raw = read_bounded(path, config.max_file_size, config.repository)
    if isinstance(raw, Unreadable):
        raise Failure(f"{rel}: the file {raw.reason}")
    try:
        source = PromiseSource(raw.decode("utf-8"))
        before = _errors(config, today, path)
        said = change(source)
    except UnicodeDecodeError:
        raise Failure(f"{rel} is not UTF-8 text: save it as UTF-8, then run this again") from None
    except EditRefused as refused:
        raise Failure(f"{promise_id} was left as it was: {refused}") from None
    original = raw.decode("utf-8")
    try:
        write_file(path, source.text().encode("utf-8"))
    except OSError as error:
        raise Failure(f"cannot write {rel} ({error.strerror or error})") from None
    result = run_check(config, today, [path], keep_bodies=False)
    new = [f for f in result.findings if f.is_error and (f.code, f.line) not in before]
    if new:
        write_file(path, original.encode("utf-8"))  # the change would make the record wrong: undone
        shown = "\n  ".join(f.as_text() for f in new)
        raise Failure(f"{promise_id} was left as it was: the change would fail `promisesite check`:\n  {shown}")
    TERMINAL.say(f"{rel}: {said}", fg="green")
    if result.findings:
        TERMINAL.report(result.findings, 1, err=True)
    if commit:
        _commit(config, path, f"{promise_id}: {said}")


def _errors(config: Config, today: dt.date, path: Path) -> set[tuple[str, int]]:
    return {(f.code, f.line) for f in run_check(config, today, [path], keep_bodies=False).findings if f.is_error}


def _commit(config: Config, path: Path, message: str) -> None:
    """Commit this one file, whatever else is staged (it stays staged)."""
    done = subprocess.run(
        ["git", "commit", "-q", "--only", "-m", message, "--", str(path)],
        cwd=config.root,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise Failure(
            f"the file is changed, but git could not commit it ({done.stderr.strip() or done.stdout.strip()})"
        )
    TERMINAL.say(f"Committed: {message}")


def _ask(value: str | None, question: str) -> str:
    """An option's value, or, on a terminal, the answer to a question; "" otherwise."""
    if value:
        return value
    if sys.stdin.isatty():
        return click.prompt(question, err=True).strip()
    return ""


_COMMIT = click.option("--commit", is_flag=True, help="Also commit the file, and only it.")


def _decorated(command: Callable) -> Callable:
    """The options every lifecycle command shares, and the error handling of every command."""
    return friendly(today_option(config_option(terminal_options(_COMMIT(command)))))


@click.command("renegotiate")
@click.argument("promise_id", metavar="ID")
@click.option("--due", "due", metavar="DATE", help="The new due date, as agreed with the customer.")
@click.option("--reason", default=None, help="Why the date or the terms change.")
@click.option("--agreed-by", default="", metavar="H", help="Who agreed (default: the customer).")
@click.option("--cause", default="", metavar="C", help="Why it had to move: one of the configured causes.")
@click.option("--changed", default="", metavar="TEXT", help="What else changes: scope, conditions, cost.")
@_decorated
def renegotiate_command(
    promise_id: str,
    due: str | None,
    reason: str | None,
    agreed_by: str,
    cause: str,
    changed: str,
    commit: bool,
    today: str | None,
    config_file: Path | None,
) -> None:
    """Renegotiate a promise: append the entry (`was` from the file, `on` today) and move `due`.
    With the same --due and --changed, a renegotiation of the terms alone.

    \b
    Examples:
      promisesite renegotiate checkout-latency --due 2027-01-15 --reason "the vendor slipped two weeks"
      promisesite renegotiate checkout-latency --due 2026-12-15 --changed "p95 target 300 → 400 ms" --reason "…"
    """
    config = load_config(config_file)
    day = resolve_today(today)
    new_due = _date(_ask(due, "New due date (YYYY-MM-DD)"), "--due")
    why = _ask(reason, "Reason (why it changes)")
    if new_due is None:
        raise Failure("missing --due: the new due date agreed with the customer, e.g. --due 2027-01-15")
    _edit(
        config,
        promise_id,
        day,
        lambda source: renegotiate(source, new_due, why, day, agreed_by, cause, changed),
        commit,
    )


def _move_command(verb: str) -> click.Command:
    chosen = MOVES[verb]

    @click.option("--on", "on", metavar="DATE", help="The day it happened (default: today).")
    @click.option("--reason", default="", help="Why (required for revoke and cancel): becomes `closed_reason`.")
    @_decorated
    def command(
        promise_id: str, on: str | None, reason: str, commit: bool, today: str | None, config_file: Path | None
    ) -> None:
        config = load_config(config_file)
        day = resolve_today(today)
        when = _date(on, "--on") or day
        why = _ask(reason, "Reason (why)") if chosen.needs_reason else reason
        _edit(config, promise_id, day, lambda source: move(source, verb, when, why), commit)

    command.__doc__ = f"""{chosen.help} Sets `status: {chosen.to.value}` and the date it records, in place.

    \\b
    Example:
      promisesite {verb} checkout-latency{' --reason "…"' if chosen.needs_reason else ""}
    """
    return click.command(verb)(click.argument("promise_id", metavar="ID")(command))


promise = _move_command("promise")
deliver = _move_command("deliver")
accept = _move_command("accept")
decline = _move_command("decline")
withdraw = _move_command("withdraw")
revoke = _move_command("revoke")
cancel = _move_command("cancel")
