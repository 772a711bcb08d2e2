"""`promisesite schema`: the JSON Schema of the front matter, for editors."""

from __future__ import annotations

import json

import click

from ..schema import front_matter_schema
from .options import friendly


@click.command()
@friendly
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of a promise file's front matter.

    \b
    Example, for editors using the YAML language server:
      promisesite schema > promise.schema.json
      # then put `# yaml-language-server: $schema=promise.schema.json` in the front matter
    """
    click.echo(json.dumps(front_matter_schema(), indent=2, ensure_ascii=False))
