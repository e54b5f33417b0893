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


def parse_arxiv_object(obj: dict, file: str, line: int) -> Record | Reject:
    """Map one snapshot object to a `Record` (or a `Reject` naming what is missing)."""
    arxiv_id = obj.get("id")
    if not isinstance(arxiv_id, str) or not arxiv_id.strip():
        return Reject(file, line, "missing arXiv id ('id')", orjson.dumps(obj)[:RAW_LIMIT].decode("utf-8", "replace"))
    title = " ".join((obj.get("title") or "").split())
    abstract = " ".join((obj.get("abstract") or "").split()) or None
    categories = (obj.get("categories") or "").split()
    versions = obj.get("versions") or []
    published = _version_date(versions[0].get("created", "")) if versions and isinstance(versions[0], dict) else None
    ids = {"arxiv": arxiv_id.strip()}
    if obj.get("doi"):
        ids["doi"] = obj["doi"].split()[0]
    return Record(
        title=title, source="arxiv", file=file, line=line, kind="paper", abstract=abstract, language="en",
        published=published, categories=categories, ids=ids, venue=obj.get("journal-ref") or None,
        authors=_authors(obj),
    )


def read_arxiv(path: Path) -> Iterator[Record | Reject]:
    """Yield a Record per line of an arXiv snapshot file; bad lines become Rejects with file and line."""
    file = str(path)
    for item in iter_lines(path):
        if isinstance(item, Reject):
            yield item
            continue
        number, raw = item
        try:
            obj = orjson.loads(raw)  # orjson validates UTF-8 itself; decode only to explain a failure
        except orjson.JSONDecodeError as exc:
            text = decode_line(path, number, raw)
            yield text if isinstance(text, Reject) else Reject(file, number, f"invalid JSON: {exc}", text[:RAW_LIMIT])
            continue
        if not isinstance(obj, dict):
            yield Reject(file, number, f"expected a JSON object, got {type(obj).__name__}",
                         raw[:RAW_LIMIT].decode("utf-8", "replace"))
            continue
        yield parse_arxiv_object(obj, file, number)


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
