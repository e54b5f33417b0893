"""arXiv metadata snapshot reader: JSON lines (plain or .gz), the layout of `arxiv-metadata-oai-snapshot.json`.

Fields used: id, title, abstract, authors / authors_parsed, categories (primary first), doi, journal-ref, versions
(the first version's date is the publication date). Streams line by line.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import orjson

from frontierwatch.sources.lines import RAW_LIMIT, decode_line, iter_lines
from frontierwatch.sources.record import Record, Reject

_MONTHS = {m: i for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}


def _version_date(created: str) -> date | None:
    """'Sun, 01 Jan 2012 00:00:00 GMT' → date(2012, 1, 1)."""
    parts = created.split()
    try:
        return date(int(parts[3]), _MONTHS[parts[2]], int(parts[1]))
    except (IndexError, KeyError, ValueError):
        return None


def _authors(obj: dict) -> list[str]:
    parsed = obj.get("authors_parsed")
    if parsed:
        return [" ".join(p for p in (a[1] if len(a) > 1 else "", a[0]) if p).strip() for a in parsed if a]
    raw = obj.get("authors") or ""
    return [a.strip() for a in re.split(r",\s*|\s+and\s+", raw) if a.strip()]


_STRING_FIELDS = ("title", "abstract", "categories", "doi", "journal-ref", "authors")


def _wrong_type(obj: dict) -> str | None:
    """The first field holding what the snapshot never has there: strings for the text fields, lists of
    strings for ``authors_parsed``. Empty values count as missing, as they always have."""
    for name in _STRING_FIELDS:
        if obj.get(name) and not isinstance(obj[name], str):
            return f"field '{name}' should be a string, got {type(obj[name]).__name__}"
    parsed = obj.get("authors_parsed")
    if parsed and not (isinstance(parsed, list) and all(
            not a or (isinstance(a, list) and all(p is None or isinstance(p, str) for p in a)) for a in parsed)):
        return "field 'authors_parsed' should be a list of [last, first, suffix] string lists"
    return None


def parse_arxiv_object(obj: dict, file: str, line: int) -> Record | Reject:
    """Map one snapshot object to a `Record` (or a `Reject` naming what is missing or malformed)."""
    arxiv_id = obj.get("id")
    if not isinstance(arxiv_id, str) or not arxiv_id.strip():
        return Reject(file, line, "missing arXiv id ('id')", orjson.dumps(obj)[:RAW_LIMIT].decode("utf-8", "replace"))
    wrong = _wrong_type(obj)
    if wrong:
        return Reject(file, line, wrong, orjson.dumps(obj)[:RAW_LIMIT].decode("utf-8", "replace"))
    title = " ".join((obj.get("title") or "").split())
    abstract = " ".join((obj.get("abstract") or "").split()) or None
    categories = (obj.get("categories") or "").split()
    versions = obj.get("versions") or []
    first = versions[0] if isinstance(versions, list) and versions else None
    created = first.get("created") if isinstance(first, dict) else None
    published = _version_date(created) if isinstance(created, str) else None
    ids = {"arxiv": arxiv_id.strip()}
    doi = (obj.get("doi") or "").split()
    if doi:
        ids["doi"] = doi[0]
    return Record(
        title=title, source="arxiv", file=file, line=line, kind="paper", abstract=abstract, language="en",
        published=published, categories=categories, ids=ids, venue=obj.get("journal-ref") or None,
        authors=_authors(obj),
    )


def parse_arxiv_line(path: Path, number: int, raw: bytes) -> Record | Reject:
    """One line of a snapshot file as a Record, or a Reject naming the file, the line and what is wrong."""
    try:
        obj = orjson.loads(raw)  # orjson validates UTF-8 itself; decode only to explain a failure
    except orjson.JSONDecodeError as exc:
        text = decode_line(path, number, raw)
        return text if isinstance(text, Reject) else Reject(str(path), number, f"invalid JSON: {exc}", text[:RAW_LIMIT])
    if not isinstance(obj, dict):
        return Reject(str(path), number, f"expected a JSON object, got {type(obj).__name__}",
                      raw[:RAW_LIMIT].decode("utf-8", "replace"))
    return parse_arxiv_object(obj, str(path), number)


def read_arxiv(path: Path) -> Iterator[Record | Reject]:
    """Yield a Record per line of an arXiv snapshot file; bad lines become Rejects with file and line."""
    for item in iter_lines(path):
        yield item if isinstance(item, Reject) else parse_arxiv_line(path, *item)


def sniff_arxiv(path: Path, head: bytes) -> bool:
    """True for JSON lines whose first object looks like an arXiv snapshot record."""
    first = head.lstrip().split(b"\n", 1)[0]
    if not first.startswith(b"{"):
        return False
    try:
        obj = orjson.loads(first)
    except orjson.JSONDecodeError:
        return b'"versions"' in first and b'"categories"' in first and b'"id"' in first
    return isinstance(obj, dict) and "id" in obj and "categories" in obj and ("versions" in obj or "authors_parsed" in obj)
