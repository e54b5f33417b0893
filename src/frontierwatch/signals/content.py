"""Signals from what a topic's documents say and who wrote them: new terms, categories, impact, industry.

Each function returns (n_topics, n_years) arrays whose column for year y reads only documents dated ≤ y
(mostly a trailing window y−2…y). Where the corpus has no data for a signal — no citations, no patents, no
affiliations — the whole array is NaN and the caller lists the signal as *missing*: absent is not zero.
"""
from __future__ import annotations


import numpy as np
import scipy.sparse as sp

from frontierwatch.signals.escore import TermIndex, texts_key
from frontierwatch.text import LATIN_WORD

__all__ = ["EVIDENCE_COUNTS", "window_counts", "new_term_ratio", "category_signals", "impact_signal", "industry_signals", "application_language",
           "application_hits", "APPLICATION_TERMS"]

WINDOW = 3  # trailing years for window signals: y−2 … y
# Evidence counts returned by `industry_signals` beside its signals (documents in the window, by kind).
EVIDENCE_COUNTS = ("window_count", "patent_count", "paper_count", "affiliated_count", "patent_count_before")

# Application-oriented vocabulary (CSET/OECD style): words that say a result is meant to be used, built or sold.
APPLICATION_TERMS = (
    "application", "applications", "applied", "deploy", "deployed", "deployment", "industrial", "industry",
    "commercial", "product", "products", "manufacturing", "manufactured", "prototype", "device", "devices",
    "real-world", "practical", "low-cost", "cost-effective", "scalable", "platform", "clinical", "market",
    "engineering", "implementation", "hardware", "sensor", "sensors", "system-level", "field-tested", "production",
)
_APPLICATION_SET = frozenset(APPLICATION_TERMS)


def _window_rows(years: np.ndarray, y: int, window: int = WINDOW) -> np.ndarray:
    return (years > y - window) & (years <= y)


def _per_topic_mean(values: np.ndarray, topic: np.ndarray, rows: np.ndarray, n_topics: int) -> np.ndarray:
    n = np.bincount(topic[rows], minlength=n_topics).astype(np.float64)
    s = np.bincount(topic[rows], weights=values[rows], minlength=n_topics)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, s / np.maximum(n, 1), np.nan)


def new_term_ratio(terms: TermIndex, topic: np.ndarray, n_topics: int, years_out: list[int], first_year: int
                   ) -> np.ndarray:
    """Mean share of a document's bigrams first seen (anywhere in the corpus) in the document's own year.

    Per topic and year y: averaged over the topic's documents of year y. A term's first year is the earliest
    year of a document holding it, which for terms present by y only depends on documents ≤ y.
    """
    last = max(years_out)
    counts, _ = terms.year_counts(first_year, last)
    present = counts > 0
    first_seen = np.where(present.any(axis=0), present.argmax(axis=0) + first_year, 10 ** 6)
    out = np.full((n_topics, len(years_out)), np.nan)
    nnz = terms.matrix.getnnz(axis=1).astype(np.float64)
    for j, y in enumerate(years_out):
        rows = np.flatnonzero((terms.years == y) & (topic >= 0))
        if not len(rows):
            continue
        new = np.asarray(terms.matrix[rows] @ (first_seen == y).astype(np.float32)).ravel()
        ratio = np.zeros(len(terms.years))
        ratio[rows] = np.where(nnz[rows] > 0, new / np.maximum(nnz[rows], 1), 0.0)
        out[:, j] = _per_topic_mean(ratio, topic, rows, n_topics)
    return out


def category_signals(categories: list, years: np.ndarray, topic: np.ndarray, n_topics: int, years_out: list[int]
                     ) -> dict[str, np.ndarray]:
    """Interdisciplinarity over y−2…y: ``category_entropy`` (Shannon entropy, nats, of the topic's category
    mix, each document spreading weight 1 over its categories) and ``cross_field_share`` (documents whose
    categories span ≥ 2 top-level fields, e.g. cs and q-bio). NaN when no document has categories."""
    codes: dict[str, int] = {}
    rows_i, cols_i, vals = [], [], []
    cross = np.zeros(len(years))
    has = np.zeros(len(years), dtype=bool)
    for i, cats in enumerate(categories):
        if cats is None or len(cats) == 0:
            continue
        has[i] = True
        cats = list(dict.fromkeys(str(c) for c in cats))
        for c in cats:
            rows_i.append(i)
            cols_i.append(codes.setdefault(c, len(codes)))
            vals.append(1.0 / len(cats))
        cross[i] = float(len({c.split(".")[0] for c in cats}) > 1)
    entropy = np.full((n_topics, len(years_out)), np.nan)
    cross_share = np.full((n_topics, len(years_out)), np.nan)
    if not codes:
        return {"category_entropy": entropy, "cross_field_share": cross_share}
    by_name = np.argsort(np.array(list(codes), dtype=object))
    doc_cat = sp.csr_matrix((vals, (rows_i, cols_i)), shape=(len(years), len(codes)))
    for j, y in enumerate(years_out):
        rows = np.flatnonzero(_window_rows(years, y) & has & (topic >= 0))
        if not len(rows):
            continue
        owner = sp.csr_matrix((np.ones(len(rows)), (topic[rows], np.arange(len(rows)))), shape=(n_topics, len(rows)))
        mix = np.asarray((owner @ doc_cat[rows]).todense())[:, by_name]
        # only categories seen in the window, in name order: sums then never depend on categories (or their
        # first-seen order) that only later documents bring
        mix = mix[:, mix.sum(axis=0) > 0]
        total = mix.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            p = mix / np.where(total > 0, total, 1.0)
            ent = -(np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)).sum(axis=1)
        entropy[:, j] = np.where(total[:, 0] > 0, ent, np.nan)
        cross_share[:, j] = _per_topic_mean(cross, topic, rows, n_topics)
    return {"category_entropy": entropy, "cross_field_share": cross_share}


def window_counts(flags: np.ndarray, years: np.ndarray, topic: np.ndarray, n_topics: int, years_out: list[int]
                  ) -> np.ndarray:
    """(n_topics, n_years) number of each topic's documents in y−2…y for which `flags` is true."""
    out = np.zeros((n_topics, len(years_out)))
    for j, y in enumerate(years_out):
        rows = np.flatnonzero(_window_rows(years, y) & flags & (topic >= 0))
        out[:, j] = np.bincount(topic[rows], minlength=n_topics)
    return out


def impact_signal(cited_by: np.ndarray, field: np.ndarray, years: np.ndarray, topic: np.ndarray, n_topics: int,
                  years_out: list[int]) -> np.ndarray:
    """Field- and year-normalised citations over y−2…y: mean of (citations / mean citations of documents with
    the same field and year). All NaN when no document carries a citation count.

    Citation counts are a snapshot taken when the data was harvested, not as of y: the forecaster therefore
    never uses this signal (it would leak the future); it is shown, not predicted from.
    """
    c = np.asarray(cited_by, dtype=np.float64)
    out = np.full((n_topics, len(years_out)), np.nan)
    known = ~np.isnan(c)
    if not known.any():
        return out
    key = np.array([f"{f}|{y}" for f, y in zip(field, years)], dtype=object)
    codes, inv = np.unique(key, return_inverse=True)
    sums = np.bincount(inv[known], weights=c[known], minlength=len(codes))
    ns = np.bincount(inv[known], minlength=len(codes))
    base = np.where(ns > 0, sums / np.maximum(ns, 1), np.nan)[inv]
    norm = np.where(known & (base > 0), c / np.where(base > 0, base, 1.0), np.where(known, 0.0, np.nan))
    for j, y in enumerate(years_out):
        rows = np.flatnonzero(_window_rows(years, y) & known & (topic >= 0))
        if len(rows):
            out[:, j] = _per_topic_mean(np.nan_to_num(norm), topic, rows, n_topics)
    return out


def industry_signals(kind: np.ndarray, company: np.ndarray, has_affiliation: np.ndarray, years: np.ndarray,
                     topic: np.ndarray, n_topics: int, years_out: list[int]) -> dict[str, np.ndarray]:
    """Patent and company signals over y−2…y, NaN where the corpus (≤ y) has no patents / no affiliations.

    The evidence counts beside them say how many documents each rests on, so the axes can leave out a
    component whose signal is a formality (a patent share of 0 from a topic without patents; a company share
    of 1.0 from one affiliated paper): ``window_count`` (the topic's documents in y−2…y), ``patent_count``
    (its patents there), ``paper_count`` (its other documents there), ``affiliated_count`` (its documents
    there with at least one known institution type), ``patent_count_before`` (its patents in y−5…y−3).

    ``patent_share``: patents among the topic's documents. ``patent_growth``: ln of the topic's share of all
    patents in y−2…y over its share in y−5…y−3 (½-document smoothing). ``company_share``: documents with a
    company-affiliated author among those with affiliations. ``st_linkage`` (science–technology linkage):
    min/max of the topic's share of all papers and its share of all patents — 1 when the topic holds papers
    and patents in the same proportion, 0 when one side is absent.
    """
    is_patent = np.asarray(kind) == "patent"
    shape = (n_topics, len(years_out))
    out = {k: np.full(shape, np.nan) for k in ("patent_share", "patent_growth", "company_share", "st_linkage")}
    counts = {k: np.zeros(shape) for k in EVIDENCE_COUNTS}
    for j, y in enumerate(years_out):
        upto = years <= y
        rows = np.flatnonzero(_window_rows(years, y) & (topic >= 0))
        old_rows = np.flatnonzero(_window_rows(years, y - WINDOW) & (topic >= 0))
        counts["window_count"][:, j] = np.bincount(topic[rows], minlength=n_topics)
        counts["patent_count"][:, j] = np.bincount(topic[rows], weights=is_patent[rows], minlength=n_topics)
        counts["paper_count"][:, j] = counts["window_count"][:, j] - counts["patent_count"][:, j]
        counts["affiliated_count"][:, j] = np.bincount(topic[rows], weights=has_affiliation[rows], minlength=n_topics)
        counts["patent_count_before"][:, j] = np.bincount(topic[old_rows], weights=is_patent[old_rows],
                                                          minlength=n_topics)
        if is_patent[upto].any() and len(rows):
            out["patent_share"][:, j] = _per_topic_mean(is_patent.astype(np.float64), topic, rows, n_topics)
            pat = np.bincount(topic[rows], weights=is_patent[rows], minlength=n_topics)
            pap = np.bincount(topic[rows], weights=~is_patent[rows], minlength=n_topics)
            old = np.flatnonzero(_window_rows(years, y - WINDOW) & (topic >= 0))
            pat_old = np.bincount(topic[old], weights=is_patent[old], minlength=n_topics)
            out["patent_growth"][:, j] = (np.log((pat + 0.5) / (pat.sum() + 0.5))
                                          - np.log((pat_old + 0.5) / (pat_old.sum() + 0.5)))
            a, b = pat / max(pat.sum(), 1.0), pap / max(pap.sum(), 1.0)
            with np.errstate(invalid="ignore", divide="ignore"):
                out["st_linkage"][:, j] = np.where(np.maximum(a, b) > 0, np.minimum(a, b) / np.maximum(a, b), 0.0)
        aff_rows = rows[has_affiliation[rows]] if len(rows) else rows
        if has_affiliation[upto].any() and len(aff_rows):
            out["company_share"][:, j] = _per_topic_mean(company.astype(np.float64), topic, aff_rows, n_topics)
    return out | counts


def application_hits(texts) -> np.ndarray:
    """1.0 where a text uses an application-oriented word (`APPLICATION_TERMS`), else 0.0 (per document); on every
    core (`frontierwatch.workers`), and remembered for the last texts, as the term index is."""
    from frontierwatch.workers import map_chunks

    texts = [t if t else "" for t in texts]
    key = texts_key(texts)
    if _HITS.get("key") != key:
        _HITS.clear()
        _HITS.update(key=key, hits=np.concatenate(map_chunks(_hits, texts)))
    return _HITS["hits"].copy()


_HITS: dict = {}


def _hits(texts: list[str]) -> np.ndarray:
    return np.array([bool(t) and not _APPLICATION_SET.isdisjoint(LATIN_WORD.findall(t.lower())) for t in texts],
                    dtype=np.float64)


def application_language(texts, years: np.ndarray, topic: np.ndarray, n_topics: int, years_out: list[int],
                         hits: np.ndarray | None = None) -> np.ndarray:
    """Share of the topic's documents in y−2…y whose title/abstract uses application-oriented words
    (`APPLICATION_TERMS`; `hits` = precomputed `application_hits`). NaN when no document has text."""
    has_text = np.array([bool(t) for t in texts])
    hit = application_hits(texts) if hits is None else np.asarray(hits, dtype=np.float64)
    out = np.full((n_topics, len(years_out)), np.nan)
    for j, y in enumerate(years_out):
        rows = np.flatnonzero(_window_rows(years, y) & has_text & (topic >= 0))
        if len(rows):
            out[:, j] = _per_topic_mean(hit, topic, rows, n_topics)
    return out
