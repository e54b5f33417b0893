"""The signals stage runner: ``topic_signals`` and ``topic_axes`` of a stored topic map.

Reads the map (``topic_maps``, ``topics`` centroids, ``doc_topics`` fitted assignments — through the topics
stage's query module) and ``documents``; writes both tables through `signals.queries.write_signals`. Only the
documents the map fitted (dated on or before its as-of date) are read, so no later document reaches a signal.
"""
from __future__ import annotations

import logging
from datetime import date

import numpy as np
import pyarrow as pa

from frontierwatch.signals.axes import compute_axes
from frontierwatch.signals.compute import compute_topic_signals
from frontierwatch.signals.documents import load_signal_documents
from frontierwatch.signals.queries import write_signals
from frontierwatch.store import Store

log = logging.getLogger(__name__)

__all__ = ["build_signals"]


def build_signals(store: Store, as_of: date | None = None, *, count_signals: pa.Table | None = None,
                  terms=None) -> dict:
    """Compute ``topic_signals`` and ``topic_axes`` for every year up to the map's as-of year (default map:
    the latest). Returns ``{"map_id", "as_of", "rows", "topics"}``; raises NotFoundError without that map.

    `count_signals` (topic_id, year and count-derived signal columns, as the Spark engine aggregates them —
    `frontierwatch.spark.aggregate.count_signals`) replaces those columns before the axes are computed, so what
    is stored for them is the other engine's result; every (topic, year) row must be in it. `terms` (term
    statistics aggregated by the other engine, `frontierwatch.spark.terms.SparkTerms`) gives the new-term ratio and
    the EScore aggregates instead of hashing every text here."""
    from frontierwatch.topics.tables import fitted_assignments, map_centroids, map_row

    m = map_row(store, as_of)
    docs = load_signal_documents(store, m["as_of"].year)
    topic_of = fitted_assignments(store, m["map_id"])
    keep = np.array([d in topic_of for d in docs["doc_id"]], dtype=bool)
    frame = {k: v[keep] for k, v in docs.items()}
    frame["topic_id"] = np.array([topic_of[d][0] for d in frame["doc_id"]], dtype=object)
    frame["distance"] = np.array([topic_of[d][1] for d in frame["doc_id"]], dtype=np.float64)
    ids, vectors = map_centroids(store, m["map_id"])
    signals = compute_topic_signals(frame, centroids=dict(zip(ids, vectors)), terms=terms)
    if count_signals is not None:
        signals = _with_columns(signals, count_signals)
    axes = compute_axes(signals)
    write_signals(store, m["map_id"], signals, axes)
    log.info("signals of map %s: %d rows", m["map_id"], signals.num_rows)
    return {"map_id": m["map_id"], "as_of": str(m["as_of"]), "rows": signals.num_rows, "topics": len(ids)}


def _with_columns(signals: pa.Table, other: pa.Table) -> pa.Table:
    """`signals` with the columns of `other` (keyed by topic_id and year) in place of its own."""
    from frontierwatch.errors import StoreError

    row = {(str(t), int(y)): i for i, (t, y) in enumerate(zip(other.column("topic_id").to_pylist(),
                                                              other.column("year").to_pylist()))}
    keys = zip(signals.column("topic_id").to_pylist(), signals.column("year").to_pylist())
    try:
        take = pa.array([row[(str(t), int(y))] for t, y in keys], pa.int64())
    except KeyError as exc:
        raise StoreError(f"the count signals lack topic/year {exc}; they must cover every row of the map",
                         f"计数信号缺少主题/年份 {exc}；应覆盖主题图的每一行") from None
    for name in other.column_names:
        if name in ("topic_id", "year"):
            continue
        i = signals.column_names.index(name)
        signals = signals.set_column(i, name, other.column(name).take(take).cast(signals.schema.field(name).type))
    return signals
