"""Spark jobs over a topic map: every document assigned by broadcast centroids, the topic × year (and month)
counts, and the per-topic signals that come from counts.

*Fit on the driver, assign in the executors.* The topic map is fitted on the driver (`frontierwatch.topics`,
seeded k-means): a sample of a few hundred thousand documents fixes the centroids as well as all of them would,
and the fit is the embedded engine's own code, so one definition of a topic. MLlib's k-means was not used: its
k-means|| initialisation and stopping rule differ from ours, so a Spark map could never equal the embedded one,
and fitting is not the costly part — assigning and counting every document is. The centroids (topics × 256
floats, ~2 MB for 2,000 topics) are broadcast, and each executor assigns its documents with
`topics.model.nearest_centroid`, the function the embedded engine uses: same centroids, same assignment.

The counts are Spark aggregations (``groupBy(topic, year)``, ``groupBy(topic, year, month)``), and the
count-derived signals — count, share, log share, growth over 1–3 years, acceleration, trend slope, peak,
Kleinberg bursts by year and month, age and birth — are computed from those small matrices on the driver by the
signals stage's own functions (`signals.series`). Text statistics (EScore terms, new-term ratio, application
language), category entropy, impact, coherence and novelty are not ported to Spark yet: the signals stage
computes them on the driver from the store.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa

__all__ = ["ASSIGN_DDL", "COUNT_SIGNALS", "assign_documents", "assign_partition", "count_signals", "topic_year_counts"]

ASSIGN_DDL = "doc_id string, topic_index int, distance float"
COUNT_SIGNALS = ("count", "cum_count", "share", "log_share", "growth1", "growth2", "growth3", "acceleration",
                 "trend_slope", "peak_share", "peak_year", "share_to_peak", "count_prev2", "share_prev2",
                 "count_growth2", "burst_state", "burst_weight", "burst_month_state", "burst_months",
                 "burst_month_weight", "mean_age", "median_age", "birth_year", "age")


def assign_partition(centroids_broadcast):
    """Executor side: (doc_id, vector) batches → nearest centroid index and cosine distance."""
    def run(batches):
        from frontierwatch.topics.model import nearest_centroid

        centroids = centroids_broadcast.value
        schema = pa.schema([("doc_id", pa.string()), ("topic_index", pa.int32()), ("distance", pa.float32())])
        for batch in batches:
            if batch.num_rows == 0:
                continue
            vectors = batch.column("vector")
            flat = vectors.flatten().to_numpy(zero_copy_only=False).astype(np.float32)
            matrix = flat.reshape(batch.num_rows, -1)
            idx, dist = nearest_centroid(matrix, centroids)
            yield pa.RecordBatch.from_arrays([batch.column("doc_id"), pa.array(idx.astype(np.int32)),
                                              pa.array(dist.astype(np.float32))], schema=schema)
    return run


def assign_documents(spark, vectors_df, centroids: np.ndarray):
    """A DataFrame (doc_id, topic_index, distance): every row of `vectors_df` (doc_id, vector) assigned to its
    nearest of `centroids` (unit rows, float32), the centroids broadcast once to every executor."""
    shared = spark.sparkContext.broadcast(np.ascontiguousarray(centroids, dtype=np.float32))
    return vectors_df.select("doc_id", "vector").mapInArrow(assign_partition(shared), ASSIGN_DDL)


def topic_year_counts(assigned_docs) -> tuple[pa.Table, pa.Table]:
    """From a DataFrame (topic_id, year, month — month 0 when unknown) of assigned dated documents: the
    ``(topic_id, year, n)`` and ``(topic_id, year, month, n)`` counts, as Spark aggregations collected as Arrow."""
    yearly = assigned_docs.groupBy("topic_id", "year").count().orderBy("topic_id", "year").toArrow()
    monthly = (assigned_docs.where("month > 0").groupBy("topic_id", "year", "month").count()
               .orderBy("topic_id", "year", "month").toArrow())
    return yearly, monthly


def count_signals(yearly: pa.Table, monthly: pa.Table, years_out: list[int] | None = None) -> pa.Table:
    """The count-derived signal columns (`COUNT_SIGNALS`) per (topic_id, year) from the aggregated counts, by the
    signals stage's functions on the same matrices `signals.compute.compute_topic_signals` builds — so the values
    equal the embedded engine's. Years: the first to the last document year unless `years_out` is given."""
    from frontierwatch.signals.compute import _INT_LIKE
    from frontierwatch.signals.series import age_signals, burst_signals, monthly_burst_signals, share_signals

    topics = np.unique(np.asarray(yearly.column("topic_id").to_pylist(), dtype=object).astype(str))
    code = {t: i for i, t in enumerate(topics)}
    years = np.asarray(yearly.column("year").to_pylist(), dtype=np.int64)
    first, last = int(years.min()), int(years.max())
    years_out = sorted(set(years_out)) if years_out else list(range(first, last + 1))
    n_years = max(last, max(years_out)) - first + 1
    counts = np.zeros((len(topics), n_years))
    for t, y, n in zip(yearly.column("topic_id").to_pylist(), years, yearly.column("count").to_pylist()):
        counts[code[str(t)], y - first] += n
    totals = counts.sum(axis=0)
    monthly_counts = np.zeros((len(topics), 12 * n_years))
    for t, y, m, n in zip(*(monthly.column(c).to_pylist() for c in ("topic_id", "year", "month", "count"))):
        monthly_counts[code[str(t)], (y - first) * 12 + m - 1] += n
    full = share_signals(counts, totals)
    full["peak_year"] = full.pop("peak_index") + first
    full.update(burst_signals(counts, totals))
    full.update(monthly_burst_signals(monthly_counts, monthly_counts.sum(axis=0), n_years))
    full.update(age_signals(counts, first))
    cols = [y - first for y in years_out]
    out = {k: v[:, cols] for k, v in full.items() if k in COUNT_SIGNALS}
    empty = out["cum_count"] == 0
    for k in out:
        if k not in _INT_LIKE and k not in ("share", "log_share"):
            out[k] = np.where(empty, np.nan, out[k])
    table = {"topic_id": pa.array(np.repeat(topics, len(years_out)).tolist(), pa.string()),
             "year": pa.array(np.tile(np.asarray(years_out, dtype=np.int64), len(topics)))}
    for name in COUNT_SIGNALS:
        v = out[name].reshape(-1)
        table[name] = pa.array(v.astype(np.int64) if name in _INT_LIKE else v, from_pandas=True)
    return pa.table(table)
