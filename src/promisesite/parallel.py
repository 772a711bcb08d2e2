"""Working on all cores: forked workers inherit what they need, so little is pickled."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether forking workers is safe here: the platform forks, and this process runs one thread (a
    child forked from several threads may inherit a lock held by one that does not exist in it, and
    wait on it for ever: the language server reads stdin in a thread of its own)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def fork_pool(processes: int):
    return multiprocessing.get_context("fork").Pool(processes, initializer=_die_with_parent)


def _die_with_parent() -> None:
    """A worker whose parent was killed (SIGKILL, out of memory) must not live on, writing into a
    staging folder the next build is about to remove: Linux kills it with its parent."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    if os.getppid() == 1:  # the parent died before the call above: too late to be told
        os._exit(1)


_PR_SET_PDEATHSIG = 1


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """Around a fork: the collector of a forked worker would write to every object it inherited,
    copying the parent's memory page by page; frozen, they are left alone."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
