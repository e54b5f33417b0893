"""The forecast stage runner: ``topic_forecasts`` of a stored topic map, and recording backtests.

Reads the map (through the topics stage's query module) and publishes `frontierwatch.forecast.forecast_at` of
its date (the artefact the backtest scores); writes ``topic_forecasts`` and ``backtests`` through
`forecast.queries`, whose readers (`read_forecasts`, `latest_backtest`) every other stage uses.
"""
from __future__ import annotations

import json
import logging
from datetime import date

import numpy as np
import pyarrow as pa

from frontierwatch.errors import InputError, StoreError
from frontierwatch.forecast.queries import write_backtest, write_forecasts
from frontierwatch.store import Store

log = logging.getLogger(__name__)

__all__ = ["build_forecasts", "match_topics", "record_backtest"]


def build_forecasts(store: Store, as_of: date | None = None, horizon: int = 3, seed: int | None = None,
                    min_docs: int = 20, progress=None, corpus=None) -> dict:
    """Publish the forecast of the map of `as_of` (default: the latest) in ``topic_forecasts``.

    The forecast is `frontierwatch.forecast.forecast_at` for the map's year end and seed — the artefact the
    backtest scores — reused from ``forecast_runs`` when a backtest or an earlier build already made it. Its
    topics are the map's own (the same fit, matched centroid by centroid). Maps as of another day than 31
    December get no forecast: the backtest measures year-end forecasts only. `corpus`: the store's documents as
    `load_corpus` gives them up to the map's year, when the caller has loaded them already.
    """
    from frontierwatch.forecast.asof import forecast_at
    from frontierwatch.forecast.backtest import load_corpus
    from frontierwatch.forecast.tables import ForecastCaches

    from frontierwatch.topics.tables import map_centroids, map_row

    m = map_row(store, as_of)
    day, map_id = m["as_of"], m["map_id"]
    if (day.month, day.day) != (12, 31):
        raise InputError(f"the map as of {day} is not a year end; forecasts are published for maps as of 31 "
                         f"December, the dates the backtest measures — build one with --as-of {day.year - 1}-12-31",
                         f"{day} 的主题图不在年末；预测只针对 12 月 31 日的主题图发布（回测所检验的日期）——"
                         f"请用 --as-of {day.year - 1}-12-31 构建")
    params = json.loads(m["params"]) if isinstance(m["params"], str) else (m["params"] or {})
    seed = m["seed"] if seed is None else seed
    if corpus is None or corpus.embed_model != m["embed_model"] or corpus.last_year > day.year:
        corpus = load_corpus(store, until_year=day.year, model=m["embed_model"])
    fc = forecast_at(corpus, day.year, horizon, seed, n_topics=params.get("n_topics"), min_docs=min_docs,
                     caches=ForecastCaches(store), progress=progress)
    ids, centroids = map_centroids(store, map_id)
    topic = match_topics(centroids, fc.snapshot.centroids, map_id, day)
    c = {k: v[topic] for k, v in fc.columns.items()}
    n = len(ids)
    rank = c["rank"]
    data = pa.table({
        "map_id": pa.array([map_id] * n, pa.int32()), "topic_id": pa.array(ids, pa.string()),
        "as_of_year": pa.array([day.year] * n, pa.int32()), "horizon": pa.array([horizon] * n, pa.int32()),
        "probability": pa.array(c["probability"], from_pandas=True),
        "expected_share_ratio": pa.array(c["expected_share_ratio"], from_pandas=True),
        "call": pa.array(c["call"]), "threshold": pa.array([_threshold(fc.columns)] * n, pa.float64()),
        "eligible": pa.array(c["eligible"]), "model": pa.array([fc.info["model"]] * n),
        "trained_on": pa.array([fc.info["train_cutoffs"]] * n, pa.list_(pa.int32())),
        "rank": pa.array(rank.astype(np.int32), mask=rank <= 0), "score": pa.array(c["score"], from_pandas=True),
        "probability_low": pa.array(c["probability_low"], from_pandas=True),
        "probability_high": pa.array(c["probability_high"], from_pandas=True),
        "required_ratio": pa.array(c["required_ratio"], from_pandas=True),
        "run_key": pa.array([fc.run_key] * n),
    })
    write_forecasts(store, map_id, horizon, data)
    info = dict(fc.info)
    info.update(map_id=map_id, topics=n, called=int(c["call"].sum()), run_key=fc.run_key)
    return info


def _threshold(columns: dict) -> float | None:
    """The lowest published probability that is called (None when nothing is)."""
    called = columns["probability"][columns["call"]]
    return float(called.min()) if len(called) else None


def match_topics(map_centroids: np.ndarray, fit_centroids: np.ndarray, map_id: int, day: date) -> np.ndarray:
    """For each topic of the stored map, the index of the identical centroid in the forecast's fit."""
    if len(map_centroids) == len(fit_centroids):
        sims = np.asarray(map_centroids, np.float64) @ np.asarray(fit_centroids, np.float64).T
        best = sims.argmax(axis=1)
        if len(np.unique(best)) == len(best) and np.allclose(sims[np.arange(len(best)), best], 1.0, atol=1e-5):
            return best
    raise StoreError(f"topic map {map_id} as of {day} is not the fit the forecast was made on (built by another "
                     f"version or with other settings); rebuild it: frontierwatch build --as-of {day}",
                     f"{day} 的主题图 {map_id} 与预测所用的拟合不一致（版本或设置不同）；请重建："
                     f"frontierwatch build --as-of {day}")


def record_backtest(store: Store, result: dict) -> int:
    """Store a `run_backtest` result in ``backtests`` (the skill pages and editions publish); returns its id."""
    return write_backtest(store, result)
