"""The product forecast as of a date: train walk-forward on what was known then, score the topics of then.

`train_as_of` pools the walk-forward snapshots t ≤ as_of − horizon (topic maps refit at t, outcomes at
t + horizon ≤ as_of) and fits `TopicForecaster`. `predict_topics` scores a topic map's signals of the as-of
year. `forecast_as_of` does both on an in-memory map fitted at the as-of year (what the backtest measures, and
what the no-look-ahead tests perturb); `frontierwatch.forecast.runner` applies the same model to the store's
own topic map.

Every function first drops documents after the as-of year, so no later document can reach a forecast.
"""
from __future__ import annotations

import logging

import numpy as np
import pyarrow as pa

from frontierwatch.forecast.backtest import training_cutoffs, train_forecaster
from frontierwatch.forecast.features import feature_matrix, neighbour_momentum
from frontierwatch.forecast.snapshots import Corpus, take_snapshot

log = logging.getLogger(__name__)

__all__ = ["train_as_of", "predict_topics", "forecast_as_of"]


def train_as_of(corpus: Corpus, as_of: int, horizon: int = 3, seed: int = 0, *, min_docs: int = 20,
                progress=None, topic_model_factory=None, forecaster_factory=None):
    """Fit the forecaster on walk-forward snapshots known at the end of `as_of`; returns (model, info)."""
    known = corpus.until(as_of)
    first = int(known.years.min())
    cutoffs = training_cutoffs(first, as_of, horizon)
    snaps = []
    for i, t in enumerate(cutoffs):
        if progress:
            progress(f"training map {t}", i, len(cutoffs))
        snaps.append(take_snapshot(known, t, seed, topic_model_factory=topic_model_factory))
    model, info = train_forecaster(snaps, horizon, min_docs, seed, forecaster_factory, as_of=as_of)
    corpus.term_scores.update(known.term_scores)
    info.update(as_of=as_of, horizon=horizon, seed=seed)
    return model, info


def predict_topics(model, signals: dict[str, np.ndarray], centroids: np.ndarray, year: int, horizon: int,
                   eligible: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Probability of extreme growth by year + horizon, expected share ratio and the yes/no call per topic.

    Parameters
    ----------
    signals : column → (n_topics,) signals of `year` (a ``topic_signals`` slice, NaN for missing).
    centroids : (n_topics, dim) unit topic centroids in the same order (for the neighbourhood features).
    eligible : topics that may be called (the backtest's eligibility floor); the call is the model's top fraction
        of them, and ``threshold`` the lowest probability called (the training threshold when none is).
    """
    X = feature_matrix(signals, year, horizon, neighbour_momentum(centroids, signals))
    prob = np.asarray(model.predict_proba(X), dtype=np.float64)
    call = np.asarray(model.predict(X, eligible), dtype=bool)
    threshold = float(prob[call].min()) if call.any() else float(model.threshold_)
    return {"probability": prob, "expected_share_ratio": np.asarray(model.expected_share_ratio(X), dtype=np.float64),
            "call": call, "threshold": threshold, "score": np.asarray(model.score(X), dtype=np.float64)}


def forecast_as_of(corpus: Corpus, as_of: int, horizon: int = 3, seed: int = 0, *, min_docs: int = 20,
                   topic_model_factory=None, forecaster_factory=None) -> tuple[pa.Table, dict]:
    """Topic map, signals and forecast as of the end of `as_of`, all in memory.

    Returns ``(table, info)``: one row per topic of the map fitted on documents ≤ `as_of` with ``topic``
    (index), ``count``, ``share``, ``probability``, ``expected_share_ratio``, ``call``, ``threshold``; ``info``
    says how the forecaster was trained (cutoffs, rows, positives).
    """
    known = corpus.until(as_of)
    model, info = train_as_of(known, as_of, horizon, seed, min_docs=min_docs,
                              topic_model_factory=topic_model_factory, forecaster_factory=forecaster_factory)
    snap = take_snapshot(known, as_of, seed, topic_model_factory=topic_model_factory)
    pred = predict_topics(model, snap.signals, snap.centroids, as_of, horizon, snap.eligible(min_docs))
    table = pa.table({
        "topic": pa.array(np.arange(snap.n_topics), pa.int64()),
        "count": pa.array(snap.signals["count"].astype(np.int64)),
        "share": pa.array(snap.signals["share"]),
        "probability": pa.array(pred["probability"]),
        "expected_share_ratio": pa.array(pred["expected_share_ratio"], from_pandas=True),   # NaN → null
        "call": pa.array(pred["call"]),
        "threshold": pa.array(np.full(snap.n_topics, pred["threshold"])),
    })
    return table, info
