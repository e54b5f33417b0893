"""Evidence families beyond the topic signals, per topic of a snapshot in its cutoff year (issue 17 item 3).

Each function reads only the documents of the snapshot's corpus (dated ≤ the cutoff) and returns ``{name:
(n_topics,) array}``, NaN where the topic has no document to measure it on or the corpus lacks the data.

* **authors** — who writes the topic: distinct authors in year t and their 2-year growth (relative to the
  corpus), the share of the year's authors who are newcomers to the corpus, of established authors migrating
  in from other topics, and the mean team size relative to the corpus.
* **diffusion** — spread across fields: the share of year-t documents whose primary category the topic had not
  seen before, and the growth of distinct categories over two years.
* **novelty** — how far the year's documents sit from the topic's earlier documents (1 − cosine to the centroid
  of documents < t), beyond the spread of those earlier documents.
* **venue** — share of year-t documents with a journal reference. *Measured, not published*: arXiv's
  ``journal-ref`` is filled in after acceptance, so the harvested value is not what was known at t.

Names are matched by exact string; no disambiguation (arXiv has none), so homonyms merge and spelling variants
split — the shares are coarse, and say so.
"""
from __future__ import annotations

import numpy as np

__all__ = ["author_signals", "diffusion_signals", "novelty_signals", "venue_signals", "FAMILY_SIGNALS"]

FAMILY_SIGNALS = {
    "authors": ("author_count_log", "author_growth2", "newcomer_share", "migrant_share", "team_size"),
    "diffusion": ("new_category_share", "category_growth2"),
    "novelty": ("doc_novelty", "novelty_gap"),
    "venue": ("venue_share",),
}


def _per_topic_mean(values: np.ndarray, topic: np.ndarray, n_topics: int) -> np.ndarray:
    n = np.bincount(topic, minlength=n_topics).astype(np.float64)
    s = np.bincount(topic, weights=values, minlength=n_topics)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, s / np.maximum(n, 1), np.nan)


def author_codes(authors) -> tuple[np.ndarray, np.ndarray]:
    """Flatten author lists: (document row, author code) pairs, one per distinct author of a document."""
    codes: dict[str, int] = {}
    rows, ids = [], []
    for i, names in enumerate(authors):
        if names is None:
            continue
        for a in dict.fromkeys(names):
            if a:
                rows.append(i)
                ids.append(codes.setdefault(a, len(codes)))
    return np.asarray(rows, dtype=np.int64), np.asarray(ids, dtype=np.int64)


def author_signals(pairs: tuple[np.ndarray, np.ndarray], years: np.ndarray, topic: np.ndarray, n_topics: int,
                   year: int) -> dict[str, np.ndarray]:
    """The authors family for `year` (see the module docstring). `pairs` from `author_codes` over the rows."""
    rows, author = pairs
    nan = np.full(n_topics, np.nan)
    names = FAMILY_SIGNALS["authors"]
    if len(rows) == 0:
        return {k: nan.copy() for k in names}
    y, t = years[rows], topic[rows]
    n_auth = int(author.max()) + 1
    first_any = np.full(n_auth, 10 ** 6)
    np.minimum.at(first_any, author, y)
    pair_key = author * n_topics + t
    uniq_pair, pair_inv = np.unique(pair_key, return_inverse=True)
    first_here = np.full(len(uniq_pair), 10 ** 6)
    np.minimum.at(first_here, pair_inv, y)
    out = {}

    def distinct(sel) -> np.ndarray:
        keys = np.unique(pair_key[sel])
        return np.bincount(keys % n_topics, minlength=n_topics).astype(np.float64)

    now, before = y == year, y == year - 2
    a_now, a_before = distinct(now), distinct(before)
    tot_now = max(len(np.unique(author[now])), 1)
    tot_before = max(len(np.unique(author[before])), 1)
    out["author_count_log"] = np.where(a_now > 0, np.log(np.maximum(a_now, 1)), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["author_growth2"] = (np.log((a_now + 0.5) / tot_now) - np.log((a_before + 0.5) / tot_before)
                                 if before.any() else nan.copy())
    sel = np.flatnonzero(now)
    newcomer = (first_any[author[sel]] == year).astype(np.float64)
    migrant = ((first_any[author[sel]] < year) & (first_here[pair_inv[sel]] == year)).astype(np.float64)
    out["newcomer_share"] = _per_topic_mean(newcomer, t[sel], n_topics)
    out["migrant_share"] = _per_topic_mean(migrant, t[sel], n_topics)
    per_doc = np.bincount(rows[sel], minlength=len(years)).astype(np.float64)
    docs_now = np.flatnonzero((years == year) & (per_doc > 0))
    corpus_team = per_doc[docs_now].mean() if len(docs_now) else np.nan
    out["team_size"] = _per_topic_mean(per_doc[docs_now], topic[docs_now], n_topics) / corpus_team
    return out


def diffusion_signals(primary: np.ndarray, categories, years: np.ndarray, topic: np.ndarray, n_topics: int,
                      year: int) -> dict[str, np.ndarray]:
    """The diffusion family for `year`: new primary categories in the topic, growth of distinct categories."""
    nan = np.full(n_topics, np.nan)
    prim = np.asarray([p or "" for p in primary], dtype=object)
    if not any(prim):
        return {k: nan.copy() for k in FAMILY_SIGNALS["diffusion"]}
    codes = np.unique(prim.astype(str), return_inverse=True)[1].astype(np.int64)
    n_codes = int(codes.max()) + 1
    key = topic * n_codes + codes
    seen_before = np.zeros(n_topics * n_codes, dtype=bool)
    seen_before[key[years < year]] = True
    now = np.flatnonzero((years == year) & (prim != ""))
    new = (~seen_before[key[now]]).astype(np.float64)
    out = {"new_category_share": _per_topic_mean(new, topic[now], n_topics)}

    def distinct(lo: int, hi: int) -> np.ndarray:
        sel = (years >= lo) & (years <= hi) & (prim != "")
        keys = np.unique(key[sel])
        return np.bincount(keys // n_codes, minlength=n_topics).astype(np.float64)

    recent, older = distinct(year - 1, year), distinct(year - 3, year - 2)
    have_older = ((years >= year - 3) & (years <= year - 2)).any()
    out["category_growth2"] = np.log((recent + 1) / (older + 1)) if have_older else nan.copy()
    return out


def novelty_signals(embeddings: np.ndarray, years: np.ndarray, topic: np.ndarray, n_topics: int, year: int
                    ) -> dict[str, np.ndarray]:
    """The novelty family for `year`: ``doc_novelty`` = 1 − mean cosine of the topic's year documents to the
    centroid of its earlier documents; ``novelty_gap`` = that minus the earlier documents' own 1 − mean cosine
    to it (how much further out the new work sits than the topic's usual spread)."""
    x = np.asarray(embeddings, dtype=np.float64)
    x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    dim = x.shape[1]
    old, now = years < year, years == year
    s_old = np.zeros((n_topics, dim))
    np.add.at(s_old, topic[old], x[old])
    n_old = np.bincount(topic[old], minlength=n_topics).astype(np.float64)
    norm = np.linalg.norm(s_old, axis=1)
    centre = s_old / np.maximum(norm, 1e-12)[:, None]
    cos_now = np.einsum("ij,ij->i", x[now], centre[topic[now]])
    mean_now = _per_topic_mean(cos_now, topic[now], n_topics)
    ok = n_old > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        novelty = np.where(ok, 1.0 - mean_now, np.nan)
        spread = np.where(ok, 1.0 - norm / np.maximum(n_old, 1), np.nan)   # 1 − mean cos of old docs to centre
    return {"doc_novelty": novelty, "novelty_gap": novelty - spread}


def venue_signals(venue: np.ndarray, years: np.ndarray, topic: np.ndarray, n_topics: int, year: int
                  ) -> dict[str, np.ndarray]:
    """Share of the topic's year documents carrying a venue (journal reference); NaN when no document has one."""
    has = np.array([bool(v) for v in venue], dtype=np.float64)
    if not has.any():
        return {"venue_share": np.full(n_topics, np.nan)}
    now = np.flatnonzero(years == year)
    return {"venue_share": _per_topic_mean(has[now], topic[now], n_topics)}
