"""Topic-model fits as of a date, computed once and reused: the clustering behind every topic map and snapshot.

A *fit* is what the topic model learns from the documents dated on or before an as-of date: unit centroids
(largest topic first) and the topic of each fitted document. The same fit serves the map that `build` writes
(`frontierwatch.topics.build_topics`), the walk-forward snapshots the forecaster trains on and the backtest's
maps (`frontierwatch.forecast`), so the map a user sees as of a date *is* the map the backtest scored for that
date and seed — and no run fits it twice.

Fits are cached in ``topic_fits`` (migration 0012) under a key of (as-of date, seed, topic model and its
parameters, embedding model, corpus fingerprint). The fingerprint hashes the fitted documents' ids and
vectors, so adding later documents (or re-embedding unrelated ones) keeps an earlier fit valid, while any
change to what the fit read gives a new key. A read-only store still reads the cache; it only cannot add to it.
"""
from __future__ import annotations

import hashlib
import io
import logging
import time
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pyarrow as pa

log = logging.getLogger(__name__)

__all__ = ["TopicFit", "FitCache", "fit_topics", "fit_input", "stored_fit_keys", "corpus_fingerprint", "canonical_order"]

METHOD = "kmeans"
FIT_VERSION = 1  # bump when KMeansTopics or the canonical order changes what a fit holds


@dataclass(frozen=True)
class TopicFit:
    """A fitted topic model as of `as_of`.

    ``doc_ids`` (n,) are the fitted documents sorted by id, ``labels`` (n,) their topic index, ``centroids``
    (k, dim) unit rows ordered largest topic first (ties: the topic whose first document sorts first).
    """

    key: str
    as_of: date
    seed: int
    n_topics_param: int | None
    embed_model: str
    fingerprint: str
    doc_ids: np.ndarray
    labels: np.ndarray
    centroids: np.ndarray
    seconds: float

    @property
    def n_topics(self) -> int:
        return len(self.centroids)


def corpus_fingerprint(doc_ids, vectors: np.ndarray) -> str:
    """sha256 of the ids (in the given order) and the float32 vector bytes: what a fit reads."""
    h = hashlib.sha256()
    h.update("\n".join(map(str, doc_ids)).encode("utf-8"))
    h.update(np.ascontiguousarray(vectors, dtype=np.float32).tobytes())
    return h.hexdigest()


def canonical_order(labels: np.ndarray, n: int) -> np.ndarray:
    """Permutation old → new ordering clusters by size desc, then by their first member (document order)."""
    sizes = np.bincount(labels, minlength=n)
    first = np.full(n, len(labels))
    np.minimum.at(first, labels, np.arange(len(labels)))
    order = np.lexsort((first, -sizes))
    remap = np.empty(n, dtype=np.int64)
    remap[order] = np.arange(n)
    return remap


def fit_key(as_of: date, seed: int, n_topics: int | None, embed_model: str, fingerprint: str) -> str:
    return (f"{METHOD}-v{FIT_VERSION}|{as_of.isoformat()}|seed={seed}|k={n_topics or 'auto'}|{embed_model}|"
            f"{fingerprint[:24]}")


class FitCache:
    """Fits of one run in memory, backed by the ``topic_fits`` table of a store when one is given.

    The forecast stage and the topics stage share one instance per run, so a fit is computed at most once per
    run and, with a writable store, at most once per corpus.
    """

    def __init__(self, store=None):
        self.store = store
        self.memory: dict[str, TopicFit] = {}
        self.hits = self.misses = 0

    def get(self, key: str, doc_ids: np.ndarray) -> TopicFit | None:
        """The fit of `key`; `doc_ids` are the fitted ids in order (the key's fingerprint covers them)."""
        if key in self.memory:
            self.hits += 1
            return self.memory[key]
        found = _read_fit(self.store, key, doc_ids) if self.store is not None else None
        if found is not None:
            self.hits += 1
            self.memory[key] = found
        return found

    def put(self, fit: TopicFit) -> None:
        self.misses += 1
        self.memory[fit.key] = fit
        if self.store is not None and not self.store.read_only:
            _write_fit(self.store, fit)


def fit_input(ids: np.ndarray, vectors: np.ndarray, as_of: date, seed: int, n_topics: int | None, embed_model: str):
    """What a fit reads, in the order it reads it: ``(key, order, ids[order], vectors[order])`` with the rows
    sorted by id (so the fit does not depend on the caller's order)."""
    order = np.argsort(ids.astype(str), kind="stable")
    sorted_ids, x = ids[order], np.ascontiguousarray(np.asarray(vectors, dtype=np.float32)[order])
    return fit_key(as_of, seed, n_topics, embed_model, corpus_fingerprint(sorted_ids, x)), order, sorted_ids, x


def stored_fit_keys(store) -> set[str]:
    """The keys of the fits ``topic_fits`` holds."""
    if not store.tables.exists("topic_fits"):
        return set()
    return set(store.tables.read("topic_fits", ["fit_key"]).column("fit_key").to_pylist())


def fit_topics(doc_ids, vectors: np.ndarray, as_of: date, seed: int = 0, n_topics: int | None = None,
               embed_model: str = "static-minilm", cache: FitCache | None = None) -> TopicFit:
    """The topic model fitted on `vectors` (rows of the documents `doc_ids`, all dated ≤ `as_of`).

    The fit reads the rows in id order, so it does not depend on the caller's order; the returned fit's
    ``doc_ids`` and ``labels`` are in the caller's order. Zero vectors (texts the model knows no token of) must
    be left out by the caller. Returns the cached fit when the key matches (the cache holds id order).
    """
    from frontierwatch.topics.model import KMeansTopics

    ids = np.asarray(doc_ids, dtype=object)
    key, order, sorted_ids, x = fit_input(ids, vectors, as_of, seed, n_topics, embed_model)
    cache = cache if cache is not None else FitCache()
    fit = cache.get(key, sorted_ids)
    if fit is None:
        t0 = time.perf_counter()
        model = KMeansTopics(n_topics=n_topics, seed=seed).fit(x)
        remap = canonical_order(model.labels_, model.n_topics_)
        centroids = np.empty_like(model.centroids_)
        centroids[remap] = model.centroids_
        fit = TopicFit(key, as_of, seed, n_topics, embed_model, key.rsplit("|", 1)[1], sorted_ids,
                       remap[model.labels_].astype(np.int32), centroids.astype(np.float32),
                       round(time.perf_counter() - t0, 2))
        log.info("topic fit as of %s (seed %d): %d documents, %d topics in %.1fs", as_of, seed, len(ids),
                 fit.n_topics, fit.seconds)
        cache.put(fit)
    labels = np.empty(len(ids), dtype=np.int32)
    labels[order] = fit.labels
    return replace(fit, doc_ids=ids, labels=labels)


# -- the topic_fits table (migration 0012): the topics stage's one reader and writer ---------------------
def _blob(**arrays) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def _read_fit(store, key: str, doc_ids: np.ndarray) -> TopicFit | None:
    if not store.tables.exists("topic_fits"):
        return None
    rows = store.tables.read("topic_fits", ["as_of", "seed", "n_topics_param", "embed_model", "fingerprint", "arrays",
                                            "seconds"], where={"fit_key": key}).to_pylist()
    if not rows:
        return None
    r = rows[0]
    with np.load(io.BytesIO(r["arrays"]), allow_pickle=False) as z:
        labels, centroids = z["labels"], z["centroids"]
    if len(labels) != len(doc_ids):
        return None
    return TopicFit(key, r["as_of"], r["seed"], r["n_topics_param"], r["embed_model"], r["fingerprint"], doc_ids,
                    labels, centroids, r["seconds"])


def _write_fit(store, fit: TopicFit) -> None:
    blob = _blob(labels=fit.labels, centroids=fit.centroids)  # the ids are the caller's: the key covers them
    store.tables.upsert("topic_fits", pa.table({
        "fit_key": [fit.key], "as_of": pa.array([fit.as_of], pa.date32()), "seed": pa.array([fit.seed], pa.int32()),
        "n_topics_param": pa.array([fit.n_topics_param], pa.int32()), "embed_model": [fit.embed_model],
        "fingerprint": [fit.fingerprint], "n_docs": pa.array([len(fit.doc_ids)], pa.int64()),
        "n_topics": pa.array([fit.n_topics], pa.int32()), "seconds": pa.array([fit.seconds], pa.float64()),
        "arrays": pa.array([blob], pa.binary())}), ["fit_key"])
