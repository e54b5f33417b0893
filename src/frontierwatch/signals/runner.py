"""The signals stage runner: ``topic_signals`` and ``topic_axes`` of a stored topic map.

Reads the map (``topic_maps``, ``topics`` centroids, ``doc_topics`` fitted assignments — through the topics
stage's query module) and ``documents``; writes both tables through `signals.queries.write_signals`. Only the
documents the map fitted (dated on or before its as-of date) are read, so no later document reaches a signal.
"""
from __future__ import annotations

import logging
from datetime import date

import numpy as np

from frontierwatch.signals.axes import compute_axes
from frontierwatch.signals.compute import compute_topic_signals
from frontierwatch.signals.documents import load_signal_documents
from frontierwatch.signals.queries import write_signals
from frontierwatch.store import Store

log = logging.getLogger(__name__)

__all__ = ["build_signals"]


def build_signals(store: Store, as_of: date | None = None) -> dict:
    """Compute ``topic_signals`` and ``topic_axes`` for every year up to the map's as-of year (default map:
    the latest). Returns ``{"map_id", "as_of", "rows", "topics"}``; raises NotFoundError without that map."""
    from frontierwatch.topics.tables import fitted_assignments, map_centroids, map_row

    m = map_row(store, as_of)
    docs = load_signal_documents(store, m["as_of"].year)
    topic_of = fitted_assignments(store, m["map_id"])
    keep = np.array([d in topic_of for d in docs["doc_id"]], dtype=bool)
    frame = {k: v[keep] for k, v in docs.items()}
    frame["topic_id"] = np.array([topic_of[d][0] for d in frame["doc_id"]], dtype=object)
    frame["distance"] = np.array([topic_of[d][1] for d in frame["doc_id"]], dtype=np.float64)
    ids, vectors = map_centroids(store, m["map_id"])
    signals = compute_topic_signals(frame, centroids=dict(zip(ids, vectors)))
    axes = compute_axes(signals)
    write_signals(store, m["map_id"], signals, axes)
    log.info("signals of map %s: %d rows", m["map_id"], signals.num_rows)
    return {"map_id": m["map_id"], "as_of": str(m["as_of"]), "rows": signals.num_rows, "topics": len(ids)}
