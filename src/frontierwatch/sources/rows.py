"""`documents` rows: the Arrow schema of the table and the merge of duplicate rows.

Pure functions over dicts whose keys are the columns of the `documents` table (store migration 0001).
"""
from __future__ import annotations

import pyarrow as pa

DOC_SCHEMA = pa.schema([
    ("doc_id", pa.string()), ("kind", pa.string()), ("title", pa.string()), ("abstract", pa.string()),
    ("language", pa.string()), ("published", pa.date32()), ("year", pa.int32()),
    ("categories", pa.list_(pa.string())), ("primary_category", pa.string()), ("doi", pa.string()),
    ("arxiv_id", pa.string()), ("openalex_id", pa.string()), ("patent_number", pa.string()),
    ("other_ids", pa.map_(pa.string(), pa.string())), ("venue", pa.string()), ("authors", pa.list_(pa.string())),
    ("institutions", pa.list_(pa.struct([("name", pa.string()), ("type", pa.string()), ("country", pa.string()),
                                          ("ror", pa.string()), ("province", pa.string()), ("city", pa.string()),
                                          ("address", pa.string())]))),
    ("countries", pa.list_(pa.string())), ("cited_by_count", pa.int32()), ("reference_ids", pa.list_(pa.string())),
    ("sources", pa.list_(pa.string())),
])
DOC_COLUMNS = DOC_SCHEMA.names
# A row also carries ``cited_by_year`` ({year: citations} or None): stored in ``document_citations`` (migration
# 0013) beside the document, not in ``documents``; and ``updated`` (the OpenAlex ``updated_date`` of the copy of the
# work that describes it, or None): stored in ``document_versions`` (migration 0044).


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
    # citations by year travel with the count they itemise (the later harvest, i.e. the larger count)
    newer = (new.get("cited_by_count") or -1) > (old.get("cited_by_count") or -1)
    merged["cited_by_year"] = (new if newer else old).get("cited_by_year") or old.get("cited_by_year") \
        or new.get("cited_by_year")
    return merged


# What a newer copy of the same OpenAlex work replaces (its value, where it has one). A document's categories mix
# the vocabularies of its sources (arXiv codes, OpenAlex topics and concepts): the newer copy replaces OpenAlex's.
_DESCRIBED = ("kind", "title", "abstract", "language", "venue", "authors", "institutions", "countries",
              "reference_ids")
_OPENALEX_VOCABULARIES = ("openalex-topic:", "concept:")


def supersede_rows(old: dict, new: dict) -> dict:
    """Fold a newer copy of the document's OpenAlex work (a later ``updated_date``) into it: what the work
    describes — title, abstract, language, venue, kind, authors, institutions, references, its OpenAlex topics and
    concepts, the citation count and citations by year — is the newer copy's wherever it has a value; identifiers,
    sources and other sources' categories are merged as for any duplicate, and the earliest publication date still
    wins."""
    merged = merge_rows(old, new)
    for col in _DESCRIBED:
        if new.get(col):
            merged[col] = new[col]
    if new.get("categories"):
        others = [c for c in old.get("categories") or [] if not c.startswith(_OPENALEX_VOCABULARIES)]
        merged["categories"] = list(dict.fromkeys([*others, *new["categories"]]))
        primary = old.get("primary_category")
        merged["primary_category"] = primary if primary in others else merged["categories"][0]
    if new.get("cited_by_count") is not None:
        merged["cited_by_count"], merged["cited_by_year"] = new["cited_by_count"], new.get("cited_by_year")
    merged["updated"] = new["updated"]
    return merged


def combine_rows(old: dict, new: dict) -> dict:
    """The row of document `old` after the record row `new` resolved to it — the identity rule of versions:
    when both are copies of the same OpenAlex work (same ``openalex_id``, each with its ``updated`` stamp), the
    newer copy replaces what the older said (`supersede_rows`) and an older copy changes nothing; anything else
    is a duplicate from another source or file and is merged (`merge_rows`)."""
    same_work = bool(old.get("openalex_id")) and old.get("openalex_id") == new.get("openalex_id")
    if same_work and old.get("updated") and new.get("updated"):
        if new["updated"] > old["updated"]:
            return supersede_rows(old, new)
        if new["updated"] < old["updated"]:
            return old
    merged = merge_rows(old, new)
    stamps = [u for u in (old.get("updated"), new.get("updated")) if u]
    merged["updated"] = max(stamps) if stamps else None
    return merged


def version_rows(rows: list[dict]) -> pa.Table:
    """``document_versions`` rows (doc_id, updated) of the rows that carry a version stamp."""
    have = [r for r in rows if r.get("updated")]
    return pa.table({"doc_id": pa.array([r["doc_id"] for r in have], pa.string()),
                     "updated": pa.array([r["updated"] for r in have], pa.string())})


def rows_to_arrow(rows: list[dict]) -> pa.Table:
    prepared = []
    for row in rows:
        r = dict(row)
        if isinstance(r.get("other_ids"), dict):
            r["other_ids"] = list(r["other_ids"].items())
        prepared.append(r)
    return pa.Table.from_pylist(prepared, schema=DOC_SCHEMA)


def citation_rows(rows: list[dict]) -> pa.Table:
    """``document_citations`` rows of the rows that itemise citations by year."""
    have = [r for r in rows if r.get("cited_by_year")]
    return pa.table({"doc_id": pa.array([r["doc_id"] for r in have], pa.string()),
                     "cited_by_year": pa.array([sorted(r["cited_by_year"].items()) for r in have],
                                               pa.map_(pa.int32(), pa.int32()))})


def arrow_to_rows(table: pa.Table) -> list[dict]:
    rows = table.to_pylist()
    for r in rows:
        if r.get("other_ids") is not None and not isinstance(r["other_ids"], dict):
            r["other_ids"] = dict(r["other_ids"])
        if r.get("cited_by_year") is not None and not isinstance(r["cited_by_year"], dict):
            r["cited_by_year"] = dict(r["cited_by_year"])
    return rows
