"""Forecast features of a snapshot's topics: the topic signals of the cutoff year, the evidence families and the
topic-neighbourhood momentum.

`snapshot_features` computes, from the documents dated ≤ the cutoff only, every per-topic value the forecaster
may read (cached per fit in ``forecast_snapshots``); `feature_matrix` turns them into the model's columns for a
horizon. Which columns the product uses is `PRODUCT_FEATURES`: the round-1 signals and neighbours; the new
families are measured by ablation on the tuning cutoffs only (`bench/forecast_tuning.py` writes
``bench/results/forecast-tuning.json``) and join the product when that shows they help — not yet measured.
"""
from __future__ import annotations

import hashlib
import logging
import time

import numpy as np

from frontierwatch.forecast.families import (FAMILY_SIGNALS, author_codes, author_signals, diffusion_signals,
                                             novelty_signals, venue_signals)
from frontierwatch.forecast.metrics import GROWTH_RATE

log = logging.getLogger(__name__)

__all__ = ["FEATURES", "FAMILIES", "PRODUCT_FEATURES", "FEATURE_VERSION", "feature_matrix", "neighbour_momentum",
           "snapshot_features", "required_growth"]

# Topic signals (frontierwatch.signals) used as they are (NaN stays NaN; the models impute or route it).
_RAW = ("log_share", "growth1", "growth2", "growth3", "acceleration", "trend_slope", "share_to_peak",
        "burst_state", "burst_months", "mean_age", "median_age", "age", "new_term_ratio",
        "escore_mean", "escore_share", "escore_owned", "category_entropy", "cross_field_share",
        "application_language", "coherence")
_DERIVED = ("log_count", "burst_weight_log", "burst_month_weight_log", "years_since_peak", "required_growth",
            "horizon")
_NEIGHBOUR = ("neighbour_growth2", "neighbour_recency", "neighbour_escore", "neighbour_slope")
_FAMILY = tuple(n for names in FAMILY_SIGNALS.values() for n in names)
FEATURES = _RAW + _DERIVED + _NEIGHBOUR + _FAMILY
FAMILIES = {"signals": _RAW + _DERIVED, "neighbours": _NEIGHBOUR, **FAMILY_SIGNALS}

# The product's columns (see the module docstring: the new families wait for their ablation). Venue is never here:
# a journal reference is added after acceptance, so the harvested value leaks the future.
PRODUCT_FEATURES = _RAW + _DERIVED + _NEIGHBOUR
FEATURE_VERSION = "f1-" + hashlib.sha256(",".join(FEATURES).encode()).hexdigest()[:8]


def snapshot_features(corpus, fit, cutoff: int) -> dict[str, np.ndarray]:
    """Every per-topic value of year `cutoff` for the topics of `fit`, from `corpus` (documents ≤ `cutoff`).

    Returns ``{name: (n_topics,) float64}``: the ``topic_signals`` columns (`compute_topic_signals` on the fitted
    documents, with their distance to the centroid for coherence) and the evidence families.
    """
    from frontierwatch.signals.compute import compute_topic_signals

    if corpus.last_year > cutoff:
        raise ValueError(f"features of {cutoff} from a corpus reaching {corpus.last_year}")
    t0 = time.perf_counter()
    d = corpus.docs
    topic = corpus.topics_of(fit)
    x = corpus.embeddings
    norms = np.maximum(np.linalg.norm(x, axis=1), 1e-12)
    distance = 1.0 - np.einsum("ij,ij->i", x, fit.centroids[topic]) / norms
    frame = {"doc_id": d["doc_id"], "topic_id": topic, "year": d["year"], "month": d["month"], "kind": d["kind"],
             "categories": d["categories"], "primary_category": d["primary_category"], "text": d["text"],
             "cited_by_count": d["cited_by_count"], "institution_types": d["institution_types"],
             "application_hit": corpus.application_hit, "distance": distance}
    table = compute_topic_signals(frame, years=[cutoff], terms=corpus.terms, term_scores=corpus.term_scores,
                                  centroids=dict(enumerate(fit.centroids)))
    out = _dense(table, fit.n_topics)
    n = fit.n_topics
    out.update(author_signals(author_codes(d["authors"]), d["year"], topic, n, cutoff))
    out.update(diffusion_signals(d["primary_category"], d["categories"], d["year"], topic, n, cutoff))
    out.update(novelty_signals(x, d["year"], topic, n, cutoff))
    out.update(venue_signals(d.get("venue", np.full(len(topic), None, dtype=object)), d["year"], topic, n, cutoff))
    log.info("features of %d topics as of %d in %.1fs", n, cutoff, time.perf_counter() - t0)
    return out


def _dense(table, n_topics: int) -> dict[str, np.ndarray]:
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


def required_growth(signals: dict[str, np.ndarray], year: int, horizon: int) -> np.ndarray:
    """ln of the share ratio share(year+h)/share(year) a topic must reach to count as an extreme grower:
    ln(peak share) + (year + h − peak year)·ln 1.08 − ln(share). Known at the as-of date; NaN without share."""
    share = np.asarray(signals["share"], dtype=np.float64)
    peak = np.asarray(signals["peak_share"], dtype=np.float64)
    peak_year = np.asarray(signals["peak_year"], dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (np.log(np.where(peak > 0, peak, np.nan)) + (year + horizon - peak_year) * np.log(GROWTH_RATE)
                - np.log(np.where(share > 0, share, np.nan)))


def feature_matrix(signals: dict[str, np.ndarray], year: int, horizon: int,
                   neighbours: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """(n_topics, len(FEATURES)) float64 matrix from one year's per-topic values for a horizon.

    ``required_growth`` (see `required_growth`) is the most direct link between today's position and the label.
    """
    n = len(signals["count"])
    count = np.asarray(signals["count"], dtype=np.float64)
    peak_year = np.asarray(signals["peak_year"], dtype=np.float64)
    cols = [np.asarray(signals[k], dtype=np.float64) for k in _RAW]
    cols += [np.log1p(count), np.log1p(np.nan_to_num(signals["burst_weight"], nan=0.0)),
             np.log1p(np.nan_to_num(signals["burst_month_weight"], nan=0.0)), year - peak_year,
             required_growth(signals, year, horizon), np.full(n, float(horizon))]
    nb = neighbours or {}
    cols += [nb.get(k, np.full(n, np.nan)) for k in _NEIGHBOUR]
    cols += [np.asarray(signals.get(k, np.full(n, np.nan)), dtype=np.float64) for k in _FAMILY]
    return np.column_stack(cols)


def neighbour_momentum(centroids: np.ndarray, signals: dict[str, np.ndarray], k: int = 10) -> dict[str, np.ndarray]:
    """Size-weighted mean 2-year growth, EScore and trend slope, and mean age of each topic's `k` nearest
    topics (cosine).

    A topic inside a rising neighbourhood (a wave such as deep learning lifting its neighbours) is more
    likely to grow than the same topic in a quiet one.
    """
    c = np.asarray(centroids, dtype=np.float64)
    n = len(c)
    if n < 2:
        return {k: np.full(n, np.nan) for k in _NEIGHBOUR}
    k = min(k, n - 1)
    sim = c @ c.T
    np.fill_diagonal(sim, -np.inf)
    nn = np.argpartition(-sim, k - 1, axis=1)[:, :k]
    weight = np.log1p(np.asarray(signals["count"], dtype=np.float64))[nn]
    total = np.maximum(weight.sum(axis=1), 1e-9)

    def weighted(name: str) -> np.ndarray:
        v = np.nan_to_num(np.asarray(signals[name], dtype=np.float64), nan=0.0)[nn]
        return (v * weight).sum(axis=1) / total

    age = np.asarray(signals["mean_age"], dtype=np.float64)[nn]
    with np.errstate(invalid="ignore", divide="ignore"):
        recency = np.nanmean(age, axis=1)
    return {"neighbour_growth2": weighted("growth2"), "neighbour_recency": recency,
            "neighbour_escore": weighted("escore_mean"), "neighbour_slope": weighted("trend_slope")}
