"""Patent side of a technology: how many patents, how fast they grow, which CPC classes and owners, and how
well papers and patents of the topic keep pace with each other (the industrialisation axis, read plainly).

Computed from ``documents`` (kind, published, categories 'cpc:…', institutions) of each group's members dated on
or before the as-of date. Years are complete calendar years: the last one is the as-of year when the as-of date
is 31 December, else the year before.

- ``by_year``: papers and patents per year over the last eight complete years;
- ``growth``: patents in the last three years against the three before (``recent``, ``earlier``, ``ratio``), beside
  the same ratio for every patent in the store (``corpus_ratio``), so a topic's growth reads against the
  corpus's; no ratio when the earlier window is empty;
- ``linkage``: the topic's share of all papers and of all patents in the store, and their balance
  ``min/max`` (1 = papers and patents in the same proportion, 0 = one side absent) — the science–technology
  linkage signal, with its two inputs shown;
- ``cpc``: leading CPC subclasses ('G06T') and ``assignees``, with counts.

Status: ``no_patent_data`` (the store holds no patents up to the as-of date: nothing is shown), ``no_patents``
(the store has patents, the topic none), ``sparse`` (fewer than `min_patents`: counts only, no growth ratio),
``ok``. Nothing here is a score: every number is a count or a ratio of counts shown beside its inputs.
"""
from __future__ import annotations

from datetime import date

import pyarrow as pa

from frontierwatch.catalog.landscape_queries import near_patent_inputs, patent_corpus, patent_rows
from frontierwatch.store import Store

WINDOW = 3
YEARS_SHOWN = 8


def last_complete_year(as_of: date) -> int:
    return as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1


def patent_landscapes(store: Store, members: pa.Table, groups: list[str], as_of: date | None, *,
                      min_patents: int = 5, top: int = 5) -> dict[str, dict]:
    """Patent view of each group (`members`: Arrow ``group_id, doc_id``; documents dated on or before `as_of`)."""
    corpus_patents, corpus_papers, newest = patent_corpus(store, as_of)
    empty = {"status": "no_patent_data", "patents": 0, "by_year": [], "growth": None, "linkage": None, "cpc": [],
             "assignees": [], "min_patents": min_patents}
    if not corpus_patents:
        return {g: dict(empty) for g in groups}
    last = last_complete_year(as_of) if as_of else newest
    first = last - YEARS_SHOWN + 1
    rows = patent_rows(store, members, as_of, first, last, WINDOW)
    year_rows, cpc_rows, owner_rows, corpus_windows = rows["years"], rows["cpc"], rows["owners"], rows["corpus_windows"]
    totals = {g: (pa_, pt) for g, pa_, pt in rows["totals"]} if groups else {}
    out: dict[str, dict] = {}
    for gid in groups:
        papers, patents = totals.get(gid, (0, 0))
        status = "no_patents" if not patents else ("sparse" if patents < min_patents else "ok")
        out[gid] = {"status": status, "patents": patents, "papers": papers, "min_patents": min_patents,
                    "years": [first, last], "by_year": [], "growth": None, "cpc": [], "assignees": [],
                    "linkage": _linkage(papers, patents, corpus_papers, corpus_patents)}
    for gid, year, pa_, pt in year_rows:
        out[gid]["by_year"].append({"year": year, "papers": pa_, "patents": pt})
    for gid, sub, n in cpc_rows:
        if len(out[gid]["cpc"]) < top:
            out[gid]["cpc"].append({"cpc": sub, "patents": n})
    for gid, name, n in owner_rows:
        if len(out[gid]["assignees"]) < top:
            out[gid]["assignees"].append({"name": name, "patents": n})
    for entry in out.values():
        if entry["status"] == "ok":
            entry["growth"] = _growth(entry["by_year"], last, corpus_windows)
    return out


def _growth(by_year: list[dict], last: int, corpus_windows: tuple[int, int]) -> dict:
    recent = sum(r["patents"] for r in by_year if last - WINDOW < r["year"] <= last)
    earlier = sum(r["patents"] for r in by_year if last - 2 * WINDOW < r["year"] <= last - WINDOW)
    c_recent, c_earlier = corpus_windows
    return {"recent_years": [last - WINDOW + 1, last], "earlier_years": [last - 2 * WINDOW + 1, last - WINDOW],
            "recent": recent, "earlier": earlier, "ratio": round(recent / earlier, 3) if earlier else None,
            "corpus_recent": c_recent, "corpus_earlier": c_earlier,
            "corpus_ratio": round(c_recent / c_earlier, 3) if c_earlier else None}


def _linkage(papers: int, patents: int, corpus_papers: int, corpus_patents: int) -> dict | None:
    if not corpus_papers or not corpus_patents:
        return None
    a, b = papers / corpus_papers, patents / corpus_patents
    return {"papers": papers, "corpus_papers": corpus_papers, "patents": patents, "corpus_patents": corpus_patents,
            "paper_share": round(a, 5), "patent_share": round(b, 5),
            "balance": round(min(a, b) / max(a, b), 3) if max(a, b) > 0 else 0.0}


def near_patents(store: Store, map_id: int, as_of: date, topic_ids: list[str], *, top: int = 3) -> dict[str, dict]:
    """Patents as close to each topic as its typical paper, wherever the map put them.

    Patent claims are written in their own register ('embodiment', 'plurality'), so patents often cluster
    apart from the papers on the same technology and the co-topic linkage above reads 0. This measure looks
    across topics: for a topic whose papers sit at median cosine similarity ``m`` to its centroid, it counts the
    patents (dated on or before the as-of date, any topic) with similarity ≥ ``m`` to that centroid, and lists
    the closest ones as evidence. Returns ``{topic id: {"threshold", "patents", "examples": [{"doc_id",
    "title", "year", "similarity"}]}}``; topics with fewer than 5 papers get no entry.
    """
    import numpy as np

    found = near_patent_inputs(store, map_id, as_of, topic_ids)
    if found is None:
        return {}
    medians, cents, pats = found
    if not pats or not cents:
        return {}
    matrix = np.asarray([p[3] for p in pats], dtype=np.float32)
    out = {}
    for tid, centroid in cents:
        sims = matrix @ np.asarray(centroid, dtype=np.float32)
        threshold = float(medians[tid])
        close = np.flatnonzero(sims >= threshold)
        order = close[np.argsort(-sims[close], kind="stable")][:top]
        out[tid] = {"threshold": round(threshold, 3), "patents": int(close.size),
                    "examples": [{"doc_id": pats[i][0], "title": pats[i][1], "year": pats[i][2],
                                  "similarity": round(float(sims[i]), 3)} for i in order]}
    return out
