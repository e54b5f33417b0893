"""The search stage's tables (migration 0006: ``search_terms``, ``search_docs``, ``search_meta``): the one writer
of the index and the BM25 query over it. Reads ``documents`` and ``ingest_runs`` to know when the index is stale.
"""
from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa

from frontierwatch.store import Store

__all__ = ["bm25", "corpus_state", "document_batches", "read_meta", "write_index"]


def corpus_state(store: Store) -> tuple[int, int, int]:
    """``(documents, last ingest run, records accepted or merged)``: what the index fingerprint is made of."""
    n = store.tables.sql("SELECT count(*) FROM documents").scalar()
    run, records = store.tables.sql(
        "SELECT coalesce(max(run_id), 0), coalesce(sum(accepted + merged), 0) FROM ingest_runs").one()
    return int(n), int(run), int(records)


def read_meta(store: Store) -> dict[str, str]:
    """``search_meta`` as ``{key: value}`` (fingerprint, n_docs, avgdl, tokenizer)."""
    got = store.tables.read("search_meta", ["key", "value"])
    return dict(zip(got.column("key").to_pylist(), got.column("value").to_pylist()))


def document_batches(store: Store, batch_rows: int) -> Iterator[pa.RecordBatch]:
    """``documents`` (doc_id, title, abstract) in doc_id order, `batch_rows` at a time."""
    return store.tables.scan("documents", ["doc_id", "title", "abstract"], order_by="doc_id", batch_rows=batch_rows)


def write_index(store: Store, docs: list[pa.Table], postings: list[pa.Table], meta: dict[str, str]) -> None:
    """Replace the whole index in one transaction: ``search_docs`` (doc_id, length), ``search_terms`` (term,
    doc_id, tf) stored sorted by term (zone maps then skip to a term's rows) and ``search_meta``."""
    with store.tables.transaction():
        for table in ("search_terms", "search_docs", "search_meta"):
            store.tables.delete(table, None)
        for part in docs:
            store.tables.append("search_docs", part)
        if postings:
            store.tables.append("search_terms", pa.concat_tables(postings).sort_by("term"))
        store.tables.append("search_meta", pa.table({"key": list(meta), "value": [str(v) for v in meta.values()]}))


def bm25(store: Store, terms: list[str], n_docs: float, avgdl: float, k1: float, b: float, limit: int,
         offset: int) -> list[tuple]:
    """Documents holding any of `terms`, most terms matched first, then by BM25 score: rows of ``(doc_id,
    score, matched terms, title, year, kind, language, first 280 characters of the abstract, total hits)``."""
    return store.tables.sql(
        """
        WITH q AS (SELECT unnest(?::VARCHAR[]) AS term),
        hits AS (SELECT t.term, t.doc_id, t.tf FROM search_terms t SEMI JOIN q ON t.term = q.term),
        df AS (SELECT term, count(*) AS df FROM hits GROUP BY term),
        scored AS (
            SELECT h.doc_id, sum(ln(1 + (? - df.df + 0.5) / (df.df + 0.5))
                   * h.tf * (? + 1) / (h.tf + ? * (1 - ? + ? * d.length / ?))) AS score,
                   count(*) AS matched
            FROM hits h JOIN df USING (term) JOIN search_docs d USING (doc_id) GROUP BY h.doc_id)
        SELECT s.doc_id, s.score, s.matched, d.title, d.year, d.kind, d.language, left(d.abstract, 280),
               count(*) OVER () AS total
        FROM scored s JOIN documents d USING (doc_id)
        ORDER BY s.matched DESC, s.score DESC, s.doc_id LIMIT ? OFFSET ?
        """, [terms, n_docs, k1, k1, b, b, avgdl, int(limit), int(offset)]).rows()
