"""Term emergence: the Porter/Carley emergence score (EScore) over bigrams, and its topic-level aggregates.

Porter, Garner, Carley & Newman (2019), "Emergence scoring to identify frontier R&D topics and key players",
Technological Forecasting & Social Change 146. A term is *emergent* as of year y when it is

- **novel**: rare in the base period (years y−8…y−6) compared with the active period (y−5…y): base documents
  ≤ ``novelty_ratio`` × active documents (when the corpus starts after y−6, its first three years are the base
  and the years after them the active period, which must still span ≥ 3 years);
- **persistent**: present in ≥ 3 of the 6 active years and in ≥ ``min_docs`` active documents;
- **a community's**: used under ≥ 2 distinct community keys (the primary category: our corpora rarely carry
  organisations, which Porter uses);
- **growing**: its EScore is > 0.

With f_k = 10,000 × (documents with the term in year k) / (all documents in year k) and q_k = √f_k:
``EScore = 2·ActiveTrend + RecentTrend + Slope`` where ActiveTrend = √(f_{y−2}+f_{y−1}+f_y) − √(f_{y−5}+f_{y−4}+f_{y−3}),
RecentTrend = √(f_{y−1}+f_y) − √(f_{y−3}+f_{y−2}) and Slope = (q_y − q_{y−3}) / 3 — Porter's three trends on a
square-root scale. Years before the corpus starts count as empty.

Terms are hashed word bigrams (stop words removed first, so "state of the art" → "state art"): hashing is per
document, so a document never changes another's terms and nothing depends on documents after the as-of year.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

log = logging.getLogger(__name__)

__all__ = ["TermIndex", "term_emergence", "topic_escore"]

N_FEATURES = 2 ** 20
BASE_YEARS = (8, 7, 6)        # base period: y−8 … y−6
ACTIVE_YEARS = 6              # active period: y−5 … y


@dataclass
class TermIndex:
    """Hashed bigram presence per document: ``matrix`` (n_docs, 2^20) CSR of 0/1, rows in ``doc_ids`` order.

    ``years`` and ``community`` (an int code per document, e.g. its primary category) come with it, so term
    counts per year can be taken without the frame. ``scores`` caches `term_emergence` by year; an index of the
    same texts and every subset of it share one (the scores of year y read documents ≤ y only, and a subset
    keeps all of those for the years its callers ask).
    """

    doc_ids: np.ndarray
    matrix: sp.csr_matrix
    years: np.ndarray
    community: np.ndarray
    scores: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_texts(cls, doc_ids, texts, years, community) -> "TermIndex":
        """Hash the bigrams of each text (title + abstract): ≈ 5,000 abstracts/s per core, on every core
        (`frontierwatch.workers`). The last corpus hashed is remembered, so the signals stage and the forecast
        of one build hash the same documents once."""
        texts = ["" if t is None else str(t) for t in texts]
        key = texts_key(texts)
        if _HASHED.get("key") != key:
            from frontierwatch.workers import map_chunks

            _HASHED.clear()
            _HASHED.update(key=key, matrix=sp.vstack(map_chunks(_hash_texts, texts), format="csr"), scores={})
        codes = np.unique(np.asarray(community, dtype=object).astype(str), return_inverse=True)[1]
        years = np.asarray(years, dtype=np.int64)
        ids_key = hashlib.sha256("\n".join(map(str, doc_ids)).encode("utf-8", "surrogatepass")).hexdigest()
        scores = _HASHED["scores"].setdefault((ids_key, years.tobytes(), codes.tobytes()), {})
        return cls(np.asarray(doc_ids), _HASHED["matrix"], years, codes.astype(np.int64), scores)

    @staticmethod
    def column(bigram: str) -> int:
        """The hashed column of a bigram as written in text (e.g. ``"deep learning"``)."""
        cols = _vectoriser().transform([bigram]).indices
        if len(cols) != 1:
            raise ValueError(f"{bigram!r} is not one bigram after stop-word removal")
        return int(cols[0])

    def subset(self, rows: np.ndarray) -> "TermIndex":
        """The index restricted to the given row positions (e.g. documents dated ≤ a cutoff)."""
        return TermIndex(self.doc_ids[rows], self.matrix[rows], self.years[rows], self.community[rows], self.scores)

    @property
    def start(self) -> int | None:
        """The first document year, None without documents."""
        return int(self.years.min()) if len(self.years) else None

    def communities(self, terms: np.ndarray, year: int) -> np.ndarray:
        """Distinct community keys among the active-period documents (years ``year−5 … year``) of each of the
        hashed `terms` (column indices); (len(terms),) int64."""
        rows = np.flatnonzero((self.years > year - ACTIVE_YEARS) & (self.years <= year))
        sub = self.matrix[rows][:, terms].tocsc()
        n_comm = np.zeros(len(terms), dtype=np.int64)
        comm = self.community[rows]
        for j in range(len(terms)):
            n_comm[j] = len(np.unique(comm[sub.indices[sub.indptr[j]:sub.indptr[j + 1]]]))
        return n_comm

    def year_counts(self, first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
        """Documents with each term per year ``first..last``: ((n_years, n_terms) dense counts, docs per year)."""
        n_years = last - first + 1
        keep = (self.years >= first) & (self.years <= last)
        rows = np.flatnonzero(keep)
        onehot = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (self.years[rows] - first, rows)),
                               shape=(n_years, len(self.years)))
        counts = np.asarray((onehot @ self.matrix).todense(), dtype=np.float64)
        docs = np.bincount(self.years[rows] - first, minlength=n_years).astype(np.float64)
        return counts, docs


_HASHED: dict = {}  # the last corpus hashed: {"key": texts_key, "matrix": csr}


def texts_key(texts: list[str]) -> str:
    """sha256 of the texts in order: what a per-text computation over them depends on."""
    h = hashlib.sha256()
    for t in texts:
        h.update(t.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def _hash_texts(texts: list[str]) -> sp.csr_matrix:
    return _vectoriser().transform(texts).tocsr()


def _vectoriser():
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(ngram_range=(2, 2), stop_words="english", n_features=N_FEATURES, binary=True,
                             norm=None, alternate_sign=False, token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z0-9\-]+\b",
                             dtype=np.float32)


def term_emergence(terms, year: int, *, min_docs: int = 7, novelty_ratio: float = 0.15) -> np.ndarray:
    """EScore of every hashed term as of `year`, 0 for terms that are not emergent; (2^20,) float64.

    Only documents dated ≤ `year` are read, so the result as of `year` cannot see later documents. `terms` is a
    `TermIndex`, or anything with its ``start``, ``year_counts`` and ``communities`` (the Spark engine's
    aggregated term statistics, `frontierwatch.spark.terms.SparkTerms`).
    """
    first = year - BASE_YEARS[0]
    counts, docs = terms.year_counts(first, year)          # rows: first … year (9 years)
    rate = 10_000.0 * counts / np.maximum(docs, 1.0)[:, None]
    active = counts[-ACTIVE_YEARS:]
    base = counts[:3].sum(axis=0)
    start = terms.start if terms.start is not None else year
    if docs[:3].sum() == 0 and start + 2 <= year - 3:
        # The corpus starts inside the active period: its first three years serve as the base instead.
        base_counts, _ = terms.year_counts(start, start + 2)
        base = base_counts.sum(axis=0)
        active = counts[start + 3 - first:]
    active_docs = active.sum(axis=0)
    f = rate[-ACTIVE_YEARS:]                                 # f[0] = y−5 … f[5] = y
    active_trend = np.sqrt(f[3:].sum(axis=0)) - np.sqrt(f[:3].sum(axis=0))
    recent_trend = np.sqrt(f[4:].sum(axis=0)) - np.sqrt(f[2:4].sum(axis=0))
    slope = (np.sqrt(f[5]) - np.sqrt(f[2])) / 3.0
    escore = 2.0 * active_trend + recent_trend + slope
    candidate = ((active_docs >= min_docs) & (base <= novelty_ratio * active_docs)
                 & ((active > 0).sum(axis=0) >= 3) & (escore > 0))
    idx = np.flatnonzero(candidate)
    if len(idx):  # community: ≥ 2 distinct community keys among the term's active-period documents
        candidate[idx[terms.communities(idx, year) < 2]] = False
    out = np.where(candidate, escore, 0.0)
    log.debug("as of %d: %d emergent terms", year, int(candidate.sum()))
    return out


def topic_escore(terms: TermIndex, topic_index: np.ndarray, n_topics: int, year: int, escore: np.ndarray,
                 window: int = 2) -> dict[str, np.ndarray]:
    """Per-topic aggregates of term EScores over the topic's documents of years ``year−window+1 … year``.

    Parameters
    ----------
    terms : the term index, rows aligned with `topic_index`.
    topic_index : (n_docs,) dense topic index of each document (−1 = unassigned).
    escore : (2^20,) output of `term_emergence` for `year`.

    Returns
    -------
    ``escore_mean`` (mean over recent documents of the summed EScore of their emergent terms),
    ``escore_share`` (share of recent documents with an emergent term) and ``escore_owned`` (Σ over emergent
    terms of EScore × the topic's share of that term's recent documents) — (n_topics,) arrays, NaN where the
    topic has no recent document.
    """
    rows = np.flatnonzero((terms.years > year - window) & (terms.years <= year) & (topic_index >= 0))
    n = np.bincount(topic_index[rows], minlength=n_topics).astype(np.float64)
    emergent = np.flatnonzero(escore > 0)
    sub = terms.matrix[rows][:, emergent]
    doc_score = np.asarray(sub @ escore[emergent]).ravel()
    has_term = (sub.getnnz(axis=1) > 0).astype(np.float64)
    owner = sp.csr_matrix((np.ones(len(rows)), (topic_index[rows], np.arange(len(rows)))), shape=(n_topics, len(rows)))
    term_by_topic = owner @ sub                            # (n_topics, n_emergent) recent docs with the term
    term_total = np.asarray(sub.sum(axis=0)).ravel()
    weight = escore[emergent] / np.maximum(term_total, 1.0)
    owned = np.asarray(term_by_topic @ weight).ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(topic_index[rows], weights=doc_score, minlength=n_topics) / n
        share = np.bincount(topic_index[rows], weights=has_term, minlength=n_topics) / n
    owned = np.where(n > 0, owned, np.nan)
    return {"escore_mean": mean, "escore_share": share, "escore_owned": owned}
