"""The configuration as the commands use it: a frozen `Config`, its paths resolved against the
folder of promisesite.yaml."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..model import CAUSES, Person, Registry, Team
from ..read.files import CONFIG_NAME as CONFIG_NAME
from ..read.files import Sources, walk
from .errors import ConfigError
from .paths import check_inside, repository_of, resolve_parent

# The keys whose value is one line of text, then the rest, in the order the docs list them.
TEXT_KEYS = (
    "title",
    "base_url",
    "source",
    "output",
    "templates",
    "repo_url",
    "markdown_engine",
    "accounting",
    "site_id",
    "record_since",
    "codeowners",
)
KEYS = (*TEXT_KEYS, "people", "teams", "rules", "vague_words", "causes", "max_file_size")
CODEOWNERS = ("customer", "both")  # who must approve a change to a promise file: its customer, or the promiser too
LEVELS = ("error", "warning", "off")
ACCOUNTING = ("people", "teams", "none")  # shares per person and team; per team only; none at all
MARKDOWN_ENGINES = ("markdown", "gfm")  # Python-Markdown, the default; cmark-gfm, the extra promisesite[gfm]
URL_CHARACTERS = re.compile(r"[A-Za-z0-9._~:/?#\[\]@!$&()*+,;=%-]*")  # RFC 3986, without quotes or spaces


@dataclass(frozen=True)
class Config:
    root: Path  # the folder of promisesite.yaml, or the working folder without one
    file: Path | None = None
    title: str = "Promises"
    base_url: str = "/"
    source: Path = Path("promises")
    output: Path = Path("site")
    templates: Path = Path("templates")
    repo_url: str = ""
    people: Mapping[str, Person] = field(default_factory=dict)
    teams: Mapping[str, Team] = field(default_factory=dict)
    rule_levels: Mapping[str, str] = field(default_factory=dict)  # rule code → error | warning | off
    vague_words: tuple[tuple[str, tuple[str, ...]], ...] = ()
    causes: tuple[str, ...] = CAUSES  # what a `cause` may name
    accounting: str = "people"  # what the site publishes of the accounting: one of ACCOUNTING
    site_id: str = ""  # what makes the calendar's and feed's ids unique to this site (default: from base_url)
    markdown_engine: str = "markdown"  # one of MARKDOWN_ENGINES
    max_file_size: int = 1_000_000  # bytes; a bigger promise file is a finding (P001), not read
    record_since: str = ""  # a revision or a date: the history before it is an import
    codeowners: str = "customer"  # one of CODEOWNERS

    @cached_property
    def registry(self) -> Registry:
        """The people and teams, as rules and pages use them."""
        return Registry(self.people, self.teams, self.causes)

    @cached_property
    def repository(self) -> Path:
        """The repository every path must stay in (see `repository_of`)."""
        return repository_of(self.root)

    def relative(self, path: Path) -> str:
        """A path as findings show it: relative to the repository, with forward slashes. The last part
        is not resolved, so a link is named as itself, not as what it points to."""
        for candidate in (Path(os.path.abspath(path)), resolve_parent(path)):
            if candidate is not None and candidate.is_relative_to(self.root):
                return candidate.relative_to(self.root).as_posix()
        return path.as_posix()

    def sources(self) -> Sources:
        """Every promise file of the source folder by its repository-relative path, in path order, and
        whatever in it cannot be read."""
        if not self.source.is_dir():
            return Sources()
        prefix = self.relative(self.source).rstrip("/") + "/"
        return walk(self.source, "" if prefix in ("./", "/") else prefix)

    def check_paths(self, named: tuple[str, ...] = ()) -> None:
        """The source, templates and output folders stay inside the repository: a path written inside it
        must not lead out of it through a link. Those from the config file (not `named` on the command
        line) must lie inside it as written, too."""
        for key in ("source", "templates", "output"):
            check_inside(getattr(self, key), self.repository, f"the {key} folder", must_be_inside=key not in named)


def normal_base_url(value: str) -> str:
    """`team-promises` → `/team-promises/`; full URLs keep their scheme and host."""
    if not URL_CHARACTERS.fullmatch(value):
        raise ConfigError(
            f"the base URL {value!r} holds characters a URL cannot: write a path or full URL, "
            "e.g. --base-url /team-promises/"
        )
    if "://" in value:
        return value.rstrip("/") + "/"
    return "/" + value.strip("/") + "/" if value.strip("/") else "/"
