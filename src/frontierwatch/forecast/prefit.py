"""The walk-forward topic fits of a build, made in a worker process while the build's other stages run.

Why: the forecast of a map as of T trains on the maps of every earlier year end (`forecast.asof.forecast_at`),
each a whole topic fit; on a fresh store they are most of a build's arithmetic. They read nothing but the
documents' vectors, which exist once the build has embedded, so `start_walk_forward` hands the missing ones to
one worker process (`frontierwatch.workers`) right after the embed stage. The topic map, its names and its signals — mostly Python on one
core — run meanwhile; `WalkForward.collect` stores the fits in ``topic_fits`` before the forecast stage, which
then finds them there as it finds a fit an earlier build made. The worker runs `topics.fit_topics` on the very
rows the forecast would give it, on one thread (a fit does not depend on the thread count), so the fits are
the ones the forecast stage would have made, bit for bit (tests/forecast/test_prefit.py).
"""
from __future__ import annotations

import logging
import time
from datetime import date

import numpy as np

from frontierwatch.store import Store

log = logging.getLogger(__name__)

__all__ = ["WalkForward", "start_walk_forward"]


class WalkForward:
    """Fits for a worker: ``cutoffs`` (years) still missing, the loaded ``corpus`` (reused by the forecast stage).
    `start` hands them to the worker; `collect` waits for them and stores them."""

    def __init__(self, corpus, cutoffs: list[int], seed: int = 0, embed_model: str = ""):
        self.corpus, self.cutoffs, self.seed, self.embed_model = corpus, cutoffs, seed, embed_model
        self._worker = None
        self._done = False

    def start(self) -> None:
        """Start the worker (once; nothing to do without missing fits). The build calls it when its own map is
        fitted, so the two fits never compete for the cores."""
        if self._worker is not None or self._done or not self.cutoffs:
            return
        from frontierwatch.workers import Worker

        rows = self.corpus.years <= max(self.cutoffs)
        self._worker = Worker(fit_years, np.asarray(self.corpus.docs["doc_id"], dtype=object)[rows],
                              self.corpus.years[rows], self.corpus.embeddings[rows], self.cutoffs, self.seed,
                              self.embed_model)
        log.info("walk-forward fits of %s started in a worker", self.cutoffs)

    def collect(self, store: Store) -> int:
        """Wait for the worker, store its fits in ``topic_fits``; returns how many. A worker that failed is
        logged and ignored: the forecast stage then fits what is missing itself."""
        from frontierwatch.topics.fits import FitCache

        self.start()
        if self._worker is None:
            return 0
        try:
            fits = self._worker.result()
        except Exception as exc:  # noqa: BLE001 — the forecast stage fits in-process instead
            log.warning("walk-forward fits in the worker failed (%s); the forecast fits them itself", exc)
            return 0
        finally:
            self._worker.stop()
            self._worker, self._done = None, True
        cache = FitCache(store)
        for fit in fits:
            cache.put(fit)
        return len(fits)

    def cancel(self) -> None:
        """Stop a worker still running (the build failed or was interrupted): its fits are dropped, not waited for."""
        if self._worker is not None:
            self._worker.stop()
            self._worker, self._done = None, True


def start_walk_forward(store: Store, as_of: date, seed: int, embed_model: str, horizon: int, *,
                       start: bool = True) -> WalkForward | None:
    """The training maps the forecast of the map as of `as_of` will read and the store lacks, started in a worker
    (or, with ``start=False``, ready to `WalkForward.start`).

    None when the map gets no forecast (not a year end) or the store has no usable documents. The corpus is loaded
    as the forecast stage loads it (documents dated ≤ the as-of year, non-zero vectors)."""
    from frontierwatch.errors import FrontierwatchError
    from frontierwatch.forecast.asof import training_cutoffs
    from frontierwatch.forecast.backtest import load_corpus
    from frontierwatch.topics.fits import fit_input, stored_fit_keys

    if (as_of.month, as_of.day) != (12, 31):
        return None
    try:
        corpus = load_corpus(store, until_year=as_of.year, model=embed_model)
    except FrontierwatchError:
        return None
    cutoffs = training_cutoffs(corpus.full_years()[0], as_of.year, horizon)
    have = stored_fit_keys(store)
    ids = np.asarray(corpus.docs["doc_id"], dtype=object)
    missing = []
    for t in cutoffs:
        rows = corpus.years <= t
        if rows.sum() < 2:
            continue
        key = fit_input(ids[rows], corpus.embeddings[rows], date(t, 12, 31), seed, None, embed_model)[0]
        if key not in have:
            missing.append(t)
    walk = WalkForward(corpus, missing, seed, embed_model)
    if start:
        walk.start()
    return walk


def fit_years(ids: np.ndarray, years: np.ndarray, vectors: np.ndarray, cutoffs: list[int], seed: int,
              embed_model: str) -> list:
    """The worker: the fit as of the end of each of `cutoffs` (the default topic count, as the forecast's
    training maps use), in the form the fit cache stores (rows sorted by id)."""
    from threadpoolctl import threadpool_limits

    from frontierwatch.topics.fits import FitCache, fit_topics

    cache = FitCache()
    with threadpool_limits(1):  # the build's own stages use the other core meanwhile
        for t in cutoffs:
            t0 = time.perf_counter()
            rows = years <= t
            fit_topics(ids[rows], vectors[rows], date(t, 12, 31), seed, None, embed_model, cache)
            log.info("walk-forward fit %d in the worker: %.1fs", t, time.perf_counter() - t0)
    return list(cache.memory.values())
