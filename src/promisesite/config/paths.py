"""Where the repository is, and paths that must stay inside it, links or not."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import ConfigError

EXAMPLES = {"source": "promises", "output": "site", "templates": "templates"}


def repository_of(root: Path) -> Path:
    """The repository paths must stay in: the git work tree that holds `root`; outside git, the
    working folder when it holds `root`, else `root` itself."""
    for folder in (root, *root.parents):
        if os.path.lexists(folder / ".git"):
            return folder
    cwd = Path.cwd().resolve()
    return cwd if root.is_relative_to(cwd) else root


def joined(root: Path, path: Path) -> Path:
    """`root / path`, with `.` and `..` worked out as written (links are judged by `check_inside`)."""
    return Path(os.path.normpath(root / path))


def resolve_parent(path: Path) -> Path | None:
    """The path with its folder resolved but not its last part (a link stays itself)."""
    try:
        return Path(os.path.abspath(path)).parent.resolve() / path.name
    except (OSError, RuntimeError):
        return None


def check_inside(path: Path, root: Path, label: str, must_be_inside: bool = True) -> None:
    """Refuse a path that lies inside `root` as written but leads out of it through a link (or a loop);
    with `must_be_inside`, also one that lies outside as written."""
    written = Path(os.path.abspath(path))
    if not written.is_relative_to(root):
        if must_be_inside:
            raise ConfigError(
                f"{label} {path} is outside the repository ({root}): promisesite reads and writes "
                f"only inside it; choose a folder inside it, e.g. `{label.split()[1]}: "
                f"{EXAMPLES.get(label.split()[1], 'site')}`"
            )
        return
    try:
        resolved = written.resolve(strict=False)
    except (OSError, RuntimeError):
        raise ConfigError(
            f"{label} {written.relative_to(root)} is a symbolic link that loops: remove the link, "
            "and keep a real folder there"
        ) from None
    if not resolved.is_relative_to(root.resolve()):
        raise ConfigError(
            f"{label} {written.relative_to(root).as_posix()} is a symbolic link to {resolved}, "
            "outside the repository: promisesite does not follow links out of it; move the files "
            "into the repository and remove the link"
        )
