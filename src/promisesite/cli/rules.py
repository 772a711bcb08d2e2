"""`promisesite rules [CODE]`: the catalogue, or one rule in full."""

from __future__ import annotations

import json

import click

from ..rules import RULES, lookup, suggest
from .options import Failure, friendly


@click.command()
@click.argument("code", required=False)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="markdown renders the catalogue for docs.",
)
@friendly
def rules(code: str | None, output_format: str) -> None:
    """Explain the rules: what each checks, why it matters, an example.

    \b
    Examples:
      promisesite rules              the catalogue, one rule per line
      promisesite rules P205         one rule in full
      promisesite rules hedge        rules can be named by name too
    """
    chosen = RULES
    if code:
        found = lookup(code)
        if found is None:
            raise Failure(f"no rule {code!r}: {suggest(code)}")
        chosen = (found,)
    if output_format == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "code": r.code,
                        "name": r.name,
                        "level": r.level,
                        "scope": r.scope.value,
                        "summary": r.summary,
                        "why": r.why,
                        "bad": r.bad,
                        "good": r.good,
                        "needs": r.needs,
                    }
                    for r in chosen
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
    elif output_format == "markdown":
        click.echo("\n".join(found.help_markdown() for found in chosen), nl=False)
    elif code:
        click.echo(chosen[0].help_text())
    else:
        width = max(len(found.name) for found in RULES)
        for found in RULES:
            click.echo(f"{found.code}  {found.name:<{width}}  {found.level:<7}  {found.summary}")
        click.echo("\nRun `promisesite rules CODE` for why a rule exists and an example.")
