"""Forecasters behind one small contract, and the product's extreme-growth forecaster.

`Forecaster` is the contract (sklearn style: parameters in ``__init__``, ``fit(X, y) -> self``,
``predict_proba(X) -> (n,) score or probability of the positive class``). `TopicForecaster` is the product:

* a **ranking score** — a `RankEnsemble` of gradient boosting and logistic regression with the percentile ranks
  of a few emergence signals — trained on pooled walk-forward rows;
* a **probability** from that score by Platt scaling (logistic on the logit of the score), fitted on
  out-of-fold scores where the folds are the pseudo-cutoffs (one held out at a time, so the calibration sees
  scores of topic maps the model was not trained on). A continuous, strictly increasing map: the published order
  is the score's, probabilities never collapse onto isotonic plateaus;
* a **90% interval** of the probability: a jackknife over the pseudo-cutoffs (the fold models, calibrated the
  same way), on the logit scale;
* an **expected share ratio** implied by the probability: with the ratio the label needs (``required_growth``, a
  known quantity) and a spread σ fitted on the out-of-fold rows, the median ratio is exp(g + σ·Φ⁻¹(p)). So p ≥ ½
  exactly when the median ratio reaches what the label needs — a probability of 1.0 beside a shrinking share
  cannot be published.
"""
from __future__ import annotations

import logging
from typing import Protocol, runtime_checkable

import numpy as np

from frontierwatch.errors import InputError
from frontierwatch.forecast.features import FEATURES, PRODUCT_FEATURES

log = logging.getLogger(__name__)

__all__ = ["PRODUCT_SIGNALS", "PRODUCT_MEMBERS", "Forecaster", "BoostedForecaster", "LogisticForecaster",
           "MarginForecaster", "RankEnsemble",
           "TopicForecaster", "rank_within", "Platt"]

# Signals rank-averaged with the two learned models (kept from round 1; variants in bench/forecast_tuning.py):
# the neighbourhood's recency and growth, the topic's own recency and its EScore.
PRODUCT_SIGNALS = {"neighbour_recency": -1.0, "neighbour_growth2": 1.0, "mean_age": -1.0, "escore_mean": 1.0}
PRODUCT_MEMBERS = ("boost", "logistic")   # learned members of the ranking score (variants: bench/forecast_tuning.py)
RANK_FEATURES = False                      # features as within-map percentile ranks (a tuning variant)
Z90 = 1.6448536269514722


def batch_ranks(X: np.ndarray, batches: np.ndarray | None = None) -> np.ndarray:
    """Each column as its percentile rank within each batch (one map and horizon), NaN kept: features on a
    scale that does not drift as the corpus grows and ages."""
    X = np.asarray(X, dtype=np.float64)
    out = np.full_like(X, np.nan)
    batches = np.zeros(len(X), dtype=np.int64) if batches is None else np.asarray(batches)
    for b in np.unique(batches):
        rows = np.flatnonzero(batches == b)
        for j in range(X.shape[1]):
            col = X[rows, j]
            ok = np.isfinite(col)
            if ok.any():
                out[rows[ok], j] = rank_within(col[ok])
    return out


@runtime_checkable
class Forecaster(Protocol):
    """What the forecast stage needs from a model: ``fit(X, y) -> self`` and ``predict_proba(X) -> (n,)``."""

    def fit(self, X: np.ndarray, y: np.ndarray) -> "Forecaster": ...

    def predict_proba(self, X: np.ndarray) -> np.ndarray: ...


def rank_within(x: np.ndarray) -> np.ndarray:
    """Percentile rank in (0, 1] of each value among the batch (NaN → lowest, ties → average rank)."""
    from scipy.stats import rankdata

    x = np.asarray(x, dtype=np.float64)
    filled = np.where(np.isnan(x), -np.inf, x)
    return rankdata(filled, method="average") / max(len(x), 1)


def _usable_columns(X: np.ndarray) -> np.ndarray:
    """Columns with at least two distinct finite values in the training rows (others carry no information)."""
    X = np.where(np.isfinite(X), X, np.nan)
    return np.array([len(np.unique(c[~np.isnan(c)])) >= 2 for c in X.T], dtype=bool)


def one_thread():
    """A block where OpenMP runs one thread. Gradient boosting on a few thousand rows gains nothing from a second
    thread and, on a busy machine, loses 10–20× to the spinning of the threads it waits for (the same trees:
    each histogram is summed by one thread either way)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(1, user_api="openmp")


def _finite(X: np.ndarray) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    return np.where(np.isfinite(X), X, np.nan)


class BoostedForecaster:
    """Histogram gradient boosting (NaN-aware), shallow and regularised for a few thousand rows."""

    def __init__(self, max_iter: int = 200, learning_rate: float = 0.04, max_leaf_nodes: int = 8,
                 min_samples_leaf: int = 40, l2_regularization: float = 1.0, seed: int = 0):
        self.max_iter, self.learning_rate, self.max_leaf_nodes = max_iter, learning_rate, max_leaf_nodes
        self.min_samples_leaf, self.l2_regularization, self.seed = min_samples_leaf, l2_regularization, seed

    def fit(self, X, y) -> "BoostedForecaster":
        from sklearn.ensemble import HistGradientBoostingClassifier

        X = _finite(X)
        self.keep_ = _usable_columns(X)
        with one_thread():
            self.model_ = HistGradientBoostingClassifier(
                max_iter=self.max_iter, learning_rate=self.learning_rate, max_leaf_nodes=self.max_leaf_nodes,
                min_samples_leaf=self.min_samples_leaf, l2_regularization=self.l2_regularization,
                random_state=self.seed, early_stopping=False).fit(X[:, self.keep_], y)
        return self

    def predict_proba(self, X) -> np.ndarray:
        with one_thread():
            return self.model_.predict_proba(_finite(X)[:, self.keep_])[:, 1]


class LogisticForecaster:
    """Median-imputed, standardised L2 logistic regression with class balancing."""

    def __init__(self, C: float = 0.3):
        self.C = C

    def fit(self, X, y) -> "LogisticForecaster":
        from sklearn.impute import SimpleImputer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        self.model_ = make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True), StandardScaler(),
                                    LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000))
        X = _finite(X)
        self.keep_ = _usable_columns(X)
        self.model_.fit(X[:, self.keep_], y)
        return self

    def predict_proba(self, X) -> np.ndarray:
        return self.model_.predict_proba(_finite(X)[:, self.keep_])[:, 1]


class MarginForecaster:
    """Gradient-boosted regression of how far a topic's log share ratio will clear the label's bar (r − g): a
    graded target where the yes/no label keeps only the sign. Its score ranks like a probability would."""

    def __init__(self, max_iter: int = 200, learning_rate: float = 0.04, max_leaf_nodes: int = 8,
                 min_samples_leaf: int = 40, seed: int = 0):
        self.max_iter, self.learning_rate, self.max_leaf_nodes = max_iter, learning_rate, max_leaf_nodes
        self.min_samples_leaf, self.seed = min_samples_leaf, seed

    def fit(self, X, y, excess=None) -> "MarginForecaster":
        from sklearn.ensemble import HistGradientBoostingRegressor

        if excess is None:
            raise InputError("MarginForecaster needs the excess log share ratio of each training row",
                             "MarginForecaster 需要每个训练样本的超额份额对数比")
        X = _finite(X)
        self.keep_ = _usable_columns(X)
        with one_thread():
            self.model_ = HistGradientBoostingRegressor(
                max_iter=self.max_iter, learning_rate=self.learning_rate, max_leaf_nodes=self.max_leaf_nodes,
                min_samples_leaf=self.min_samples_leaf, random_state=self.seed, early_stopping=False,
                loss="absolute_error").fit(X[:, self.keep_], np.asarray(excess, dtype=np.float64))
        return self

    def predict_proba(self, X) -> np.ndarray:
        with one_thread():
            return self.model_.predict(_finite(X)[:, self.keep_])


class RankEnsemble:
    """Mean percentile rank (within the predicted batch) of several base forecasters and raw feature columns.

    ``signals`` maps a feature name to its sign (+1: higher means more likely growth); ``columns`` are the
    `FEATURES` names of the matrix's columns. The output is a score in (0, 1], not a probability.
    """

    def __init__(self, members: list | None = None, signals: dict[str, float] | None = None,
                 columns: tuple[str, ...] = FEATURES):
        self.members = members
        self.signals = signals
        self.columns = columns

    def fit(self, X, y, excess=None) -> "RankEnsemble":
        members = self.members if self.members is not None else [BoostedForecaster()]
        self.members_ = [m.fit(X, y, excess=excess) if isinstance(m, MarginForecaster) else m.fit(X, y)
                         for m in members]
        return self

    def predict_proba(self, X) -> np.ndarray:
        parts = [rank_within(m.predict_proba(X)) for m in self.members_]
        for name, sign in (self.signals or {}).items():
            parts.append(rank_within(sign * X[:, self.columns.index(name)]))
        return np.mean(parts, axis=0)


def _logit(p: np.ndarray, eps: float = 1e-4) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=np.float64), eps, 1 - eps)
    return np.log(p / (1 - p))


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


class Platt:
    """Platt scaling on the logit of a score in (0, 1]: p = expit(a·logit(s) + b), a ≥ 0 (never reverses the order).

    With a = 0 (no relation found) every topic gets the base rate — honest, and still no contradiction.
    """

    def fit(self, score: np.ndarray, y: np.ndarray) -> "Platt":
        from sklearn.linear_model import LogisticRegression

        x = _logit(score)[:, None]
        lr = LogisticRegression(C=1e4, max_iter=1000).fit(x, np.asarray(y, dtype=bool))
        self.a_, self.b_ = float(lr.coef_[0, 0]), float(lr.intercept_[0])
        if self.a_ <= 0:
            rate = float(np.clip(np.mean(y), 1e-4, 1 - 1e-4))
            self.a_, self.b_ = 0.0, float(np.log(rate / (1 - rate)))
        return self

    def predict(self, score: np.ndarray) -> np.ndarray:
        return _expit(self.a_ * _logit(score) + self.b_)


def implied_spread(p: np.ndarray, required: np.ndarray, outcome: np.ndarray) -> float:
    """σ of the log share ratio r ~ N(g + σ·Φ⁻¹(p), σ²) by maximum likelihood (closed form), where g is the log
    ratio the label needs; NaN with fewer than 20 usable rows."""
    from scipy.stats import norm

    ok = np.isfinite(p) & np.isfinite(required) & np.isfinite(outcome)
    if ok.sum() < 20:
        return float("nan")
    z = norm.ppf(np.clip(p[ok], 1e-4, 1 - 1e-4))
    d = outcome[ok] - required[ok]
    sdz, sdd, n = float(d @ z), float(d @ d), int(ok.sum())
    u = (sdz + np.sqrt(sdz ** 2 + 4 * n * sdd)) / (2 * sdd)   # u = 1/σ solves n/u − u·Σd² + Σdz = 0
    return float(1.0 / u)


class TopicForecaster:
    """The product forecaster: score, calibrated probability with interval, implied share ratio, the call.

    Parameters
    ----------
    base : factory ``() -> Forecaster`` for the scorer (default: `RankEnsemble` of boosting + logistic with the
        ranks of `PRODUCT_SIGNALS`), fed the `features` columns.
    features : `FEATURES` names the scorer reads (default `PRODUCT_FEATURES`).
    """

    def __init__(self, base=None, seed: int = 0, features: tuple[str, ...] = PRODUCT_FEATURES,
                 signals: dict[str, float] | None = None, members: tuple[str, ...] = PRODUCT_MEMBERS,
                 rank_features: bool = RANK_FEATURES):
        self.base = base
        self.seed = seed
        self.features = tuple(features)
        self.signals = PRODUCT_SIGNALS if signals is None else signals
        self.members = tuple(members)
        self.rank_features = rank_features

    def _make(self):
        if self.base is not None:
            return self.base()
        make = {"boost": lambda: BoostedForecaster(seed=self.seed), "logistic": LogisticForecaster,
                "margin": lambda: MarginForecaster(seed=self.seed)}
        return RankEnsemble([make[m]() for m in self.members], self.signals, self.features)

    def _cols(self, X, batches=None) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)[:, [FEATURES.index(f) for f in self.features]]
        return batch_ranks(X, batches) if self.rank_features else X

    def fit(self, X, y, groups=None, outcome=None, batches=None, excess=None) -> "TopicForecaster":
        """Fit on pooled walk-forward rows (full `FEATURES` matrix).

        `groups`: the pseudo-cutoff of each row (the folds); `batches`: the rows scored together (one snapshot
        and horizon; default the groups); `outcome`: the log share ratio at the target horizon (NaN for rows of
        other horizons); `excess`: each row's log share ratio minus what its label needed (margin member).
        """
        raw = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=bool)
        if len(y) == 0 or y.all() or not y.any():
            raise InputError(f"training needs both outcomes; got {int(y.sum())} positives of {len(y)} rows",
                             f"训练需要正负两类样本；实际 {len(y)} 行中正例 {int(y.sum())} 个")
        groups = np.zeros(len(y), dtype=np.int64) if groups is None else np.asarray(groups)
        batches = groups if batches is None else np.asarray(batches)
        X = self._cols(raw, batches)
        excess = None if excess is None else np.asarray(excess, dtype=np.float64)
        oof = np.full(len(y), np.nan)
        self.folds_ = []
        for g in np.unique(groups):
            test = groups == g
            train = ~test
            if train.sum() == 0 or not y[train].any() or y[train].all():
                continue
            model = self._make().fit(X[train], y[train], excess=None if excess is None else excess[train])
            self.folds_.append(model)
            for b in np.unique(batches[test]):
                rows = test & (batches == b)
                oof[rows] = model.predict_proba(X[rows])
        self.model_ = self._make().fit(X, y, excess=excess)
        have = ~np.isnan(oof)
        if have.sum() < 20 or not y[have].any():
            log.warning("only one training cutoff: calibrating in-sample")
            oof = np.full(len(y), np.nan)
            for b in np.unique(batches):
                rows = batches == b
                oof[rows] = self.model_.predict_proba(X[rows])
            have = np.ones(len(y), dtype=bool)
        self.calibrator_ = Platt().fit(oof[have], y[have])
        self.oof_ = oof
        self.positive_rate_ = float(y.mean())
        self.spread_ = float("nan")
        if outcome is not None:
            req = raw[:, FEATURES.index("required_growth")]
            self.spread_ = implied_spread(self.calibrator_.predict(oof), req, np.asarray(outcome, float))
        return self

    def score(self, X) -> np.ndarray:
        """Ranking score of each row, rows ranked within the batch (what the published order follows)."""
        return self.model_.predict_proba(self._cols(X))

    def predict_proba(self, X) -> np.ndarray:
        return self.calibrator_.predict(self.score(X))

    def interval(self, X, level_z: float = Z90) -> tuple[np.ndarray, np.ndarray]:
        """Jackknife interval of the probability over the pseudo-cutoffs (NaN with fewer than two folds)."""
        n = len(self.folds_)
        p = self.predict_proba(X)
        if n < 2:
            nan = np.full(len(p), np.nan)
            return nan, nan.copy()
        cols = self._cols(X)
        lf = np.stack([_logit(self.calibrator_.predict(m.predict_proba(cols))) for m in self.folds_])
        se = np.sqrt((n - 1) / n * ((lf - lf.mean(axis=0)) ** 2).sum(axis=0))
        centre = _logit(p)
        return _expit(centre - level_z * se), _expit(centre + level_z * se)

    def expected_share_ratio(self, probability: np.ndarray, required: np.ndarray) -> np.ndarray:
        """Median share(t+h)/share(t) implied by `probability` and the log ratio the label needs."""
        from scipy.stats import norm

        if not np.isfinite(self.spread_):
            return np.full(len(probability), np.nan)
        z = norm.ppf(np.clip(probability, 1e-4, 1 - 1e-4))
        return np.exp(np.asarray(required, dtype=np.float64) + self.spread_ * z)
