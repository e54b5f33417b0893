"""The two axes — breakthrough and industrialisation potential — and the lifecycle stage of each topic.

Each axis is a weighted mean of *percentile ranks among the year's topics* of its components; a component's
percentile is the share of the other topics (those where the component has data) with a strictly lower value,
so it reads "this topic is more X than p% of topics this year": a topic tied with the others at zero — no
emergent terms, no patents — gets 0 from that component, not the middle rank of the tie.

**No invented numbers.** A component enters a topic's score only when it has data behind it:

* the topic's evidence reaches the published minimum (`COMPONENT_EVIDENCE`): e.g. patenting needs at least
  `MIN_PATENTS` patents of the topic in y−2…y (a patent share of 0 from a topic without patents is not a
  finding), company involvement at least `MIN_AFFILIATED` documents with a known institution (a company share
  of 1.0 from one affiliated paper is not a finding), science–technology linkage patents *and* papers;
* the component varies in that year: when it has the same value for every topic (linkage 0 everywhere) or
  fewer than `MIN_PEERS` topics have it, a rank says nothing and the component is left out for all.

The weights of the components left in are renormalised; the contributions (weight × percentile / sum of the
present weights) sum to the score, and the score says on how many components it rests. With fewer than
`MIN_COMPONENTS` components the axis is *insufficient data* (NULL), not a number. Why each component is
missing is kept (`missing_reasons`: component → `REASONS` code) so pages can say it in words.

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

**Stage from counts and share together** (first match wins; c = documents of the year, c₋₂ two years
before, s and s₋₂ the same as shares of all documents, both ratios with ½-document smoothing as ``growth2``):

1. ``declining``: documents fall (c/c₋₂ ≤ 0.9) *and* the share falls (s/s₋₂ ≤ 0.9) *and* the share is at
   most 70% of its peak;
2. ``emerging``: documents do not fall (c/c₋₂ > 0.9) and the topic was born at most 3 years ago, or its share
   grew at least ×1.5 while still below the year's median share;
3. ``growing``: documents rise (c/c₋₂ ≥ 1.1) and the share holds (s/s₋₂ ≥ 0.9);
4. ``mature``: otherwise — steady, or more documents while the share falls (growing more slowly than the
   corpus), or fewer documents while the share holds.

The numbers behind it are kept per row (`stage_basis`) and stated on the topic page.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa

__all__ = ["BREAKTHROUGH", "INDUSTRIALISATION", "STAGES", "COMPONENT_EVIDENCE", "MIN_COMPONENTS", "MIN_PEERS",
           "MIN_PATENTS", "MIN_AFFILIATED", "MIN_DOCUMENTS", "REASONS", "STAGE_RULE", "compute_axes", "axis_scores",
           "lifecycle_stage"]

BREAKTHROUGH = {"term_emergence": ("escore_owned", 1, 0.25), "burst": ("burst_weight", 1, 0.15),
                "momentum": ("growth2", 1, 0.15), "recency": ("mean_age", -1, 0.15),
                "novelty": ("new_term_ratio", 1, 0.10), "interdisciplinarity": ("category_entropy", 1, 0.10),
                "impact": ("impact", 1, 0.10)}
INDUSTRIALISATION = {"patenting": ("patent_share", 1, 0.25), "patent_growth": ("patent_growth", 1, 0.15),
                     "company_involvement": ("company_share", 1, 0.20),
                     "science_tech_linkage": ("st_linkage", 1, 0.15),
                     "application_language": ("application_language", 1, 0.15), "scale": ("count", 1, 0.10)}
STAGES = ("emerging", "growing", "mature", "declining")

MIN_COMPONENTS = 3   # components an axis must rest on to be a number
MIN_PEERS = 5        # topics that must have a component (with at least two values) for its rank to mean anything
MIN_PATENTS = 3      # the topic's patents in y−2…y for patenting and linkage; in y−5…y for patent growth
MIN_AFFILIATED = 10  # the topic's documents with a known institution in y−2…y (the landscapes' minimum too)
MIN_DOCUMENTS = 5    # the topic's documents (with text, citations) behind a text or citation component

# component → [(evidence signal(s) summed, minimum, reason code when below)]: all must hold.
COMPONENT_EVIDENCE = {
    "term_emergence": [(("window_count",), MIN_DOCUMENTS, "few_documents")],
    "novelty": [(("count",), MIN_DOCUMENTS, "few_documents")],
    "interdisciplinarity": [(("window_count",), MIN_DOCUMENTS, "few_documents")],
    "impact": [(("cited_count",), MIN_DOCUMENTS, "few_cited")],
    "patenting": [(("patent_count",), MIN_PATENTS, "few_patents")],
    "patent_growth": [(("patent_count", "patent_count_before"), MIN_PATENTS, "few_patents")],
    "science_tech_linkage": [(("patent_count",), MIN_PATENTS, "few_patents"),
                             (("paper_count",), MIN_DOCUMENTS, "few_papers")],
    "company_involvement": [(("affiliated_count",), MIN_AFFILIATED, "few_affiliated")],
    "application_language": [(("window_count",), MIN_DOCUMENTS, "few_documents")],
}
# Why a component is missing: the codes of `missing_reasons`, in the order they are checked.
REASONS = ("no_signal", "few_documents", "few_cited", "few_patents", "few_papers", "few_affiliated", "few_topics",
           "no_variation")
# The stage thresholds of the module docstring (ratios over two years), for pages that state the rule.
STAGE_RULE = {"falling": 0.9, "rising": 1.1, "share_holds": 0.9, "to_peak": 0.7, "young_years": 3,
              "emerging_share_growth": 1.5}


def _pct_rank(x: np.ndarray) -> np.ndarray:
    """Share of the other non-missing values strictly below each value, in [0, 1]; NaN stays NaN."""
    out = np.full(len(x), np.nan)
    ok = ~np.isnan(x)
    n = int(ok.sum())
    if n >= 2:
        vals = x[ok]
        out[ok] = np.searchsorted(np.sort(vals), vals, side="left") / (n - 1)
    return out


def _evidence_reason(columns: dict[str, np.ndarray], comp: str, n: int) -> np.ndarray:
    """Per topic: the reason code why `comp` lacks the evidence it needs, or None when it has it."""
    out = np.full(n, None, dtype=object)
    for signals, minimum, code in COMPONENT_EVIDENCE.get(comp, ()):
        if not all(s in columns for s in signals):   # tables from before the evidence counts: no check
            continue
        have = np.sum([np.nan_to_num(np.asarray(columns[s], dtype=np.float64)) for s in signals], axis=0)
        out = np.where((out == None) & (have < minimum), code, out)  # noqa: E711 (elementwise)
    return out


def axis_scores(columns: dict[str, np.ndarray], spec: dict, min_components: int = MIN_COMPONENTS
                ) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Score, per-component contributions and the reasons of missing components for one year's topics.

    Parameters
    ----------
    columns : signal name → (n_topics,) values of one year (evidence counts included when available).
    spec : `BREAKTHROUGH` or `INDUSTRIALISATION`.  min_components : fewer present components → score NaN.

    Returns
    -------
    score : (n_topics,) in [0, 1], NaN when fewer than `min_components` components have data.
    contributions : component → (n_topics,) weight × percentile / (sum of present weights), NaN where missing;
        ``np.nansum`` over components equals ``score`` where it is a number.
    reasons : component → (n_topics,) object array of `REASONS` codes, None where the component is present.
    """
    n = len(next(iter(columns.values())))
    ranks, weights, reasons = {}, {}, {}
    for comp, (signal, sign, w) in spec.items():
        vals = np.asarray(columns.get(signal, np.full(n, np.nan)), dtype=np.float64)
        why = np.where(np.isnan(vals), "no_signal", None).astype(object)
        short = _evidence_reason(columns, comp, n)
        why = np.where((why == None) & (short != None), short, why)  # noqa: E711
        usable = why == None  # noqa: E711
        if 0 < usable.sum() < MIN_PEERS:
            why = np.where(usable, "few_topics", why)
        elif usable.any() and np.unique(vals[usable]).size < 2:
            why = np.where(usable, "no_variation", why)
        usable = why == None  # noqa: E711
        ranks[comp] = _pct_rank(np.where(usable, sign * vals, np.nan))
        weights[comp] = np.where(usable, w, 0.0)
        reasons[comp] = why
    total_w = np.sum(list(weights.values()), axis=0)
    present = np.sum([weights[c] > 0 for c in spec], axis=0)
    contributions = {}
    for comp in spec:
        with np.errstate(invalid="ignore", divide="ignore"):
            contributions[comp] = np.where(np.isnan(ranks[comp]) | (total_w == 0), np.nan,
                                           weights[comp] * np.nan_to_num(ranks[comp]) / np.where(total_w > 0, total_w, 1))
    stacked = np.stack(list(contributions.values()))
    score = np.where((total_w > 0) & (present >= min_components), np.nansum(stacked, axis=0), np.nan)
    return score, contributions, reasons


def lifecycle_stage(columns: dict[str, np.ndarray], year: int) -> tuple[np.ndarray, list[dict | None]]:
    """Stage of each topic in `year` by the rule in the module docstring (None while it has no documents),
    and the numbers it was decided on: ``{"count", "count_prev2", "count_ratio", "share", "share_prev2",
    "share_ratio", "share_to_peak", "peak_share", "peak_year", "birth_year", "median_share"}`` (None entries
    where a number is not defined, e.g. two years before the first document)."""
    r = STAGE_RULE
    g = np.asarray(columns["growth2"], dtype=np.float64)
    to_peak = np.asarray(columns["share_to_peak"], dtype=np.float64)
    age = year - np.asarray(columns["birth_year"], dtype=np.float64)
    share = np.asarray(columns["share"], dtype=np.float64)
    count = np.asarray(columns["count"], dtype=np.float64)
    has = np.asarray(columns["cum_count"], dtype=np.float64) > 0
    cg = np.asarray(columns.get("count_growth2", np.full(len(g), np.nan)), dtype=np.float64)
    median = float(np.nanmedian(share[has])) if has.any() else 0.0
    share_ratio, count_ratio = np.exp(g), np.exp(cg)
    out = np.full(len(g), None, dtype=object)
    basis: list[dict | None] = [None] * len(g)
    for i in range(len(g)):
        if not has[i]:
            continue
        sr = share_ratio[i] if np.isfinite(share_ratio[i]) else 1.0   # no history yet: treat as steady
        cr = count_ratio[i] if np.isfinite(count_ratio[i]) else sr    # older tables without counts: the share's
        if cr <= r["falling"] and sr <= r["share_holds"] and to_peak[i] <= r["to_peak"]:
            out[i] = "declining"
        elif cr > r["falling"] and (age[i] <= r["young_years"]
                                    or (sr >= r["emerging_share_growth"] and share[i] < median)):
            out[i] = "emerging"
        elif cr >= r["rising"] and sr >= r["share_holds"]:
            out[i] = "growing"
        else:
            out[i] = "mature"
        basis[i] = {k: (None if v is None or not np.isfinite(v) else float(v)) for k, v in {
            "count": count[i], "count_prev2": _at(columns, "count_prev2", i), "count_ratio": count_ratio[i],
            "share": share[i], "share_prev2": _at(columns, "share_prev2", i), "share_ratio": share_ratio[i],
            "share_to_peak": to_peak[i], "peak_share": _at(columns, "peak_share", i),
            "peak_year": _at(columns, "peak_year", i), "birth_year": _at(columns, "birth_year", i),
            "median_share": median}.items()}
    return out, basis


def _at(columns: dict, name: str, i: int) -> float:
    return float(columns[name][i]) if name in columns else float("nan")


def compute_axes(signals: pa.Table) -> pa.Table:
    """From a ``topic_signals`` table to ``topic_axes``: per (topic_id, year) ``breakthrough``,
    ``industrialisation`` (NULL: insufficient data), ``stage`` and ``breakthrough_parts`` /
    ``industrialisation_parts`` (component → contribution, missing components left out of the map; the number
    of entries is the number of components the score rests on) plus ``missing_components``,
    ``missing_reasons`` (component → `REASONS` code) and ``stage_basis`` (the numbers the stage was decided on,
    see `lifecycle_stage`)."""
    years = np.asarray(signals.column("year").to_numpy())
    out_rows: dict[str, list] = {k: [] for k in ("topic_id", "year", "breakthrough", "industrialisation", "stage",
                                                "breakthrough_parts", "industrialisation_parts", "missing_components",
                                                "missing_reasons", "stage_basis")}
    topic_ids = np.asarray(signals.column("topic_id").to_numpy(zero_copy_only=False))
    id_type = signals.schema.field("topic_id").type
    names = [c for c in signals.column_names if c not in ("topic_id", "year", "missing")]
    for y in np.unique(years):
        rows = np.flatnonzero(years == y)
        cols = {c: np.asarray(signals.column(c).to_numpy(zero_copy_only=False), dtype=np.float64)[rows] for c in names}
        b, b_parts, b_why = axis_scores(cols, BREAKTHROUGH)
        i, i_parts, i_why = axis_scores(cols, INDUSTRIALISATION)
        stage, basis = lifecycle_stage(cols, int(y))
        why = {**b_why, **i_why}
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
            out_rows["missing_reasons"].append([(c, str(v[k])) for c, v in why.items() if v[k] is not None])
            out_rows["stage_basis"].append([(kk, vv) for kk, vv in basis[k].items()] if basis[k] else None)
    parts_type = pa.map_(pa.string(), pa.float64())
    return pa.table({
        "topic_id": pa.array(out_rows["topic_id"], id_type), "year": pa.array(out_rows["year"], pa.int64()),
        "breakthrough": pa.array(out_rows["breakthrough"], pa.float64()),
        "industrialisation": pa.array(out_rows["industrialisation"], pa.float64()),
        "stage": pa.array(out_rows["stage"], pa.string()),
        "breakthrough_parts": pa.array(out_rows["breakthrough_parts"], parts_type),
        "industrialisation_parts": pa.array(out_rows["industrialisation_parts"], parts_type),
        "missing_components": pa.array(out_rows["missing_components"], pa.list_(pa.string())),
        "missing_reasons": pa.array(out_rows["missing_reasons"], pa.map_(pa.string(), pa.string())),
        "stage_basis": pa.array(out_rows["stage_basis"], parts_type),
    })
