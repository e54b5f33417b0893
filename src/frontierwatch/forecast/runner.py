"""The forecast stage runner: ``topic_forecasts`` of a stored topic map, and recording backtests.

Reads the map (through the topics stage's query module) and its ``topic_signals`` (through
`frontierwatch.signals.read_signals`); writes ``topic_forecasts`` and ``backtests`` through
`forecast.queries`, whose readers (`read_forecasts`, `latest_backtest`) every other stage uses.
"""
from __future__ import annotations

import logging
from datetime import date

import numpy as np
import pyarrow as pa

from frontierwatch.errors import NotFoundError
from frontierwatch.forecast.queries import write_backtest, write_forecasts
from frontierwatch.store import Store

log = logging.getLogger(__name__)

__all__ = ["build_forecasts", "record_backtest"]


def build_forecasts(store: Store, as_of: date | None = None, horizon: int = 3, seed: int | None = None,
                    min_docs: int = 20, progress=None) -> dict:
    """Train the forecaster walk-forward as of the map's as-of year and write ``topic_forecasts``.

    Needs ``topic_signals`` of the map (run `build_signals` first). Only documents dated ≤ the as-of year reach
    the training (maps refit in memory at each pseudo-cutoff).
    """
    from frontierwatch.forecast.asof import predict_topics, train_as_of
    from frontierwatch.forecast.backtest import load_corpus
    from frontierwatch.forecast.snapshots import effective_min_docs

    from frontierwatch.signals import read_signals
    from frontierwatch.topics.tables import map_centroids, map_row

    m = map_row(store, as_of)
    year, map_id = m["as_of"].year, m["map_id"]
    seed = m["seed"] if seed is None else seed
    ids, centroids = map_centroids(store, map_id)
    table = read_signals(store, map_id, year=year)
    if table.num_rows == 0:
        raise NotFoundError(f"no topic_signals for map {map_id} in {year}; run build_signals first",
                            f"主题图 {map_id} 在 {year} 年没有信号；请先运行 build_signals")
    by_id = {t: i for i, t in enumerate(table.column("topic_id").to_pylist())}
    order = np.array([by_id.get(t, -1) for t in ids])
    signals = {}
    for c in table.column_names:
        if c in ("map_id", "topic_id", "year", "missing"):
            continue
        vals = np.asarray(table.column(c).to_numpy(zero_copy_only=False), dtype=np.float64)
        signals[c] = np.where(order >= 0, vals[np.maximum(order, 0)], np.nan)
    signals["count"] = np.nan_to_num(signals["count"])
    corpus = load_corpus(store, until_year=year)
    model, info = train_as_of(corpus, year, horizon, seed, min_docs=min_docs, progress=progress)
    total = float(np.nansum(signals["count"]))
    floor = effective_min_docs(min_docs, total, len(ids))
    pred = predict_topics(model, signals, centroids, year, horizon, signals["count"] >= floor)
    n = len(ids)
    data = pa.table({
        "map_id": pa.array([map_id] * n, pa.int32()), "topic_id": pa.array(ids, pa.string()),
        "as_of_year": pa.array([year] * n, pa.int32()), "horizon": pa.array([horizon] * n, pa.int32()),
        "probability": pa.array(pred["probability"]), "expected_share_ratio": pa.array(pred["expected_share_ratio"],
                                                                                      from_pandas=True),
        "call": pa.array(pred["call"]), "threshold": pa.array([pred["threshold"]] * n),
        "eligible": pa.array(signals["count"] >= floor),
        "model": pa.array([type(model).__name__] * n), "trained_on": pa.array([info["train_cutoffs"]] * n,
                                                                               pa.list_(pa.int32())),
    })
    write_forecasts(store, map_id, horizon, data)
    info.update(map_id=map_id, topics=n, called=int(pred["call"].sum()))
    return info


def record_backtest(store: Store, result: dict) -> int:
    """Store a `run_backtest` result in ``backtests`` (the skill pages and editions publish); returns its id."""
    return write_backtest(store, result)
