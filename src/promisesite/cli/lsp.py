"""`promisesite lsp`: the language server, over stdio."""

from __future__ import annotations

import click


@click.command()
def lsp() -> None:
    """Run the language server on stdin and stdout, for an editor to start: diagnostics as you
    type (what `check` finds), hover, completion, going to a `serves` target, and quick fixes.
    See docs/editors.md for Neovim, Helix, Emacs and VS Code.

    \b
    Example, by hand (an editor starts it itself):
      promisesite lsp
    """
    from ..lsp.server import main

    main()
