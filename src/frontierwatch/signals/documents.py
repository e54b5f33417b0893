"""Read the document columns signals need from the store, as numpy arrays in ``doc_id`` order.

Takes the ``documents`` table (migration 0001); documents without a year are left out — no signal and no
backtest can place them in time.
"""
from __future__ import annotations

import logging

import numpy as np

from frontierwatch.store import Store

log = logging.getLogger(__name__)

__all__ = ["load_signal_documents", "citations_as_of", "citation_join"]


def citations_as_of(total: np.ndarray, by_year: np.ndarray, year: int) -> np.ndarray:
    """Citations received on or before the end of `year`, NaN where the source cannot date them.

    `total` (n,) is the harvested count (NaN: unknown); `by_year` (n,) holds ``{year: citations}`` dicts
    (OpenAlex ``counts_by_year``, which omits years without citations) or None. Exact when every citation
    after `year` is itemised — `year` ≥ the first itemised year − 1, or all citations itemised; otherwise NaN.
    """
    out = np.full(len(total), np.nan)
    for i, (t, counts) in enumerate(zip(total, by_year)):
        if counts is None or not counts or t != t:
            continue
        later = sum(c for y, c in counts.items() if y > year)
        itemised = sum(counts.values())
        if year >= min(counts) - 1 or itemised >= t:
            out[i] = max(float(t) - later, 0.0)
    return out


def citation_join(store: Store) -> tuple[str, str]:
    """(select expression, join) for the citations by year of ``document_citations`` (absent in old stores)."""
    if store.tables.exists("document_citations"):
        return "c.cited_by_year", "LEFT JOIN document_citations c USING (doc_id)"
    return "NULL::MAP(INTEGER, INTEGER)", ""


def _year_map(value) -> dict[int, int] | None:
    if value is None or value is np.ma.masked:
        return None
    items = value.items() if isinstance(value, dict) else zip(value["key"], value["value"])
    return {int(k): int(v) for k, v in items} or None


def load_signal_documents(store: Store, until_year: int | None = None, doc_ids=None) -> dict:
    """Documents with a year (≤ `until_year` when given), sorted by ``doc_id``.

    Returns a dict of equal-length columns: ``doc_id`` (object array), ``year`` (int64), ``month`` (int64,
    0 when unknown), ``kind``, ``categories`` (list per document), ``primary_category``, ``text`` (title +
    abstract), ``cited_by_count`` (float64, NaN when unknown), ``institution_types`` (list per document) —
    the input columns of `compute_topic_signals` except ``topic_id``.

    With `until_year`, ``cited_by_count`` is the citations received by the end of that year (`citations_as_of`:
    NaN where the source does not date its citations), so nothing read as of a date was cited after it.
    """
    where = "year IS NOT NULL" + (" AND year <= ?" if until_year is not None else "")
    params = [until_year] if until_year is not None else []
    by_year, join = citation_join(store)
    sql = f"""
        SELECT doc_id, year, CASE WHEN published IS NULL THEN 0 ELSE month(published) END AS month, kind,
               categories, primary_category, title || '. ' || coalesce(abstract, '') AS text, cited_by_count,
               [i.type FOR i IN coalesce(institutions, []) IF i.type IS NOT NULL] AS institution_types,
               {by_year} AS cited_by_year
        FROM documents {join} WHERE {where} ORDER BY doc_id"""
    out = dict(store.tables.sql(sql, params).numpy())
    out["doc_id"] = np.asarray(out["doc_id"]).astype(object)
    out["year"] = out["year"].astype(np.int64)
    out["month"] = np.asarray(out["month"]).astype(np.int64)
    cites = out["cited_by_count"]
    if hasattr(cites, "mask"):
        cites = np.ma.filled(cites.astype(np.float64), np.nan)
    out["cited_by_count"] = np.asarray(cites, dtype=np.float64)
    by_year = np.empty(len(out["doc_id"]), dtype=object)
    by_year[:] = [_year_map(v) for v in out.pop("cited_by_year")]
    if until_year is not None:
        out["cited_by_count"] = citations_as_of(out["cited_by_count"], by_year, until_year)
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
