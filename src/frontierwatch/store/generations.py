"""Published generations of the pipeline database: what a running server reads while batch commands rebuild.

A *generation* is a read-only copy of the pipeline database (``generations/gNNNNNN.duckdb``); ``published.json``
names the current one and the state of the pipeline database it was copied from (size and modification time of
the file and its write-ahead log). The server (`frontierwatch.web.generation_watch`) publishes: when the pipeline
database differs from what is published and no batch command holds the write lock, it prepares the database (the
migrations and the search index — so the server never writes a published copy), copies it, then replaces
``published.json`` atomically (write a temporary file, rename). It opens the new copy read-only beside the old one,
swaps, and closes the old one after the requests that use it have finished.

Why copies and not the pipeline file itself: a read-only DuckDB connection in one process stops every other
process from writing that file, so reading the pipeline database from the server would stop ``build``. A copy
costs disk (the pipeline database twice, three times while a publish runs) and seconds per publish, once per
batch command, never per request. Old generations are removed when a newer one is published: the current and the
previous one stay (a server may still be finishing requests on it; on POSIX an open file outlives its removal).
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from frontierwatch.store import locking
from frontierwatch.store.database import DB_NAME, Store, check_version
from frontierwatch.store.memo import ReadMemo
from frontierwatch.store.tables import Tables

log = logging.getLogger(__name__)

GENERATIONS_DIR = "generations"
POINTER = "published.json"


@dataclass(frozen=True)
class Generation:
    """One published copy: its number, file, publication time and the pipeline state it was copied from."""

    number: int
    file: Path
    published: str
    source: dict


def pipeline_state(path: str | Path) -> dict:
    """Size and modification time (ns) of the pipeline database and its write-ahead log: any write changes it."""
    out = {}
    for name in (DB_NAME, DB_NAME + ".wal"):
        try:
            st = os.stat(Path(path) / name)
            out[name] = [st.st_size, st.st_mtime_ns]
        except FileNotFoundError:
            pass
    return out


def current_generation(path: str | Path) -> Generation | None:
    """The generation ``published.json`` names (None when nothing is published or its file is gone)."""
    path = Path(path)
    try:
        info = json.loads((path / POINTER).read_text())
        gen = Generation(int(info["number"]), path / info["file"], str(info["published"]), dict(info["source"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return gen if gen.file.is_file() else None


def is_current(path: str | Path) -> bool:
    """Whether the published generation was copied from the pipeline database as it is now."""
    gen = current_generation(path)
    return gen is not None and gen.source == pipeline_state(path)


def publish(path: str | Path, prepare=None, *, wait: bool = False) -> Generation | None:
    """Publish the pipeline database of the store at `path` as a new generation, unless the current one already
    is a copy of it. `prepare(store)` runs first on the writable pipeline database (migrations are applied by
    opening it). Returns the current generation, or None when a batch command holds the write lock and `wait`
    is false (try again later)."""
    path = Path(path)
    lock = locking.acquire(path, wait=wait, what="frontierwatch serve (publishing)")
    if lock is None:
        return None
    with lock:
        if prepare is not None or not is_current(path):
            with Store(path, create=False) as store:
                if prepare is not None:
                    prepare(store)
                store.con.execute("CHECKPOINT")
        previous = current_generation(path)
        state = pipeline_state(path)
        if previous is not None and previous.source == state:
            return previous
        start = time.perf_counter()
        folder = path / GENERATIONS_DIR
        folder.mkdir(exist_ok=True)
        number = max([previous.number if previous else 0] + _numbers(folder)) + 1
        target = folder / f"g{number:06d}.duckdb"
        tmp = folder / f".{target.name}.tmp"
        shutil.copyfile(path / DB_NAME, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        tmp.replace(target)
        gen = Generation(number, target, datetime.now(timezone.utc).isoformat(timespec="seconds"), state)
        _write_pointer(path, gen)
        _remove_old(folder, keep={number, previous.number if previous else number})
        log.info("published generation %d of %s (%.1f MB) in %.1f s", number, path,
                 target.stat().st_size / 1e6, time.perf_counter() - start)
        return gen


def _numbers(folder: Path) -> list[int]:
    out = []
    for f in folder.glob("g*.duckdb"):
        try:
            out.append(int(f.stem[1:]))
        except ValueError:
            pass
    return out


def _write_pointer(path: Path, gen: Generation) -> None:
    tmp = path / f".{POINTER}.tmp"
    tmp.write_text(json.dumps({"number": gen.number, "file": str(gen.file.relative_to(path)),
                               "published": gen.published, "source": gen.source}))
    tmp.replace(path / POINTER)


def _remove_old(folder: Path, keep: set[int]) -> None:
    """Remove generations not in `keep` and unfinished copies (the caller holds the write lock: none is running)."""
    for f in folder.iterdir():
        unfinished = f.name.startswith(".") and f.name.endswith(".tmp")
        if unfinished or (f.suffix == ".duckdb" and f.stem[1:].isdigit() and int(f.stem[1:]) not in keep):
            f.unlink(missing_ok=True)


class GenerationStore(Store):
    """A published generation opened read-only, with the server's user database: what the web app reads.

    Same interface as `Store` (``tables``, ``users_tables``, ``con``, ``users``, ``path``, ``cache_dir``, ``read_only`` is True); closing it
    closes the generation only — the user database belongs to the server."""

    def __init__(self, path: str | Path, generation: Generation, users):
        self.path = Path(path)
        self.cache_dir = self.path / "cache"
        self.cache_dir.mkdir(exist_ok=True)
        self.read_only = True
        self.generation = generation
        self._lock = None
        self._users = None
        self._users_tables = None
        self._users_known: set[str] = set()  # user tables seen to exist (`users_table_exists`)
        self._server_users = users
        self.con = duckdb.connect(str(generation.file), read_only=True)
        check_version(self.con, generation.file)
        self.tables = Tables(self.con, read_only=True, memo=ReadMemo())  # a generation never changes

    @property
    def users(self):
        return self._server_users

    def close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None
