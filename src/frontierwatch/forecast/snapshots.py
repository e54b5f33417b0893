"""What the product knew at the end of a year: the corpus cut there, and the topic map fitted on it (a snapshot).

A *snapshot* at cutoff t is the topic map fitted on the documents dated ≤ t (`frontierwatch.topics.fit_topics`:
the very fit `build --as-of t-12-31` writes as the store's map, shared through ``topic_fits``), the forecast
features of its topics in year t computed from those documents only (`frontierwatch.forecast.features`,
cached in ``forecast_snapshots``), and the yearly counts of the documents the caller's corpus holds, assigned
to its topics without refitting. Walk-forward training, the published forecast and the backtest are all built
from snapshots, so training rows never carry hindsight (topics drawn at T make small-at-t topics look like
growers) and the backtest scores the map the product publishes.

A `Corpus` holds the dated documents (``published`` known, a nonzero vector) in ``doc_id`` order. `Corpus.until`
cuts it at a year end; what the forecast of that year reads comes only from the cut corpus — citations
included, which are recounted as of the year (`citations_as_of`).
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from frontierwatch.forecast.metrics import extreme_growth
from frontierwatch.signals.documents import citations_as_of
from frontierwatch.topics.fits import FitCache, TopicFit, fit_topics
from frontierwatch.topics.model import nearest_centroid

log = logging.getLogger(__name__)

__all__ = ["Corpus", "Snapshot", "take_snapshot", "effective_min_docs"]


@dataclass
class Corpus:
    """Dated documents in ``doc_id`` order with their stored vectors.

    ``docs``: the columns of `frontierwatch.signals.load_signal_documents` plus ``authors`` (list per document)
    and ``cited_by_year`` (dict or None); ``embeddings`` (n_docs, dim) float32 rows as stored (the fit
    fingerprint reads these exact bytes). Hashed bigrams (``terms``) are built on first use, once per root
    corpus; so are the topic assignments of every document under a fit (``topics_of``).
    """

    docs: dict
    embeddings: np.ndarray
    embed_model: str = "static-minilm"
    term_scores: dict = field(default_factory=dict)
    _root: "Corpus | None" = None
    _rows: np.ndarray | None = None
    _memo: dict = field(default_factory=dict)

    @classmethod
    def build(cls, docs: dict, embeddings: np.ndarray, embed_model: str = "static-minilm") -> "Corpus":
        docs = dict(docs)
        n = len(docs["doc_id"])
        docs.setdefault("authors", np.full(n, None, dtype=object))
        docs.setdefault("cited_by_year", np.full(n, None, dtype=object))
        # the harvested counts stay aside; what features read is always counted as of the corpus's last year
        docs["cited_by_total"] = np.asarray(docs.pop("cited_by_count"), dtype=np.float64)
        last = int(docs["year"].max()) if n else 0
        docs["cited_by_count"] = citations_as_of(docs["cited_by_total"], docs["cited_by_year"], last)
        return cls(docs, np.asarray(embeddings, dtype=np.float32), embed_model)

    @property
    def years(self) -> np.ndarray:
        return self.docs["year"]

    @property
    def last_year(self) -> int:
        return int(self.years.max())

    def full_years(self) -> tuple[int, int]:
        """First and last year holding ≥ 5% of the busiest year's documents: the span a walk-forward can use
        (a few stragglers — a 1992 record in a 2010s corpus, one dated after the harvest — make no map)."""
        first = int(self.years.min())
        counts = np.bincount(self.years - first)
        full = np.flatnonzero(counts >= 0.05 * counts.max())
        return first + int(full.min()), first + int(full.max())

    @property
    def root(self) -> "Corpus":
        return self._root or self

    @property
    def root_rows(self) -> np.ndarray:
        return self._rows if self._rows is not None else np.arange(len(self.years))

    def until(self, year: int) -> "Corpus":
        """The corpus without documents after `year`, citations counted as of its end (what was known then)."""
        rows = np.flatnonzero(self.years <= year)
        docs = {k: v[rows] for k, v in self.docs.items()}
        docs["cited_by_count"] = citations_as_of(docs["cited_by_total"], docs["cited_by_year"], year)
        # term emergence of year y reads documents ≤ y only, so one cache serves the root and every cut of it
        return Corpus(docs, self.embeddings[rows], self.embed_model, self.root.term_scores, self.root,
                      self.root_rows[rows])

    @property
    def terms(self):
        """Hashed bigrams of the documents (`frontierwatch.signals.escore.TermIndex`), rows in corpus order."""
        from frontierwatch.signals.content import application_hits
        from frontierwatch.signals.escore import TermIndex

        root = self.root
        if "terms" not in root._memo:
            t0 = time.perf_counter()
            d = root.docs
            root._memo["terms"] = TermIndex.from_texts(d["doc_id"], d["text"], d["year"], d["primary_category"])
            root._memo["application_hit"] = application_hits(d["text"])
            log.info("hashed bigrams of %d documents in %.1fs", len(d["doc_id"]), time.perf_counter() - t0)
        return root._memo["terms"] if self._rows is None else root._memo["terms"].subset(self._rows)

    @property
    def application_hit(self) -> np.ndarray:
        self.terms  # noqa: B018 — builds both once
        hits = self.root._memo["application_hit"]
        return hits if self._rows is None else hits[self._rows]

    def topics_of(self, fit: TopicFit) -> np.ndarray:
        """Topic index of every document of this corpus under `fit`: its fitted label for documents the fit
        read, the nearest centroid for the others. A document's topic depends only on its own vector and the
        fit, so the assignment is made once for the root corpus and sliced."""
        root = self.root
        key = ("topics", fit.key)
        if key not in root._memo:
            years = root.years
            topic = np.empty(len(years), dtype=np.int64)
            fitted = years <= fit.as_of.year
            topic[fitted] = fit.labels
            later = np.flatnonzero(~fitted)
            if len(later):
                topic[later] = nearest_centroid(root.embeddings[later], fit.centroids)[0]
            root._memo[key] = topic
        return root._memo[key][self.root_rows]


@dataclass
class Snapshot:
    """One topic map at `cutoff` (seed `seed`): features of its topics in the cutoff year and yearly counts.

    ``counts`` (n_topics, n_years) and ``totals`` (n_years,) cover years ``first_year … last year of the corpus
    the snapshot was taken from``: fitted documents up to the cutoff, assigned ones after it.
    """

    cutoff: int
    seed: int
    fit: TopicFit
    signals: dict
    counts: np.ndarray
    totals: np.ndarray
    first_year: int

    @property
    def n_topics(self) -> int:
        return self.fit.n_topics

    @property
    def centroids(self) -> np.ndarray:
        return self.fit.centroids

    def share(self, year: int) -> np.ndarray:
        j = year - self.first_year
        return self.counts[:, j] / max(self.totals[j], 1.0)

    def has_year(self, year: int) -> bool:
        j = year - self.first_year
        return 0 <= j < len(self.totals) and self.totals[j] > 0

    def min_docs(self, min_docs: int) -> int:
        return effective_min_docs(min_docs, self.totals[self.cutoff - self.first_year], self.n_topics)

    def eligible(self, min_docs: int) -> np.ndarray:
        return self.signals["count"] >= self.min_docs(min_docs)

    def outcome(self, horizon: int) -> tuple[np.ndarray, np.ndarray]:
        """(extreme-growth label, log share ratio ln((c(t+h)+½)/N(t+h)) − ln((c(t)+½)/N(t))) per topic."""
        future = self.cutoff + horizon
        if not self.has_year(future):
            raise ValueError(f"snapshot {self.cutoff} holds no documents of {future}")
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


def take_snapshot(corpus: Corpus, cutoff: int, seed: int, *, n_topics: int | None = None, caches=None) -> Snapshot:
    """The snapshot of `corpus` at the end of `cutoff`: the fit (cached), its year-`cutoff` features (cached)
    and the yearly counts of every document of `corpus` (later ones assigned to the fit's topics).

    Parameters
    ----------
    corpus : all documents the caller may see (for the product: those ≤ the as-of year).
    n_topics : the topic model's count (None: its size-based default).
    caches : a `frontierwatch.forecast.tables.ForecastCaches` (fits, features, forecasts); in memory if None.
    """
    from frontierwatch.forecast.features import snapshot_features
    from frontierwatch.forecast.tables import ForecastCaches

    caches = caches or ForecastCaches()
    fitted = np.flatnonzero(corpus.years <= cutoff)
    if len(fitted) < 2:
        raise ValueError(f"only {len(fitted)} documents dated ≤ {cutoff}")
    fit = fit_topics(corpus.docs["doc_id"][fitted], corpus.embeddings[fitted], date(cutoff, 12, 31), seed,
                     n_topics, corpus.embed_model, caches.fits)
    topic = corpus.topics_of(fit)
    first, last = int(corpus.years.min()), int(corpus.years.max())
    counts = np.zeros((fit.n_topics, last - first + 1))
    np.add.at(counts, (topic, corpus.years - first), 1.0)
    totals = np.bincount(corpus.years - first, minlength=last - first + 1).astype(np.float64)
    signals = caches.features(fit, lambda: snapshot_features(corpus.until(cutoff), fit, cutoff))
    return Snapshot(cutoff, seed, fit, signals, counts, totals, first)


__all__ += ["FitCache"]
