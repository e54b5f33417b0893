"""The two axes — breakthrough and industrialisation potential — and the lifecycle stage of each topic.

Each axis is a weighted mean of *percentile ranks among the year's topics* of its components, so it reads
"this topic is more X than p% of topics this year" and stays comparable across corpora. A component without
data for a topic (missing signal) is left out and the remaining weights are renormalised; its contribution is
reported as None, never as zero. The contributions of the present components sum to the score.

Breakthrough (is it new, emerging and crossing fields?):

=====================  ======  ===============================================================
component              weight  signal (higher = more breakthrough)
=====================  ======  ===============================================================
term_emergence         0.25    ``escore_owned`` — emergent bigrams the topic owns (Porter/Carley)
burst                  0.15    ``burst_weight`` — Kleinberg burst weight of the year
momentum               0.15    ``growth2`` — log share growth over two years
recency                0.15    −``mean_age`` — how recent the topic's documents are
novelty                0.10    ``new_term_ratio`` — bigrams never seen before in the corpus
interdisciplinarity    0.10    ``category_entropy`` — spread over categories
impact                 0.10    ``impact`` — field- and year-normalised citations
=====================  ======  ===============================================================

Industrialisation potential (is it moving towards products?):

=====================  ======  ===============================================================
patenting              0.25    ``patent_share`` — patents among the topic's documents
patent_growth          0.15    ``patent_growth``
company_involvement    0.20    ``company_share`` — documents with company-affiliated authors
science_tech_linkage   0.15    ``st_linkage`` — papers and patents in balance
application_language   0.15    ``application_language`` — application-oriented wording
scale                  0.10    ``count`` — volume of activity in the year
=====================  ======  ===============================================================

Stage rule (first match wins), from the 2-year growth g = growth2, the share relative to its peak and age:
``declining``: share ≤ 70% of the peak and g < 0; ``emerging``: born ≤ 3 years ago, or g ≥ ln 1.5 while
its share is below the year's median; ``growing``: g ≥ ln 1.1; ``mature``: otherwise.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa

__all__ = ["BREAKTHROUGH", "INDUSTRIALISATION", "STAGES", "compute_axes", "axis_scores", "lifecycle_stage"]

BREAKTHROUGH = {"term_emergence": ("escore_owned", 1, 0.25), "burst": ("burst_weight", 1, 0.15),
                "momentum": ("growth2", 1, 0.15), "recency": ("mean_age", -1, 0.15),
                "novelty": ("new_term_ratio", 1, 0.10), "interdisciplinarity": ("category_entropy", 1, 0.10),
                "impact": ("impact", 1, 0.10)}
INDUSTRIALISATION = {"patenting": ("patent_share", 1, 0.25), "patent_growth": ("patent_growth", 1, 0.15),
                     "company_involvement": ("company_share", 1, 0.20),
                     "science_tech_linkage": ("st_linkage", 1, 0.15),
                     "application_language": ("application_language", 1, 0.15), "scale": ("count", 1, 0.10)}
STAGES = ("emerging", "growing", "mature", "declining")


def _pct_rank(x: np.ndarray) -> np.ndarray:
    """Percentile rank in (0, 1] among the non-missing values (ties averaged); NaN stays NaN."""
    from scipy.stats import rankdata

    out = np.full(len(x), np.nan)
    ok = ~np.isnan(x)
    if ok.any():
        out[ok] = rankdata(x[ok], method="average") / ok.sum()
    return out


def axis_scores(columns: dict[str, np.ndarray], spec: dict) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Score and per-component contributions for one year's topics.

    Parameters
    ----------
    columns : signal name → (n_topics,) values of one year.  spec : `BREAKTHROUGH` or `INDUSTRIALISATION`.

    Returns
    -------
    score : (n_topics,) in [0, 1], NaN when every component is missing.
    contributions : component → (n_topics,) weight × percentile / (sum of present weights), NaN where missing;
        ``np.nansum`` over components equals ``score``.
    """
    n = len(next(iter(columns.values())))
    ranks, weights = {}, {}
    for comp, (signal, sign, w) in spec.items():
        vals = np.asarray(columns.get(signal, np.full(n, np.nan)), dtype=np.float64)
        ranks[comp] = _pct_rank(sign * vals)
        weights[comp] = np.where(np.isnan(ranks[comp]), 0.0, w)
    total_w = np.sum(list(weights.values()), axis=0)
    contributions = {}
    for comp in spec:
        with np.errstate(invalid="ignore", divide="ignore"):
            contributions[comp] = np.where(np.isnan(ranks[comp]) | (total_w == 0), np.nan,
                                           weights[comp] * np.nan_to_num(ranks[comp]) / np.where(total_w > 0, total_w, 1))
    stacked = np.stack(list(contributions.values()))
    score = np.where(total_w > 0, np.nansum(stacked, axis=0), np.nan)
    return score, contributions


def lifecycle_stage(columns: dict[str, np.ndarray], year: int) -> np.ndarray:
    """Stage of each topic in `year` by the rule in the module docstring (None while it has no documents)."""
    g = np.asarray(columns["growth2"], dtype=np.float64)
    to_peak = np.asarray(columns["share_to_peak"], dtype=np.float64)
    age = year - np.asarray(columns["birth_year"], dtype=np.float64)
    share = np.asarray(columns["share"], dtype=np.float64)
    has = np.asarray(columns["cum_count"], dtype=np.float64) > 0
    median = np.nanmedian(share[has]) if has.any() else 0.0
    g0 = np.nan_to_num(g, nan=0.0)
    out = np.full(len(g), None, dtype=object)
    for i in range(len(g)):
        if not has[i]:
            continue
        if to_peak[i] <= 0.7 and g0[i] < 0:
            out[i] = "declining"
        elif age[i] <= 3 or (g0[i] >= np.log(1.5) and share[i] < median):
            out[i] = "emerging"
        elif g0[i] >= np.log(1.1):
            out[i] = "growing"
        else:
            out[i] = "mature"
    return out


def compute_axes(signals: pa.Table) -> pa.Table:
    """From a ``topic_signals`` table to ``topic_axes``: per (topic_id, year) ``breakthrough``,
    ``industrialisation``, ``stage`` and ``breakthrough_parts`` / ``industrialisation_parts`` (component →
    contribution, missing components left out of the map) plus ``missing_components``."""
    years = np.asarray(signals.column("year").to_numpy())
    out_rows: dict[str, list] = {k: [] for k in ("topic_id", "year", "breakthrough", "industrialisation", "stage",
                                                "breakthrough_parts", "industrialisation_parts", "missing_components")}
    topic_ids = np.asarray(signals.column("topic_id").to_numpy(zero_copy_only=False))
    id_type = signals.schema.field("topic_id").type
    names = [c for c in signals.column_names if c not in ("topic_id", "year", "missing")]
    for y in np.unique(years):
        rows = np.flatnonzero(years == y)
        cols = {c: np.asarray(signals.column(c).to_numpy(zero_copy_only=False), dtype=np.float64)[rows] for c in names}
        b, b_parts = axis_scores(cols, BREAKTHROUGH)
        i, i_parts = axis_scores(cols, INDUSTRIALISATION)
        stage = lifecycle_stage(cols, int(y))
        for k, r in enumerate(rows):
            out_rows["topic_id"].append(topic_ids[r].item() if hasattr(topic_ids[r], "item") else topic_ids[r])
            out_rows["year"].append(int(y))
            out_rows["breakthrough"].append(None if np.isnan(b[k]) else float(b[k]))
            out_rows["industrialisation"].append(None if np.isnan(i[k]) else float(i[k]))
            out_rows["stage"].append(stage[k])
            out_rows["breakthrough_parts"].append([(c, float(v[k])) for c, v in b_parts.items() if not np.isnan(v[k])])
            out_rows["industrialisation_parts"].append([(c, float(v[k])) for c, v in i_parts.items()
                                                        if not np.isnan(v[k])])
            out_rows["missing_components"].append([c for c, v in {**b_parts, **i_parts}.items() if np.isnan(v[k])])
    parts_type = pa.map_(pa.string(), pa.float64())
    return pa.table({
        "topic_id": pa.array(out_rows["topic_id"], id_type), "year": pa.array(out_rows["year"], pa.int64()),
        "breakthrough": pa.array(out_rows["breakthrough"], pa.float64()),
        "industrialisation": pa.array(out_rows["industrialisation"], pa.float64()),
        "stage": pa.array(out_rows["stage"], pa.string()),
        "breakthrough_parts": pa.array(out_rows["breakthrough_parts"], parts_type),
        "industrialisation_parts": pa.array(out_rows["industrialisation_parts"], parts_type),
        "missing_components": pa.array(out_rows["missing_components"], pa.list_(pa.string())),
    })
