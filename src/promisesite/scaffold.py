"""`promisesite init`: a new promises repository that checks and builds cleanly at once.

The files are in the package's `scaffold/` folder. A path part `dot-x` becomes `.x` (packages
drop dotfiles), `@VERSION@` becomes this promisesite's version (the workflow pins it), and
`@TODAY@` / `@DUE@` in the example promises become today's date and a due
date four weeks on, so the examples are neither overdue nor undated.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from . import __version__
from .errors import UserError
from .site.writer import write_file


class ScaffoldRefused(UserError):
    """Files that `init` would overwrite; nothing was written."""


def scaffold_files(today: dt.date) -> dict[str, bytes]:
    """Every file of a new repository, by relative path."""
    due = today + dt.timedelta(days=28)
    files = {}
    for relative, data in _walk(resources.files("promisesite") / "scaffold", ""):
        name = "/".join("." + part[4:] if part.startswith("dot-") else part for part in relative.split("/"))
        data = data.replace(b"@TODAY@", today.isoformat().encode()).replace(b"@DUE@", due.isoformat().encode())
        files[name] = data.replace(b"@VERSION@", __version__.encode())
    return dict(sorted(files.items()))


def _walk(folder, prefix: str) -> Iterator[tuple[str, bytes]]:
    for entry in folder.iterdir():
        if entry.name == "__pycache__":
            continue
        if entry.is_dir():
            yield from _walk(entry, f"{prefix}{entry.name}/")
        else:
            yield f"{prefix}{entry.name}", entry.read_bytes()


# What a forge and pre-commit read only at the top of the work tree.
AT_THE_TOP = (".github/", ".pre-commit-config.yaml")


def moved_to_top(files: dict[str, bytes], folder: str) -> dict[str, bytes]:
    """The scaffold for a repository whose work tree starts above it, at `folder/` from its top: the
    CI workflow and the pre-commit config named from the top, where the forge and pre-commit read
    them, and made to work in `folder`; the rest under `folder/`."""
    moved: dict[str, bytes] = {}
    for name, data in files.items():
        if not name.startswith(AT_THE_TOP):
            moved[f"{folder}/{name}"] = data
            continue
        text = data.decode("utf-8")
        if name.startswith(".github/"):
            text = text.replace(
                "    runs-on: ubuntu-latest\n",
                f"    runs-on: ubuntu-latest\n    defaults: {{run: {{working-directory: {folder}}}}}\n",
            )
            text = text.replace("path: .promisesite-cache", f"path: {folder}/.promisesite-cache")
            text = text.replace("with: {path: site}", f"with: {{path: {folder}/site}}")
        else:
            text = text.replace(
                "entry: promisesite check", f"entry: promisesite check --config {folder}/promisesite.yaml"
            )
            text = text.replace("files: ^promises/", f"files: ^{folder}/promises/")
        moved[name] = text.encode("utf-8")
    return moved


def init(target: Path, today: dt.date, force: bool = False, top: Path | None = None) -> list[str]:
    """Write the scaffold into `target` (and, when `top` is the top of a work tree above it, the CI and
    pre-commit files there); without `force`, refuse (writing nothing) if any file exists. Returns
    the paths written, relative to `top` when given, else to `target`."""
    files = scaffold_files(today)
    if top is not None:
        files = moved_to_top(files, target.resolve().relative_to(top.resolve()).as_posix())
        target = top
    if target.exists() and not target.is_dir():
        raise ScaffoldRefused(f"{target} is a file: name a new or existing folder")
    existing = [name for name in files if os.path.lexists(target / name)]
    top = target.resolve()
    escaping = [name for name in files if not (target / name).parent.resolve().is_relative_to(top)]
    if escaping:
        raise ScaffoldRefused(
            f"{target} has folders that are symbolic links out of it ({', '.join(escaping)} would "
            "be written elsewhere): nothing was written; remove the links, or choose another folder"
        )
    if existing and not force:
        raise ScaffoldRefused(
            f"{target} already has {', '.join(existing)}: nothing was written. Choose an empty "
            "folder, or add --force to overwrite those files"
        )
    for name, data in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file(path, data)
    return list(files)
