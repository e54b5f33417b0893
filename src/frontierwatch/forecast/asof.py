"""The one as-of path: the forecast the product publishes as of a year end, exactly as the backtest scores it.

`forecast_at(corpus, T, h, seed)` cuts the corpus at the end of T, takes the snapshot at T (the fit `build
--as-of T-12-31` writes as the store's map), trains `TopicForecaster` walk-forward on the snapshots t < T whose
outcomes were known at T, and publishes, per eligible topic: the ranking score, the published order (rank 1 =
most likely; ties broken by size, then topic index — never left to chance), the calibrated probability with its
90% interval, the share ratio the label needs and the one the probability implies, and the yes/no call (the
k most likely, k = the number of growers the probabilities expect). `build` writes this, `topics --sort forecast`
shows it in this order, and `backtest` scores this order — one code path.

The result is cached per (fit, horizon, eligibility floor, forecaster version) in ``forecast_runs``, so a later
build, backtest or catalog edition of the same corpus reuses it.
"""
from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass

import numpy as np

from frontierwatch.errors import InputError
from frontierwatch.forecast.features import FEATURE_VERSION, feature_matrix, neighbour_momentum, required_growth
from frontierwatch.forecast.model import PRODUCT_SIGNALS, TopicForecaster
from frontierwatch.forecast.snapshots import Corpus, Snapshot, take_snapshot
from frontierwatch.forecast.tables import ForecastCaches

log = logging.getLogger(__name__)

__all__ = ["AsOfForecast", "forecast_at", "training_cutoffs", "train_forecaster", "snapshot_matrix",
           "MODEL_VERSION", "MIN_HISTORY"]

MIN_HISTORY = 2          # a pseudo-cutoff needs two earlier years (for growth over 2 years)
TRAIN_SEEDS: tuple[int, ...] = ()   # maps of these seeds join the map's own in training (a tuning variant)
_MODEL = "rank-ensemble(boost+logistic)+platt+jackknife"


def _model_version(features: tuple[str, ...], signals: dict) -> str:
    spec = f"{_MODEL}|{FEATURE_VERSION}|{','.join(features)}|{sorted(signals.items())}"
    return "m2-" + hashlib.sha256(spec.encode()).hexdigest()[:10]


def _product_version() -> str:
    from frontierwatch.forecast.features import PRODUCT_FEATURES
    from frontierwatch.forecast.model import PRODUCT_MEMBERS, RANK_FEATURES
    return _model_version(PRODUCT_FEATURES, PRODUCT_SIGNALS | {"members": ",".join(PRODUCT_MEMBERS),
                                                               "rank_features": RANK_FEATURES,
                                                               "train_seeds": ",".join(map(str, TRAIN_SEEDS))})


MODEL_VERSION = _product_version()


@dataclass
class AsOfForecast:
    """The published forecast of one snapshot for one horizon.

    ``columns`` maps each of `frontierwatch.forecast.tables.RUN_COLUMNS` to a (n_topics,) array indexed by the
    fit's topic index (NaN / 0 / False for topics that are not eligible); ``info`` says how it was trained.
    """

    run_key: str
    snapshot: Snapshot
    horizon: int
    columns: dict
    info: dict

    @property
    def cutoff(self) -> int:
        return self.snapshot.cutoff

    @property
    def eligible(self) -> np.ndarray:
        return self.columns["eligible"]

    def order(self) -> np.ndarray:
        """Eligible topic indices in published order (rank 1 first)."""
        rank = self.columns["rank"]
        idx = np.flatnonzero(rank > 0)
        return idx[np.argsort(rank[idx])]


def training_cutoffs(first_year: int, as_of: int, horizon: int, *, short_horizons: bool = True) -> list[int]:
    """Pseudo-cutoffs t with an outcome known at `as_of`: first_year + 2 ≤ t ≤ as_of − horizon, or ≤ as_of − 1
    when shorter-horizon rows are used (outcome at t + h′ ≤ as_of for some 1 ≤ h′ ≤ horizon)."""
    return list(range(first_year + MIN_HISTORY, as_of - (1 if short_horizons else horizon) + 1))


def snapshot_matrix(snap: Snapshot, horizon: int) -> np.ndarray:
    """The `FEATURES` matrix of every topic of a snapshot for a horizon."""
    return feature_matrix(snap.signals, snap.cutoff, horizon, neighbour_momentum(snap.centroids, snap.signals))


def train_forecaster(snapshots: list[Snapshot], horizon: int, min_docs: int, seed: int = 0, forecaster_factory=None,
                     *, as_of: int, short_horizons: bool = True):
    """Pool the eligible topics of walk-forward snapshots (every horizon h′ ≤ `horizon` whose outcome is known at
    `as_of`; the horizon is a feature) and fit the forecaster. Returns ``(forecaster, info)``; raises
    `InputError` when there is too little history (no row, or fewer than 5 positives or negatives)."""
    xs, ys, outcomes, groups, batches, excess = [], [], [], [], [], []
    for snap in snapshots:
        if not snap.has_year(snap.cutoff):      # a pseudo-cutoff year without documents teaches nothing
            continue
        ok = snap.eligible(min_docs)
        for h in (range(1, horizon + 1) if short_horizons else [horizon]):
            if snap.cutoff + h > as_of or not snap.has_year(snap.cutoff + h):   # unknown, or a year without documents
                continue
            label, ratio = snap.outcome(h)
            excess.append((ratio - required_growth(snap.signals, snap.cutoff, h))[ok])
            xs.append(snapshot_matrix(snap, h)[ok])
            ys.append(label[ok])
            outcomes.append(np.where(h == horizon, ratio[ok], np.nan))
            groups.append(np.full(int(ok.sum()), snap.cutoff))
            batches.append(np.full(int(ok.sum()), snap.cutoff * 100 + h))
    info = {"train_cutoffs": sorted({s.cutoff for s in snapshots if s.cutoff + 1 <= as_of}),
            "n_train_rows": int(sum(len(y) for y in ys)), "n_train_positive": int(sum(int(y.sum()) for y in ys))}
    if not xs or info["n_train_positive"] < 5 or info["n_train_rows"] - info["n_train_positive"] < 5:
        raise InputError(
            f"too little history to train the forecast as of {as_of} (h={horizon}): {info['n_train_rows']} past "
            f"topic outcomes, {info['n_train_positive']} extreme growers; need ≥ 5 of each — use a later as-of date",
            f"截至 {as_of} 年的历史不足以训练预测（预测期 {horizon} 年）：过去主题结果 {info['n_train_rows']} 个，"
            f"其中极速增长 {info['n_train_positive']} 个；两类各需至少 5 个——请选用更晚的截止日期")
    make = forecaster_factory or (lambda: TopicForecaster(seed=seed))
    model = make().fit(np.vstack(xs), np.concatenate(ys), groups=np.concatenate(groups),
                       outcome=np.concatenate(outcomes), batches=np.concatenate(batches),
                       excess=np.concatenate(excess))
    info.update(calibration={"a": model.calibrator_.a_, "b": model.calibrator_.b_},
                spread=model.spread_, folds=len(model.folds_))
    return model, info


def publish(model, snap: Snapshot, horizon: int, min_docs: int) -> dict[str, np.ndarray]:
    """Score the eligible topics of `snap` and derive every published column from one probability (see the
    module docstring); the order is by score, then size, then topic index."""
    n = snap.n_topics
    ok = snap.eligible(min_docs)
    rows = np.flatnonzero(ok)
    X = snapshot_matrix(snap, horizon)[rows]
    score = model.score(X)
    prob = model.predict_proba(X)
    low, high = model.interval(X)
    need = required_growth(snap.signals, snap.cutoff, horizon)[rows]
    ratio = model.expected_share_ratio(prob, need)
    order = np.lexsort((rows, -snap.signals["count"][rows], -score))
    rank = np.empty(len(rows), dtype=np.int64)
    rank[order] = np.arange(1, len(rows) + 1)
    k = int(round(float(prob.sum())))

    def full(values, fill=np.nan, dtype=np.float64):
        out = np.full(n, fill, dtype=dtype)
        out[rows] = values
        return out

    return {"eligible": ok, "score": full(score), "rank": full(rank, 0, np.int64), "probability": full(prob),
            "probability_low": full(low), "probability_high": full(high), "required_ratio": full(np.exp(need)),
            "expected_share_ratio": full(ratio), "call": full(rank <= k, False, bool)}


def forecast_at(corpus: Corpus, cutoff: int, horizon: int = 3, seed: int = 0, *, n_topics: int | None = None,
                min_docs: int = 20, caches: ForecastCaches | None = None, forecaster_factory=None,
                progress=None, train_seeds: tuple[int, ...] | None = None) -> AsOfForecast:
    """The published forecast as of the end of `cutoff` (see the module docstring).

    Only documents dated ≤ `cutoff` are read, whatever `corpus` holds. `forecaster_factory` (tuning only)
    replaces the product forecaster; such runs are never cached. `n_topics` is the as-of map's topic count
    (None: the topic model's default); the training maps always use the default. `train_seeds` (tuning only;
    default `TRAIN_SEEDS`) adds the walk-forward maps of other seeds to the training rows: the same documents
    partitioned differently, folded by cutoff so no fold sees its own documents.
    """
    t0 = time.perf_counter()
    known = corpus.until(cutoff)
    caches = caches or ForecastCaches()
    snap = take_snapshot(known, cutoff, seed, n_topics=n_topics, caches=caches)
    run_key = f"{snap.fit.key}|h={horizon}|min={min_docs}|{MODEL_VERSION}"
    cached = caches.run(run_key) if forecaster_factory is None else None
    if cached is not None:
        return AsOfForecast(run_key, snap, horizon, *cached)
    cutoffs = training_cutoffs(known.full_years()[0], cutoff, horizon)
    seeds = sorted({seed, *(TRAIN_SEEDS if train_seeds is None else train_seeds)})
    train = []
    for i, (s, t) in enumerate((s, t) for s in seeds for t in cutoffs):
        if progress:
            progress(f"training map {t}" + (f" (seed {s})" if s != seed else ""), i, len(cutoffs) * len(seeds))
        train.append(take_snapshot(known, t, s, caches=caches))
    model, info = train_forecaster(train, horizon, min_docs, seed, forecaster_factory, as_of=cutoff)
    columns = publish(model, snap, horizon, min_docs)
    info.update(as_of=cutoff, horizon=horizon, seed=seed, train_seeds=seeds, min_docs=snap.min_docs(min_docs),
                n_eligible=int(columns["eligible"].sum()), n_called=int(columns["call"].sum()),
                model=type(model).__name__, version=MODEL_VERSION, seconds=round(time.perf_counter() - t0, 2))
    if forecaster_factory is None:
        caches.put_run(run_key, snap.fit.key, cutoff, seed, horizon, MODEL_VERSION, columns, info)
    return AsOfForecast(run_key, snap, horizon, columns, info)
