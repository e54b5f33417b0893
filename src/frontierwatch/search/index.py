"""The search stage: full-text search over document titles and abstracts, a BM25 index kept in store tables.

Why our own index: DuckDB's ``fts`` extension is downloaded on first ``INSTALL fts``, which an offline machine
cannot do (checked: "Extension fts not found"). So the index is plain tables (migration 0006):
``search_terms(term, doc_id, tf)`` sorted by term (DuckDB's zone maps then skip to a term's rows),
``search_docs(doc_id, length)`` and ``search_meta(key, value)``. Title terms count twice. Queries are answered
from these tables loaded into memory (`search.postings`) by `search.engine`.

Terms: `frontierwatch.text.search_terms` — lower-cased Latin words (2+ characters, minus function words,
plurals folded, hyphenated words as their parts) and Chinese words with the parts of their best cut (人机 is not a
term of 无人机), Traditional folded to Simplified; the query is cut the same way (`search.parse`). The index is rebuilt when the documents or the tokenisation change
(``ensure_index``). Its tables are read and
written only in `search/queries.py`.
"""
from __future__ import annotations

import logging
import time
from collections import Counter

import pyarrow as pa

from frontierwatch.search.queries import corpus_state, document_batches, read_meta, write_index
from frontierwatch.store import Store
from frontierwatch.text import search_terms

log = logging.getLogger(__name__)

INDEX_VERSION = 4  # bump when tokenisation changes: stores rebuild their index on the next start


def tokenizer_name() -> str:
    return "bm25+jieba+bridge"


def tokenize(text: str) -> list[str]:
    """Index terms of `text` (see the module docstring)."""
    return search_terms(text)


def _fingerprint(store: Store) -> str:
    n, run, records = corpus_state(store)
    return f"v{INDEX_VERSION}:{tokenizer_name()}:{n}:{run}:{records}"


def index_is_current(store: Store) -> bool:
    return read_meta(store).get("fingerprint") == _fingerprint(store)


def build_index(store: Store, batch: int = 20_000) -> dict:
    """(Re)build the BM25 tables from ``documents(doc_id, title, abstract)``; return counts and seconds."""
    start = time.perf_counter()
    n_docs = n_rows = total_len = 0
    docs, postings = [], []
    for part in document_batches(store, batch):
        terms, doc_ids, tfs, lengths, ids = [], [], [], [], []
        for doc_id, title, abstract in zip(*(part.column(c).to_pylist() for c in ("doc_id", "title", "abstract"))):
            toks = tokenize(title) * 2 + tokenize(abstract or "")
            for term, tf in Counter(toks).items():
                terms.append(term)
                doc_ids.append(doc_id)
                tfs.append(tf)
            ids.append(doc_id)
            lengths.append(len(toks))
        postings.append(pa.table({"term": pa.array(terms, pa.string()), "doc_id": pa.array(doc_ids, pa.string()),
                                  "tf": pa.array(tfs, pa.int32())}))
        docs.append(pa.table({"doc_id": pa.array(ids, pa.string()), "length": pa.array(lengths, pa.int32())}))
        n_docs += len(ids)
        n_rows += len(terms)
        total_len += sum(lengths)
    meta = {"fingerprint": _fingerprint(store), "n_docs": str(n_docs),
            "avgdl": str(total_len / n_docs if n_docs else 0.0), "tokenizer": tokenizer_name()}
    write_index(store, docs, postings, meta)
    seconds = time.perf_counter() - start
    log.info("search index: %d documents, %d postings in %.1fs (%s)", n_docs, n_rows, seconds, tokenizer_name())
    return {"documents": n_docs, "postings": n_rows, "seconds": round(seconds, 2)}


def ensure_index(store: Store) -> dict | None:
    """Build the index when the documents changed since the last build; None when it was current."""
    if index_is_current(store):
        return None
    return build_index(store)
