"""`promisesite codeowners`: write CODEOWNERS so that each promise file needs its customer's review."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from ..check import run_check
from ..clock import resolve_today
from ..codeowners import FORGES, block, fallback_owners, forge_of, merged, owners_of, place_of
from ..config import load_config
from ..site.writer import write_file
from ..text import plural
from .options import TERMINAL, Failure, config_option, friendly, terminal_options


@click.command()
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 when the file is not up to date.")
@click.option(
    "--forge",
    type=click.Choice(FORGES),
    default=None,
    help="Whose accounts to name. Default: gitlab when .gitlab-ci.yml or .gitlab/ exists, else github.",
)
@click.option(
    "--file",
    "file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The CODEOWNERS file. Default: the one the forge reads (.github/CODEOWNERS, CODEOWNERS, …).",
)
@config_option
@terminal_options
@friendly
def codeowners(check_only: bool, forge: str | None, file: Path | None, config_file: Path | None) -> None:
    """Write the promise files' lines of CODEOWNERS: a change to a promise file needs a review from
    its customer (the person's or team's `github:`/`gitlab:` account in promisesite.yaml), and
    from its promiser too with `codeowners: both`. The rest of the file is kept as it is.

    Turn on "Require review from Code Owners" (GitHub branch protection or a ruleset) or Code
    Owner approval (GitLab protected branches): the forge's review is the sign-off, which git
    names and `agreed_by` are not. Run it with --check in CI to fail while it is out of date.

    \b
    Examples:
      promisesite codeowners                  write or update CODEOWNERS
      promisesite codeowners --check          in CI: exit 1 when a promise moved or was added
    """
    config = load_config(config_file)
    top = config.repository
    forge = forge or forge_of(top)
    target = file if file is not None else place_of(top, forge)
    result = run_check(config, resolve_today(None), keep_bodies=False)
    owners = owners_of(result.promises, config, forge)
    source = config.source.relative_to(top).as_posix() if config.source.is_relative_to(top) else "promises"
    new_block = block(owners, source, fallback_owners(config, forge))
    try:
        existing = target.read_text(encoding="utf-8") if target.exists() else ""
    except (OSError, UnicodeDecodeError) as error:
        raise Failure(f"cannot read {target}: {error}: make it a readable UTF-8 text file") from None
    wanted = merged(existing, new_block)
    shown = target.relative_to(top).as_posix() if target.is_relative_to(top) else str(target)
    missing = Counter(handle for entry in owners for handle in entry.missing)
    if missing:
        named = ", ".join(f"{handle} ({plural(count, 'promise')})" for handle, count in sorted(missing.items()))
        TERMINAL.say(
            f"promisesite: no {forge} account in promisesite.yaml for {named}: nobody's review is required for "
            f"their promises; add `{forge}: <account>` to each under `people:` or `teams:`"
        )
    if check_only:
        if wanted != existing:
            TERMINAL.say(
                f"promisesite: {shown} is out of date for {len(owners)} promise files: run `promisesite codeowners` "
                "and commit it"
            )
            sys.exit(1)
        TERMINAL.say(f"promisesite: {shown} is up to date ({len(owners)} promise files).")
        return
    if wanted == existing:
        TERMINAL.say(f"promisesite: {shown} is up to date ({len(owners)} promise files).")
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file(target, wanted.encode("utf-8"))
    except OSError as error:
        raise Failure(f"cannot write {shown} ({error.strerror or error}): choose a file you may write") from None
    TERMINAL.say(f"promisesite: wrote {shown}: {len(owners)} promise files, each needing its customer's review.")
