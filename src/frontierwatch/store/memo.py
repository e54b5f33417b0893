"""Answers of reads on a published generation, kept: the same question asked again gets the same answer at once.

A published generation (`frontierwatch.store.generations`) is a read-only copy that never changes while it is
open, so a read of it — a table's rows (`Tables.read`), whether a table exists, a query module's rows — has one
answer for as long as it is served. The web app asks the same small reads on every request (the map row, the
map's axes, directions and names, the search index's metadata): each is a DuckDB round trip of 5–40 ms on a
loaded machine, for an answer of a few hundred rows. `ReadMemo` keeps answers up to `max_rows` rows (large
reads — every vector, every document — are their callers' to hold) and `max_entries` answers (oldest first out).

Only a store that cannot change may use it: `GenerationStore` gives one to its `Tables`; a writable store never
has one. Answers are shared, so they must not be modified: Arrow tables are immutable; row lists are handed out
as copies (their tuples are immutable; the values inside — lists, dicts — are the caller's to leave alone, as
every query module does).
"""
from __future__ import annotations

import datetime
import threading

_PLAIN = (str, int, float, bool, type(None), datetime.date, datetime.datetime)
MAX_LIST = 16


def memo_key(*parts) -> tuple | None:
    """A hashable key of a read's text and parameters, or None when a parameter is not a plain value (a list of
    up to `MAX_LIST` or a dict of plain values is fine; an Arrow table or array is not: its text form would not
    identify it) — then the read is not kept."""
    def plain(value) -> bool:
        if isinstance(value, _PLAIN):
            return True
        if isinstance(value, (list, tuple)):  # a long list is one request's own (its documents): not kept
            return len(value) <= MAX_LIST and all(plain(v) for v in value)
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        return False

    if not all(plain(p) for p in parts):
        return None
    return tuple(repr(p) for p in parts)


class ReadMemo:
    """A bounded, thread-safe map from a read's key to its answer (see the module docstring)."""

    def __init__(self, max_rows: int = 20_000, max_entries: int = 4096):
        self.max_rows, self.max_entries = max_rows, max_entries
        self._answers: dict[tuple, object] = {}
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple | None, compute, rows=len):
        """The kept answer of `key`, else ``compute()`` (kept when ``rows(answer)`` ≤ `max_rows`)."""
        if key is None:
            return compute()
        got = self._answers.get(key, _MISSING)
        if got is not _MISSING:
            self.hits += 1
            return got
        self.misses += 1
        got = compute()
        if rows(got) <= self.max_rows:
            with self._lock:
                while len(self._answers) >= self.max_entries:
                    del self._answers[next(iter(self._answers))]
                self._answers[key] = got
        return got


_MISSING = object()
