"""Reads of the exports: each yields Arrow record batches with exactly the dictionary's columns, streamed through
the table seam (`QueryResult.batches`), so an export of the whole store holds one batch in memory at a time."""
from __future__ import annotations

from datetime import date

import pyarrow as pa

BATCH_ROWS = 50_000

_SIGNAL_SQL = """SELECT map_id, topic_id, year, count, cum_count, share, log_share, growth1, growth2, growth3,
    acceleration, trend_slope, peak_share, peak_year, share_to_peak, burst_state, burst_weight, burst_month_state,
    burst_months, burst_month_weight, mean_age, median_age, birth_year, age, new_term_ratio, novelty_distance,
    escore_mean, escore_share, escore_owned, category_entropy, cross_field_share, coherence, impact, patent_share,
    patent_growth, company_share, st_linkage, application_language, array_to_string(missing, ';') AS missing
    FROM topic_signals WHERE map_id = ? ORDER BY topic_id, year"""
_FORECAST_SQL = """SELECT map_id, topic_id, as_of_year, horizon, probability, expected_share_ratio, call, threshold,
    eligible, model FROM topic_forecasts WHERE map_id = ? ORDER BY horizon, topic_id"""
_DOCUMENT_SQL = """SELECT d.doc_id, d.kind, d.title, d.published, d.year, d.language, d.primary_category, d.doi,
    d.venue, d.cited_by_count, t.topic_id, t.distance, coalesce(t.fitted, false) AS counted
    FROM documents d LEFT JOIN doc_topics t ON t.doc_id = d.doc_id AND t.map_id = ?
    WHERE d.published IS NULL OR d.published <= ? ORDER BY d.doc_id"""
_ASSIGNMENT_SQL = """SELECT doc_id, topic_id, distance, fitted AS counted, candidate_new FROM doc_topics
    WHERE map_id = ? ORDER BY doc_id"""


def stream(store, what: str, map_id: int, as_of: date) -> pa.RecordBatchReader:
    """Record batches of `what` (signals, forecasts, documents, assignments) for map `map_id` as of `as_of`."""
    sql, params = {"signals": (_SIGNAL_SQL, [map_id]), "forecasts": (_FORECAST_SQL, [map_id]),
                   "documents": (_DOCUMENT_SQL, [map_id, as_of]), "assignments": (_ASSIGNMENT_SQL, [map_id])}[what]
    return store.tables.sql(sql, params).batches(BATCH_ROWS)
