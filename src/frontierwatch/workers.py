"""Work that splits by document, spread over the machine's cores in worker processes; results in input order.

Why: most of a build is Python over texts — hashing terms, tokenising — which one process runs on one core
whatever the machine has. Such work is a pure function of each document, so it is cut into contiguous chunks,
each computed by a module-level function in a worker and joined in order: the result is the one-process result,
not an approximation of it. `Settings.workers` sets how many (0: one per available core; 1: none); small inputs
never start one.

A worker is a plain ``python -m frontierwatch.workers`` process reading one pickled call on stdin and writing the
pickled result on stdout (as the ingest's parse worker does): it never re-imports the caller's script — a
user's script without an ``if __name__ == "__main__"`` guard is safe — and shares no thread or open store
with the caller.
"""
from __future__ import annotations

import importlib
import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

__all__ = ["Worker", "available_workers", "map_chunks"]


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


class Worker:
    """``fn(*args)`` computed in a worker process, started at once; `result` waits for it.

    `fn` must be importable by name (a module-level function); arguments and result must pickle."""

    def __init__(self, fn: Callable[..., R], *args):
        self._err = tempfile.TemporaryFile()
        self._proc = subprocess.Popen([sys.executable, "-m", "frontierwatch.workers"], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=self._err)
        self.name = f"{fn.__module__}.{fn.__qualname__}"
        try:
            pickle.dump((fn.__module__, fn.__qualname__, args), self._proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self._proc.stdin.close()
        except BrokenPipeError:  # the worker died at start: `result` reports why
            pass

    def result(self) -> R:
        from frontierwatch.errors import StoreError

        data = self._proc.stdout.read()
        code = self._proc.wait()
        self._proc.stdout.close()
        if code != 0 or not data:
            self._err.seek(0)
            why = self._err.read().decode("utf-8", "replace")[-2000:]
            self._err.close()
            raise StoreError(f"the worker process for {self.name} stopped (exit {code}): {why}",
                             f"{self.name} 的子进程意外退出（退出码 {code}）：{why}")
        self._err.close()
        return pickle.loads(data)

    def stop(self) -> None:
        """Stop the worker if it still runs; its result is dropped."""
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        self._proc.stdout.close()
        self._err.close()


def map_chunks(fn: Callable[..., R], items: Sequence[T], *args, min_items: int = 20_000,
               workers: int | None = None) -> list[R]:
    """``[fn(chunk, *args) for chunk in chunks]`` for consecutive chunks of `items`, one per worker, computed in
    worker processes when there are at least `min_items` items and more than one worker (else one call, here)."""
    n = available_workers() if workers is None else max(1, workers)
    if n == 1 or len(items) < max(min_items, 2):
        return [fn(items, *args)]
    n = min(n, len(items))
    bounds = [len(items) * i // n for i in range(n + 1)]
    running = [Worker(fn, items[bounds[i]:bounds[i + 1]], *args) for i in range(n)]
    try:
        return [w.result() for w in running]
    finally:
        for w in running:
            w.stop()


def _serve() -> None:
    """The worker's side: one call from stdin, its result to stdout (anything the call prints goes to stderr)."""
    out = sys.stdout.buffer
    sys.stdout = sys.stderr
    module, name, args = pickle.load(sys.stdin.buffer)
    fn = importlib.import_module(module)
    for part in name.split("."):
        fn = getattr(fn, part)
    pickle.dump(fn(*args), out, protocol=pickle.HIGHEST_PROTOCOL)
    out.flush()


if __name__ == "__main__":
    _serve()
