"""The build cache in `.promisesite-cache/` (beside promisesite.yaml; safe to delete).

It remembers three things, each invalidated by what it depends on:

- a fingerprint of everything that decides the site (promisesite's version, the config
  file, every template, every promise file's size and modification time, today and the
  build's options), so a build where nothing changed does nothing;
- the HTML of every body, by a hash of its text, per Markdown engine and version, so that
  Markdown runs only for bodies it has not seen;
- a hash of every file of the last site, so unchanged files are carried over (hard links)
  instead of being written again.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import __version__
from .config import Config
from .findings import Finding
from .site.writer import write_file

FOLDER = ".promisesite-cache"


def body_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class BuildCache:
    def __init__(self, config: Config):
        self.folder = config.root / FOLDER
        self.config = config
        self._bodies_file = self.folder / f"bodies-{__version__}-{config.markdown_engine}.pickle"
        self._state_file = self.folder / "state.json"

    # --- fingerprint of the inputs ---------------------------------------------------------------

    def fingerprint(self, files: dict[str, Path], options: dict[str, Any]) -> str:
        digest = hashlib.sha1()
        digest.update(json.dumps({"version": __version__, **options}, sort_keys=True, default=str).encode())
        if self.config.file and self.config.file.is_file():
            digest.update(self.config.file.read_bytes())
        if self.config.templates.is_dir():
            for folder, _, names in sorted(os.walk(self.config.templates)):
                for name in sorted(names):
                    stat = os.stat(os.path.join(folder, name))
                    digest.update(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
        for relative, path in files.items():
            try:
                stat = os.stat(path)
            except OSError:
                digest.update(f"{relative}:missing;".encode())
                continue
            digest.update(f"{relative}:{stat.st_size}:{stat.st_mtime_ns};".encode())
        return digest.hexdigest()

    # --- what the last build left ------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        try:
            return json.loads(self._state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def unchanged(self, fingerprint: str, output: Path) -> dict[str, Any] | None:
        """The last build's state when it built exactly this into `output`, still there."""
        state = self.state()
        if state.get("fingerprint") != fingerprint or state.get("output") != str(output.absolute()):
            return None
        if state.get("site") != _listing(output):
            return None  # the site was changed, added to or removed since: build it again
        return state

    def output_hashes(self, output: Path) -> dict[str, str]:
        state = self.state()
        return state.get("outputs", {}) if state.get("output") == str(output.absolute()) else {}

    def bodies(self) -> dict[str, str]:
        try:
            with open(self._bodies_file, "rb") as handle:
                bodies = pickle.load(handle)
            return bodies if isinstance(bodies, dict) else {}
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            return {}

    # --- remembering this build ------------------------------------------------------------------

    def save(self, fingerprint: str, output: Path, outputs: dict[str, str], bodies: dict[str, str] | None,
             findings: list[Finding], files: int, promises: int) -> None:
        try:
            self.folder.mkdir(exist_ok=True)
            (self.folder / ".gitignore").write_text("*\n")
            (self.folder / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n"
                                                      "# promisesite's build cache: safe to delete\n")
            if bodies is not None:
                for stale in self.folder.glob("bodies-*.pickle"):
                    if stale != self._bodies_file and self.config.markdown_engine in stale.name:
                        stale.unlink()
                write_file(self._bodies_file, pickle.dumps(bodies, protocol=pickle.HIGHEST_PROTOCOL))
            state = {"fingerprint": fingerprint, "output": str(output.absolute()), "site": _listing(output),
                     "findings": [asdict(f) for f in findings], "files": files, "promises": promises,
                     "outputs": outputs}
            write_file(self._state_file, json.dumps(state).encode("utf-8"))
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower


def _listing(folder: Path) -> dict[str, list[int]]:
    """Every file of a folder with its size and modification time: a cheap check that it is untouched."""
    listing = {}
    top = os.fspath(folder)
    for path, _, names in os.walk(top):
        for name in names:
            full = os.path.join(path, name)
            stat = os.stat(full)
            listing[full[len(top) + 1:]] = [stat.st_size, stat.st_mtime_ns]
    return listing
