"""The command line: one module per command, the shared options in `options`.

Exit codes, for every command: 0 no error-level finding; 1 at least one (or, with --strict,
any warning); 2 a usage or configuration error, or an internal failure — never a traceback.
"""

from __future__ import annotations

import importlib

import click

from .. import __version__

# Each command's module is imported when the command runs (or --help lists them): `check` in a
# pre-commit hook should not pay for the site's templates and Markdown engines.
COMMANDS = {
    "check": "check",
    "changes": "changes",
    "build": "build",
    "serve": "serve",
    "init": "init",
    "new": "new",
    "rules": "rules",
    "schema": "schema",
    "codeowners": "codeowners",
    "renegotiate": "lifecycle",
    "promise": "lifecycle",
    "deliver": "lifecycle",
    "accept": "lifecycle",
    "decline": "lifecycle",
    "withdraw": "lifecycle",
    "revoke": "lifecycle",
    "cancel": "lifecycle",
    "lsp": "lsp",
    "digest": "digest",
}
# The attribute a command's module names it by, where it is not the command's name.
ATTRIBUTES = {"renegotiate": "renegotiate_command"}


class LazyGroup(click.Group):
    """A group whose commands are imported by name, on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMANDS.get(cmd_name)
        if module is None:
            return None
        command = getattr(importlib.import_module(f"{__name__}.{module}"), ATTRIBUTES.get(cmd_name, cmd_name))
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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


def main() -> None:
    cli(prog_name="promisesite")
