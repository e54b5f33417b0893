"""The search index held in memory: postings per term as numpy arrays, and each document's facets.

Why in memory: the index tables answer a query in SQL in tens of milliseconds, most of it DuckDB planning and the
join over every posting of the query's terms, and the web app answers every uncached query behind one store lock.
Loaded once per index fingerprint (≈ 1 s and ≈ 12 bytes a posting: 2.3 M postings of the demo store ≈ 30 MB),
a query is array intersections and one vectorised BM25, and touches the store only to read the texts of the
documents it shows or whose phrases it checks.

Facets (filters): year, kind, language, sources (the ingest sources that contributed: arxiv, openalex, csl, …) and
direction — the direction of the document's topic in the newest topic map (``topic_directions``); the topics of
the matching documents are counted too (the search page's topic list).
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from frontierwatch.search.queries import document_facets, latest_map_id, postings_table, read_meta
from frontierwatch.store import Store

log = logging.getLogger(__name__)

K1, B = 1.2, 0.75
_CACHE: dict[str, "Postings"] = {}
_LOAD_LOCK = threading.Lock()


@dataclass
class Postings:
    """Term → (document rows, term frequencies), and per-document arrays aligned with ``doc_ids``."""

    fingerprint: str
    doc_ids: np.ndarray                # (n,) object, doc_id order
    lengths: np.ndarray                # (n,) float64, terms per document (title counted twice)
    years: np.ndarray                  # (n,) int32, 0 = undated
    kinds: np.ndarray                  # (n,) object
    languages: np.ndarray              # (n,) object
    sources: list[tuple[str, ...]]
    directions: np.ndarray             # (n,) object, None = no topic direction
    topics: np.ndarray                 # (n,) object, the document's topic in the newest map (None before a build)
    terms: dict[str, tuple[int, int]]  # term → [start, end) in doc_rows / tfs
    doc_rows: np.ndarray               # (postings,) int32
    tfs: np.ndarray                    # (postings,) float32
    avgdl: float

    @property
    def n(self) -> int:
        return len(self.doc_ids)

    def docs(self, term: str) -> np.ndarray:
        """Sorted document rows holding `term` (empty when unknown)."""
        span = self.terms.get(term)
        return self.doc_rows[span[0]:span[1]] if span else self.doc_rows[:0]

    def docs_with_all(self, terms: tuple[str, ...]) -> np.ndarray:
        """Sorted rows of the documents holding every term of `terms`."""
        lists = sorted((self.docs(t) for t in terms), key=len)
        if not lists:
            return self.doc_rows[:0]
        out = lists[0]
        for other in lists[1:]:
            if not len(out):
                break
            out = out[np.isin(out, other, assume_unique=True)]
        return out

    def bm25(self, rows: np.ndarray, terms: list[str]) -> np.ndarray:
        """BM25 of documents `rows` (sorted) for `terms`, each distinct term counted once."""
        score = np.zeros(len(rows), dtype=np.float64)
        norm = K1 * (1 - B + B * self.lengths[rows] / (self.avgdl or 1.0))
        for term in dict.fromkeys(terms):
            span = self.terms.get(term)
            if not span:
                continue
            docs, tf = self.doc_rows[span[0]:span[1]], self.tfs[span[0]:span[1]]
            df = len(docs)
            idf = np.log(1 + (self.n - df + 0.5) / (df + 0.5))
            pos = np.searchsorted(docs, rows)
            pos[pos >= df] = 0
            hit = docs[pos] == rows
            t = np.where(hit, tf[pos], 0.0)
            score += idf * t * (K1 + 1) / (t + norm)
        return score

    def filter_mask(self, year_from: int | None = None, year_to: int | None = None, kind: str | None = None,
                    source: str | None = None, direction: str | None = None, language: str | None = None) -> np.ndarray | None:
        """Boolean per document for the filters given (None when no filter is set)."""
        mask = None

        def both(m):
            return m if mask is None else mask & m

        if year_from is not None:
            mask = both(self.years >= year_from)
        if year_to is not None:
            mask = both((self.years <= year_to) & (self.years > 0))
        if kind:
            mask = both(self.kinds == kind)
        if language:
            mask = both(self.languages == language)
        if direction:
            mask = both(self.directions == direction)
        if source:
            mask = both(np.fromiter((source in s for s in self.sources), dtype=bool, count=self.n))
        return mask


def _load(store: Store, fingerprint: str) -> Postings:
    started = time.perf_counter()
    table = postings_table(store)
    facets = document_facets(store, latest_map_id(store))
    terms_col = table.column("term")
    doc_rows = table.column("doc").to_numpy().astype(np.int32)
    tfs = table.column("tf").to_numpy().astype(np.float32)
    runs = pc.run_end_encode(terms_col.combine_chunks() if isinstance(terms_col, pa.ChunkedArray) else terms_col)
    ends = runs.run_ends.to_numpy()
    starts = np.concatenate([[0], ends[:-1]])
    terms = dict(zip(runs.values.to_pylist(), zip(starts.tolist(), ends.tolist())))
    lengths = facets.column("length").to_numpy(zero_copy_only=False).astype(np.float64)
    meta = read_meta(store)
    index = Postings(
        fingerprint=fingerprint,
        doc_ids=np.array(facets.column("doc_id").to_pylist(), dtype=object),
        lengths=lengths,
        years=np.array([y or 0 for y in facets.column("year").to_pylist()], dtype=np.int32),
        kinds=np.array(facets.column("kind").to_pylist(), dtype=object),
        languages=np.array(facets.column("language").to_pylist(), dtype=object),
        sources=[tuple(s or ()) for s in facets.column("sources").to_pylist()],
        directions=np.array(facets.column("direction").to_pylist(), dtype=object),
        topics=np.array(facets.column("topic_id").to_pylist(), dtype=object),
        terms=terms, doc_rows=doc_rows, tfs=tfs, avgdl=float(meta.get("avgdl") or lengths.mean() if len(lengths) else 1.0))
    log.info("search: %d postings of %d documents in memory in %.2f s", len(doc_rows), index.n,
             time.perf_counter() - started)
    return index


def load_postings(store: Store, fingerprint: str) -> Postings:
    """The in-memory index of `store` for the index `fingerprint` (loaded on first use, kept per store path)."""
    key = str(store.path.resolve())
    got = _CACHE.get(key)
    if got is not None and got.fingerprint == fingerprint:
        return got
    with _LOAD_LOCK:
        got = _CACHE.get(key)
        if got is None or got.fingerprint != fingerprint:
            got = _CACHE[key] = _load(store, fingerprint)
    return got
