"""The store's write lock: one process at a time writes the pipeline database (and publishes it).

DuckDB refuses a second writing process with an error; the write lock (``<store>/write.lock``, an ``flock``)
comes first so that a batch command *waits* for the one before it — or for the running server's short publishing
step — instead of failing. Within one process the lock is shared (counted), since one process may open the same
store twice (a test, the server publishing while it serves).
"""
from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

LOCK_NAME = "write.lock"
_held: dict[str, list] = {}          # realpath -> [file object, count]
_guard = threading.Lock()


class WriteLock:
    """A held write lock on one store; `release` once (also by leaving a ``with`` block)."""

    def __init__(self, key: str):
        self.key = key
        self.released = False

    def release(self) -> None:
        if self.released:
            return
        self.released = True
        with _guard:
            entry = _held[self.key]
            entry[1] -= 1
            if entry[1] == 0:
                fcntl.flock(entry[0], fcntl.LOCK_UN)
                entry[0].close()
                del _held[self.key]

    def __enter__(self) -> "WriteLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def holder(path: str | Path) -> str:
    """What the lock file says about its holder ("pid 123: frontierwatch build"), or ''."""
    try:
        return (Path(path) / LOCK_NAME).read_text().strip()
    except OSError:
        return ""


def acquire(path: str | Path, *, wait: bool = True, what: str = "") -> WriteLock | None:
    """The write lock of the store at `path`; waits for it when `wait` (logging who holds it, once), else None
    when another process holds it."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    key = os.path.realpath(path / LOCK_NAME)
    with _guard:
        if key in _held:
            _held[key][1] += 1
            return WriteLock(key)
    fh = open(key, "a+")
    told = False
    while True:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if not wait:
                fh.close()
                return None
            if not told:
                log.warning("store %s is being written by %s; waiting for it to finish / 等待其他进程写完",
                            path, holder(path) or "another process")
                told = True
            time.sleep(0.2)
    fh.seek(0)
    fh.truncate()
    fh.write(f"pid {os.getpid()}{': ' + what if what else ''}\n")
    fh.flush()
    with _guard:
        if key in _held:  # another thread of this process took it meanwhile: share theirs
            fcntl.flock(fh, fcntl.LOCK_UN)
            fh.close()
            _held[key][1] += 1
        else:
            _held[key] = [fh, 1]
    return WriteLock(key)
