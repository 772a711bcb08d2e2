"""`promisesite init`: a new promises repository that checks and builds at once."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import click

from ..clock import resolve_today
from ..scaffold import AT_THE_TOP
from ..scaffold import init as scaffold
from .options import TERMINAL, Failure, friendly, terminal_options, today_option


@click.command()
@click.argument("directory", default=".", type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@click.option("--commit", is_flag=True, help="Also make the first commit of what it wrote.")
@today_option
@terminal_options
@friendly
def init(directory: Path, force: bool, commit: bool, today: str | None) -> None:
    """Scaffold a promises repository that checks and builds at once.

    Writes promisesite.yaml (every key explained), two example promises, templates/README.md,
    .gitignore, a pre-commit config and a GitHub Actions workflow. Existing files are never
    overwritten without --force. Outside a git repository it starts one there (the history is
    the record); with --commit it also commits what it wrote.

    \b
    Examples:
      promisesite init demo && cd demo && promisesite check && promisesite build
      promisesite init                 # in the current folder
    """
    top = _work_tree_top(directory)
    below = top is not None and top.resolve() != directory.resolve()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        written = scaffold(directory, resolve_today(today), force=force, top=top if below else None)
    except OSError as error:
        raise Failure(
            f"cannot write into {directory} ({error.strerror or error}): choose a folder you may write to"
        ) from None
    base = top if below and top is not None else directory
    for name in written:
        TERMINAL.detail(f"  wrote {base / name}")
    if below and top is not None:
        TERMINAL.say(
            f"{directory}/ is inside the git repository at {top}/: the workflow and the pre-commit config are "
            f"written at its top ({', '.join(n for n in written if n.startswith(AT_THE_TOP))}), where GitHub and "
            f"pre-commit read them, and made to work in {directory}/"
        )
    started = _start_repository(directory)
    if commit:
        _commit(base, written)
    step = "" if directory == Path(".") else f"cd {directory} && "
    TERMINAL.say(
        f"Wrote {len(written)} files into {directory}/. Next: {step}promisesite check && promisesite serve", fg="green"
    )
    if started:
        TERMINAL.say(f"Started a git repository in {directory}/: promises are kept in git.")
    if any(name.startswith(".github/") for name in written):
        TERMINAL.say(
            "Note: the workflow in .github/workflows/promises.yml publishes the site to GitHub Pages, which "
            "anyone can read when the repository is public, and the site shows each person's reliability. "
            "To publish less, set `accounting: teams` (teams only) or `accounting: none` in promisesite.yaml."
        )


def _git(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=directory, capture_output=True, text=True, timeout=60)


def _work_tree_top(directory: Path) -> Path | None:
    """The top of the git work tree that holds `directory` (or would, once made), or None."""
    if shutil.which("git") is None:
        return None
    folder = Path(os.path.abspath(directory))
    while not folder.exists():
        folder = folder.parent
    done = _git(folder, "rev-parse", "--show-toplevel")
    return Path(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip() else None


def _start_repository(directory: Path) -> bool:
    """`git init` in `directory` unless it is already inside a work tree; whether it did."""
    if shutil.which("git") is None:
        TERMINAL.say("git is not installed: keep the promises in a git repository (`git init`) to record their history")
        return False
    if _git(directory, "rev-parse", "--is-inside-work-tree").stdout.strip() == "true":
        return False
    done = _git(directory, "-c", "init.defaultBranch=main", "init", "-q")
    if done.returncode:
        raise Failure(f"git init failed in {directory}: {done.stderr.strip()}: run `git init` yourself")
    return True


def _commit(directory: Path, written: list[str]) -> None:
    if not written:
        return
    added = _git(directory, "add", "--", *written)
    # Only these paths: whatever else was staged stays staged, and out of this commit.
    done = (
        added
        if added.returncode
        else _git(directory, "commit", "-q", "--only", "-m", "Start keeping promises with promisesite", "--", *written)
    )
    if done.returncode:
        raise Failure(
            f"the files are written, but git could not commit them ({done.stderr.strip() or done.stdout.strip()}): "
            'set your name and email (`git config user.name "…"`, `git config user.email …`) and commit them'
        )
    TERMINAL.say("Committed what it wrote: the first commit of the record.")
