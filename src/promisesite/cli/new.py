"""`promisesite new`: a promise file written from options or answers, each checked by the rules."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..authoring import STATUSES, Draft
from ..clock import resolve_today
from ..config import load_config
from .options import TERMINAL, Failure, config_option, friendly, terminal_options, today_option


@click.command()
@click.argument("title", required=False)
@click.option("--promiser", metavar="HANDLE", help="The one person who promises.")
@click.option("--customer", metavar="HANDLE", help="Who will be satisfied: a person or a team, not the promiser.")
@click.option("--due", metavar="YYYY-MM-DD", help="By when.")
@click.option("--team", metavar="HANDLE", help="The team it belongs to (default: the promiser's, from the registry).")
@click.option(
    "--done-when", "done_when", multiple=True, metavar="TEXT", help="A condition of satisfaction; repeat for several."
)
@click.option(
    "--status",
    type=click.Choice(STATUSES),
    default="promised",
    show_default=True,
    help="Where the conversation stands.",
)
@today_option
@config_option
@terminal_options
@friendly
def new(
    title: str | None,
    promiser: str | None,
    customer: str | None,
    due: str | None,
    team: str | None,
    done_when: tuple[str, ...],
    status: str,
    today: str | None,
    config_file: Path | None,
) -> None:
    """Write a new promise file, with today's date in its milestone.

    On a terminal it asks for whatever the options did not give, and checks each answer
    with the same rules as `promisesite check`: a vague answer is explained and asked again.
    Without a terminal it takes options only. It never overwrites a file.

    \b
    Examples:
      promisesite new
      promisesite new "Refund API p95 under 200 ms" --promiser ana.lima --customer payments \\
          --due 2026-12-15 --done-when "p95 of POST /refunds is below 200 ms for 7 days"
    """
    config = load_config(config_file)
    draft = Draft(config, resolve_today(today), status)
    interactive = sys.stdin.isatty()
    given = {"title": title, "promiser": promiser, "customer": customer, "team": team, "due": due}
    questions = [
        ("title", "Title (what will be true when it is done)"),
        ("promiser", "Promiser (who promises)"),
        ("customer", "Customer (who will be satisfied)"),
        ("due", "Due date (YYYY-MM-DD)"),
    ]
    if team:
        _take(draft, "team", team)
    for key, question in questions:
        value = given[key]
        if value is not None:
            _take(draft, key, value)
        elif interactive:
            _ask(draft, key, question)
        else:
            raise Failure(
                f"missing {'TITLE' if key == 'title' else '--' + key}: {_EXAMPLES[key]} (or run "
                "`promisesite new` on a terminal to be asked)"
            )
    for condition in done_when:
        _take(draft, "done_when", condition)
    if not interactive and not done_when and status != "requested":
        raise Failure(
            'missing --done-when: give each condition of satisfaction, e.g. --done-when "p95 of POST '
            '/refunds is below 200 ms for 7 days" (only a `requested` promise may have none yet)'
        )
    if interactive and not done_when:
        number = 1
        optional = status == "requested"
        while True:
            label = f"Condition of satisfaction {number}" + (" (empty to finish)" if number > 1 or optional else "")
            answer = click.prompt(label, default="", show_default=False, err=True).strip()
            if not answer and (number > 1 or optional):
                break
            problems = draft.problems("done_when", answer)
            if problems:
                _explain(problems)
                continue
            draft.set("done_when", answer)
            number += 1
    errors = draft.remaining_errors()
    if errors:
        raise Failure(
            "the promise would not pass `promisesite check`, so nothing was written:\n  " + "\n  ".join(errors)
        )
    path = draft.path()
    if not path.parent.resolve().is_relative_to(config.source.resolve()):
        raise Failure(
            f"{config.relative(path.parent)} leads out of the source folder through a symbolic link, so "
            "nothing was written: remove the link, or write the promise file by hand"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as handle:  # "x": never overwrite
            handle.write(draft.text())
    except FileExistsError:
        raise Failure(
            f"{config.relative(path)} already exists and was left as it is: choose another title, or edit that file"
        ) from None
    except OSError as error:
        raise Failure(f"cannot write {path} ({error.strerror or error})") from None
    TERMINAL.say(f"Wrote {config.relative(path)}", fg="green")


_EXAMPLES = {
    "title": 'give the promise in words, e.g. promisesite new "Refund API p95 under 200 ms"',
    "promiser": "name the person who promises, e.g. --promiser ana.lima",
    "customer": "name who will be satisfied, e.g. --customer payments",
    "due": "give a date, e.g. --due 2026-12-15",
}


def _take(draft, key: str, value: str) -> None:
    problems = draft.problems(key, value)
    if problems:
        name = "TITLE" if key == "title" else "--" + key.replace("_", "-")
        raise Failure(f"{name} {value!r}:\n  " + "\n  ".join(problems))
    draft.set(key, value)


def _ask(draft, key: str, question: str) -> None:
    while True:
        answer = click.prompt(question, err=True).strip()
        problems = draft.problems(key, answer)
        if not problems:
            draft.set(key, answer)
            return
        _explain(problems)


def _explain(problems: list[str]) -> None:
    for problem in problems:
        click.echo(f"  ✗ {problem}", err=True)
    click.echo("  Try again.", err=True)
