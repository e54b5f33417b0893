"""Runners and read API over the store: signals, axes and forecasts of the store's topic map, and backtests.

Reads ``topic_maps``, ``topics``, ``doc_topics`` (migration 0003) and ``documents``; writes ``topic_signals``,
``topic_axes``, ``topic_forecasts`` and ``backtests`` (migration 0004). `topic_evidence` is what the catalog
and the web pages show per topic: the latest signals and their yearly series, both axes with contributions,
the stage, the forecast and the backtest skill to publish beside it.
"""
from __future__ import annotations

import json
import logging
from datetime import date

import numpy as np
import pyarrow as pa

from frontierwatch.errors import NotFoundError
from frontierwatch.store import Store

log = logging.getLogger(__name__)

__all__ = ["build_signals", "build_forecasts", "record_backtest", "latest_backtest", "topic_evidence"]


def _map(store: Store, as_of: date | None) -> dict:
    from frontierwatch.topics.tables import map_row

    return map_row(store, as_of)


def build_signals(store: Store, as_of: date | None = None) -> dict:
    """Compute ``topic_signals`` and ``topic_axes`` for every year up to the map's as-of year (default map:
    the latest). Only documents fitted by the map (dated on or before its as-of date) are read."""
    from frontierwatch.signals import compute_axes, compute_topic_signals, load_signal_documents

    m = _map(store, as_of)
    year = m["as_of"].year
    docs = load_signal_documents(store, year)
    rows = store.con.execute("SELECT doc_id, topic_id, distance FROM doc_topics WHERE map_id = ? AND fitted",
                             [m["map_id"]]).fetchall()
    topic_of = {d: (t, dist) for d, t, dist in rows}
    keep = np.array([d in topic_of for d in docs["doc_id"]], dtype=bool)
    frame = {k: v[keep] for k, v in docs.items()}
    frame["topic_id"] = np.array([topic_of[d][0] for d in frame["doc_id"]], dtype=object)
    frame["distance"] = np.array([topic_of[d][1] for d in frame["doc_id"]], dtype=np.float64)
    centroids = dict(zip(*_centroids(store, m["map_id"])))
    signals = compute_topic_signals(frame, centroids=centroids)
    axes = compute_axes(signals)
    n = signals.num_rows
    with store.tables.transaction():
        store.tables.replace("topic_signals", pa.table({"map_id": pa.array([m["map_id"]] * n, pa.int32()),
                                                        **{c: signals.column(c) for c in signals.column_names}}),
                             where={"map_id": m["map_id"]})
        store.tables.replace("topic_axes", pa.table({"map_id": pa.array([m["map_id"]] * axes.num_rows, pa.int32()),
                                                     **{c: axes.column(c) for c in axes.column_names}}),
                             where={"map_id": m["map_id"]})
    log.info("signals of map %s: %d rows", m["map_id"], n)
    return {"map_id": m["map_id"], "as_of": str(m["as_of"]), "rows": n, "topics": len(centroids)}


def _centroids(store: Store, map_id: int) -> tuple[list[str], np.ndarray]:
    from frontierwatch.topics.tables import map_centroids

    return map_centroids(store, map_id)


def build_forecasts(store: Store, as_of: date | None = None, horizon: int = 3, seed: int | None = None,
                    min_docs: int = 20, progress=None) -> dict:
    """Train the forecaster walk-forward as of the map's as-of year and write ``topic_forecasts``.

    Needs ``topic_signals`` of the map (run `build_signals` first). Only documents dated ≤ the as-of year reach
    the training (maps refit in memory at each pseudo-cutoff).
    """
    from frontierwatch.forecast.asof import predict_topics, train_as_of
    from frontierwatch.forecast.backtest import load_corpus
    from frontierwatch.forecast.snapshots import effective_min_docs

    m = _map(store, as_of)
    year, map_id = m["as_of"].year, m["map_id"]
    seed = m["seed"] if seed is None else seed
    ids, centroids = _centroids(store, map_id)
    table = store.con.sql("SELECT * FROM topic_signals WHERE map_id = $map AND year = $year",
                          params={"map": map_id, "year": year}).to_arrow_table()
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
    store.tables.replace("topic_forecasts", data, where={"map_id": map_id, "horizon": int(horizon)})
    info.update(map_id=map_id, topics=n, called=int(pred["call"].sum()))
    return info


def record_backtest(store: Store, result: dict) -> int:
    """Store a `run_backtest` result in ``backtests``; returns its id."""
    fw = result["summary"].get("frontierwatch", {})
    baselines = {k: v for k, v in result["summary"].items() if k != "frontierwatch"}
    best = max(baselines, key=lambda k: baselines[k]["mean_ap"] or 0) if baselines else None
    rate = float(np.mean([r["positive_rate"] for r in result["results"]])) if result["results"] else None
    new_id = store.con.execute("SELECT coalesce(max(backtest_id), 0) + 1 FROM backtests").fetchone()[0]
    store.con.execute(
        """INSERT INTO backtests (backtest_id, horizon, label, cutoffs, seeds, mean_ap, best_baseline, best_baseline_ap,
           mean_p_at_50, mean_f1, positive_rate, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [new_id, result["horizon"], result["label"], result["cutoffs"], result["seeds"], fw.get("mean_ap"), best,
         baselines[best]["mean_ap"] if best else None, fw.get("mean_p_at_50"), fw.get("mean_f1"), rate,
         json.dumps(result)])
    return int(new_id)


def latest_backtest(store: Store, horizon: int | None = None) -> dict | None:
    """The skill to publish beside a forecast: the latest stored backtest (of `horizon`), summary fields only."""
    sql = "SELECT backtest_id, created, horizon, label, cutoffs, seeds, mean_ap, best_baseline, best_baseline_ap, " \
          "mean_p_at_50, mean_f1, positive_rate FROM backtests"
    row = store.con.execute(sql + (" WHERE horizon = ?" if horizon else "") + " ORDER BY backtest_id DESC LIMIT 1",
                            [horizon] if horizon else []).fetchone()
    if row is None:
        return None
    keys = ["backtest_id", "created", "horizon", "label", "cutoffs", "seeds", "mean_ap", "best_baseline",
            "best_baseline_ap", "mean_p_at_50", "mean_f1", "positive_rate"]
    return dict(zip(keys, row))


def topic_evidence(store: Store, topic_id: str, as_of: date | None = None, horizon: int = 3) -> dict:
    """Everything shown for one topic of a map: ``signals`` (latest year), ``series`` (year → signals),
    ``axes`` (scores, contributions, stage), ``forecast`` (probability, expected share ratio, call) and
    ``skill`` (the latest backtest of that horizon)."""
    m = _map(store, as_of)
    cur = store.con.execute("SELECT * FROM topic_signals WHERE map_id = ? AND topic_id = ? ORDER BY year",
                            [m["map_id"], topic_id])
    cols = [d[0] for d in cur.description]
    series = [dict(zip(cols, r)) for r in cur.fetchall()]
    if not series:
        raise NotFoundError(f"topic {topic_id} has no signals in map {m['map_id']}; run build_signals",
                            f"主题 {topic_id} 在主题图 {m['map_id']} 中没有信号；请运行 build_signals")
    cur = store.con.execute("SELECT * FROM topic_axes WHERE map_id = ? AND topic_id = ? ORDER BY year DESC LIMIT 1",
                            [m["map_id"], topic_id])
    axes = dict(zip([d[0] for d in cur.description], cur.fetchone() or []))
    cur = store.con.execute("SELECT * FROM topic_forecasts WHERE map_id = ? AND topic_id = ? AND horizon = ?",
                            [m["map_id"], topic_id, horizon])
    fc = cur.fetchone()
    forecast = dict(zip([d[0] for d in cur.description], fc)) if fc else None
    return {"map_id": m["map_id"], "as_of": str(m["as_of"]), "topic_id": topic_id, "signals": series[-1],
            "series": {r["year"]: r for r in series}, "axes": axes, "forecast": forecast,
            "skill": latest_backtest(store, horizon)}
