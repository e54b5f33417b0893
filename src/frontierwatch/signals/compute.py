"""`compute_topic_signals`: from a table of topic assignments to the ``topic_signals`` table.

Input (a pyarrow Table or a mapping of column → sequence), one row per document:

==================  =========================================================================================
doc_id              document id
topic_id            topic of the document (int; documents without a topic may be left out)
year                year of the document (documents without one are ignored)
month               1–12, or null when only the year is known (kept out of the monthly burst series)
kind                paper | patent | achievement                                   (optional → paper)
categories          list of categories / classes                                    (optional → missing)
primary_category    field used to normalise citations and as EScore community       (optional → 1st category)
text                title + abstract                                                (optional → missing)
cited_by_count      citations, null when unknown                                    (optional → missing)
institution_types   list of institution types of the authors (company, education…) (optional → missing)
application_hit     precomputed `application_hits` of the text (optional; saves time across topic maps)
distance            cosine distance of the document to its topic centroid (optional → coherence missing)
==================  =========================================================================================

Output (pyarrow Table), one row per (topic_id, year) for the requested years, every value computed only
from documents dated ≤ that year, NaN where it cannot be computed, and ``missing``: the names of the signals
that are NaN in the row. The column list is `SIGNAL_COLUMNS`.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Mapping

import numpy as np
import pyarrow as pa

from frontierwatch.errors import InputError
from frontierwatch.signals.content import (EVIDENCE_COUNTS, application_language, category_signals, impact_signal,
                                           industry_signals, new_term_ratio, window_counts)
from frontierwatch.signals.escore import TermIndex, term_emergence, topic_escore
from frontierwatch.signals.series import age_signals, burst_signals, monthly_burst_signals, share_signals

log = logging.getLogger(__name__)

__all__ = ["compute_topic_signals", "SIGNAL_COLUMNS", "REQUIRED_COLUMNS", "assignment_arrays"]

REQUIRED_COLUMNS = ("doc_id", "topic_id", "year")
SIGNAL_COLUMNS = (
    "count", "cum_count", "share", "log_share", "growth1", "growth2", "growth3", "acceleration", "trend_slope",
    "peak_share", "peak_year", "share_to_peak",
    "burst_state", "burst_weight", "burst_month_state", "burst_months", "burst_month_weight",
    "mean_age", "median_age", "birth_year", "age", "new_term_ratio", "novelty_distance",
    "escore_mean", "escore_share", "escore_owned", "category_entropy", "cross_field_share", "coherence",
    "impact", "patent_share", "patent_growth", "company_share", "st_linkage", "application_language",
    "count_prev2", "share_prev2", "count_growth2",
    "window_count", "patent_count", "paper_count", "affiliated_count", "patent_count_before", "cited_count",
)
# Counts that are never missing: documents of the year, to date, and the evidence counts of the window y−2…y
# (`content.EVIDENCE_COUNTS` and ``cited_count``, documents with a known citation count) the axes check.
_INT_LIKE = ("count", "cum_count", *EVIDENCE_COUNTS, "cited_count")


def _column(frame, name, default=None):
    if isinstance(frame, pa.Table):
        return frame.column(name).to_pylist() if name in frame.column_names else default
    return list(frame[name]) if name in frame else default


def assignment_arrays(frame) -> dict:
    """Validate an assignments frame and return numpy arrays of its rows that have a year and a topic."""
    names = frame.column_names if isinstance(frame, pa.Table) else list(frame.keys()) if isinstance(frame, Mapping) else None
    if names is None:
        raise InputError(f"assignments must be a pyarrow Table or a mapping of columns, got {type(frame).__name__}",
                         f"assignments 必须是 pyarrow 表或列映射，实际为 {type(frame).__name__}")
    lacking = [c for c in REQUIRED_COLUMNS if c not in names]
    if lacking:
        raise InputError(f"assignments lack columns {lacking}; expected at least {list(REQUIRED_COLUMNS)}",
                         f"assignments 缺少列 {lacking}；至少需要 {list(REQUIRED_COLUMNS)}")
    years = np.array([np.nan if y is None else y for y in _column(frame, "year")], dtype=np.float64)
    raw_topics = _column(frame, "topic_id")
    topics = np.empty(len(raw_topics), dtype=object)
    topics[:] = [None if t is None or (isinstance(t, (int, np.integer)) and t < 0) else t for t in raw_topics]
    keep = ~np.isnan(years) & np.array([t is not None for t in topics], dtype=bool)
    idx = np.flatnonzero(keep)
    n = len(years)

    def pick(name, default):
        col = _column(frame, name)
        if col is None:
            return [default] * len(idx), False
        return [col[i] for i in idx], True

    months, _ = pick("month", None)
    kind, _ = pick("kind", "paper")
    cats, has_cats = pick("categories", None)
    prim, has_prim = pick("primary_category", None)
    text, has_text = pick("text", None)
    cites, _ = pick("cited_by_count", None)
    insts, _ = pick("institution_types", None)
    dist, has_dist = pick("distance", None)
    app, has_app = pick("application_hit", None)
    if not has_prim:
        prim = [c[0] if c else None for c in cats]
    return {
        "n_input": n, "doc_id": np.asarray(_column(frame, "doc_id"), dtype=object)[idx],
        "topic_id": topics[idx], "year": years[idx].astype(np.int64),
        "month": np.array([0 if m is None or not 1 <= int(m) <= 12 else int(m) for m in months], dtype=np.int64),
        "kind": np.array([k or "paper" for k in kind], dtype=object),
        "categories": cats if has_cats else [None] * len(idx),
        "primary_category": np.array([p or "" for p in prim], dtype=object),
        "text": [t or "" for t in text] if has_text else None,
        "cited_by_count": np.array([np.nan if c is None else c for c in cites], dtype=np.float64),
        "company": np.array([bool(t) and "company" in t for t in insts]),
        "has_affiliation": np.array([bool(t) for t in insts]),
        "application_hit": np.asarray(app, dtype=np.float64) if has_app else None,
        "distance": np.array([np.nan if d is None else d for d in dist], dtype=np.float64) if has_dist else None,
    }


def compute_topic_signals(assignments, *, years: list[int] | None = None, terms=None,
                          term_scores: dict | None = None, centroids: Mapping | None = None,
                          burst_s: float = 2.0, burst_gamma: float = 1.0) -> pa.Table:
    """Signals per (topic_id, year); see the module docstring for the input and output columns.

    Parameters
    ----------
    assignments : the documents with their topic (columns above).
    years : the years to output (default: every year from the first to the last document year).
    terms : a `TermIndex` whose rows are the assignments' rows with a year and a topic, in order (saves
        re-hashing when the same documents are scored under several topic maps); built from ``text`` if None.
        Or term statistics aggregated elsewhere, with ``topic_term_signals(topic_ids, years_out, first,
        term_scores)`` giving new_term_ratio and the EScore aggregates (`frontierwatch.spark.terms.SparkTerms`).
    term_scores : a dict year → `term_emergence` output, read and filled in place (a cache across calls).
    centroids : topic_id → unit vector; enables ``novelty_distance`` (1 − cosine to the nearest topic born
        earlier), otherwise missing.
    burst_s, burst_gamma : Kleinberg parameters (CiteSpace defaults 2 and 1).
    """
    t0 = time.perf_counter()
    a = assignment_arrays(assignments)
    if len(a["year"]) == 0:
        raise InputError("no document has both a year and a topic; nothing to compute signals from",
                         "没有同时具有年份和主题的文献，无法计算信号")
    topic_ids, topic = _topic_codes(a["topic_id"])
    n_topics = len(topic_ids)
    first, last = int(a["year"].min()), int(a["year"].max())
    years_out = sorted(set(years)) if years else list(range(first, last + 1))
    span_last = max(last, max(years_out))
    n_years = span_last - first + 1
    yi = a["year"] - first
    counts = np.zeros((n_topics, n_years))
    np.add.at(counts, (topic, yi), 1.0)
    totals = np.bincount(yi, minlength=n_years).astype(np.float64)
    full: dict[str, np.ndarray] = {}
    full.update(share_signals(counts, totals))
    full["peak_year"] = full.pop("peak_index") + first
    full.update(burst_signals(counts, totals, s=burst_s, gamma=burst_gamma))
    dated = a["month"] > 0
    monthly = np.zeros((n_topics, 12 * n_years))
    mi = yi[dated] * 12 + a["month"][dated] - 1
    np.add.at(monthly, (topic[dated], mi), 1.0)
    full.update(monthly_burst_signals(monthly, np.bincount(mi, minlength=12 * n_years).astype(np.float64), n_years,
                                      s=burst_s, gamma=burst_gamma))
    full.update(age_signals(counts, first))
    cols = [y - first for y in years_out]
    out = {k: v[:, cols] for k, v in full.items()}
    # Years before the first document and topics without documents yet: count-derived signals are undefined.
    empty = out["cum_count"] == 0
    for k in out:
        if k not in _INT_LIKE and k not in ("share", "log_share"):
            out[k] = np.where(empty, np.nan, out[k])

    shape = (n_topics, len(years_out))
    nan = np.full(shape, np.nan)
    if a["text"] is not None and any(a["text"]) and terms is not None and not isinstance(terms, TermIndex):
        # term statistics aggregated elsewhere (the Spark engine), by the same functions over their counts
        out.update(terms.topic_term_signals(topic_ids, years_out, first, term_scores))
        out["application_language"] = application_language(a["text"], a["year"], topic, n_topics, years_out,
                                                            a["application_hit"])
    elif a["text"] is not None and any(a["text"]):
        if terms is None:
            terms = TermIndex.from_texts(a["doc_id"], a["text"], a["year"], a["primary_category"])
        if len(terms.years) != len(a["year"]):
            raise InputError(f"terms has {len(terms.years)} rows but assignments have {len(a['year'])} usable rows",
                             f"terms 有 {len(terms.years)} 行而 assignments 有 {len(a['year'])} 行")
        out["new_term_ratio"] = new_term_ratio(terms, topic, n_topics, years_out, first)
        cache = terms.scores if terms.scores is not None else term_scores if term_scores is not None else {}
        parts = {k: nan.copy() for k in ("escore_mean", "escore_share", "escore_owned")}
        for j, y in enumerate(years_out):
            if y not in cache:
                cache[y] = term_emergence(terms, y)
            for k, v in topic_escore(terms, topic, n_topics, y, cache[y]).items():
                parts[k][:, j] = v
        out.update(parts)
        out["application_language"] = application_language(a["text"], a["year"], topic, n_topics, years_out,
                                                            a["application_hit"])
    else:
        for k in ("new_term_ratio", "escore_mean", "escore_share", "escore_owned", "application_language"):
            out[k] = nan.copy()
    out.update(category_signals(a["categories"], a["year"], topic, n_topics, years_out))
    out["impact"] = impact_signal(a["cited_by_count"], a["primary_category"], a["year"], topic, n_topics, years_out)
    out["cited_count"] = window_counts(~np.isnan(a["cited_by_count"]), a["year"], topic, n_topics, years_out)
    out.update(industry_signals(a["kind"], a["company"], a["has_affiliation"], a["year"], topic, n_topics, years_out))
    out["coherence"] = _coherence(a["distance"], a["year"], topic, n_topics, years_out)
    out["novelty_distance"] = _novelty_distance(centroids, topic_ids, out["birth_year"])
    log.info("signals: %d topics × %d years from %d documents in %.1fs", n_topics, len(years_out),
             len(a["year"]), time.perf_counter() - t0)
    return _to_table(topic_ids, years_out, out)


def _topic_codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct topic ids (ints stay ints, anything else becomes str) and each row's dense index."""
    if all(isinstance(v, (int, np.integer)) for v in values):
        ids, inv = np.unique(np.asarray(values, dtype=np.int64), return_inverse=True)
    else:
        ids, inv = np.unique(np.asarray([str(v) for v in values], dtype=object), return_inverse=True)
    return ids, inv.astype(np.int64)


def _coherence(distance, years, topic, n_topics, years_out) -> np.ndarray:
    """1 − mean cosine distance of the topic's documents ≤ y to its centroid (NaN without distances)."""
    out = np.full((n_topics, len(years_out)), np.nan)
    if distance is None or np.isnan(distance).all():
        return out
    for j, y in enumerate(years_out):
        rows = np.flatnonzero((years <= y) & ~np.isnan(distance))
        n = np.bincount(topic[rows], minlength=n_topics)
        s = np.bincount(topic[rows], weights=distance[rows], minlength=n_topics)
        out[:, j] = np.where(n > 0, 1.0 - s / np.maximum(n, 1), np.nan)
    return out


def _novelty_distance(centroids, topic_ids, birth) -> np.ndarray:
    """1 − cosine similarity to the nearest topic born in an earlier year (NaN without centroids / for the
    oldest topics)."""
    out = np.full(birth.shape, np.nan)
    if not centroids:
        return out
    have = [i for i, t in enumerate(topic_ids) if t in centroids]
    if len(have) < 2:
        return out
    vec = np.stack([np.asarray(centroids[topic_ids[i]], dtype=np.float64) for i in have])
    vec /= np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-12)
    sim = vec @ vec.T
    for j in range(birth.shape[1]):
        b = birth[have, j]
        older = b[None, :] < b[:, None]
        best = np.where(older, sim, -np.inf).max(axis=1)
        out[have, j] = np.where(np.isfinite(best), 1.0 - best, np.nan)
    return out


def _to_table(topic_ids: np.ndarray, years_out: list[int], out: dict[str, np.ndarray]) -> pa.Table:
    n_topics, n_years = len(topic_ids), len(years_out)
    id_type = pa.int64() if topic_ids.dtype.kind == "i" else pa.string()
    cols = {"topic_id": pa.array(np.repeat(topic_ids, n_years).tolist(), id_type),
            "year": pa.array(np.tile(np.asarray(years_out, dtype=np.int64), n_topics), pa.int64())}
    flat = {}
    for name in SIGNAL_COLUMNS:
        v = out[name].reshape(-1)
        flat[name] = v
        cols[name] = pa.array(v.astype(np.int64) if name in _INT_LIKE else v, from_pandas=True)
    nan_mask = np.stack([np.isnan(flat[n]) if n not in _INT_LIKE else np.zeros(len(flat[n]), bool)
                         for n in SIGNAL_COLUMNS], axis=1)
    names = np.array(SIGNAL_COLUMNS, dtype=object)
    cols["missing"] = pa.array([list(names[row]) for row in nan_mask], pa.list_(pa.string()))
    return pa.table(cols)
