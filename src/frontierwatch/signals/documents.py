"""Read the document columns signals need from the store, as numpy arrays in ``doc_id`` order.

Takes the ``documents`` table (migration 0001); documents without a year are left out — no signal and no
backtest can place them in time.
"""
from __future__ import annotations

import logging

import numpy as np

from frontierwatch.store import Store

log = logging.getLogger(__name__)

__all__ = ["load_signal_documents"]


def load_signal_documents(store: Store, until_year: int | None = None, doc_ids=None) -> dict:
    """Documents with a year (≤ `until_year` when given), sorted by ``doc_id``.

    Returns a dict of equal-length columns: ``doc_id`` (object array), ``year`` (int64), ``month`` (int64,
    0 when unknown), ``kind``, ``categories`` (list per document), ``primary_category``, ``text`` (title +
    abstract), ``cited_by_count`` (float64, NaN when unknown), ``institution_types`` (list per document) —
    the input columns of `compute_topic_signals` except ``topic_id``.
    """
    where = "year IS NOT NULL" + (" AND year <= ?" if until_year is not None else "")
    params = [until_year] if until_year is not None else []
    sql = f"""
        SELECT doc_id, year, CASE WHEN published IS NULL THEN 0 ELSE month(published) END AS month, kind,
               categories, primary_category, title || '. ' || coalesce(abstract, '') AS text, cited_by_count,
               [i.type FOR i IN coalesce(institutions, []) IF i.type IS NOT NULL] AS institution_types
        FROM documents WHERE {where} ORDER BY doc_id"""
    out = dict(store.tables.sql(sql, params).numpy())
    out["doc_id"] = np.asarray(out["doc_id"]).astype(object)
    out["year"] = out["year"].astype(np.int64)
    out["month"] = np.asarray(out["month"]).astype(np.int64)
    cites = out["cited_by_count"]
    if hasattr(cites, "mask"):
        cites = np.ma.filled(cites.astype(np.float64), np.nan)
    out["cited_by_count"] = np.asarray(cites, dtype=np.float64)
    for k in ("categories", "institution_types"):
        vals = np.empty(len(out["doc_id"]), dtype=object)
        vals[:] = [None if v is None or v is np.ma.masked else list(v) for v in out[k]]
        out[k] = vals
    for k in ("kind", "primary_category", "text"):
        vals = out[k]
        if hasattr(vals, "mask"):
            vals = np.ma.filled(vals.astype(object), None)
        out[k] = np.asarray(vals, dtype=object)
    if doc_ids is not None:
        wanted = set(doc_ids)  # np.isin on object arrays compares all pairs: minutes at 200k ids
        keep = np.fromiter((d in wanted for d in out["doc_id"]), dtype=bool, count=len(out["doc_id"]))
        out = {k: v[keep] for k, v in out.items()}
    log.info("loaded %d dated documents%s", len(out["doc_id"]), f" ≤ {until_year}" if until_year else "")
    return out
