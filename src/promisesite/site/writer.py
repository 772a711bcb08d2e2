"""Writing the site: refuse dangerous output folders, then replace the output folder atomically.

The new site is written into a sibling folder and swapped in with one `renameat2(RENAME_EXCHANGE)`
where the kernel offers it (two renames elsewhere), so a reader sees the old site or the new
one, never a half-written one. A build killed midway leaves only a hidden sibling folder,
which the next build removes.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import hashlib
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..config import Config, check_inside
from ..errors import UserError
from ..parallel import can_fork, fork_pool, frozen_heap

MARKER = ".promisesite-build"
CACHE_FOLDER = ".promisesite-cache"
PARALLEL_MIN = 200  # files; below this, forking costs more than it saves
_BUILDING = ".building-"
_OLD = ".old-"


class OutputRefused(UserError):
    """An output folder promisesite must not write to (exit code 2, nothing touched)."""


def check_output(output: Path, config: Config) -> None:
    """Never the source, templates, config, cache or git folder, nor a link, nor a folder an earlier
    build did not make. `build` and `serve --output` both ask this before they write anything."""
    shown = output
    if output.is_symlink():
        check_inside(output, config.repository, "the output folder", must_be_inside=False)
        raise OutputRefused(
            f"the output folder {shown} is a symbolic link (to {os.readlink(output)}): the output is "
            "replaced on every build, so it must be a real folder; remove the link, or choose "
            "another output, e.g. `--output site`"
        )
    check_inside(output, config.repository, "the output folder", must_be_inside=False)
    target = output.resolve()
    protected = [
        ("the source folder", config.source),
        ("the templates folder", config.templates),
        ("the build cache", config.root / CACHE_FOLDER),
        ("the git folder", config.repository / ".git"),
    ]
    if config.file:
        protected.append(("the config file", config.file))
    for label, path in protected:
        path = path.resolve()
        if target == path or target in path.parents:
            raise OutputRefused(
                f"the output folder {shown} {'is' if target == path else 'contains'} {label} "
                f"{path}: choose another output, e.g. `--output site`"
            )
        if path.is_dir() and path in target.parents:
            raise OutputRefused(
                f"the output folder {shown} is inside {label} {path}: choose a folder outside it, e.g. `--output site`"
            )
    if target.exists() and not target.is_dir():
        raise OutputRefused(f"the output {shown} is a file, not a folder: choose a folder, e.g. `--output site`")
    if target.is_dir() and any(target.iterdir()) and not _is_marked(target):
        raise OutputRefused(
            f"the output folder {shown} is not empty and was not made by promisesite build: "
            "empty it, or choose another, e.g. `--output site`"
        )


def _is_marked(folder: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(folder / MARKER).st_mode)
    except OSError:
        return False


def write_file(path: Path, data: bytes) -> None:
    """One file, replaced atomically: readers see the old bytes or the new ones. The temporary file is
    made new (never opened through a link that was there), and a link at `path` is replaced, not
    written through."""
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_site(output: Path, files: Mapping[str, bytes]) -> None:
    """Write every file into a fresh folder beside `output`, then swap it in."""
    write_plan(output, {path: functools.partial(bytes, data) for path, data in files.items()}, workers=1)


def write_plan(
    output: Path,
    plan: Mapping[str, Callable[[], bytes]],
    previous: Mapping[str, Sequence[Any]] | None = None,
    workers: int = 1,
    collect: Callable[[], Any] | None = None,
    batches: list[list[str]] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[dict[str, str], list[Any]]:
    """Render every file of `plan` into a fresh folder beside `output`, then swap it in.

    With `workers` > 1 (and fork available), forked processes take `batches` of paths as they
    become free (the default: everything in one batch). They inherit the plan, so nothing is
    pickled but their results: each file's hash and, per batch, what `collect()` returns. A
    file whose hash is in `previous`, and which is still the very file recorded there (`same_file`),
    is hard-linked from the old output instead of written: its bytes did not change. Any other file
    (edited by hand, replaced by a link) is written afresh. Returns the hashes and the `collect()` results.
    `progress(done, total)` hears of each finished batch, counted in files.
    """
    global _JOB
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(output)  # the caller holds the output's lock: no live build owns them
    _MADE.clear()
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}{_BUILDING}", dir=output.parent))
    batches = batches or [list(plan)]
    try:
        os.chmod(staging, 0o777 & ~_umask())
        _JOB = _Job(staging.resolve(), output, batches, plan, dict(previous or {}), collect)
        if workers > 1 and len(plan) >= PARALLEL_MIN and can_fork():
            with frozen_heap(), fork_pool(workers) as pool:
                results = _counted(pool.imap_unordered(_render_batch, range(len(batches))), len(plan), progress)
        else:
            results = _counted(map(_render_batch, range(len(batches))), len(plan), progress)
        hashes = {path: digest for share, _ in results for path, digest in share.items()}
        (staging / MARKER).write_text(f"made by promisesite {__version__}; replaced on every build\n")
        _swap_in(staging, output)
        return dict(sorted(hashes.items())), [extra for _, extra in results]
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        _JOB = None


def _counted(
    results: Iterable[tuple[dict[str, str], Any]], total: int, progress: Callable[[int, int], None] | None
) -> list[tuple[dict[str, str], Any]]:
    done: list[tuple[dict[str, str], Any]] = []
    files = 0
    for result in results:
        done.append(result)
        files += len(result[0])
        if progress is not None:
            progress(files, total)
    return done


@dataclass
class _Job:
    staging: Path
    output: Path
    batches: list[list[str]]
    plan: Mapping[str, Callable[[], bytes]]
    previous: Mapping[str, Sequence[Any]]  # path → [hash, *file_stamp] of the file in the last site
    collect: Callable[[], Any] | None


_JOB: _Job | None = None  # what forked workers inherit
_MADE: set[Path] = set()  # folders this process has made, across its batches


def _render_batch(index: int) -> tuple[dict[str, str], Any]:
    job = _JOB
    assert job is not None
    hashes = {}
    for relative in job.batches[index]:
        data = job.plan[relative]()
        digest = hashlib.sha1(data).hexdigest()
        hashes[relative] = digest
        normal = os.path.normpath(relative)
        if normal.startswith(("..", "/")) or os.path.isabs(normal):
            raise OutputRefused(f"refusing to write {relative!r} outside the output folder")
        path = job.staging / normal
        if path.parent not in _MADE:
            path.parent.mkdir(parents=True, exist_ok=True)
            _MADE.add(path.parent)
        old = job.previous.get(relative)
        if old is not None and old[0] == digest and same_file(job.output / relative, old[1:]):
            try:
                os.link(job.output / relative, path)  # unchanged: carried over, not written
                continue
            except OSError:
                pass
        path.write_bytes(data)
    return hashes, job.collect() if job.collect else None


def file_stamp(path: Path | str) -> tuple[int, int, int, int] | None:
    """What identifies one version of a regular file without reading it: size, modification and change
    times, inode. Any write, `touch`, `cp -p` or replacement changes the change time. None for
    anything that is not a regular file (a link, a folder) or is not there."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def same_file(path: Path, stamp: Sequence[int]) -> bool:
    """The file at `path` is the very file a build wrote and recorded: so its bytes are what it wrote."""
    found = file_stamp(path)
    return found is not None and list(found) == list(stamp)


def _swap_in(staging: Path, output: Path) -> None:
    if output.exists():
        if _exchange(staging, output):
            shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old site
            return
        old = Path(tempfile.mkdtemp(prefix=f".{output.name}{_OLD}", dir=output.parent))
        os.rmdir(old)
        os.rename(output, old)
        os.rename(staging, output)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(staging, output)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where that is not available."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


_LIBC: ctypes.CDLL | None = None


def _libc() -> ctypes.CDLL | None:
    global _LIBC
    if _LIBC is None:
        try:
            _LIBC = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        except OSError:
            return None
    return _LIBC


def _remove_leftovers(output: Path) -> None:
    """Staging folders of builds that were killed before they could clean up."""
    for prefix in (_BUILDING, _OLD):
        for leftover in output.parent.glob(f".{output.name}{prefix}*"):
            shutil.rmtree(leftover, ignore_errors=True)


@functools.lru_cache(maxsize=1)
def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
