"""Batches of a JSON-lines file for the bulk path, framed, parsed and written by three threads in turn.

A framing thread un-gzips and splits lines (`frontierwatch.sources.lines`, the very reader of the record path, so
line numbers, blank lines and a broken gzip stream are met identically) and checks UTF-8 with Arrow. A parsing
thread runs the format's SQL on them (`queries.parse_bulk`, DuckDB on a cursor of its own); the lines the SQL
leaves (``fast`` false), lines that are not UTF-8 and the reject of a broken stream are parsed by the format's own
Python reader into `Prepared` or `Reject` items. The caller resolves identities and writes. zlib and DuckDB release
the GIL, so on two cores the parse of one batch overlaps the writing of the one before. The threads start when
the pipeline is made (`Ahead`), so the runner starts the next file's pipeline while it writes the last batch of the
current file, and no core waits at a file boundary.
"""
from __future__ import annotations

import importlib
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from frontierwatch.sources.lines import line_batches
from frontierwatch.sources.prepare import Prepared, prepare
from frontierwatch.sources.record import Reject
from frontierwatch.store import Store

_END = object()
CHUNK_ROWS = 4096


@dataclass
class LineBatch:
    """One batch of a file: ``lines`` (line, text) for DuckDB, ``raw`` line → bytes of every line, ``odd`` lines
    (not UTF-8) and ``rejects`` (a broken stream) for the Python reader; ``done``/``complete`` as in the record
    path."""

    lines: pa.Table
    raw: dict[int, bytes]
    odd: list[int]
    rejects: list[Reject]
    done: int
    complete: bool


def _frame(items: list, done: int, complete: bool) -> LineBatch:
    pairs = [it for it in items if not isinstance(it, Reject)]
    rejects = [it for it in items if isinstance(it, Reject)]
    raws = [r for _, r in pairs]
    offsets = np.zeros(len(raws) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in raws], out=offsets[1:])
    data = b"".join(raws)  # one copy into one Arrow buffer, instead of one Python object per line
    texts = pa.LargeBinaryArray.from_buffers(pa.large_binary(), len(raws), [None, pa.py_buffer(offsets), pa.py_buffer(data)])
    numbers = pa.array([n for n, _ in pairs], pa.int64())
    odd: list[int] = []
    try:
        text = texts.cast(pa.large_string())  # Arrow validates UTF-8 here
    except pa.ArrowInvalid:
        good = []
        for n, r in pairs:
            try:
                r.decode("utf-8")
                good.append(True)
            except UnicodeDecodeError:
                good.append(False)
                odd.append(n)
        mask = pa.array(good)
        numbers, text = numbers.filter(mask), texts.filter(mask).cast(pa.large_string())
    table = pa.table({"line": numbers, "text": text})
    # several record batches, so DuckDB's threads can each scan one (one batch is read by one thread)
    table = pa.Table.from_batches(table.to_batches(max_chunksize=CHUNK_ROWS), schema=table.schema)
    return LineBatch(table, dict(pairs), odd, rejects, done, complete)


class Ahead:
    """The items of ``produce()``, made in a thread (started at once) at most `depth` items ahead of the
    caller; `close` (or the end of the items) stops the thread, and an error in it is raised in the caller.

    Starting at construction, not at the first ``next``, lets the runner start the next file's pipeline while it
    still writes the last batch of the current one (`frontierwatch.sources.ingest`)."""

    def __init__(self, produce: Callable[[], Iterator], name: str, depth: int = 2, on_close: Callable | None = None):
        self._out: queue.Queue = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._on_close = on_close
        self._done = False
        self._thread = threading.Thread(target=self._work, args=(produce,), name=name, daemon=True)
        self._thread.start()

    def _put(self, item) -> None:
        while not self._stop.is_set():
            try:
                return self._out.put(item, timeout=0.2)
            except queue.Full:
                continue

    def _work(self, produce: Callable[[], Iterator]) -> None:
        items = None
        try:
            items = produce()
            for item in items:
                if self._stop.is_set():
                    return
                self._put(item)
            self._put(_END)
        except BaseException as exc:  # handed to the caller, who raises it
            self._put(exc)
        finally:
            if hasattr(items, "close"):
                items.close()  # a generator's own clean-up (its inner threads) runs here, in this thread

    def __iter__(self) -> Ahead:
        return self

    def __next__(self):
        if self._done:
            raise StopIteration
        got = self._out.get()
        if got is _END or isinstance(got, BaseException):
            self.close()
            if got is _END:
                raise StopIteration
            raise got
        return got

    def close(self) -> None:
        """Stop the thread and wait for it; safe to call more than once."""
        self._done = True
        self._stop.set()
        self._thread.join()
        if self._on_close:
            on_close, self._on_close = self._on_close, None
            on_close()


@dataclass
class BulkBatch:
    """A parsed batch: ``parsed`` the bulk parser's table (`arxiv_bulk` output columns), ``items`` the lines it
    left, parsed in Python, in line order; ``done``/``complete`` as in the record path."""

    parsed: pa.Table
    items: list[Prepared | Reject]
    done: int
    complete: bool


def bulk_batches(store: Store, fmt, path: Path, start: int, size: int, max_bytes: int) -> Ahead:
    """Parse `path` from record `start` on in batches of `size` records with the bulk parser of `fmt`
    (a module with ``parse_sql(source, max_field_bytes)`` and ``parse_line(path, number, raw)``).

    Three threads share the work: one frames lines, one parses them (DuckDB, on a cursor of its own, then the
    Python parser for the lines left), and the caller resolves and writes the batch before — so the parse of
    the next batch runs while the previous one is written. The threads start at once: the result is an `Ahead`
    iterator of `BulkBatch`, to be read out or closed."""
    from frontierwatch.sources.queries import parse_bulk, parse_cursor

    parser = importlib.import_module(fmt.bulk)
    cursor = parse_cursor(store)  # made here, in the caller's thread, and closed when the iterator is

    def framed() -> Iterator[LineBatch]:
        return (_frame(items, done, complete) for items, done, complete in line_batches(path, start, size))

    def parsed() -> Iterator[BulkBatch]:
        frames = Ahead(framed, f"frame {path.name}")
        try:
            for batch in frames:
                table = parse_bulk(cursor, batch.lines, lambda source: parser.parse_sql(source, max_bytes))
                slow = pc.filter(table.column("line"), pc.invert(table.column("fast"))).to_pylist()
                items: list[Prepared | Reject] = list(batch.rejects)
                for number in sorted([*slow, *batch.odd]):
                    rec = parser.parse_line(path, number, batch.raw[number])
                    items.append(rec if isinstance(rec, Reject) else prepare(rec, max_bytes))
                items.sort(key=lambda it: it.line)
                yield BulkBatch(table, items, batch.done, batch.complete)
        finally:
            frames.close()

    return Ahead(parsed, f"parse {path.name}", depth=1, on_close=cursor.close)


def aside_items(rows: list[dict]) -> list[Prepared]:
    """Bulk rows set aside for identity resolution (`queries.set_aside`) as `Prepared` records."""
    out = []
    for r in rows:
        line, keys, tkey = r.pop("line"), r.pop("keys"), r.pop("tkey")
        r["doc_id"] = None
        out.append(Prepared(line, r, keys, tkey))
    return out
