"""Full-text search over document titles and abstracts: a BM25 index kept in store tables.

Why our own index: DuckDB's ``fts`` extension is downloaded on first ``INSTALL fts``, which an offline machine
cannot do (checked: "Extension fts not found"). So the index is plain tables (migration 0006):
``search_terms(term, doc_id, tf)`` sorted by term (DuckDB's zone maps then skip to a term's rows),
``search_docs(doc_id, length)`` and ``search_meta(key, value)``. Title terms count twice.

Terms: `frontierwatch.text.search_terms` — lower-cased Latin words (2+ characters, minus function words,
plurals folded) and Chinese words cut by jieba's search mode; the query is cut the same way, so both sides
agree. The index is rebuilt when the documents or the tokenisation change (``ensure_index``).
"""
from __future__ import annotations

import logging
import time
from collections import Counter

from frontierwatch.text import search_terms

log = logging.getLogger(__name__)

K1, B = 1.2, 0.75
MAX_QUERY_TERMS = 32
INDEX_VERSION = 3  # bump when tokenisation changes: stores rebuild their index on the next start


def tokenizer_name() -> str:
    return "bm25+jieba"


def _fingerprint(con) -> str:
    n, = con.execute("SELECT count(*) FROM documents").fetchone()
    runs = con.execute("SELECT coalesce(max(run_id), 0), coalesce(sum(accepted + merged), 0) FROM ingest_runs").fetchone()
    return f"v{INDEX_VERSION}:{tokenizer_name()}:{n}:{runs[0]}:{runs[1]}"


def index_is_current(con) -> bool:
    row = con.execute("SELECT value FROM search_meta WHERE key = 'fingerprint'").fetchone()
    return bool(row) and row[0] == _fingerprint(con)


def build_index(con, batch: int = 20_000) -> dict:
    """(Re)build the BM25 tables from ``documents(doc_id, title, abstract)``; return counts and seconds."""
    import pyarrow as pa

    start = time.perf_counter()
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM search_terms")
        con.execute("DELETE FROM search_docs")
        reader = con.cursor()  # a second connection: the writes below would reset a cursor on `con`
        cur = reader.execute("SELECT doc_id, title, coalesce(abstract, '') FROM documents ORDER BY doc_id")
        n_docs = n_rows = total_len = 0
        parts = []
        while rows := cur.fetchmany(batch):
            terms, docs, tfs, lengths, ids = [], [], [], [], []
            for doc_id, title, abstract in rows:
                toks = search_terms(title) * 2 + search_terms(abstract)
                counts = Counter(toks)
                for term, tf in counts.items():
                    terms.append(term)
                    docs.append(doc_id)
                    tfs.append(tf)
                ids.append(doc_id)
                lengths.append(len(toks))
            parts.append(pa.table({"term": terms, "doc_id": docs, "tf": pa.array(tfs, pa.int32())}))
            con.register("_fw_docs", pa.table({"doc_id": ids, "length": pa.array(lengths, pa.int32())}))
            con.execute("INSERT INTO search_docs SELECT doc_id, length FROM _fw_docs")
            con.unregister("_fw_docs")
            n_docs += len(ids)
            n_rows += len(terms)
            total_len += sum(lengths)
        reader.close()
        if parts:
            con.register("_fw_terms", pa.concat_tables(parts))
            con.execute("INSERT INTO search_terms SELECT term, doc_id, tf FROM _fw_terms ORDER BY term")
            con.unregister("_fw_terms")
        meta = {"fingerprint": _fingerprint(con), "n_docs": str(n_docs),
                "avgdl": str(total_len / n_docs if n_docs else 0.0), "tokenizer": tokenizer_name()}
        con.execute("DELETE FROM search_meta")
        con.executemany("INSERT INTO search_meta VALUES (?, ?)", list(meta.items()))
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    seconds = time.perf_counter() - start
    log.info("search index: %d documents, %d postings in %.1fs (%s)", n_docs, n_rows, seconds, tokenizer_name())
    return {"documents": n_docs, "postings": n_rows, "seconds": round(seconds, 2)}


def ensure_index(con) -> dict | None:
    """Build the index when the documents changed since the last build; None when it was current."""
    if index_is_current(con):
        return None
    return build_index(con)


def search_documents(con, query: str, limit: int = 20, offset: int = 0) -> dict:
    """BM25-ranked documents for `query`: ``{"terms", "total", "results": [{doc_id, title, year, kind,
    language, snippet, score}]}``. Unknown terms are ignored; an empty query returns nothing."""
    terms = list(dict.fromkeys(search_terms(query)))[:MAX_QUERY_TERMS]
    if not terms:
        return {"terms": [], "total": 0, "results": []}
    meta = dict(con.execute("SELECT key, value FROM search_meta").fetchall())
    n, avgdl = float(meta.get("n_docs", 0) or 0), float(meta.get("avgdl", 1) or 1) or 1.0
    rows = con.execute(
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
        """, [terms, n, K1, K1, B, B, avgdl, int(limit), int(offset)]).fetchall()
    total = rows[0][8] if rows else 0
    return {"terms": terms, "total": total, "results": [
        dict(doc_id=r[0], score=round(r[1], 3), matched_terms=r[2], title=r[3], year=r[4], kind=r[5],
             language=r[6], snippet=r[7] or "") for r in rows]}


def get_document(con, doc_id: str) -> dict | None:
    """One document's shown fields (the columns of ``documents`` a reader needs), or None."""
    row = con.execute("SELECT doc_id, kind, title, abstract, language, published, year, categories, doi, arxiv_id, "
                      "venue, authors, cited_by_count, sources FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
    if not row:
        return None
    keys = ("doc_id", "kind", "title", "abstract", "language", "published", "year", "categories", "doi", "arxiv_id",
            "venue", "authors", "cited_by_count", "sources")
    doc = dict(zip(keys, row))
    doc["published"] = doc["published"].isoformat() if doc["published"] else None
    for key in ("categories", "authors", "sources"):
        doc[key] = list(doc[key] or [])
    return doc
