"""Forecast features from the ``topic_signals`` of one year, and the topic-neighbourhood momentum.

Everything here reads the signals of the as-of year (which themselves read documents ≤ that year) plus the
horizon, so a feature row is information available at the as-of date.
"""
from __future__ import annotations

import numpy as np

from frontierwatch.forecast.metrics import GROWTH_RATE

__all__ = ["FEATURES", "feature_matrix", "neighbour_momentum"]

# Signals used as they are (NaN stays NaN; the models impute or route it).
_RAW = ("log_share", "growth1", "growth2", "growth3", "acceleration", "trend_slope", "share_to_peak",
        "burst_state", "burst_months", "mean_age", "median_age", "age", "new_term_ratio",
        "escore_mean", "escore_share", "escore_owned", "category_entropy", "cross_field_share",
        "application_language", "coherence")
_NEIGHBOUR = ("neighbour_growth2", "neighbour_recency", "neighbour_escore", "neighbour_slope")
FEATURES = _RAW + ("log_count", "burst_weight_log", "burst_month_weight_log", "years_since_peak",
                   "required_growth", "horizon") + _NEIGHBOUR


def feature_matrix(signals: dict[str, np.ndarray], year: int, horizon: int,
                   neighbours: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """(n_topics, len(FEATURES)) float64 matrix from one year's signals (dict column → per-topic array).

    ``required_growth`` is how much the log share must still grow by year + horizon to meet the extreme-growth
    label: ln(peak share) + (year + horizon − peak year)·ln(1.08) − ln(share) — known at the as-of date, and the
    single most direct link between today's position and the label.
    """
    n = len(signals["count"])
    cols = [np.asarray(signals[k], dtype=np.float64) for k in _RAW]
    count = np.asarray(signals["count"], dtype=np.float64)
    share = np.asarray(signals["share"], dtype=np.float64)
    peak = np.asarray(signals["peak_share"], dtype=np.float64)
    peak_year = np.asarray(signals["peak_year"], dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        required = (np.log(np.where(peak > 0, peak, np.nan)) + (year + horizon - peak_year) * np.log(GROWTH_RATE)
                    - np.log(np.where(share > 0, share, np.nan)))
    cols += [np.log1p(count), np.log1p(np.nan_to_num(signals["burst_weight"], nan=0.0)),
             np.log1p(np.nan_to_num(signals["burst_month_weight"], nan=0.0)), year - peak_year, required,
             np.full(n, float(horizon))]
    nb = neighbours or {}
    cols += [nb.get(k, np.full(n, np.nan)) for k in _NEIGHBOUR]
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
