"""Work that splits by document, spread over the machine's cores in worker processes; results in input order.

Why: most of a build is Python over texts — hashing terms, tokenising — which one process runs on one core
whatever the machine has. Such work is a pure function of each document, so it is cut into contiguous chunks,
mapped in a pool of spawned processes (no state shared with the caller's threads or its open store) and the
chunks' results are joined in order: the result is the one-process result, not an approximation of it.
`Settings.workers` sets the pool (0: one per available core; 1: none); small inputs never start one.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

__all__ = ["available_workers", "map_chunks"]


def available_workers() -> int:
    """Worker processes to use: `Settings.workers`, or the cores this process may run on."""
    from frontierwatch.settings import load_settings

    wanted = load_settings().workers
    if wanted:
        return wanted
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def map_chunks(fn: Callable[[Sequence[T]], R], items: Sequence[T], *, min_items: int = 20_000,
               workers: int | None = None) -> list[R]:
    """``[fn(chunk) for chunk in chunks]`` for consecutive chunks of `items`, one per worker, computed in worker
    processes when there are at least `min_items` items and more than one worker (else one call, here).

    `fn` must be importable by name (a module-level function) and its results picklable."""
    n = available_workers() if workers is None else max(1, workers)
    if n == 1 or len(items) < max(min_items, 2):
        return [fn(items)]
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    n = min(n, len(items))
    bounds = [len(items) * i // n for i in range(n + 1)]
    chunks = [items[bounds[i]:bounds[i + 1]] for i in range(n)]
    with ProcessPoolExecutor(max_workers=n, mp_context=get_context("spawn")) as pool:
        return list(pool.map(fn, chunks))
