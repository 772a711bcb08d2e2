"""Reading promisesite.yaml: every key checked, every error naming the file and line and what to write."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..model import HANDLE_PATTERN, MAX_HANDLE, SLUG_PATTERN, Person, Team
from ..read.files import Unreadable, read_bounded
from ..read.front import YamlRefused, declared, load_yaml
from ..rules import lookup, suggest
from ..rules.words import CATEGORIES
from ..text import did_you_mean
from .errors import ConfigError
from .paths import EXAMPLES, joined
from .settings import (
    ACCOUNTING,
    CODEOWNERS,
    CONFIG_NAME,
    KEYS,
    LEVELS,
    MARKDOWN_ENGINES,
    TEXT_KEYS,
    URL_CHARACTERS,
    Config,
    normal_base_url,
)

MAX_CONFIG_VALUES = 5_000_000  # a registry of 100,000 people fits; aliases are bounded apart from this
_HANDLE = re.compile(HANDLE_PATTERN)


def find_config(cwd: Path) -> tuple[Path | None, Path]:
    """`promisesite.yaml` in `cwd` or the nearest folder above it, as git, ruff and MkDocs find
    theirs, and the folder a site without one is rooted in: the top of the git work tree, else
    `cwd`. The search never leaves the work tree (outside one it looks in `cwd` only), and a config
    inside the source folder of a config above it (or of the default `promises/` at the top) is
    never used: a pull request can add one there, and it must not take over (P014 reports it)."""
    here = Path(os.path.abspath(cwd))
    top = next((folder for folder in (here, *here.parents) if os.path.lexists(folder / ".git")), None)
    if top is None:
        candidate = here / CONFIG_NAME
        return (candidate if os.path.lexists(candidate) else None), here
    chain = [here, *here.parents]
    folders = chain[: chain.index(top) + 1][::-1]  # from the top down to cwd
    found: Path | None = None
    sources = [top / EXAMPLES["source"]]  # the source folder of the site rooted at the top without a config
    for folder in folders:
        candidate = folder / CONFIG_NAME
        if not os.path.lexists(candidate) or any(folder.is_relative_to(source) for source in sources):
            continue
        if folder == top:
            sources = []  # the top's own config says where its source is
        found = candidate
        sources.append(joined(folder, Path(_declared_source(candidate))))
    return found, (found.parent if found is not None else top)


def levels_in(text: str) -> dict[str, str]:
    """The rule levels a config's text sets (`rules:`), by code; {} when it sets none or cannot be read.
    For comparing a base revision's config with today's."""
    rules = declared(text, "rules")
    if not isinstance(rules, dict):
        return {}
    levels = {}
    for name, level in rules.items():
        found = lookup(name) if isinstance(name, str) else None
        if found is not None and level in LEVELS:
            levels[found.code] = level
    return levels


def _declared_source(file: Path) -> str:
    """The `source:` a config declares, read for the search alone (errors are left to the full read)."""
    raw = read_bounded(file, 1_000_000)
    try:
        source = declared(raw.decode("utf-8-sig"), "source") if isinstance(raw, bytes) else None
    except UnicodeDecodeError:
        source = None
    return source if isinstance(source, str) and source.strip() else EXAMPLES["source"]


def load_config(file: Path | None = None, cwd: Path | None = None) -> Config:
    """Read `file`, or the `promisesite.yaml` that `find_config` finds from `cwd`; defaults otherwise."""
    cwd = cwd or Path.cwd()
    if file is None:
        found, top = find_config(cwd)
        if found is None:
            return _resolved(Config(root=top.resolve()))
        file = found
    if not os.path.lexists(file):
        raise ConfigError(f"{file}: no such file: give the path of a promisesite.yaml with --config")
    file = Path(os.path.abspath(file)).parent.resolve() / file.name  # the folder resolved, not a link in it
    raw = read_bounded(file)
    if isinstance(raw, Unreadable):
        raise ConfigError(f"{file}: the config file {raw.reason}")
    if file.is_symlink():
        config = Config(root=file.parent)
        target = file.resolve()
        if not target.is_relative_to(config.repository):
            raise ConfigError(
                f"{file}: the config file is a symbolic link to {target}, outside the repository, and "
                "is not followed: put a real promisesite.yaml here"
            )
    try:
        text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as error:
        raise ConfigError(f"{file}: cannot be read ({error}): save it as UTF-8 text") from None
    try:
        data, positions = load_yaml(text, max_nodes=MAX_CONFIG_VALUES)
    except YamlRefused as refused:
        raise ConfigError(f"{file}:{refused.position[0]}:{refused.position[1]}: {refused}") from None
    return _Reader(file, positions).read(data)


def _resolved(config: Config) -> Config:
    resolved = replace(
        config,
        source=joined(config.root, config.source),
        output=joined(config.root, config.output),
        templates=joined(config.root, config.templates),
    )
    resolved.check_paths()
    return resolved


class _Reader:
    def __init__(self, file: Path, positions: dict[str, tuple[int, int]]):
        self.file, self.positions = file, positions

    def fail(self, key: str, message: str) -> ConfigError:
        line = self.positions.get(key, (1, 1))[0]
        return ConfigError(f"{self.file}:{line}: {message}")

    def read(self, data: Any) -> Config:
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise self.fail("", "the config must be `key: value` lines, e.g. `title: Platform promises`")
        for key in data:
            if key not in KEYS:
                hint = did_you_mean(key, KEYS) or "the keys are " + ", ".join(KEYS)
                raise self.fail(key, f"unknown key `{key}`: {hint}")
        values: dict[str, Any] = {}
        for key in TEXT_KEYS:
            if data.get(key) is not None:
                values[key] = self.text(data[key], key)
        if values.get("markdown_engine", "markdown") not in MARKDOWN_ENGINES:
            raise self.fail(
                "markdown_engine",
                f"`markdown_engine: {values['markdown_engine']}` is not an engine: "
                "write markdown (Python-Markdown, the default) or gfm (cmark-gfm)",
            )
        if values.get("accounting", "people") not in ACCOUNTING:
            raise self.fail(
                "accounting",
                f"`accounting: {values['accounting']}` is not a choice: write people (every share, the "
                "default), teams (teams only, no person's share) or none",
            )
        if values.get("codeowners", "customer") not in CODEOWNERS:
            raise self.fail(
                "codeowners",
                f"`codeowners: {values['codeowners']}` is not a choice: write customer (a change to a promise "
                "needs its customer's review, the default) or both (the promiser's too)",
            )
        if values.get("record_since") and not _REVISION.fullmatch(values["record_since"]):
            raise self.fail(
                "record_since",
                f"`record_since: {values['record_since']}` is neither a date nor a git revision: write the "
                "commit that imported the promises, or the first day of the record, e.g. `record_since: 2026-12-02`",
            )
        if values.get("site_id") and not re.fullmatch(r"[A-Za-z0-9.-]{1,100}", values["site_id"]):
            raise self.fail(
                "site_id",
                f"`site_id: {values['site_id']}` must be a domain-like name (letters, digits, `.` and `-`), "
                "e.g. `site_id: promises.northwind.example`",
            )
        if "base_url" in values:
            if not URL_CHARACTERS.fullmatch(values["base_url"]):
                raise self.fail(
                    "base_url",
                    f"`base_url: {values['base_url']}` holds characters a URL cannot: write "
                    "a path or full URL, e.g. `base_url: /team-promises/`",
                )
            values["base_url"] = normal_base_url(values["base_url"])
        if values.get("repo_url") and not re.match(r"https?://[^\s\"'<>\\]+$", values["repo_url"]):
            raise self.fail(
                "repo_url",
                f"`repo_url: {values['repo_url']}` is not a web address: write one that starts "
                "with https://, e.g. `repo_url: https://github.com/acme/promises`",
            )
        if data.get("max_file_size") is not None:
            values["max_file_size"] = self.size(data["max_file_size"], "max_file_size")
        for key in ("source", "output", "templates"):
            if key in values:
                values[key] = Path(values[key])
        if data.get("causes") is not None:
            values["causes"] = self.causes(data["causes"])
        people = self.people(data.get("people"))
        teams = self.teams(data.get("teams"), people)
        return _resolved(
            Config(
                root=self.file.parent,
                file=self.file,
                people=MappingProxyType(people),
                teams=MappingProxyType(teams),
                rule_levels=MappingProxyType(self.rules(data.get("rules"))),
                vague_words=self.vague_words(data.get("vague_words")),
                **values,
            )
        )

    def size(self, value: Any, key: str) -> int:
        """`1000000`, `500 KB`, `2 MB` → bytes (decimal units, as file managers show them)."""
        match = re.fullmatch(r"\s*(\d{1,12}(?:\.\d{1,6})?)\s*(|B|KB|MB|GB)\s*", str(value), re.IGNORECASE)
        if not match:
            raise self.fail(key, f"`{key}: {value}` is not a size: write bytes or KB/MB, e.g. `{key}: 2 MB`")
        size = int(float(match[1]) * {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9}[match[2].lower()])
        if not 1_000 <= size <= 100 * 10**6:
            raise self.fail(
                key,
                f"`{key}: {value}` is outside 1 KB to 100 MB, the sizes a promise file may "
                f"sensibly have: write e.g. `{key}: 2 MB`",
            )
        return size

    def text(self, value: Any, key: str) -> str:
        if not isinstance(value, str):
            raise self.fail(key, f"`{key}` must be text, e.g. `{key}: {_EXAMPLES.get(key.split('.')[0], '…')}`")
        return value.strip()

    def mapping(self, value: Any, key: str, example: str) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(key, f"`{key}` must be a mapping, e.g.\n{example}")
        return value

    def handle(self, handle: str, key: str) -> None:
        if not _HANDLE.fullmatch(handle):
            raise self.fail(key, f"`{handle}` is not a handle (letters, digits, `.`, `_`, `-`): e.g. `ana.lima`")
        if len(handle) > MAX_HANDLE:
            raise self.fail(
                key,
                f"`{handle[:20]}…` is {len(handle)} characters long; a handle has at most "
                f"{MAX_HANDLE}, as it is part of page addresses: shorten it, e.g. `ana.lima`",
            )

    def people(self, value: Any) -> dict[str, Person]:
        example = "people:\n  ana.lima: {name: Ana Lima, email: ana@example.com}"
        people = {}
        for handle, entry in self.mapping(value, "people", example).items():
            key = f"people.{handle}"
            self.handle(handle, key)
            entry = self.mapping(entry, key, example)
            for name in entry:
                if name not in _PERSON_KEYS:
                    hint = did_you_mean(name, _PERSON_KEYS) or "write " + ", ".join(f"`{k}`" for k in _PERSON_KEYS)
                    raise self.fail(f"{key}.{name}", f"unknown key `{name}` for a person: {hint}")
            texts = {k: self.text(entry[k], f"{key}.{k}") if entry.get(k) is not None else "" for k in _PERSON_KEYS}
            people[handle] = Person(
                handle,
                texts["name"],
                texts["email"],
                self.forge(texts["github"], f"{key}.github", team=False),
                self.forge(texts["gitlab"], f"{key}.gitlab", team=False),
            )
        return people

    def teams(self, value: Any, people: dict[str, Person]) -> dict[str, Team]:
        example = "teams:\n  platform: {name: Platform, members: [ana.lima, bo.chen]}"
        teams = {}
        for handle, entry in self.mapping(value, "teams", example).items():
            key = f"teams.{handle}"
            self.handle(handle, key)
            entry = self.mapping(entry, key, example)
            for name in entry:
                if name not in _TEAM_KEYS:
                    hint = did_you_mean(name, _TEAM_KEYS) or "write " + ", ".join(f"`{k}`" for k in _TEAM_KEYS)
                    raise self.fail(f"{key}.{name}", f"unknown key `{name}` for a team: {hint}")
            members = entry.get("members") or []
            if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
                raise self.fail(f"{key}.members", f"`members` must be a list of handles, e.g.\n{example}")
            for index, member in enumerate(members):
                if people and member not in people:
                    hint = did_you_mean(member, people) or "add them under `people:` first"
                    raise self.fail(
                        f"{key}.members.{index}", f"team {handle} lists `{member}`, who is not under `people`: {hint}"
                    )
            name = self.text(entry["name"], f"{key}.name") if entry.get("name") is not None else ""
            forges = {
                forge: self.forge(self.text(entry[forge], f"{key}.{forge}"), f"{key}.{forge}", team=True)
                if entry.get(forge) is not None
                else ""
                for forge in ("github", "gitlab")
            }
            teams[handle] = Team(handle, name, tuple(members), forges["github"], forges["gitlab"])
        return teams

    def forge(self, account: str, key: str, team: bool) -> str:
        """A forge account as CODEOWNERS names it: `@ana-lima`, or a team's `@northwind/payments`."""
        if not account:
            return ""
        written = account if account.startswith("@") else "@" + account
        pattern = _FORGE_TEAM if team else _FORGE_USER
        if not pattern.fullmatch(written):
            example = "@northwind/payments" if team else "ana-lima"
            raise self.fail(
                key,
                f"`{account}` is not an account name of the forge: write the user or group as the forge "
                f"spells it, e.g. `{key.rsplit('.', 1)[1]}: {example}`",
            )
        return written

    def rules(self, value: Any) -> dict[str, str]:
        levels = {}
        for name, level in self.mapping(value, "rules", "rules:\n  P206: off\n  overdue: error").items():
            rule = lookup(name)
            if rule is None:
                raise self.fail(f"rules.{name}", f"unknown rule `{name}`: {suggest(name)}")
            if level not in LEVELS:
                raise self.fail(f"rules.{name}", f"`{name}: {level}` is not a level: write error, warning or off")
            levels[rule.code] = level
        return levels

    def vague_words(self, value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
        result = []
        for category, words in self.mapping(value, "vague_words", "vague_words:\n  hedge: [god willing]").items():
            if category not in CATEGORIES:
                hint = did_you_mean(category, CATEGORIES) or "the categories are " + ", ".join(CATEGORIES)
                raise self.fail(f"vague_words.{category}", f"unknown category `{category}`: {hint}")
            if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
                raise self.fail(
                    f"vague_words.{category}",
                    f"`{category}` must be a list of words or phrases, e.g. `{category}: [synergy, leverage]`",
                )
            result.append((category, tuple(words)))
        return tuple(result)

    def causes(self, value: Any) -> tuple[str, ...]:
        example = "causes: [dependency, capacity, scope, vendor]"
        if not isinstance(value, list) or not value:
            raise self.fail("causes", f"`causes` must be a list of causes a `cause` may name, e.g. `{example}`")
        causes = []
        for index, cause in enumerate(value):
            if not isinstance(cause, str) or not re.fullmatch(SLUG_PATTERN, cause.strip()):
                raise self.fail(
                    "causes",
                    f"cause {index + 1} of `causes` ({cause!r}) must be one lowercase word or words joined "
                    f"by `-`, e.g. `{example}`",
                )
            if cause.strip() in causes:
                raise self.fail("causes", f"`causes` names `{cause.strip()}` twice: keep one")
            causes.append(cause.strip())
        return tuple(causes)


_PERSON_KEYS = ("name", "email", "github", "gitlab")
_TEAM_KEYS = ("name", "members", "github", "gitlab")
_FORGE_USER = re.compile(r"@[A-Za-z0-9](?:[A-Za-z0-9._-]{0,38})")
_FORGE_TEAM = re.compile(r"@[A-Za-z0-9][A-Za-z0-9._-]{0,38}(?:/[A-Za-z0-9][A-Za-z0-9._-]{0,99}){0,4}")
_REVISION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/@{}^~-]{0,199}")
_EXAMPLES = {
    "title": "Platform promises",
    "base_url": "/team-promises/",
    "source": "promises",
    "output": "site",
    "templates": "templates",
    "repo_url": "https://github.com/acme/promises",
    "people": "Ana Lima",
    "teams": "Platform",
    "markdown_engine": "gfm",
    "max_file_size": "2 MB",
    "record_since": "2026-12-02",
    "codeowners": "customer",
}
