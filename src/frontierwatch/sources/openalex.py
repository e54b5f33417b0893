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
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from frontierwatch.errors import InputError
from frontierwatch.sources.lines import RAW_LIMIT, decode_line, iter_lines, open_binary
from frontierwatch.sources.record import Institution, Record, Reject
from frontierwatch.store.identity import parse_doi

log = logging.getLogger(__name__)

SOURCE = "openalex"
MIN_CONCEPT_LEVEL = 1
MIN_CONCEPT_SCORE = 0.3
ENTITY_FOLDERS = ("works", "authors", "institutions", "sources", "venues", "concepts", "funders", "publishers",
                  "topics", "subfields", "fields", "domains", "keywords")
_KIND_BY_PREFIX = {"W": "works", "A": "authors", "I": "institutions", "S": "sources", "V": "venues",
                   "C": "concepts", "F": "funders", "P": "publishers", "T": "topics"}
_ID_PREFIXES = ("https://openalex.org/", "http://openalex.org/", "openalex.org/")
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+?)(?:v\d+)?$", re.I)
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/([a-z\-]+(?:\.[a-z]{2})?/\d{7}|\d{4}\.\d{4,5})(?:v\d+)?", re.I)
_DIGITS = re.compile(r"(\d+)/?$")
# Keys only works have, and keys every other entity has ("works_count", "works_api_url"); quoted so that
# "referenced_works_count" does not match.
_WORK_KEYS = (b'"authorships"', b'"publication_date"', b'"referenced_works"', b'"host_venue"',
              b'"primary_location"', b'"abstract_inverted_index"')
_ENTITY_KEYS = (b'"works_count"', b'"works_api_url"')
_MERGED_HEADER = b"merge_date,id,merge_into_id"


# ---------------------------------------------------------------------------------------------- mapping


def short_openalex_id(value: Any) -> str | None:
    """'https://openalex.org/W123' → 'W123' (already-short ids pass through); None for empty values."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    for prefix in _ID_PREFIXES:
        if value.lower().startswith(prefix):
            return value[len(prefix):]
    return value


def rebuild_abstract(inverted: Any) -> str | None:
    """Text of an ``abstract_inverted_index`` ({word: [positions]}), words put back in position order.

    Also accepts the index as a JSON string and the MAG form ``{"IndexLength": n, "InvertedIndex": {...}}``.
    """
    if isinstance(inverted, str):
        try:
            inverted = json.loads(inverted)
        except ValueError:
            return None
    if isinstance(inverted, dict) and isinstance(inverted.get("InvertedIndex"), dict):
        inverted = inverted["InvertedIndex"]
    if not isinstance(inverted, dict) or not inverted:
        return None
    words: dict[int, str] = {}
    for word, positions in inverted.items():
        for position in positions or ():
            if isinstance(position, int):
                words[position] = word
    text = " ".join(words[p] for p in sorted(words)).strip()
    return text or None


def _clean(value: Any) -> str | None:
    return (" ".join(value.split()) or None) if isinstance(value, str) else None


def _locations(work: dict) -> list[dict]:
    found = [work.get("primary_location"), *(work.get("locations") or []), work.get("best_oa_location"),
             work.get("host_venue"), *(work.get("alternate_host_venues") or [])]
    return [loc for loc in found if isinstance(loc, dict)]


def _arxiv_id(doi: str | None, work: dict) -> str | None:
    if doi and (m := _ARXIV_DOI.match(doi)):
        return m.group(1)
    for loc in _locations(work):
        for key in ("landing_page_url", "pdf_url", "url"):
            url = loc.get(key)
            if isinstance(url, str) and (m := _ARXIV_URL.search(url)):
                return m.group(1)
    return None


def _work_ids(work: dict) -> dict[str, str]:
    given = work.get("ids") if isinstance(work.get("ids"), dict) else {}
    ids: dict[str, str] = {}
    if openalex := short_openalex_id(work.get("id") or given.get("openalex")):
        ids["openalex"] = openalex
    if doi := parse_doi(work.get("doi") or given.get("doi")):
        ids["doi"] = doi
    for scheme, prefix in (("pmid", ""), ("pmcid", "PMC"), ("mag", "")):
        value = given.get(scheme)
        if value is not None and (m := _DIGITS.search(str(value).strip())):
            ids[scheme] = prefix + m.group(1)
    if arxiv := _arxiv_id(doi, work):
        ids["arxiv"] = arxiv
    return ids


def _categories(work: dict) -> list[str]:
    names: list[str] = []
    topics = [work.get("primary_topic"), *(work.get("topics") or [])]
    names += ["openalex-topic:" + n for t in topics if isinstance(t, dict) and (n := _clean(t.get("display_name")))]
    for concept in work.get("concepts") or []:
        try:  # 2022 dumps give scores as strings
            level, score = int(concept.get("level") or 0), float(concept.get("score") or 0)
        except (TypeError, ValueError, AttributeError):
            continue
        if level >= MIN_CONCEPT_LEVEL and score >= MIN_CONCEPT_SCORE and (n := _clean(concept.get("display_name"))):
            names.append("concept:" + n)
    return list(dict.fromkeys(names))


def _venue(work: dict) -> str | None:
    for loc in _locations(work):
        source = loc.get("source") if isinstance(loc.get("source"), dict) else loc  # host_venue is the source
        if "display_name" in source and (name := _clean(source.get("display_name"))):
            return name
    return None


def _people(work: dict) -> tuple[list[str], list[Institution]]:
    authors: list[str] = []
    institutions: dict[str, Institution] = {}
    for authorship in work.get("authorships") or []:
        if not isinstance(authorship, dict):
            continue
        author = authorship.get("author") if isinstance(authorship.get("author"), dict) else {}
        if name := _clean(author.get("display_name")) or _clean(authorship.get("raw_author_name")):
            authors.append(name)
        for inst in authorship.get("institutions") or []:
            if not isinstance(inst, dict) or not (inst_name := _clean(inst.get("display_name"))):
                continue
            ror = inst.get("ror")
            ror = ror.rstrip("/").rsplit("/", 1)[-1] if isinstance(ror, str) and ror.strip() else None
            key = ror or inst_name.lower()
            if key not in institutions:
                country = inst.get("country_code")
                institutions[key] = Institution(name=inst_name, type=inst.get("type") or None,
                                                country=country.upper() if isinstance(country, str) and country
                                                else None, ror=ror)
    return authors, list(institutions.values())


def _published(work: dict) -> tuple[date | None, int | None]:
    try:
        return date.fromisoformat(str(work.get("publication_date"))[:10]), None
    except ValueError:
        year = work.get("publication_year")
        return None, year if isinstance(year, int) else None


def _cited_by_year(work: dict) -> dict[int, int] | None:
    """``counts_by_year`` as {year: citations received that year} (OpenAlex lists recent years, omitting zeros)."""
    out = {}
    for row in work.get("counts_by_year") or []:
        if isinstance(row, dict) and isinstance(row.get("year"), int) and isinstance(row.get("cited_by_count"), int):
            out[row["year"]] = out.get(row["year"], 0) + row["cited_by_count"]
    return out or None


def work_to_record(work: Any, file: str, line: int, raw: str | None = None) -> Record | Reject:
    """Map one OpenAlex work (either schema) to a `Record`, or a `Reject` saying what is missing.

    ``ids``: openalex (short 'W…'), doi (lower case, bare), pmid, pmcid ('PMC…'), mag, arxiv (from a
    10.48550/arXiv DOI or an arxiv.org/abs|pdf location). Institutions are de-duplicated by ROR id (bare, e.g.
    '05dxps055') or name; authors keep their order. `raw` is the source text for the Reject (else re-serialised).
    """
    def reject(reason: str) -> Reject:
        text = raw if raw is not None else orjson.dumps(work).decode("utf-8", "replace")
        return Reject(file, line, reason, text[:RAW_LIMIT])

    if not isinstance(work, dict):
        return reject(f"expected a JSON object for an OpenAlex work, got {type(work).__name__}")
    wid = short_openalex_id(work.get("id"))
    if wid and wid[:1] in _KIND_BY_PREFIX and wid[:1] != "W" and wid[1:].isdigit():
        return reject(f"OpenAlex {_KIND_BY_PREFIX[wid[0]]} entity {wid}, not a work")
    title = _clean(work.get("title")) or _clean(work.get("display_name"))
    if not title:
        return reject(f"work {wid or '(no id)'} has no title (title and display_name are empty)")
    authors, institutions = _people(work)
    published, year = _published(work)
    cited = work.get("cited_by_count")
    return Record(
        title=title, source=SOURCE, file=file, line=line,
        kind="patent" if work.get("type") == "patent" else "paper",
        abstract=rebuild_abstract(work.get("abstract_inverted_index")) or _clean(work.get("abstract")),
        language=work.get("language") or None, published=published, year=year,
        categories=_categories(work), ids=_work_ids(work), venue=_venue(work),
        authors=authors, institutions=institutions, cited_by_count=cited if isinstance(cited, int) else None,
        cited_by_year=_cited_by_year(work),
        references=[r for r in map(short_openalex_id, work.get("referenced_works") or []) if r],
        updated=_updated(work, file),
    )


def _updated(work: dict, file: str) -> str | None:
    """The version stamp of this copy of the work: its ``updated_date`` ('2023-10-22T04:49:10.253446'), else the
    snapshot partition it was read from (``updated_date=2023-05-16``), else None."""
    stamp = work.get("updated_date")
    if isinstance(stamp, str) and stamp[:4].isdigit():
        return stamp
    found = re.search(r"updated_date=(\d{4}-\d{2}-\d{2})", file)
    return found.group(1) if found else None


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
    if not isinstance(oid, str) or not oid.startswith(_ID_PREFIXES[:2]):
        return None
    wid = short_openalex_id(oid)
    return _KIND_BY_PREFIX.get(wid[0]) if wid and wid[1:].isdigit() else None


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
            kinds = {_KIND_BY_PREFIX.get(m) for m in re.findall(rb'"id":\s*"https://openalex\.org/([A-Z])\d+"',
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
