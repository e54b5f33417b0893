"""The backtest: how often would our past calls have come true, against the methods the field already uses.

Protocol (issue 4), for each cutoff T (end of year T) and seed:

1. Fit the product's topic model on documents ≤ T (`take_snapshot`); assign documents of T+1…T+h to it.
2. Eligible topics: ≥ `min_docs` documents in year T (lowered for small corpora, see `effective_min_docs`).
3. Label: extreme growth, (share(T+h) / peak share ≤ T)^(1/(T+h − peak year)) > 1.08.
4. Score every eligible topic by each method: ``frontierwatch`` (the product forecaster, trained walk-forward on
   pseudo-cutoffs t ≤ T−h with topic maps refit at t and labels at t+h ≤ T) and the baselines ``momentum``
   (share(T)/share(T−2)), ``growth1``, ``volume``, ``recency`` (mean document year), ``burst`` (Kleinberg
   weight), ``escore`` (Porter/Carley, topic-owned) and ``random``.
5. Metrics: average precision with a bootstrap 90% interval, precision@20/@50, Spearman against
   ln(share(T+h)/share(T)), and for the forecaster the F1 of its published yes/no call (the top k, k = the count its calibrated probabilities expect).

Documents without a year are ignored. Snapshots are shared between cutoffs (the map at t with seed s is the
same whichever cutoff trains on it), which keeps four cutoffs × three seeds within minutes.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

import numpy as np

from frontierwatch.embed.embedders import DEFAULT_MODEL
from frontierwatch.errors import InputError
from frontierwatch.forecast.features import FEATURES
from frontierwatch.forecast.metrics import (LABEL_NAME, ap_interval, average_precision, f1_at, precision_at,
                                            spearman, top_fraction)
from frontierwatch.forecast.model import PRODUCT_SIGNALS, RankEnsemble, TopicForecaster
from frontierwatch.forecast.snapshots import Corpus, Snapshot, effective_min_docs, take_snapshot

log = logging.getLogger(__name__)

__all__ = ["run_backtest", "BASELINES", "METHODS", "training_cutoffs", "train_forecaster", "load_corpus"]

BASELINES = ("momentum", "growth1", "volume", "recency", "burst", "escore", "random")
METHODS = ("frontierwatch",) + BASELINES
MIN_HISTORY = 2          # a pseudo-cutoff needs two earlier years (for growth over 2 years)
SHORT_HORIZONS = True    # also train on outcomes 1…h−1 years ahead (the horizon is a feature): recent maps count
Progress = Callable[[str, int, int], None]


def load_corpus(store, until_year: int | None = None, model: str = DEFAULT_MODEL) -> Corpus:
    """Dated documents of the store (≤ `until_year`) with embeddings (computed and cached when missing)."""
    from frontierwatch.forecast.embeddings import document_embeddings
    from frontierwatch.signals.documents import load_signal_documents

    docs = load_signal_documents(store, until_year)
    if len(docs["doc_id"]) == 0:
        raise InputError("the store holds no dated documents; ingest some first",
                         "数据库中没有带年份的文献；请先导入数据")
    return Corpus.build(docs, document_embeddings(store, docs["doc_id"], model=model))


def training_cutoffs(first_year: int, as_of: int, horizon: int, *, short_horizons: bool = True) -> list[int]:
    """Pseudo-cutoffs t with an outcome known at `as_of`: first_year + 2 ≤ t ≤ as_of − horizon, or ≤ as_of − 1
    when shorter-horizon rows are used (outcome at t + h′ ≤ as_of for some 1 ≤ h′ ≤ horizon)."""
    return list(range(first_year + MIN_HISTORY, as_of - (1 if short_horizons else horizon) + 1))


def training_rows(snap: Snapshot, as_of: int, horizon: int, min_docs: int, short_horizons: bool = True):
    """(X, y, log share ratio, horizon) of a snapshot's eligible topics for each horizon h′ whose outcome is known
    at `as_of`: h′ = horizon only, or every 1 ≤ h′ ≤ horizon with t + h′ ≤ as_of (the horizon is a feature)."""
    ok = snap.eligible(min_docs)
    hs = range(1, horizon + 1) if short_horizons else [horizon]
    for h in hs:
        if snap.cutoff + h > as_of:
            continue
        label, ratio = snap.outcome(h)
        yield snap.features(h)[ok], label[ok], ratio[ok], h


def baseline_scores(snap: Snapshot, seed: int) -> dict[str, np.ndarray]:
    """Each baseline's score per topic of a snapshot (higher = more likely to grow)."""
    s = snap.signals
    rng = np.random.default_rng(seed * 100_003 + snap.cutoff)
    return {
        "momentum": s["growth2"],
        "growth1": s["growth1"],
        "volume": s["count"],
        "recency": -s["mean_age"],
        "burst": np.nan_to_num(s["burst_weight"]) + 1e-3 * np.nan_to_num(s["burst_month_weight"]),
        "escore": s["escore_owned"],
        "random": rng.random(snap.n_topics),
    }


def train_forecaster(snapshots: Iterable[Snapshot], horizon: int, min_docs: int, seed: int = 0,
                     forecaster_factory=None, *, as_of: int | None = None, short_horizons: bool = True):
    """Pool eligible topics of the walk-forward snapshots and fit the product forecaster.

    Returns ``(forecaster, info)``; when there is no usable training row (too little history, or no positive
    outcome) the forecaster is the untrained rank average of the emergence signals, and ``info["trained"]`` is
    False.
    """
    xs, ys, outcomes, groups = [], [], [], []
    snapshots = list(snapshots)
    as_of = as_of if as_of is not None else max((s.cutoff for s in snapshots), default=0) + horizon
    for snap in snapshots:
        for X, y, ratio, h in training_rows(snap, as_of, horizon, min_docs, short_horizons):
            xs.append(X)
            ys.append(y)
            outcomes.append(np.where(h == horizon, ratio, np.nan))
            groups.append(np.full(len(y), snap.cutoff))
    info = {"train_cutoffs": sorted({int(g[0]) for g in groups if len(g)}), "n_train_rows": 0,
            "n_train_positive": 0, "trained": False}
    if xs:
        X, y = np.vstack(xs), np.concatenate(ys)
        info.update(n_train_rows=int(len(y)), n_train_positive=int(y.sum()))
        if y.sum() >= 5 and (~y).sum() >= 5:
            make = forecaster_factory or (lambda: TopicForecaster(seed=seed))
            model = make().fit(X, y, groups=np.concatenate(groups), outcome=np.concatenate(outcomes))
            info["trained"] = True
            return model, info
    fallback = RankEnsemble(members=[], signals=PRODUCT_SIGNALS)
    return _Untrained(fallback.fit(np.zeros((0, len(FEATURES))), np.zeros(0))), info


class _Untrained:
    """Cold start: the signal rank average with a fixed top-10% call (no training rows to calibrate on)."""

    def __init__(self, ensemble: RankEnsemble):
        self.ensemble = ensemble
        self.threshold_ = 0.9
        self.call_fraction_ = 0.1

    def score(self, X):
        return self.ensemble.predict_proba(X)

    def predict_proba(self, X):
        return self.score(X)

    def predict(self, X, eligible=None):
        return top_fraction(self.score(X), self.call_fraction_, eligible)

    def expected_share_ratio(self, X):
        return np.full(len(X), np.nan)


def _method_metrics(y, score, outcome, n_boot, seed) -> dict:
    return {"ap": average_precision(y, score), "ap_ci": ap_interval(y, score, n_boot=n_boot, seed=seed),
            "p_at_20": precision_at(y, score, 20), "p_at_50": precision_at(y, score, 50),
            "spearman": spearman(score, outcome)}


def run_backtest(store=None, cutoffs: Iterable[int] = (2013, 2014, 2015, 2016), horizon: int = 3,
                 seeds: Iterable[int] = (0,), *, min_docs: int = 20, corpus: Corpus | None = None,
                 progress: Progress | None = None, topic_model_factory=None, forecaster_factory=None,
                 n_boot: int = 1000) -> dict:
    """Run the backtest on a store (or a prepared `Corpus`) and return the JSON-ready result.

    Returns ``{"horizon", "label", "min_docs", "cutoffs", "seeds", "n_documents", "results": [...],
    "summary": {method: {"mean_ap", "mean_p_at_20", "mean_p_at_50", "mean_spearman", "lift"}}, "wall_seconds"}``
    with one result per (cutoff, seed) as in issue 4.
    """
    t0 = time.perf_counter()
    cutoffs, seeds = sorted({int(c) for c in cutoffs}), [int(s) for s in seeds]
    if horizon < 1:
        raise InputError(f"horizon={horizon} should be >= 1", f"预测期 {horizon} 必须 >= 1")
    corpus = corpus or load_corpus(store)
    first, last = int(corpus.years.min()), int(corpus.years.max())
    bad = [c for c in cutoffs if c + horizon > last or c - MIN_HISTORY < first]
    if bad or not cutoffs:
        raise InputError(
            f"cutoffs {bad or cutoffs} need {MIN_HISTORY} years before and {horizon} after them; the store holds "
            f"{first}–{last}, so cutoffs must lie in {first + MIN_HISTORY}–{last - horizon}",
            f"截止年 {bad or cutoffs} 需要之前 {MIN_HISTORY} 年和之后 {horizon} 年的数据；数据库覆盖 {first}–{last}，"
            f"截止年须在 {first + MIN_HISTORY}–{last - horizon} 之间")
    needed = sorted({t for c in cutoffs for t in training_cutoffs(first, c, horizon, short_horizons=SHORT_HORIZONS)}
                    | set(cutoffs))
    total = len(needed) * len(seeds) + len(cutoffs) * len(seeds)
    done = 0
    snaps: dict[tuple[int, int], Snapshot] = {}
    for seed in seeds:
        for t in needed:
            if progress:
                progress(f"topic map {t} (seed {seed})", done, total)
            snaps[(t, seed)] = take_snapshot(corpus, t, seed, topic_model_factory=topic_model_factory)
            done += 1
    results = []
    for cutoff in cutoffs:
        for seed in seeds:
            if progress:
                progress(f"forecast {cutoff} (seed {seed})", done, total)
            results.append(_evaluate(snaps, cutoff, seed, first, horizon, min_docs, n_boot, forecaster_factory))
            done += 1
    if progress:
        progress("done", total, total)
    out = {"horizon": horizon, "label": LABEL_NAME, "min_docs": min_docs, "cutoffs": cutoffs, "seeds": seeds,
           "n_documents": int(len(corpus.years)), "years": [first, last], "results": results,
           "summary": summarise(results), "wall_seconds": round(time.perf_counter() - t0, 1)}
    log.info("backtest: %d cutoffs × %d seeds in %.0fs", len(cutoffs), len(seeds), out["wall_seconds"])
    return out


def _evaluate(snaps, cutoff, seed, first, horizon, min_docs, n_boot, forecaster_factory) -> dict:
    snap = snaps[(cutoff, seed)]
    ok = snap.eligible(min_docs)
    label, ratio = snap.outcome(horizon)
    y, outcome = label[ok], ratio[ok]
    train = [snaps[(t, seed)] for t in training_cutoffs(first, cutoff, horizon, short_horizons=SHORT_HORIZONS)]
    model, info = train_forecaster(train, horizon, min_docs, seed, forecaster_factory, as_of=cutoff,
                                   short_horizons=SHORT_HORIZONS)
    X = snap.features(horizon)[ok]
    score = model.score(X)
    call = model.predict(X)
    methods = {"frontierwatch": _method_metrics(y, score, outcome, n_boot, seed)}
    methods["frontierwatch"]["f1"] = f1_at(y, call.astype(np.float64), 0.5)
    for name, s in baseline_scores(snap, seed).items():
        methods[name] = _method_metrics(y, s[ok], outcome, n_boot, seed)
    n_pos = int(y.sum())
    return {"cutoff": cutoff, "seed": seed, "n_topics": snap.n_topics,
            "min_docs": effective_min_docs(min_docs, snap.totals[cutoff - snap.first_year], snap.n_topics),
            "n_eligible": int(ok.sum()), "n_positive": n_pos,
            "positive_rate": n_pos / max(int(ok.sum()), 1), "threshold": float(model.threshold_),
            "call_fraction": float(call.sum()) / max(int(ok.sum()), 1), "n_called": int(call.sum()), **info,
            "methods": methods}


def summarise(results: list[dict]) -> dict:
    """Per method: means over (cutoff, seed) of AP, p@20, p@50 and Spearman; AP lift over the positive rate."""
    rate = np.nanmean([r["positive_rate"] for r in results]) if results else float("nan")
    out = {}
    for name in METHODS:
        rows = [r["methods"][name] for r in results if name in r["methods"]]
        if not rows:
            continue
        mean = {k: float(np.nanmean([m[k] for m in rows])) if rows else float("nan")
                for k in ("ap", "p_at_20", "p_at_50", "spearman")}
        out[name] = {"mean_ap": mean["ap"], "mean_p_at_20": mean["p_at_20"], "mean_p_at_50": mean["p_at_50"],
                     "mean_spearman": mean["spearman"], "lift": mean["ap"] / rate if rate else float("nan")}
        if name == "frontierwatch":
            out[name]["mean_f1"] = float(np.nanmean([m["f1"] for m in rows]))
    return out
