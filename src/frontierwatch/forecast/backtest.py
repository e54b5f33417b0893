"""The backtest: how often would our published calls have come true, against the methods the field already uses.

Protocol (issues 4 and 17), for each cutoff T (end of year T) and seed:

1. The product's own as-of path (`forecast_at`): the map `build --as-of T-12-31` publishes (documents ≤ T),
   the forecaster trained walk-forward on maps refit at pseudo-cutoffs t < T with outcomes known at T, and its
   published order, probabilities and calls. Documents of T+1…T+h are then assigned to that map.
2. Eligible topics: ≥ `min_docs` documents in year T (lowered for small corpora, see `effective_min_docs`).
3. Label: extreme growth, (share(T+h) / peak share ≤ T)^(1/(T+h − peak year)) > 1.08.
4. ``frontierwatch`` is scored on its published order (rank 1 first, no ties); the baselines on their own
   values: ``momentum`` (share(T)/share(T−2)), ``growth1``, ``volume``, ``recency`` (mean document year),
   ``burst`` (Kleinberg weight), ``escore`` (Porter/Carley, topic-owned) and ``random``.
5. Metrics: average precision with a bootstrap 90% interval, precision@20/@50, Spearman against
   ln(share(T+h)/share(T)); for the forecaster also the F1 of its published calls, the Brier score of its
   published probabilities (beside the base rate's), the reliability curve, the interval coverage and how
   well the implied share ratio tracks the real one.

Protocol of use (issue 17 item 1): choices are made on the tuning cutoffs `TUNING_CUTOFFS` (h = 3, outcomes ≤
2015, corpus cut at 2015 — `bench/forecast_tuning.py`); the report cutoffs `REPORT_CUTOFFS` are evaluated once
per release. Snapshots, features and published forecasts are cached in the store (`ForecastCaches`), so a
second run, a build or an edition of the same corpus reuses them.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable

import numpy as np

from frontierwatch.embed.embedders import DEFAULT_MODEL
from frontierwatch.errors import InputError
from frontierwatch.forecast.asof import MIN_HISTORY, MODEL_VERSION, forecast_at, training_cutoffs
from frontierwatch.forecast.metrics import (LABEL_NAME, ap_interval, average_precision, brier, f1_at,
                                            precision_at, reliability, spearman)
from frontierwatch.forecast.snapshots import Corpus, Snapshot, take_snapshot
from frontierwatch.forecast.tables import ForecastCaches

log = logging.getLogger(__name__)

__all__ = ["run_backtest", "BASELINES", "METHODS", "load_corpus", "baseline_scores", "summarise",
           "TUNING_CUTOFFS", "REPORT_CUTOFFS"]

BASELINES = ("momentum", "growth1", "volume", "recency", "burst", "escore", "random")
METHODS = ("frontierwatch",) + BASELINES
TUNING_CUTOFFS = (2010, 2011, 2012)
REPORT_CUTOFFS = (2013, 2014, 2015, 2016)
Progress = Callable[[str, int, int], None]


def load_corpus(store, until_year: int | None = None, model: str = DEFAULT_MODEL) -> Corpus:
    """The store's dated documents (``published`` known, ≤ `until_year`) with their `model` vectors (NotFoundError
    when missing: the core embeds first); documents whose vector is zero (no token the model knows) are left out, as the topic
    map leaves them out."""
    from frontierwatch.forecast.corpus import load_forecast_documents
    from frontierwatch.forecast.embeddings import document_embeddings

    docs = load_forecast_documents(store, until_year)
    if len(docs["doc_id"]) == 0:
        raise InputError("the store holds no dated documents; ingest some first",
                         "数据库中没有带日期的文献；请先导入数据")
    vectors = document_embeddings(store, docs["doc_id"], model=model)
    keep = np.linalg.norm(vectors, axis=1) > 0
    return Corpus.build({k: v[keep] for k, v in docs.items()}, vectors[keep], model)


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


def _method_metrics(y, score, outcome, n_boot, seed) -> dict:
    return {"ap": average_precision(y, score), "ap_ci": ap_interval(y, score, n_boot=n_boot, seed=seed),
            "p_at_20": precision_at(y, score, 20), "p_at_50": precision_at(y, score, 50),
            "spearman": spearman(score, outcome)}


def check_cutoffs(cutoffs: list[int], horizon: int, first: int, last: int) -> None:
    bad = [c for c in cutoffs if c + horizon > last or c - MIN_HISTORY < first]
    if horizon < 1:
        raise InputError(f"horizon={horizon} should be >= 1", f"预测期 {horizon} 必须 >= 1")
    if bad or not cutoffs:
        raise InputError(
            f"cutoffs {bad or cutoffs} need {MIN_HISTORY} years before and {horizon} after them; the store holds "
            f"{first}–{last}, so cutoffs must lie in {first + MIN_HISTORY}–{last - horizon}",
            f"截止年 {bad or cutoffs} 需要之前 {MIN_HISTORY} 年和之后 {horizon} 年的数据；数据库覆盖 {first}–{last}，"
            f"截止年须在 {first + MIN_HISTORY}–{last - horizon} 之间")


def run_backtest(store=None, cutoffs: Iterable[int] = REPORT_CUTOFFS, horizon: int = 3,
                 seeds: Iterable[int] = (0,), *, min_docs: int = 20, corpus: Corpus | None = None,
                 progress: Progress | None = None, forecaster_factory=None, n_boot: int = 1000,
                 caches: ForecastCaches | None = None, embed_model: str = DEFAULT_MODEL) -> dict:
    """Run the backtest on a store (or a prepared `Corpus`) and return the JSON-ready result.

    Returns ``{"horizon", "label", "min_docs", "cutoffs", "seeds", "n_documents", "results": [...],
    "summary": {method: {"mean_ap", "mean_p_at_20", "mean_p_at_50", "mean_spearman", "lift", ...}},
    "calibration": {...}, "cache": {...}, "wall_seconds"}`` with one result per (cutoff, seed).
    """
    t0 = time.perf_counter()
    cutoffs, seeds = sorted({int(c) for c in cutoffs}), [int(s) for s in seeds]
    corpus = corpus or load_corpus(store, model=embed_model)
    caches = caches or ForecastCaches(store)
    first, last = corpus.full_years()
    check_cutoffs(cutoffs, horizon, first, last)
    total, done, results, pooled = len(cutoffs) * len(seeds), 0, [], []
    for cutoff in cutoffs:
        for seed in seeds:
            if progress:
                progress(f"forecast {cutoff} (seed {seed})", done, total)
            sub = (lambda step, i, n, c=cutoff, s=seed: progress(f"forecast {c} (seed {s}): {step}", done, total)
                   ) if progress else None
            result, rows = evaluate(corpus, cutoff, seed, horizon, min_docs, n_boot, caches, forecaster_factory, sub)
            results.append(result)
            pooled.append(rows)
            done += 1
    if progress:
        progress("done", total, total)
    out = {"horizon": horizon, "label": LABEL_NAME, "min_docs": min_docs, "cutoffs": cutoffs, "seeds": seeds,
           "n_documents": int(len(corpus.years)), "years": [first, last], "model_version": MODEL_VERSION,
           "results": results, "summary": summarise(results), "calibration": calibration_summary(pooled),
           "cache": caches.summary(), "wall_seconds": round(time.perf_counter() - t0, 1)}
    log.info("backtest: %d cutoffs × %d seeds in %.0fs", len(cutoffs), len(seeds), out["wall_seconds"])
    return out


def evaluate(corpus, cutoff, seed, horizon, min_docs, n_boot, caches, forecaster_factory=None, progress=None,
             **options):
    """Score the published forecast of one (cutoff, seed); returns (result, pooled rows for calibration).
    `options` go to `forecast_at` (tuning variants only)."""
    try:
        fc = forecast_at(corpus, cutoff, horizon, seed, min_docs=min_docs, caches=caches,
                         forecaster_factory=forecaster_factory, progress=progress, **options)
        snap = take_snapshot(corpus, cutoff, seed, caches=caches)   # the same fit, counts through T + h
    except InputError as exc:
        log.warning("cutoff %d seed %d not trained: %s", cutoff, seed, exc.en)
        snap, fc = take_snapshot(corpus, cutoff, seed, caches=caches), None
    ok = snap.eligible(min_docs)
    label, ratio = snap.outcome(horizon)
    y, outcome = label[ok], ratio[ok]
    methods = {}
    rows = {}
    extra = {}
    if fc is not None:
        cols = fc.columns
        assert np.array_equal(cols["eligible"], ok), "the published map and the scored map differ"
        published = -cols["rank"][ok].astype(np.float64)          # the published order, no ties
        prob = cols["probability"][ok]
        methods["frontierwatch"] = _method_metrics(y, published, outcome, n_boot, seed)
        methods["frontierwatch"].update(
            f1=f1_at(y, cols["call"][ok].astype(np.float64), 0.5), brier=brier(y, prob),
            brier_base_rate=brier(y, np.full(len(y), fc.info["n_train_positive"] / max(fc.info["n_train_rows"], 1))),
            interval_width=_width(cols["probability_low"][ok], cols["probability_high"][ok]),
            ratio_spearman=spearman(cols["expected_share_ratio"][ok], outcome),
            ratio_median_abs_log_error=_mae_log(cols["expected_share_ratio"][ok], outcome))
        rows = {"y": y, "p": prob}
        extra = {k: fc.info[k] for k in ("train_cutoffs", "n_train_rows", "n_train_positive", "calibration",
                                         "spread", "folds") if k in fc.info}
        extra.update(n_called=int(cols["call"][ok].sum()), n_distinct_probabilities=int(len(np.unique(prob))),
                     ranking=[int(i) for i in fc.order()])    # fit topic indices in published order
    for name, s in baseline_scores(snap, seed).items():
        methods[name] = _method_metrics(y, s[ok], outcome, n_boot, seed)
    extra.setdefault("train_cutoffs", training_cutoffs(corpus.until(cutoff).full_years()[0], cutoff, horizon))
    n_pos = int(y.sum())
    return ({"cutoff": cutoff, "seed": seed, "n_topics": snap.n_topics, "min_docs": snap.min_docs(min_docs),
             "n_eligible": int(ok.sum()), "n_positive": n_pos, "positive_rate": n_pos / max(int(ok.sum()), 1),
             "trained": fc is not None, **extra, "methods": methods}, rows)


def _width(low, high) -> float:
    """Mean width of the published 90% probability intervals (NaN when none was published)."""
    ok = np.isfinite(low) & np.isfinite(high)
    return float(np.mean(high[ok] - low[ok])) if ok.any() else float("nan")


def _mae_log(pred, outcome) -> float:
    ok = np.isfinite(pred) & (pred > 0) & np.isfinite(outcome)
    return float(np.median(np.abs(np.log(pred[ok]) - outcome[ok]))) if ok.any() else float("nan")


def calibration_summary(pooled: list[dict]) -> dict:
    """Brier score and reliability curve of the published probabilities, pooled over cutoffs and seeds."""
    pooled = [r for r in pooled if r]
    if not pooled:
        return {}
    y = np.concatenate([r["y"] for r in pooled])
    p = np.concatenate([r["p"] for r in pooled])
    return {"n": int(len(y)), "positives": int(y.sum()), "brier": brier(y, p),
            "brier_base_rate": brier(y, np.full(len(y), y.mean())), "reliability": reliability(y, p)}


def _mean(values) -> float:
    """Mean of the finite values (NaN when none: e.g. AP of a cutoff without any positive)."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    return float(v.mean()) if len(v) else float("nan")


def summarise(results: list[dict]) -> dict:
    """Per method: means over (cutoff, seed) of AP, p@20, p@50 and Spearman; AP lift over the positive rate; for
    the forecaster also F1 and Brier."""
    rate = _mean([r["positive_rate"] for r in results])
    out = {}
    for name in METHODS:
        rows = [r["methods"][name] for r in results if name in r["methods"]]
        if not rows:
            continue
        mean = {k: _mean([m[k] for m in rows]) for k in ("ap", "p_at_20", "p_at_50", "spearman")}
        out[name] = {"mean_ap": mean["ap"], "mean_p_at_20": mean["p_at_20"], "mean_p_at_50": mean["p_at_50"],
                     "mean_spearman": mean["spearman"], "lift": mean["ap"] / rate if rate else float("nan"),
                     "n_runs": len(rows), "n_eligible": int(sum(r["n_eligible"] for r in results)),
                     "n_positive": int(sum(r["n_positive"] for r in results))}
        if name == "frontierwatch":
            for k in ("f1", "brier", "brier_base_rate"):
                out[name][f"mean_{k}"] = _mean([m[k] for m in rows])
    return out
