"""CODEOWNERS for the promise files: a change to a promise needs its customer's review on the forge.

Git's author and committer names, and `agreed_by`, are what whoever committed typed. The sign-off
that holds is the forge's required review: GitHub and GitLab read a CODEOWNERS file and, with
"require review from code owners" on, refuse to merge a change to a file until one of its owners
approves. This module writes the promisesite part of that file, one line per promise file naming its
customer's forge account (and the promiser's with `codeowners: both`), between two marker lines, so
that the rest of a hand-written CODEOWNERS stays as it is. Both forges read the same line syntax,
and in both the last matching line wins, so the block goes at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .model import Promise, Registry

BEGIN = "# BEGIN promisesite: each promise file needs its customer's review (`promisesite codeowners` writes this)"
END = "# END promisesite"
FORGES = ("github", "gitlab")
# Where each forge looks for the file, in its own order; the first that exists is the one to write.
PLACES = {
    "github": (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"),
    "gitlab": ("CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS"),
}


@dataclass(frozen=True)
class Owners:
    path: str  # the promise file, from the top of the repository
    accounts: tuple[str, ...]  # `@ana-lima`, `@northwind/payments`
    missing: tuple[str, ...] = ()  # handles that should own it and have no account on this forge


def forge_of(top: Path) -> str:
    """GitLab when the repository is set up for it (`.gitlab-ci.yml`, `.gitlab/`), else GitHub."""
    return "gitlab" if (top / ".gitlab-ci.yml").exists() or (top / ".gitlab").is_dir() else "github"


def place_of(top: Path, forge: str) -> Path:
    """The CODEOWNERS file the forge reads: the first of its places that exists, else its first."""
    for name in PLACES[forge]:
        if (top / name).is_file():
            return top / name
    return top / PLACES[forge][0]


def owners_of(promises: Iterable[Promise], config: Config, forge: str) -> list[Owners]:
    """Who must approve a change to each promise file, in path order."""
    found = []
    for promise in sorted(promises, key=lambda p: p.path):
        handles = [promise.customer]
        if config.codeowners == "both" and promise.promiser and promise.promiser != promise.customer:
            handles.append(promise.promiser)
        handles = [h for h in handles if h]
        accounts = [account_of(config.registry, h, forge) for h in handles]
        found.append(
            Owners(
                _from_top(config, promise.path),
                tuple(a for a in accounts if a),
                tuple(h for h, a in zip(handles, accounts, strict=True) if not a),
            )
        )
    return found


def account_of(registry: Registry, handle: str, forge: str) -> str:
    """A handle's account on the forge (`@ana-lima`), or "" when the registry gives none."""
    known = registry.people.get(handle) or registry.teams.get(handle)
    return getattr(known, forge, "") if known is not None else ""


def block(owners: Sequence[Owners], source: str, fallback: Sequence[str]) -> str:
    """The promisesite part of CODEOWNERS. The source folder's own line comes first, so that a promise
    file not listed yet (new in a pull request: the forge reads the base branch's CODEOWNERS) still
    needs a review, from `fallback` (every team's account)."""
    lines = [BEGIN]
    if fallback:
        lines.append(f"{_pattern(source)}/ {' '.join(fallback)}")
    for entry in owners:
        if entry.accounts:
            lines.append(f"{_pattern(entry.path)} {' '.join(entry.accounts)}")
        if entry.missing:
            lines.append(f"# {entry.path}: no forge account for {', '.join(entry.missing)} in promisesite.yaml")
    lines.append(END)
    return "\n".join(lines) + "\n"


def merged(existing: str, new_block: str) -> str:
    """`existing` CODEOWNERS with its promisesite block replaced by `new_block` (appended when it had
    none); every other line kept as it was."""
    lines = existing.splitlines(keepends=True)
    try:
        start = next(i for i, line in enumerate(lines) if line.rstrip("\n") == BEGIN)
        end = next(i for i in range(start, len(lines)) if lines[i].rstrip("\n") == END)
    except StopIteration:
        head = existing if not existing or existing.endswith("\n") else existing + "\n"
        return head + ("\n" if head.strip() else "") + new_block
    return "".join(lines[:start]) + new_block + "".join(lines[end + 1 :])


def fallback_owners(config: Config, forge: str) -> list[str]:
    return sorted({getattr(team, forge) for team in config.registry.teams.values() if getattr(team, forge)})


def _from_top(config: Config, path: str) -> str:
    absolute = config.root / path
    try:
        return absolute.relative_to(config.repository).as_posix()
    except ValueError:
        return path


def _pattern(path: str) -> str:
    """A path as a CODEOWNERS pattern anchored at the top: characters the syntax gives a meaning
    (spaces, `#`, globs) escaped with a backslash, as both forges read them."""
    escaped = "".join("\\" + c if c in " #*?[]!\\" else c for c in path)
    return "/" + escaped.lstrip("/")
