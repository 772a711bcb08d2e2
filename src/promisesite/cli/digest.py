"""`promisesite digest`: who owes what and who waits for whom, for the weekly review; printed, posted
to a chat webhook, or mailed to each person."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..build import ledger_of
from ..check import history_of, run_check
from ..clock import resolve_today
from ..config import load_config
from ..digest.items import HORIZON_DAYS, person_digest, team_digest
from ..digest.render import RENDER, as_markdown, as_text
from ..digest.send import DeliveryError, mail, post, shown
from ..site.urls import Urls
from .options import TERMINAL, Failure, config_option, friendly, terminal_options, today_option


@click.command()
@click.option("--for", "person", metavar="HANDLE", help="Only this person's digest.")
@click.option("--team", metavar="T", help="A team's digest: its promises, last week's share and misses.")
@click.option("--format", "output_format", type=click.Choice(list(RENDER)), default="markdown", show_default=True)
@click.option("--horizon", type=click.IntRange(0, 365), default=HORIZON_DAYS, show_default=True, help="Days ahead.")
@click.option("--post", "post_to", metavar="URL", help="Post it to an incoming webhook (Slack, Mattermost, Teams).")
@click.option("--smtp", metavar="HOST[:PORT]", help="Mail each person their digest (credentials: environment).")
@click.option("--from", "sender", metavar="ADDRESS", default="", help="The sender of the mails (with --smtp).")
@today_option
@config_option
@terminal_options
@friendly
def digest(
    person: str | None,
    team: str | None,
    output_format: str,
    horizon: int,
    post_to: str | None,
    smtp: str | None,
    sender: str,
    today: str | None,
    config_file: Path | None,
) -> None:
    """Say, for each person (or the one named, or a team), what they owe — overdue, due within the
    horizon, at risk — and what waits for them — requests and offers to answer, deliveries to
    accept, renegotiations to confirm, promises made to them that are late — each with its link,
    the other party and the one thing to do. Nothing is said to someone with nothing to do.

    \b
    Examples:
      promisesite digest                              every person, as Markdown
      promisesite digest --for ana.lima --format text
      promisesite digest --team platform --post "$SLACK_WEBHOOK_URL"
      promisesite digest --smtp smtp.example.org:587 --from promises@example.org
    Mail credentials: PROMISESITE_SMTP_USER and PROMISESITE_SMTP_PASSWORD.
    """
    if person and team:
        raise Failure("give --for or --team, not both")
    config = load_config(config_file)
    day = resolve_today(today)
    result = run_check(config, day, keep_bodies=False)
    ledger = ledger_of(result, config, day, history_of(config))
    urls = Urls(config.base_url, config.site_id, config.title + config.repo_url)
    if not urls.origin and (post_to or smtp):
        TERMINAL.say("promisesite: base_url names no host, so the links are paths: set it to the site's address")

    def url_of(promise_id: str) -> str:
        return urls.absolute(urls.promise(promise_id))

    registry = config.registry
    if team:
        if registry.registered and team not in registry.teams:
            raise Failure(f"`{team}` is not a team in promisesite.yaml: write one of {', '.join(registry.teams)}")
        shares = config.accounting != "none"
        digests = [team_digest(ledger, team, url_of, horizon, shares=shares)]
    else:
        handles = (
            [person] if person else list(registry.people) or sorted({p.promiser for p in ledger.promises if p.promiser})
        )
        digests = [person_digest(ledger, handle, url_of, horizon) for handle in handles]
    text = RENDER[output_format](digests, day.isoformat())
    if text:
        click.echo(text, nl=False)
    try:
        if post_to:
            if text:
                post(post_to, as_markdown(digests, day.isoformat()) if output_format == "json" else text)
                TERMINAL.say(f"promisesite: posted the digest to {shown(post_to)}")
            else:
                TERMINAL.say("promisesite: nothing to do this week: nothing posted")
        if smtp:
            from ..site.markdown import MarkdownRenderer

            html = MarkdownRenderer("markdown")
            sent = mail(
                digests,
                smtp,
                sender,
                lambda d: as_text([d], day.isoformat()),
                lambda d: html(as_markdown([d], day.isoformat())),
                f"{config.title}: your promises, the week of {day.isoformat()}",
            )
            missing = [d.handle for d in digests if not d.quiet and not d.email]
            TERMINAL.say(
                f"promisesite: mailed {len(sent)} digests"
                + (f"; no email in promisesite.yaml for {', '.join(missing)}" if missing else "")
            )
    except DeliveryError as error:
        raise Failure(str(error)) from None
    sys.exit(0)
