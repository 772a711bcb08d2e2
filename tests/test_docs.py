"""The guide in docs/ stays true: the rule catalogue is current and every link leads somewhere."""

from __future__ import annotations

import re

from click.testing import CliRunner

from conftest import ROOT
from promisesite.cli import cli


def test_the_rule_catalogue_in_the_docs_is_current() -> None:
    rendered = CliRunner().invoke(cli, ["rules", "--format", "markdown"]).stdout
    page = (ROOT / "docs/rules.md").read_text()
    assert page.endswith(rendered), "regenerate docs/rules.md with `promisesite rules --format markdown`"


def test_every_relative_link_in_the_docs_exists() -> None:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    for page in pages:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text()):
            assert (page.parent / target).exists(), f"{page.name} links to {target}"


def test_every_command_has_help_with_an_example() -> None:
    for name, command in cli.commands.items():
        assert "Example" in (command.help or ""), f"`promisesite {name} --help` shows no example"


def test_every_test_the_security_page_names_exists() -> None:
    page = (ROOT / "docs/security.md").read_text()
    named = re.findall(r"`(test_\w+\.py)::(test_\w+)`", page)
    assert len(named) >= 15
    for module, test in named:
        assert re.search(rf"^def {test}\(", (ROOT / "tests" / module).read_text(), re.MULTILINE), f"{module}::{test}"
