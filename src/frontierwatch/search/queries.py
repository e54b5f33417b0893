"""The search stage's tables (migration 0006: ``search_terms``, ``search_docs``, ``search_meta``): the one writer
of the index and the BM25 query over it. Reads ``documents`` and ``ingest_runs`` to know when the index is stale.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator

import pyarrow as pa

from frontierwatch.store import Store

__all__ = ["corpus_state", "document_batches", "document_facets", "document_texts", "hold_documents", "latest_map_id",
           "postings_table", "read_meta", "result_rows", "write_index"]


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


def postings_table(store: Store) -> pa.Table:
    """Every posting as ``(term, doc, tf)`` where ``doc`` is the document's row number in `document_facets`
    (``search_docs`` in doc_id order), sorted by term."""
    return store.tables.sql(
        """
        SELECT t.term, s.doc, t.tf
        FROM search_terms t JOIN (SELECT doc_id, (row_number() OVER (ORDER BY doc_id) - 1)::INTEGER AS doc
                                  FROM search_docs) s USING (doc_id)
        ORDER BY t.term, s.doc
        """).arrow()


def document_facets(store: Store, map_id: int | None) -> pa.Table:
    """Per indexed document, in doc_id order: ``doc_id, length, year, kind, language, sources, topic_id,
    direction`` — its topic in map `map_id` and that topic's direction (first of ``topic_directions.directions``);
    NULL without a map."""
    return store.tables.sql(
        """
        SELECT s.doc_id, s.length, d.year, d.kind, d.language, d.sources, dt.topic_id, td.directions[1] AS direction
        FROM search_docs s JOIN documents d USING (doc_id)
        LEFT JOIN doc_topics dt ON dt.doc_id = s.doc_id AND dt.map_id = ?
        LEFT JOIN topic_directions td ON td.map_id = dt.map_id AND td.topic_id = dt.topic_id
        ORDER BY s.doc_id
        """, [map_id if map_id is not None else -1]).arrow()


def latest_map_id(store: Store) -> int | None:
    """The newest topic map (by as-of date), whose directions the search filters use; None before a build."""
    return store.tables.sql("SELECT map_id FROM topic_maps ORDER BY as_of DESC, map_id DESC LIMIT 1").scalar()


_SHOWN = "doc_id, title, coalesce(abstract, ''), year, kind, language, published, sources"
_SHOWN_KEYS = ("title", "abstract", "year", "kind", "language", "published", "sources")
_HELD: dict[tuple, dict[str, tuple]] = {}
_HELD_LOCK = threading.Lock()


def hold_documents(store: Store) -> dict[str, tuple] | None:
    """Every document's shown fields, in memory, for a published generation (it cannot change while served; the
    server's warm-up calls this): then `result_rows` and `document_texts` answer without a query — the same rows.
    None for a writable store, or before the warm-up held them."""
    generation = getattr(store, "generation", None)
    if not store.read_only or generation is None:
        return None
    key = (str(store.path.resolve()), generation.number)
    with _HELD_LOCK:
        if key not in _HELD:
            rows = store.tables.sql(f"SELECT {_SHOWN} FROM documents").rows()
            _HELD.clear()  # one generation at a time: the server serves one
            _HELD[key] = {r[0]: r[1:] for r in rows}
        return _HELD[key]


def _held(store: Store) -> dict[str, tuple] | None:
    generation = getattr(store, "generation", None)
    return None if generation is None else _HELD.get((str(store.path.resolve()), generation.number))


def document_texts(store: Store, doc_ids: list[str]) -> dict[str, tuple[str, str]]:
    """``{doc_id: (title, abstract)}`` of `doc_ids` (to check phrases and cut snippets)."""
    if not doc_ids:
        return {}
    held = _held(store)
    if held is not None:
        return {d: held[d][:2] for d in dict.fromkeys(doc_ids) if d in held}
    rows = store.tables.sql("SELECT doc_id, title, coalesce(abstract, '') FROM documents "
                            "WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", [doc_ids]).rows()
    return {r[0]: (r[1], r[2]) for r in rows}


def result_rows(store: Store, doc_ids: list[str]) -> dict[str, dict]:
    """Shown fields of `doc_ids`: ``{doc_id: {title, abstract, year, kind, language, published, sources}}``."""
    if not doc_ids:
        return {}
    held = _held(store)
    if held is not None:
        return {d: dict(zip(_SHOWN_KEYS, held[d])) for d in dict.fromkeys(doc_ids) if d in held}
    rows = store.tables.sql(f"SELECT {_SHOWN} FROM documents WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))",
                            [doc_ids]).rows()
    return {r[0]: dict(zip(_SHOWN_KEYS, r[1:])) for r in rows}
