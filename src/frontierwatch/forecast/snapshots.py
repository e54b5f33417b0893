"""Topic maps fitted in memory at a cutoff, with the signals of the cutoff year and later shares for labels.

A *snapshot* at cutoff t is what the product would have known at the end of year t: the topic model refit
on documents ≤ t (the product's own class and defaults, `frontierwatch.topics.model.KMeansTopics`), the
signals of year t computed from those documents, and — for labelling only — the documents of later years
assigned to those topics without refitting. Walk-forward training and the backtest are both built from
snapshots, so training rows never carry hindsight (topics drawn at T make small-at-t topics look like growers).
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import numpy as np

from frontierwatch.forecast.features import feature_matrix, neighbour_momentum
from frontierwatch.forecast.metrics import extreme_growth
from frontierwatch.signals.compute import compute_topic_signals
from frontierwatch.signals.content import application_hits
from frontierwatch.signals.escore import TermIndex

log = logging.getLogger(__name__)

__all__ = ["Corpus", "Snapshot", "take_snapshot", "effective_min_docs"]


@dataclass
class Corpus:
    """Dated documents in ``doc_id`` order with their unit embeddings and hashed bigrams.

    ``docs`` is `frontierwatch.signals.load_signal_documents` output; ``embeddings`` (n_docs, dim) float32 rows
    match it; ``term_scores`` caches `term_emergence` per year (valid for any subset holding all docs ≤ year).
    """

    docs: dict
    embeddings: np.ndarray
    terms: TermIndex
    term_scores: dict = field(default_factory=dict)

    @classmethod
    def build(cls, docs: dict, embeddings: np.ndarray) -> "Corpus":
        t0 = time.perf_counter()
        terms = TermIndex.from_texts(docs["doc_id"], docs["text"], docs["year"], docs["primary_category"])
        docs = dict(docs, application_hit=application_hits(docs["text"]))
        log.info("hashed bigrams of %d documents in %.1fs", len(docs["doc_id"]), time.perf_counter() - t0)
        return cls(docs, np.asarray(embeddings, dtype=np.float32), terms)

    @property
    def years(self) -> np.ndarray:
        return self.docs["year"]

    def until(self, year: int) -> "Corpus":
        """The corpus without documents after `year` (what was known at the end of that year)."""
        rows = np.flatnonzero(self.years <= year)
        docs = {k: v[rows] for k, v in self.docs.items()}
        kept = {y: s for y, s in self.term_scores.items() if y <= year}
        return Corpus(docs, self.embeddings[rows], self.terms.subset(rows), kept)


@dataclass
class Snapshot:
    """One topic map at `cutoff` (seed `seed`): per-topic signals of the cutoff year and yearly counts.

    ``counts`` (n_topics, n_years) and ``totals`` (n_years,) cover years ``first_year … last_year`` of the corpus
    it was taken from: fitted documents up to the cutoff, assigned ones after it.
    """

    cutoff: int
    seed: int
    n_topics: int
    centroids: np.ndarray
    signals: dict
    counts: np.ndarray
    totals: np.ndarray
    first_year: int
    doc_topic: np.ndarray

    def share(self, year: int) -> np.ndarray:
        j = year - self.first_year
        return self.counts[:, j] / max(self.totals[j], 1.0)

    def has_year(self, year: int) -> bool:
        j = year - self.first_year
        return 0 <= j < len(self.totals) and self.totals[j] > 0

    def features(self, horizon: int) -> np.ndarray:
        nb = neighbour_momentum(self.centroids, self.signals)
        return feature_matrix(self.signals, self.cutoff, horizon, nb)

    def eligible(self, min_docs: int) -> np.ndarray:
        return self.signals["count"] >= effective_min_docs(min_docs, self.totals[self.cutoff - self.first_year],
                                                           self.n_topics)

    def outcome(self, horizon: int) -> tuple[np.ndarray, np.ndarray]:
        """(extreme-growth label, log share ratio ln((c(t+h)+½)/N(t+h)) − ln((c(t)+½)/N(t))) per topic."""
        future = self.cutoff + horizon
        label = extreme_growth(self.share(future), self.signals["peak_share"], self.signals["peak_year"], future)
        jt, jf = self.cutoff - self.first_year, future - self.first_year
        ratio = (np.log((self.counts[:, jf] + 0.5) / max(self.totals[jf], 1.0))
                 - np.log((self.counts[:, jt] + 0.5) / max(self.totals[jt], 1.0)))
        return label, ratio


def effective_min_docs(min_docs: int, docs_in_year: float, n_topics: int) -> int:
    """Eligibility floor: `min_docs` (20 by default), lowered for small corpora to 30% of the mean topic size
    in the year (never below 3), so a demo store still has eligible topics."""
    mean_size = docs_in_year / max(n_topics, 1)
    return int(max(3, min(min_docs, np.floor(0.3 * mean_size))))


def take_snapshot(corpus: Corpus, cutoff: int, seed: int, *, topic_model_factory=None) -> Snapshot:
    """Fit the product's topic model on documents ≤ `cutoff`, assign the later ones, compute year signals.

    Parameters
    ----------
    corpus : all documents the caller may see (for the product: those ≤ the as-of date).
    topic_model_factory : ``f(seed) -> TopicModel``; default the product's `KMeansTopics(seed=seed)` with its
        size-based topic count.
    """
    from frontierwatch.topics.model import KMeansTopics

    t0 = time.perf_counter()
    make = topic_model_factory or (lambda s: KMeansTopics(seed=s))
    fit_rows = np.flatnonzero(corpus.years <= cutoff)
    model = make(seed).fit(corpus.embeddings[fit_rows])
    doc_topic = np.full(len(corpus.years), -1, dtype=np.int64)
    doc_topic[fit_rows] = model.labels_
    later = np.flatnonzero(corpus.years > cutoff)
    if len(later):
        doc_topic[later] = model.predict(corpus.embeddings[later])[0]
    n_topics = len(model.centroids_)
    first, last = int(corpus.years.min()), int(corpus.years.max())
    counts = np.zeros((n_topics, last - first + 1))
    np.add.at(counts, (doc_topic, corpus.years - first), 1.0)
    totals = np.bincount(corpus.years - first, minlength=last - first + 1).astype(np.float64)
    t1 = time.perf_counter()
    d = corpus.docs
    frame = {"doc_id": d["doc_id"][fit_rows], "topic_id": doc_topic[fit_rows], "year": d["year"][fit_rows],
             "month": d["month"][fit_rows], "kind": d["kind"][fit_rows], "categories": d["categories"][fit_rows],
             "primary_category": d["primary_category"][fit_rows], "text": d["text"][fit_rows],
             "cited_by_count": d["cited_by_count"][fit_rows], "institution_types": d["institution_types"][fit_rows]}
    if "application_hit" in d:
        frame["application_hit"] = d["application_hit"][fit_rows]
    table = compute_topic_signals(frame, years=[cutoff], terms=corpus.terms.subset(fit_rows),
                                  term_scores=corpus.term_scores)
    signals = _dense_signals(table, n_topics)
    log.info("snapshot %d/seed %d: %d topics, fit %.1fs, signals %.1fs", cutoff, seed, n_topics, t1 - t0,
             time.perf_counter() - t1)
    return Snapshot(cutoff, seed, n_topics, model.centroids_, signals, counts, totals, first, doc_topic)


def _dense_signals(table, n_topics: int) -> dict:
    """Signal columns as arrays indexed by topic index 0…n_topics−1 (topics without documents ≤ t get NaN)."""
    ids = np.asarray(table.column("topic_id").to_numpy())
    out = {}
    for name in table.column_names:
        if name in ("topic_id", "year", "missing"):
            continue
        vals = np.full(n_topics, np.nan)
        vals[ids] = np.asarray(table.column(name).to_numpy(zero_copy_only=False), dtype=np.float64)
        out[name] = vals
    out["count"] = np.nan_to_num(out["count"], nan=0.0)
    return out
