"""Streaming line reading for JSON-lines sources (plain or gzip), robust to broken files.

A truncated or corrupt gzip stream ends the iteration with a `Reject` for the line where it broke, after every
complete line before it has been yielded; nothing is held in memory beyond one line.
"""
from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path

from frontierwatch.sources.record import Reject

RAW_LIMIT = 4096


def open_binary(path: Path):
    """Open `path` for binary reading, transparently un-gzipping `.gz` files (checked by magic bytes)."""
    fh = open(path, "rb")
    magic = fh.read(2)
    fh.seek(0)
    if magic == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=fh, mode="rb")
    return fh


def iter_lines(path: Path) -> Iterator[tuple[int, bytes] | Reject]:
    """Yield ``(line_number, raw_line)`` for non-blank lines, then a `Reject` if the stream breaks."""
    number = 0
    with open_binary(path) as fh:
        try:
            for raw in fh:
                number += 1
                if raw.strip():
                    yield number, raw
        except (EOFError, OSError, zlib.error) as exc:
            yield Reject(str(path), number + 1, f"truncated or corrupt gzip stream after line {number}: {exc}", "")


def decode_line(path: Path, number: int, raw: bytes) -> str | Reject:
    """UTF-8 text of a line, or a `Reject` saying where the bad byte is."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Reject(str(path), number, f"not UTF-8 (byte {exc.start}: {raw[exc.start:exc.start + 4]!r})",
                      raw[:RAW_LIMIT].decode("utf-8", "replace"))


def line_batches(path: Path, start: int, size: int) -> Iterator[tuple[list[tuple[int, bytes] | Reject], int, bool]]:
    """`iter_lines` in batches of `size` items after the first `start` (the resume point), as
    ``(items, items done in the file after this batch, file complete)`` — the batching, counting and resume
    points of `frontierwatch.sources.pipeline`, so a run of either path resumes the other."""
    done, batch = 0, []
    for item in iter_lines(path):
        done += 1
        if done <= start:
            continue
        batch.append(item)
        if len(batch) >= size:
            yield batch, done, False
            batch = []
    yield batch, done, True
