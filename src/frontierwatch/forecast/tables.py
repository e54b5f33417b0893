"""The forecast stage's caches: snapshot features and published forecasts, in memory and in the store.

`ForecastCaches` is one run's memory (nothing is computed twice in a run) over the store's tables (nothing is
computed twice for the same corpus): ``topic_fits`` through `frontierwatch.topics.fits.FitCache`, and the
forecast stage's own ``forecast_snapshots`` (per-topic features of a fit) and ``forecast_runs`` /
``forecast_run_topics`` (the published forecast of a fit for a horizon) of migration 0012. This module is their
one reader and writer. Without a store (tests on an in-memory corpus) everything stays in memory; a read-only
store is read, never written.
"""
from __future__ import annotations

import io
import json
import logging
import time

import numpy as np
import pyarrow as pa

from frontierwatch.topics.fits import FitCache

log = logging.getLogger(__name__)

__all__ = ["ForecastCaches", "RUN_COLUMNS"]

# Per-topic columns of a published forecast (forecast_run_topics), in order.
RUN_COLUMNS = ("eligible", "score", "rank", "probability", "probability_low", "probability_high", "required_ratio",
               "expected_share_ratio", "call")


def _npz(arrays: dict) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **{k: np.asarray(v, dtype=np.float64) for k, v in arrays.items()})
    return buf.getvalue()


class ForecastCaches:
    """Fits, snapshot features and published forecasts of one run, backed by `store` when given."""

    def __init__(self, store=None):
        self.store = store
        self.fits = FitCache(store)
        self._features: dict[tuple[str, str], dict] = {}
        self._runs: dict[str, tuple[dict, dict]] = {}
        self.computed = {"features": 0, "runs": 0}

    @property
    def writable(self) -> bool:
        return self.store is not None and not self.store.read_only

    def _has(self, table: str) -> bool:
        return self.store is not None and self.store.tables.exists(table)

    # -- snapshot features -------------------------------------------------------------------------------
    def features(self, fit, compute) -> dict[str, np.ndarray]:
        """The features of `fit` (``compute()`` when neither memory nor the store holds them)."""
        from frontierwatch.forecast.features import FEATURE_VERSION

        key = (fit.key, FEATURE_VERSION)
        if key in self._features:
            return self._features[key]
        found = None
        if self._has("forecast_snapshots"):
            rows = self.store.tables.read("forecast_snapshots", ["arrays"],
                                          where={"fit_key": key[0], "version": key[1]}).column("arrays").to_pylist()
            if rows:
                with np.load(io.BytesIO(rows[0]), allow_pickle=False) as z:
                    found = {k: z[k] for k in z.files}
        if found is None:
            t0 = time.perf_counter()
            found = compute()
            self.computed["features"] += 1
            if self.writable:
                self.store.tables.upsert("forecast_snapshots", pa.table({
                    "fit_key": [key[0]], "version": [key[1]], "n_topics": pa.array([fit.n_topics], pa.int32()),
                    "seconds": pa.array([round(time.perf_counter() - t0, 2)], pa.float64()),
                    "arrays": pa.array([_npz(found)], pa.binary())}), ["fit_key", "version"])
        self._features[key] = found
        return found

    # -- published forecasts ------------------------------------------------------------------------------
    def run(self, run_key: str) -> tuple[dict, dict] | None:
        """``(per-topic columns, info)`` of a stored forecast run, or None."""
        if run_key in self._runs:
            return self._runs[run_key]
        if not self._has("forecast_runs"):
            return None
        infos = self.store.tables.read("forecast_runs", ["info"], where={"run_key": run_key}).column("info").to_pylist()
        if not infos:
            return None
        table = self.store.tables.read("forecast_run_topics", list(RUN_COLUMNS), where={"run_key": run_key},
                                       order_by="topic")
        cols = {c: table.column(c).to_numpy(zero_copy_only=False) for c in RUN_COLUMNS}
        cols = {c: np.asarray(v, dtype=bool if c in ("eligible", "call") else np.float64) for c, v in cols.items()}
        cols["rank"] = np.nan_to_num(cols["rank"], nan=0).astype(np.int64)
        self._runs[run_key] = (cols, json.loads(infos[0]))
        return self._runs[run_key]

    def put_run(self, run_key: str, fit_key: str, as_of_year: int, seed: int, horizon: int, version: str,
                cols: dict, info: dict) -> None:
        self._runs[run_key] = (cols, info)
        self.computed["runs"] += 1
        if not self.writable:
            return
        n = len(cols["eligible"])
        data = {"run_key": pa.array([run_key] * n), "topic": pa.array(np.arange(n), pa.int32())}
        for c in RUN_COLUMNS:
            v = np.asarray(cols[c])
            if c in ("eligible", "call"):
                data[c] = pa.array(v.astype(bool))
            elif c == "rank":
                data[c] = pa.array(np.where(v > 0, v, 0).astype(np.int32), mask=v <= 0)
            else:
                data[c] = pa.array(v.astype(np.float64), from_pandas=True)
        tables = self.store.tables
        with tables.transaction():
            tables.delete("forecast_run_topics", {"run_key": run_key})
            tables.upsert("forecast_runs", pa.table({
                "run_key": [run_key], "fit_key": [fit_key], "as_of_year": pa.array([as_of_year], pa.int32()),
                "seed": pa.array([seed], pa.int32()), "horizon": pa.array([horizon], pa.int32()),
                "version": [version], "info": [json.dumps(info, default=float)]}), ["run_key"])
            tables.append("forecast_run_topics", pa.table(data))

    def summary(self) -> dict:
        """What this run reused and what it computed (shown by the CLI and recorded with a backtest)."""
        return {"fits_reused": self.fits.hits, "fits_computed": self.fits.misses,
                "features_computed": self.computed["features"], "forecasts_computed": self.computed["runs"]}
