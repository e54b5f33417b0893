"""OpenAlex works → `Record`s, from every shape OpenAlex data comes in, streamed.

Shapes read by `read_openalex` (plain or gzip, told by magic bytes, not by name):

- snapshot part files ``works/updated_date=*/part_*.gz`` and any JSON-lines file of works (one work per line;
  `Record.line` is the line number) — this is also what `openalex_api.fetch_to_jsonl` writes;
- a single work (``W2741809807.json``, compact or pretty-printed);
- a ``/works`` list page ``{"meta": ..., "results": [...]}``, one per file or one per line;
- a JSON array of works (``works-2022-schema-410.json.gz``), parsed item by item;
- a snapshot folder (or its ``works/`` folder): every ``updated_date=*/part_*`` file in order.

Both schemas are mapped: 2022 (``host_venue``, ``alternate_host_venues``, ``concepts``) and current
(``primary_location``/``locations``, ``topics``, ``primary_topic``). Categories are ``openalex-topic:<name>`` for
the topics (primary first) and ``concept:<name>`` for concepts of level >= 1 with score >= 0.3 (level-0 concepts
such as "Computer science" say nothing about a frontier; low scores are OpenAlex's own guesses). Other entity files
(authors, institutions, sources, …), manifests and merged-id CSVs hold no documents: `openalex_entity_kind` names
them so the directory walker can skip them with a reason, and `read_merged_ids` reads the merged-id tables.
One work object becomes a `Record` in `sources.openalex_work`.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from frontierwatch.errors import InputError
from frontierwatch.sources.lines import RAW_LIMIT, decode_line, iter_lines, open_binary
from frontierwatch.sources.openalex_work import (ID_PREFIXES, KIND_BY_PREFIX, SOURCE, rebuild_abstract,  # noqa: F401
                                                 short_openalex_id, work_to_record)
from frontierwatch.sources.record import Record, Reject

log = logging.getLogger(__name__)

ENTITY_FOLDERS = ("works", "authors", "institutions", "sources", "venues", "concepts", "funders", "publishers",
                  "topics", "subfields", "fields", "domains", "keywords")
# Keys only works have, and keys every other entity has ("works_count", "works_api_url"); quoted so that
# "referenced_works_count" does not match.
_WORK_KEYS = (b'"authorships"', b'"publication_date"', b'"referenced_works"', b'"host_venue"',
              b'"primary_location"', b'"abstract_inverted_index"')
_ENTITY_KEYS = (b'"works_count"', b'"works_api_url"')
_MERGED_HEADER = b"merge_date,id,merge_into_id"


# ---------------------------------------------------------------------------------------------- reading


def _is_list_page(obj: Any) -> bool:
    return isinstance(obj, dict) and isinstance(obj.get("results"), list) and "id" not in obj


def _start(path: Path) -> bytes:
    """The first bytes of the file, un-gzipped as far as they go (never raises on a broken stream)."""
    with open(path, "rb") as fh:
        return _plain_head(fh.read(65536)).removeprefix(b"\xef\xbb\xbf").lstrip()


def _read_lines(path: Path, file: str) -> Iterator[Record | Reject]:
    """JSON lines: a work per line (line = line number), or list pages per line (line = ordinal of the work)."""
    ordinal = 0
    for item in iter_lines(path):
        if isinstance(item, Reject):
            yield item
            continue
        number, raw_bytes = item
        text = decode_line(path, number, raw_bytes)
        if isinstance(text, Reject):
            yield text
            continue
        try:
            obj = orjson.loads(text.lstrip("\ufeff") if number == 1 else text)
        except orjson.JSONDecodeError as exc:
            yield Reject(file, number, f"invalid JSON on line {number} of {file}: {exc}", text[:RAW_LIMIT])
            continue
        if _is_list_page(obj):
            for work in obj["results"]:
                ordinal += 1
                yield work_to_record(work, file, ordinal)
        else:
            yield work_to_record(obj, file, number, text.rstrip("\r\n"))


def _read_document(path: Path, file: str) -> Iterator[Record | Reject]:
    """One pretty-printed JSON document: a work, a list page or an array (held in memory: API-sized)."""
    try:
        with open_binary(path) as fh:
            data = fh.read()
    except (EOFError, OSError, zlib.error) as exc:
        yield Reject(file, 1, f"truncated or corrupt gzip stream in {file}: {exc}")
        return
    text = decode_line(path, 1, data)
    if isinstance(text, Reject):
        yield text
        return
    try:
        obj = orjson.loads(text.lstrip("\ufeff"))
    except orjson.JSONDecodeError as exc:
        yield Reject(file, 1, f"invalid JSON in {file}: {exc}", text[:RAW_LIMIT])
        return
    works = obj["results"] if _is_list_page(obj) else obj if isinstance(obj, list) else [obj]
    for ordinal, work in enumerate(works, start=1):
        yield work_to_record(work, file, ordinal)


def _iter_text(path: Path, chunk: int = 1 << 20) -> Iterator[str]:
    """The file as UTF-8 text in chunks; raises UnicodeDecodeError / EOFError / zlib.error where it breaks."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open_binary(path) as fh:
        while data := fh.read1(chunk):
            yield decoder.decode(data)
        yield decoder.decode(b"", final=True)


def _read_array(path: Path, file: str) -> Iterator[Record | Reject]:
    """A JSON array of works, decoded one item at a time (line = item ordinal); a break ends it with a Reject."""
    decoder = json.JSONDecoder()
    chunks = _iter_text(path)
    buf, pos, ordinal, eof = "", 0, 0, False
    expect_open = True
    while True:
        while pos < len(buf) and buf[pos] in " \t\r\n,\ufeff":
            pos += 1
        if pos < len(buf) and expect_open:
            if buf[pos] != "[":
                yield Reject(file, 1, f"expected a JSON array in {file}", buf[pos:pos + RAW_LIMIT])
                return
            pos, expect_open = pos + 1, False
            continue
        if pos < len(buf) and buf[pos] == "]":
            return
        if pos < len(buf):
            try:
                work, end = decoder.raw_decode(buf, pos)
            except ValueError as exc:
                if eof:
                    yield Reject(file, ordinal + 1, f"invalid JSON in item {ordinal + 1} of {file}: {exc}",
                                 buf[pos:pos + RAW_LIMIT])
                    return
            else:
                ordinal += 1
                yield work_to_record(work, file, ordinal, buf[pos:min(end, pos + RAW_LIMIT)])
                pos = end
                continue
        if eof:
            if expect_open or pos >= len(buf):
                yield Reject(file, ordinal + 1, f"JSON array in {file} ends without ']' after item {ordinal}")
            return
        try:
            buf, pos = buf[pos:] + next(chunks), 0
        except StopIteration:
            eof = True
        except UnicodeDecodeError as exc:
            yield Reject(file, ordinal + 1, f"not UTF-8 in item {ordinal + 1} of {file}: {exc.reason}")
            return
        except (EOFError, OSError, zlib.error) as exc:
            yield Reject(file, ordinal + 1, f"truncated or corrupt gzip stream after item {ordinal}: {exc}")
            return


def snapshot_work_files(folder: Path) -> list[Path]:
    """Part files of a snapshot's works, ``[<folder>/works/]updated_date=*/part_*``, in date order.

    Where a part exists both gzipped and unpacked (``part_000`` next to ``part_000.gz``), only the .gz is read.
    """
    folder = Path(folder)
    root = folder / "works" if (folder / "works").is_dir() else folder
    parts = sorted(p for p in root.glob("updated_date=*/part_*") if p.is_file() and not p.name.startswith("."))
    return _without_unpacked_twins(parts)


def _without_unpacked_twins(files: list[Path]) -> list[Path]:
    names = {p.as_posix() for p in files}
    return [p for p in files if not (p.suffix != ".gz" and p.as_posix() + ".gz" in names)]


def read_openalex(path: Path) -> Iterator[Record | Reject]:
    """Yield a `Record` per OpenAlex work in `path` (any shape listed in the module docstring), else a `Reject`.

    `Record.file` is ``str(path)``; `Record.line` is the line number in JSON-lines files, else the 1-based
    ordinal of the work. Bad lines, non-UTF-8 lines and works without a title become Rejects and reading goes
    on; a truncated gzip keeps every work before the break and ends with one Reject at the next line.
    """
    path = Path(path)
    if path.is_dir():
        files = snapshot_work_files(path)
        if not files:
            raise InputError(f"{path}: no OpenAlex works part files (works/updated_date=*/part_*) in this folder",
                             f"{path}：该目录中没有 OpenAlex works 分片文件（works/updated_date=*/part_*）")
        for part in files:
            yield from read_openalex(part)
        return
    if not path.is_file():
        raise InputError(f"no such OpenAlex file: {path}", f"OpenAlex 文件不存在：{path}")
    kind = openalex_entity_kind(path)
    if kind in ("manifest", "merged_ids"):
        raise InputError(f"{path} is an OpenAlex {kind} file, not works; it holds no documents",
                         f"{path} 是 OpenAlex {kind} 文件而非 works，不含文献")
    file, start = str(path), _start(path)
    counts = {"records": 0, "rejects": 0}
    if start.startswith(b"["):
        items = _read_array(path, file)
    elif start.split(b"\n", 1)[0].strip() == b"{":  # pretty-printed: one document
        items = _read_document(path, file)
    else:
        items = _read_lines(path, file)
    for item in items:
        counts["records" if isinstance(item, Record) else "rejects"] += 1
        yield item
    log.info("openalex %s: %d records, %d rejects", file, counts["records"], counts["rejects"])


# ---------------------------------------------------------------------------------------------- detection


def _plain_head(head: bytes) -> bytes:
    if head[:2] == b"\x1f\x8b":  # a raw gzip start: inflate what is there
        try:
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head)
        except zlib.error:
            return b""
    return head


def _kind_of_object(obj: Any) -> str | None:
    if _is_list_page(obj):
        obj = obj["results"][0] if obj["results"] else None
    elif isinstance(obj, list):
        obj = obj[0] if obj else None
    oid = obj.get("id") if isinstance(obj, dict) else None
    if not isinstance(oid, str) or not oid.startswith(ID_PREFIXES[:2]):
        return None
    wid = short_openalex_id(oid)
    return KIND_BY_PREFIX.get(wid[0]) if wid and wid[1:].isdigit() else None


def openalex_entity_kind(path: Path, head: bytes | None = None) -> str | None:
    """Which OpenAlex file `path` is: 'works', another entity folder name ('authors', 'institutions', …,
    'entity' when unsure which), 'manifest', 'merged_ids'; None when it is not OpenAlex data.

    `head` is the start of the file, raw or un-gzipped (read here when None). The content decides (a work has
    ``authorships``/``publication_date``…, every other entity ``works_count``); the snapshot layout
    (``<entity>/updated_date=*/part_*``, ``<entity>/manifest``, ``merged_ids/<entity>/*.csv``) decides when the
    content cannot (an empty part file).
    """
    path = Path(path)
    if head is None:
        try:
            with open(path, "rb") as fh:
                head = fh.read(65536)
        except OSError:
            return None
    text = _plain_head(head)
    parts = [p.lower() for p in path.parts]
    if text.startswith(_MERGED_HEADER) or ("merged_ids" in parts[:-1] and ".csv" in path.name.lower()):
        return "merged_ids"
    stripped = text.lstrip()
    if stripped.startswith(b"{") and b'"entries"' in text[:200] and b"s3://openalex" in text:
        return "manifest"
    first = stripped.split(b"\n", 1)[0]
    try:
        if kind := _kind_of_object(orjson.loads(first if first.strip() != b"{" else stripped)):
            return kind
    except orjson.JSONDecodeError:
        pass
    if b"openalex.org/" in text:
        if any(k in text for k in _WORK_KEYS) and not any(k in text for k in _ENTITY_KEYS):
            return "works"
        if any(k in text for k in _ENTITY_KEYS):
            kinds = {KIND_BY_PREFIX.get(m) for m in re.findall(rb'"id":\s*"https://openalex\.org/([A-Z])\d+"',
                                                                  text[:400])}
            return kinds.pop() if len(kinds) == 1 and None not in kinds else "entity"
    if len(parts) >= 3 and parts[-2].startswith("updated_date=") and parts[-3] in ENTITY_FOLDERS:
        return parts[-3]
    if path.name == "manifest" and len(parts) >= 2 and parts[-2] in ENTITY_FOLDERS:
        return "manifest"
    return None


def sniff_openalex(path: Path, head: bytes) -> bool:
    """True when `path` (starting with `head`, raw or un-gzipped) holds OpenAlex works — for auto-detection."""
    return openalex_entity_kind(path, head) == "works"


def is_openalex_entity_file(path: Path, head: bytes | None = None) -> bool:
    """True for OpenAlex files that hold no documents — other entities, manifests, merged-id tables — which a
    directory walk should skip (reason: ``f"OpenAlex {openalex_entity_kind(path)} file, not works"``)."""
    return openalex_entity_kind(path, head) not in (None, "works")


def read_merged_ids(path: Path) -> Iterator[tuple[str, str]]:
    """Yield ``(merged_id, kept_id)`` short ids from a snapshot ``merged_ids/<entity>/*.csv[.gz]`` table
    (columns merge_date, id, merge_into_id); a folder yields every table in it, oldest first (a .csv next to the
    same .csv.gz is read once)."""
    path = Path(path)
    if path.is_dir():
        tables = sorted(p for p in path.rglob("*.csv*") if p.name.endswith((".csv", ".csv.gz")))
        for table in _without_unpacked_twins(tables):
            yield from read_merged_ids(table)
        return
    with open_binary(path) as fh:
        reader = csv.DictReader(io.TextIOWrapper(fh, encoding="utf-8", newline=""))
        if not reader.fieldnames or not {"id", "merge_into_id"} <= set(reader.fieldnames):
            raise InputError(f"{path}: expected columns merge_date,id,merge_into_id, got {reader.fieldnames}",
                             f"{path}：应有列 merge_date,id,merge_into_id，实际为 {reader.fieldnames}")
        for row in reader:
            merged, kept = short_openalex_id(row.get("id")), short_openalex_id(row.get("merge_into_id"))
            if merged and kept:
                yield merged, kept
