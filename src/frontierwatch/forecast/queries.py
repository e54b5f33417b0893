"""The forecast stage's tables (migration 0004): the one writer and the one reader of ``topic_forecasts`` and
of ``backtests``.

Shapes every other stage and the core read:

* `read_forecasts` → ``{topic_id: {"map_id", "topic_id", "as_of_year", "horizon", "probability",
  "expected_share_ratio", "call", "threshold", "eligible", "model", "trained_on"}}`` with NaN as None;
* `latest_backtest` → ``{"backtest_id", "created", "horizon", "label", "cutoffs", "seeds", "mean_ap",
  "best_baseline", "best_baseline_ap", "mean_p_at_50", "mean_f1", "positive_rate", "result_json"}`` where
  ``result_json`` is the stored `run_backtest` JSON text (its sha256 identifies the backtest an edition cites).
"""
from __future__ import annotations

import json
import math

import numpy as np
import pyarrow as pa

from frontierwatch.store import Store

__all__ = ["backtests_by_horizon", "latest_backtest", "read_forecasts", "write_backtest", "write_forecasts"]

SUMMARY = ("backtest_id", "created", "horizon", "label", "cutoffs", "seeds", "mean_ap", "best_baseline",
           "best_baseline_ap", "mean_p_at_50", "mean_f1", "positive_rate")


def _finite(value):
    return None if isinstance(value, float) and not math.isfinite(value) else value


def write_forecasts(store: Store, map_id: int, horizon: int, data: pa.Table) -> None:
    """Replace the ``topic_forecasts`` rows of (`map_id`, `horizon`) with `data` (the table's columns)."""
    store.tables.replace("topic_forecasts", data, where={"map_id": map_id, "horizon": int(horizon)})


def read_forecasts(store: Store, map_id: int, horizon: int, topic_ids: list[str] | None = None) -> dict[str, dict]:
    """The forecasts of a map at `horizon` (of `topic_ids` only, when given); see the module docstring."""
    where: dict = {"map_id": map_id, "horizon": int(horizon)}
    if topic_ids is not None:
        where["topic_id in"] = list(topic_ids)
    rows = store.tables.read("topic_forecasts", where=where, order_by="topic_id").to_pylist()
    return {r["topic_id"]: {k: _finite(v) for k, v in r.items()} for r in rows}


def write_backtest(store: Store, result: dict) -> int:
    """Store a `run_backtest` result in ``backtests`` with its headline figures; returns its id."""
    fw = result["summary"].get("frontierwatch", {})
    baselines = {k: v for k, v in result["summary"].items() if k != "frontierwatch"}
    best = max(baselines, key=lambda k: baselines[k]["mean_ap"] or 0) if baselines else None
    rate = float(np.mean([r["positive_rate"] for r in result["results"]])) if result["results"] else None
    with store.tables.transaction():
        new_id = int(store.tables.sql("SELECT coalesce(max(backtest_id), 0) + 1 FROM backtests").scalar())
        store.tables.append("backtests", pa.table({
            "backtest_id": pa.array([new_id], pa.int32()), "horizon": pa.array([result["horizon"]], pa.int32()),
            "label": [result["label"]], "cutoffs": pa.array([result["cutoffs"]], pa.list_(pa.int32())),
            "seeds": pa.array([result["seeds"]], pa.list_(pa.int32())),
            "mean_ap": pa.array([fw.get("mean_ap")], pa.float64()), "best_baseline": pa.array([best], pa.string()),
            "best_baseline_ap": pa.array([baselines[best]["mean_ap"] if best else None], pa.float64()),
            "mean_p_at_50": pa.array([fw.get("mean_p_at_50")], pa.float64()),
            "mean_f1": pa.array([fw.get("mean_f1")], pa.float64()), "positive_rate": pa.array([rate], pa.float64()),
            "result": [json.dumps(result)]}))
    return new_id


def latest_backtest(store: Store, horizon: int | None = None, known_at: int | None = None) -> dict | None:
    """The latest stored backtest (of `horizon`, when given; whose outcomes end in or before the year `known_at`,
    when given — max(cutoffs) + horizon ≤ known_at, what an edition of that date may cite), or None; see the module
    docstring."""
    where = {"horizon": horizon} if horizon else {}
    if known_at is None:
        rows = store.tables.read("backtests", list(SUMMARY) + ["result"], where=where or None,
                                 order_by="backtest_id DESC", limit=1).to_pylist()
    else:
        heads = store.tables.read("backtests", ["backtest_id", "horizon", "cutoffs"], where=where or None,
                                  order_by="backtest_id DESC").to_pylist()
        ok = [h["backtest_id"] for h in heads if h["cutoffs"] and max(h["cutoffs"]) + h["horizon"] <= known_at]
        rows = store.tables.read("backtests", list(SUMMARY) + ["result"],
                                 where={"backtest_id": ok[0]}).to_pylist() if ok else []
    if not rows:
        return None
    row = rows[0]
    raw = row.pop("result")
    row["result_json"] = raw if isinstance(raw, str) else json.dumps(raw)
    return row


def backtests_by_horizon(store: Store) -> list[dict]:
    """The latest stored backtest of each horizon, shortest horizon first — how skill changes with the horizon:
    ``[{"horizon", "cutoffs", "seeds", "mean_ap", "mean_p_at_50", "mean_f1", "best_baseline", "best_baseline_ap",
    "n_eligible", "n_positive", "backtest_id"}]`` (sample sizes summed over the backtest's runs)."""
    rows = store.tables.read("backtests", list(SUMMARY) + ["result"], order_by="backtest_id DESC").to_pylist()
    out: dict[int, dict] = {}
    for row in rows:
        if row["horizon"] in out:
            continue
        raw = row["result"]
        result = json.loads(raw) if isinstance(raw, str) else (raw or {})
        runs = result.get("results") or []
        out[row["horizon"]] = {k: _finite(row[k]) for k in ("horizon", "cutoffs", "seeds", "mean_ap", "mean_p_at_50",
                                                            "mean_f1", "best_baseline", "best_baseline_ap",
                                                            "backtest_id")} | {
            "n_eligible": sum(r.get("n_eligible") or 0 for r in runs),
            "n_positive": sum(r.get("n_positive") or 0 for r in runs)}
    return [out[h] for h in sorted(out)]
