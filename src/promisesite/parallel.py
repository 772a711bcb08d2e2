"""Working on all cores: forked workers inherit what they need, so little is pickled."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from typing import Iterator


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def fork_pool(processes: int):
    return multiprocessing.get_context("fork").Pool(processes)


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
