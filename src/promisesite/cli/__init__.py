"""The command line: one module per command, the shared options in `options`.

Exit codes, for every command: 0 no error-level finding; 1 at least one (or, with --strict,
any warning); 2 a usage or configuration error, or an internal failure — never a traceback.
"""

from __future__ import annotations

import click

from .. import __version__
from . import build, changes, check, init, new, rules, schema, serve


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="promisesite")
def cli() -> None:
    """Manage work as promises: check promise files in CI and publish them as a static site.

    \b
    Examples:
      promisesite check                       check every promise in promises/
      promisesite check --format github       annotations on a pull request
      promisesite changes --base origin/main  what a pull request does to the promises
      promisesite rules P205                  why a rule exists, with an example
    """


for _command in (
    check.check,
    changes.changes,
    build.build,
    serve.serve,
    init.init,
    new.new,
    rules.rules,
    schema.schema,
):
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="promisesite")
