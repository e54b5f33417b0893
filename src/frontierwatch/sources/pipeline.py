"""Parse files in a worker process while the main process resolves identities and writes the store.

On two cores this overlaps the two halves of ingest (parsing and writing cost about the same). The worker is a
plain subprocess (``python -m frontierwatch.sources.pipeline``) streaming pickled batches over a pipe, so it never
re-imports the caller's script and dies with its parent. Small files are parsed in-process, where starting a
worker would cost more than it saves.
"""
from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from frontierwatch.errors import StoreError
from frontierwatch.sources.prepare import Prepared, prepare
from frontierwatch.sources.record import Reject

WORKER_MIN_BYTES = 2_000_000
Batch = tuple[list, int, bool]  # items, records done in the file after this batch, file complete
_LEN = struct.Struct("<Q")


def _batches(fmt, path: Path, start: int, size: int, max_bytes: int) -> Iterator[Batch]:
    done, batch = 0, []
    for item in fmt.read(path):
        done += 1
        if done <= start:
            continue
        batch.append(item if isinstance(item, Reject) else prepare(item, max_bytes))
        if len(batch) >= size:
            yield batch, done, False
            batch = []
    yield batch, done, True


def prepared_batches(fmt, path: Path, start: int, size: int, max_bytes: int) -> Iterator[Batch]:
    """Batches of `Prepared | Reject` for `path`, skipping the first `start` records (the resume point)."""
    if path.stat().st_size < WORKER_MIN_BYTES or os.environ.get("FRONTIERWATCH_INGEST_INPROCESS"):
        yield from _batches(fmt, path, start, size, max_bytes)
        return
    cmd = [sys.executable, "-m", "frontierwatch.sources.pipeline", fmt.name, str(path), str(start), str(size), str(max_bytes)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        while True:
            header = proc.stdout.read(_LEN.size)
            if len(header) < _LEN.size:
                err = proc.stderr.read().decode("utf-8", "replace")[-2000:]
                raise StoreError(f"the parse worker for {path} stopped early: {err}", f"解析 {path} 的子进程意外退出：{err}")
            batch = pickle.loads(proc.stdout.read(_LEN.unpack(header)[0]))
            yield batch
            if batch[2]:
                break
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def _serve(argv: list[str]) -> None:
    from frontierwatch.sources.detect import get_format

    name, path, start, size, max_bytes = argv
    out = sys.stdout.buffer
    for batch in _batches(get_format(name), Path(path), int(start), int(size), int(max_bytes)):
        data = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
        out.write(_LEN.pack(len(data)))
        out.write(data)
        out.flush()


if __name__ == "__main__":
    _serve(sys.argv[1:])

__all__ = ["Prepared", "prepared_batches"]
