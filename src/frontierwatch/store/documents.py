"""Reads of the ``documents`` table (migration 0001) that every stage shares: counts and one document's fields.

The ingest runner (`frontierwatch.sources`) writes the document tables; stages join ``documents`` with their own
tables inside their query modules, and use these for the plain reads.
"""
from __future__ import annotations

from datetime import date

from frontierwatch.errors import NotFoundError
from frontierwatch.store.database import Store

__all__ = ["count_documents", "get_document", "require_documents"]

SHOWN = ("doc_id", "kind", "title", "abstract", "language", "published", "year", "categories", "doi", "arxiv_id",
         "venue", "authors", "cited_by_count", "sources")


def count_documents(store: Store, until: date | None = None) -> int:
    """Documents in the store (dated on or before `until`, when given)."""
    if until is None:
        return int(store.tables.sql("SELECT count(*) FROM documents").scalar())
    return int(store.tables.sql("SELECT count(*) FROM documents WHERE published <= ?", [until]).scalar())


def require_documents(store: Store, as_of: date) -> int:
    """The number of documents dated on or before `as_of`; NotFoundError (with the fix) when there is none."""
    n = count_documents(store, as_of)
    if not n:
        raise NotFoundError(f"the store has no document dated on or before {as_of}; ingest data or pick a later --as-of",
                            f"数据库中没有 {as_of} 及以前的文献；请导入数据或选择更晚的 --as-of")
    return n


def get_document(store: Store, doc_id: str) -> dict | None:
    """One document's shown fields (the columns of ``documents`` a reader needs), or None."""
    rows = store.tables.read("documents", list(SHOWN), where={"doc_id": doc_id}).to_pylist()
    if not rows:
        return None
    doc = rows[0]
    doc["published"] = doc["published"].isoformat() if doc["published"] else None
    for key in ("categories", "authors", "sources"):
        doc[key] = list(doc[key] or [])
    return doc
