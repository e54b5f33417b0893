"""From parsed `Record`s to prepared `documents` rows: validation, identity keys and the row a record makes.

Runs in the parse worker of the ingest pipeline, so it imports nothing heavy (no Arrow, no DuckDB).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import orjson

from frontierwatch.sources.lines import RAW_LIMIT
from frontierwatch.sources.record import KINDS, Record, Reject
from frontierwatch.store.identity import normalise_id, strong_keys, title_key

_MAIN_IDS = {"doi": "doi", "arxiv": "arxiv_id", "openalex": "openalex_id", "patent": "patent_number"}


@dataclass(slots=True)
class Prepared:
    """A valid record ready for identity resolution: its row (``doc_id`` still unset), strong keys and title key."""

    line: int
    row: dict
    keys: list[str]
    tkey: str | None


def prepare(rec: Record, max_field_bytes: int) -> Prepared | Reject:
    """Validate `rec` and build its row and keys once."""
    keys, tkey = strong_keys(rec.ids), title_key(rec.title or "", record_year(rec))
    bad = validate(rec, max_field_bytes, keys, tkey)
    return bad if bad else Prepared(rec.line, record_row(rec, None), keys, tkey)


def record_raw(rec: Record) -> str:
    """A short JSON rendering of a record for the `rejects.raw` column."""
    return orjson.dumps({"title": rec.title[:500], "ids": rec.ids, "line": rec.line}).decode()[:RAW_LIMIT]


def validate(rec: Record, max_field_bytes: int, keys: list[str], tkey: str | None) -> Reject | None:
    """A `Reject` if the record cannot become a document, else None."""
    if not rec.title or not rec.title.strip():
        return Reject(rec.file, rec.line, "missing title", record_raw(rec))
    if rec.kind not in KINDS:
        return Reject(rec.file, rec.line, f"unknown kind '{rec.kind}', expected one of {KINDS}", record_raw(rec))
    for name in ("title", "abstract", "venue"):
        value = getattr(rec, name)
        if value and len(value) * 4 > max_field_bytes and len(value.encode("utf-8")) > max_field_bytes:
            size = len(value.encode("utf-8"))
            return Reject(rec.file, rec.line,
                          f"field '{name}' is {size:,} bytes; the limit is {max_field_bytes:,} "
                          f"(FRONTIERWATCH_MAX_FIELD_BYTES)", value[:RAW_LIMIT])
    if not keys and tkey is None:
        return Reject(rec.file, rec.line, "no identifier: needs a DOI, arXiv/OpenAlex/patent id, or a distinctive "
                      "title with a year", record_raw(rec))
    return None


def record_year(rec: Record) -> int | None:
    return rec.published.year if rec.published else rec.year


def new_doc_id(keys: list[str], tkey: str | None) -> str:
    """Readable and stable: the first strong key ('arxiv:1201.0330'), else a hash of the title key."""
    if keys:
        return keys[0]
    return "t:" + hashlib.sha1(tkey.encode()).hexdigest()[:16]


def record_row(rec: Record, doc_id: str | None) -> dict:
    """The `documents` row a record would make on its own."""
    ids = {k: normalise_id(k, v) for k, v in rec.ids.items() if v}
    institutions = []
    seen = set()
    for inst in rec.institutions:
        key = (inst.name, inst.country)
        if inst.name and key not in seen:
            seen.add(key)
            institutions.append({"name": inst.name, "type": inst.type, "country": inst.country, "ror": inst.ror,
                                 "province": inst.province, "city": inst.city, "address": inst.address})
    return {
        "doc_id": doc_id, "kind": rec.kind, "title": rec.title.strip(), "abstract": rec.abstract or None,
        "language": rec.language, "published": rec.published, "year": record_year(rec),
        "categories": list(dict.fromkeys(rec.categories)), "primary_category": rec.categories[0] if rec.categories else None,
        **{col: ids.get(scheme) for scheme, col in _MAIN_IDS.items()},
        "other_ids": {k: v for k, v in sorted(ids.items()) if k not in _MAIN_IDS} or None,
        "venue": rec.venue or None, "authors": rec.authors, "institutions": institutions,
        "countries": sorted({i["country"] for i in institutions if i["country"]}),
        "cited_by_count": rec.cited_by_count, "reference_ids": list(dict.fromkeys(rec.references)),
        "sources": [rec.source], "cited_by_year": dict(sorted(rec.cited_by_year.items())) if rec.cited_by_year else None,
        "updated": rec.updated,
    }


