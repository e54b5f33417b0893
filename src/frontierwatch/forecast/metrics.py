"""The extreme-growth label and the ranking metrics of the backtest.

Label (CSET's "extreme growth", 8% a year): a topic eligible at cutoff T is positive when
``(share(T+h) / peak share up to T) ** (1 / (T+h − peak year)) > 1.08`` — it must beat its best share so far by
8% a year over the years since that peak.
"""
from __future__ import annotations

import numpy as np
from scipy.stats import spearmanr

__all__ = ["brier", "reliability", "extreme_growth", "average_precision", "ap_interval", "precision_at", "spearman", "f1_at",
           "best_f1_threshold", "best_call_fraction", "top_fraction", "top_count", "GROWTH_RATE", "LABEL_NAME"]

GROWTH_RATE = 1.08
LABEL_NAME = "extreme-growth-8pct"


def extreme_growth(share_future: np.ndarray, peak_share: np.ndarray, peak_year: np.ndarray, future_year: int,
                   rate: float = GROWTH_RATE) -> np.ndarray:
    """Boolean label per topic; `peak_share`/`peak_year` are as of the cutoff, `future_year` = T + h."""
    span = np.maximum(future_year - np.asarray(peak_year, dtype=np.float64), 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(peak_share > 0, share_future / np.where(peak_share > 0, peak_share, 1.0), 0.0)
        return np.power(ratio, 1.0 / span) > rate


def average_precision(y: np.ndarray, score: np.ndarray) -> float:
    """Average precision (area under the step precision–recall curve); NaN without positives.

    Tied scores form one threshold (sklearn's convention), so a constant score gets the positive rate.
    """
    from sklearn.metrics import average_precision_score

    y = np.asarray(y, dtype=bool)
    if not y.any():
        return float("nan")
    return float(average_precision_score(y, _finite(score)))


def _finite(score) -> np.ndarray:
    """Scores with NaN (no value) ranked below every real score."""
    s = np.asarray(score, dtype=np.float64)
    bad = ~np.isfinite(s)
    if bad.all():
        return np.zeros_like(s)
    return np.where(bad, s[~bad].min() - 1.0, s)


def ap_interval(y: np.ndarray, score: np.ndarray, n_boot: int = 1000, level: float = 0.90, seed: int = 0
                ) -> list[float]:
    """Bootstrap (topics resampled with replacement) `level` interval of the average precision."""
    y = np.asarray(y, dtype=bool)
    s = np.asarray(score, dtype=np.float64)
    if not y.any():
        return [float("nan"), float("nan")]
    rng = np.random.default_rng(seed)
    vals = []
    for _ in range(n_boot):
        idx = rng.integers(0, len(y), len(y))
        if y[idx].any():
            vals.append(average_precision(y[idx], s[idx]))
    lo, hi = np.quantile(vals, [(1 - level) / 2, 1 - (1 - level) / 2])
    return [float(lo), float(hi)]


def precision_at(y: np.ndarray, score: np.ndarray, k: int) -> float:
    """Share of positives among the `k` highest scores (stable order on ties); NaN when there are no rows."""
    y = np.asarray(y, dtype=bool)
    if len(y) == 0:
        return float("nan")
    order = np.argsort(-np.nan_to_num(np.asarray(score, dtype=np.float64), nan=-np.inf), kind="stable")
    top = order[:min(k, len(y))]
    return float(y[top].mean())


def spearman(score: np.ndarray, outcome: np.ndarray) -> float:
    """Spearman rank correlation of the score with the outcome (log share ratio)."""
    s = np.asarray(score, dtype=np.float64)
    o = np.asarray(outcome, dtype=np.float64)
    ok = ~np.isnan(s) & ~np.isnan(o)
    if ok.sum() < 3 or np.ptp(s[ok]) == 0:
        return float("nan")
    return float(spearmanr(s[ok], o[ok]).statistic)


def f1_at(y: np.ndarray, prob: np.ndarray, threshold: float) -> float:
    """F1 of the yes/no calls ``prob >= threshold``."""
    y = np.asarray(y, dtype=bool)
    yes = np.asarray(prob, dtype=np.float64) >= threshold
    tp = float((yes & y).sum())
    if tp == 0:
        return 0.0
    precision, recall = tp / yes.sum(), tp / y.sum()
    return 2 * precision * recall / (precision + recall)


def best_f1_threshold(y: np.ndarray, prob: np.ndarray) -> float:
    """The probability threshold that maximises F1 on (training) data; 0.5 when there is no positive."""
    y = np.asarray(y, dtype=bool)
    p = np.asarray(prob, dtype=np.float64)
    if not y.any():
        return 0.5
    candidates = np.unique(p)
    scores = [f1_at(y, p, c) for c in candidates]
    return float(candidates[int(np.argmax(scores))])


def top_fraction(score: np.ndarray, fraction: float, eligible: np.ndarray | None = None) -> np.ndarray:
    """Yes/no calls: the ``ceil(fraction · n)`` highest scores among the `eligible` rows (all rows by default).

    A rank-based call transfers between topic maps whose score scales and positive rates differ (a probability
    threshold chosen on training maps called too few or too many topics on a new map).
    """
    n = len(score) if eligible is None else int(np.asarray(eligible, dtype=bool).sum())
    return top_count(score, int(np.ceil(fraction * n)), eligible)


def top_count(score: np.ndarray, k: int, eligible: np.ndarray | None = None) -> np.ndarray:
    """Yes/no calls: the `k` highest scores among the `eligible` rows (all rows by default); NaN ranks last."""
    s = np.nan_to_num(np.asarray(score, dtype=np.float64), nan=-np.inf)
    ok = np.ones(len(s), dtype=bool) if eligible is None else np.asarray(eligible, dtype=bool)
    call = np.zeros(len(s), dtype=bool)
    rows = np.flatnonzero(ok)
    if k > 0:
        call[rows[np.argsort(-s[rows], kind="stable")[:k]]] = True
    return call


def best_call_fraction(y: np.ndarray, score: np.ndarray, groups: np.ndarray,
                       fractions: np.ndarray | None = None) -> float:
    """The fraction of topics to call (top scores within each group) maximising the pooled F1 over the groups
    (pseudo-cutoffs of the training data); 0.1 when there is no positive."""
    y = np.asarray(y, dtype=bool)
    score, groups = np.asarray(score, dtype=np.float64), np.asarray(groups)
    if not y.any():
        return 0.1
    fractions = np.round(np.arange(0.02, 0.305, 0.01), 2) if fractions is None else np.asarray(fractions)
    best, best_f1 = 0.1, -1.0
    for q in fractions:
        call = np.zeros(len(y), dtype=bool)
        for g in np.unique(groups):
            rows = groups == g
            call[rows] = top_fraction(score[rows], q)
        tp = float((call & y).sum())
        f1 = 2 * tp / (call.sum() + y.sum())
        if f1 > best_f1:
            best, best_f1 = float(q), f1
    return best


def brier(y: np.ndarray, prob: np.ndarray) -> float:
    """Mean squared error of the probabilities against the 0/1 outcomes (NaN probabilities left out)."""
    y = np.asarray(y, dtype=np.float64)
    p = np.asarray(prob, dtype=np.float64)
    ok = np.isfinite(p)
    return float(np.mean((p[ok] - y[ok]) ** 2)) if ok.any() else float("nan")


def reliability(y: np.ndarray, prob: np.ndarray, bins: int = 10) -> list[dict]:
    """Reliability curve: topics sorted by probability into `bins` groups of equal size; per group the mean
    predicted probability, the observed rate of extreme growth and the number of topics."""
    y = np.asarray(y, dtype=np.float64)
    p = np.asarray(prob, dtype=np.float64)
    ok = np.isfinite(p)
    y, p = y[ok], p[ok]
    if len(p) == 0:
        return []
    order = np.argsort(p, kind="stable")
    return [{"predicted": float(p[g].mean()), "observed": float(y[g].mean()), "n": int(len(g))}
            for g in np.array_split(order, min(bins, len(p))) if len(g)]
