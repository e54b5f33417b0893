"""Batches of a JSON-lines file for the bulk path, framed, parsed and written by three threads in turn.

A framing thread un-gzips and splits lines (`frontierwatch.sources.lines`, the very reader of the record path, so
line numbers, blank lines and a broken gzip stream are met identically) and checks UTF-8 with Arrow. A parsing
thread runs the format's SQL on them (`queries.parse_bulk`, DuckDB on a cursor of its own); the lines the SQL
leaves (``fast`` false), lines that are not UTF-8 and the reject of a broken stream are parsed by the format's own
Python reader into `Prepared` or `Reject` items. The caller resolves identities and writes. zlib and DuckDB release
the GIL, so on two cores the parse of one batch overlaps the writing of the one before.
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


def _ahead(produce: Callable[[], Iterator], name: str, depth: int = 2) -> Iterator:
    """The items of ``produce()``, made in a thread at most `depth` items ahead of the caller; the thread stops
    when the caller does, and an error in it is raised in the caller."""
    out: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item) -> None:
        while not stop.is_set():
            try:
                return out.put(item, timeout=0.2)
            except queue.Full:
                continue

    def work() -> None:
        try:
            for item in produce():
                if stop.is_set():
                    return
                put(item)
            put(_END)
        except BaseException as exc:  # handed to the caller, who raises it
            put(exc)

    thread = threading.Thread(target=work, name=name, daemon=True)
    thread.start()
    try:
        while True:
            got = out.get()
            if got is _END:
                return
            if isinstance(got, BaseException):
                raise got
            yield got
    finally:
        stop.set()
        thread.join()


@dataclass
class BulkBatch:
    """A parsed batch: ``parsed`` the bulk parser's table (`arxiv_bulk` output columns), ``items`` the lines it
    left, parsed in Python, in line order; ``done``/``complete`` as in the record path."""

    parsed: pa.Table
    items: list[Prepared | Reject]
    done: int
    complete: bool


def bulk_batches(store: Store, fmt, path: Path, start: int, size: int, max_bytes: int) -> Iterator[BulkBatch]:
    """Parse `path` from record `start` on in batches of `size` records with the bulk parser of `fmt`
    (a module with ``parse_sql(source, max_field_bytes)`` and ``parse_line(path, number, raw)``).

    Three threads share the work: one frames lines, one parses them (DuckDB, on a cursor of its own, then the
    Python parser for the lines left), and the caller resolves and writes the batch before — so the parse of
    the next batch runs while the previous one is written."""
    from frontierwatch.sources.queries import parse_bulk, parse_cursor

    parser = importlib.import_module(fmt.bulk)

    def framed() -> Iterator[LineBatch]:
        return (_frame(items, done, complete) for items, done, complete in line_batches(path, start, size))

    def parsed() -> Iterator[BulkBatch]:
        with parse_cursor(store) as cursor:
            for batch in _ahead(framed, f"frame {path.name}"):
                table = parse_bulk(cursor, batch.lines, lambda source: parser.parse_sql(source, max_bytes))
                slow = pc.filter(table.column("line"), pc.invert(table.column("fast"))).to_pylist()
                items: list[Prepared | Reject] = list(batch.rejects)
                for number in sorted([*slow, *batch.odd]):
                    rec = parser.parse_line(path, number, batch.raw[number])
                    items.append(rec if isinstance(rec, Reject) else prepare(rec, max_bytes))
                items.sort(key=lambda it: it.line)
                yield BulkBatch(table, items, batch.done, batch.complete)

    yield from _ahead(parsed, f"parse {path.name}", depth=1)


def aside_items(rows: list[dict]) -> list[Prepared]:
    """Bulk rows set aside for identity resolution (`queries.set_aside`) as `Prepared` records."""
    out = []
    for r in rows:
        line, keys, tkey = r.pop("line"), r.pop("keys"), r.pop("tkey")
        r["doc_id"] = None
        out.append(Prepared(line, r, keys, tkey))
    return out
