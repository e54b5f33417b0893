"""From parsed `Record`s to `documents` rows: validation, row building and the merge of duplicates.

Pure functions over dicts whose keys are the columns of the `documents` table (store migration 0001).
"""
from __future__ import annotations

import hashlib

import orjson
import pyarrow as pa

from frontierwatch.sources.lines import RAW_LIMIT
from frontierwatch.sources.record import KINDS, Record, Reject
from frontierwatch.store.identity import normalise_id, strong_keys, title_key

DOC_SCHEMA = pa.schema([
    ("doc_id", pa.string()), ("kind", pa.string()), ("title", pa.string()), ("abstract", pa.string()),
    ("language", pa.string()), ("published", pa.date32()), ("year", pa.int32()),
    ("categories", pa.list_(pa.string())), ("primary_category", pa.string()), ("doi", pa.string()),
    ("arxiv_id", pa.string()), ("openalex_id", pa.string()), ("patent_number", pa.string()),
    ("other_ids", pa.map_(pa.string(), pa.string())), ("venue", pa.string()), ("authors", pa.list_(pa.string())),
    ("institutions", pa.list_(pa.struct([("name", pa.string()), ("type", pa.string()), ("country", pa.string()),
                                          ("ror", pa.string())]))),
    ("countries", pa.list_(pa.string())), ("cited_by_count", pa.int32()), ("reference_ids", pa.list_(pa.string())),
    ("sources", pa.list_(pa.string())),
])
DOC_COLUMNS = DOC_SCHEMA.names
_MAIN_IDS = {"doi": "doi", "arxiv": "arxiv_id", "openalex": "openalex_id", "patent": "patent_number"}


def record_raw(rec: Record) -> str:
    """A short JSON rendering of a record for the `rejects.raw` column."""
    return orjson.dumps({"title": rec.title[:500], "ids": rec.ids, "line": rec.line}).decode()[:RAW_LIMIT]


def validate(rec: Record, max_field_bytes: int) -> Reject | None:
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
    if not strong_keys(rec.ids) and title_key(rec.title, record_year(rec)) is None:
        return Reject(rec.file, rec.line, "no identifier: needs a DOI, arXiv/OpenAlex/patent id, or a distinctive "
                      "title with a year", record_raw(rec))
    return None


def record_year(rec: Record) -> int | None:
    return rec.published.year if rec.published else rec.year


def record_keys(rec: Record) -> tuple[list[str], str | None]:
    return strong_keys(rec.ids), title_key(rec.title, record_year(rec))


def new_doc_id(keys: list[str], tkey: str | None) -> str:
    """Readable and stable: the first strong key ('arxiv:1201.0330'), else a hash of the title key."""
    if keys:
        return keys[0]
    return "t:" + hashlib.sha1(tkey.encode()).hexdigest()[:16]


def record_row(rec: Record, doc_id: str) -> dict:
    """The `documents` row a record would make on its own."""
    ids = {k: normalise_id(k, v) for k, v in rec.ids.items() if v}
    institutions = []
    seen = set()
    for inst in rec.institutions:
        key = (inst.name, inst.country)
        if inst.name and key not in seen:
            seen.add(key)
            institutions.append({"name": inst.name, "type": inst.type, "country": inst.country, "ror": inst.ror})
    return {
        "doc_id": doc_id, "kind": rec.kind, "title": rec.title.strip(), "abstract": rec.abstract or None,
        "language": rec.language, "published": rec.published, "year": record_year(rec),
        "categories": list(dict.fromkeys(rec.categories)), "primary_category": rec.categories[0] if rec.categories else None,
        **{col: ids.get(scheme) for scheme, col in _MAIN_IDS.items()},
        "other_ids": {k: v for k, v in sorted(ids.items()) if k not in _MAIN_IDS} or None,
        "venue": rec.venue or None, "authors": rec.authors, "institutions": institutions,
        "countries": sorted({i["country"] for i in institutions if i["country"]}),
        "cited_by_count": rec.cited_by_count, "reference_ids": list(dict.fromkeys(rec.references)),
        "sources": [rec.source],
    }


def _union(a: list | None, b: list | None) -> list:
    return list(dict.fromkeys([*(a or []), *(b or [])]))


def merge_rows(old: dict, new: dict) -> dict:
    """Fold a duplicate's row into an existing one: keep what is known, fill gaps, union lists.

    The earliest publication date wins, so the result does not depend on which source came first for dates.
    """
    merged = dict(old)
    for col in ("abstract", "language", "primary_category", "doi", "arxiv_id", "openalex_id", "patent_number", "venue"):
        if not merged.get(col) and new.get(col):
            merged[col] = new[col]
    dates = [d for d in (old.get("published"), new.get("published")) if d]
    merged["published"] = min(dates) if dates else None
    years = [y for y in (old.get("year"), new.get("year")) if y]
    merged["year"] = merged["published"].year if merged["published"] else (min(years) if years else None)
    for col in ("categories", "reference_ids"):
        merged[col] = _union(old.get(col), new.get(col))
    merged["sources"] = sorted(set(old.get("sources") or []) | set(new.get("sources") or []))
    if not old.get("authors"):
        merged["authors"] = new.get("authors") or []
    insts = {(i["name"], i["country"]): i for i in (new.get("institutions") or [])}
    insts.update({(i["name"], i["country"]): i for i in (old.get("institutions") or [])})
    merged["institutions"] = sorted(insts.values(), key=lambda i: (i["name"], i["country"] or ""))
    merged["countries"] = sorted({i["country"] for i in merged["institutions"] if i["country"]})
    other = dict(new.get("other_ids") or {})
    other.update(old.get("other_ids") or {})
    merged["other_ids"] = dict(sorted(other.items())) or None
    counts = [c for c in (old.get("cited_by_count"), new.get("cited_by_count")) if c is not None]
    merged["cited_by_count"] = max(counts) if counts else None
    return merged


def rows_to_arrow(rows: list[dict]) -> pa.Table:
    prepared = []
    for row in rows:
        r = dict(row)
        if isinstance(r.get("other_ids"), dict):
            r["other_ids"] = list(r["other_ids"].items())
        prepared.append(r)
    return pa.Table.from_pylist(prepared, schema=DOC_SCHEMA)


def arrow_to_rows(table: pa.Table) -> list[dict]:
    rows = table.to_pylist()
    for r in rows:
        if r.get("other_ids") is not None and not isinstance(r["other_ids"], dict):
            r["other_ids"] = dict(r["other_ids"])
    return rows
