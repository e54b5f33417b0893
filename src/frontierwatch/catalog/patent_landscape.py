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

from frontierwatch.store import Store

WINDOW = 3
YEARS_SHOWN = 8


def last_complete_year(as_of: date) -> int:
    return as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1


def patent_landscapes(store: Store, members_sql: str, params: dict, groups: list[str], as_of: date | None, *,
                      min_patents: int = 5, top: int = 5) -> dict[str, dict]:
    """Patent view of each group. `members_sql` selects ``group_id, doc_id, kind, published, year, categories,
    institutions`` of the members dated on or before the as-of date (see `catalog.landscape`)."""
    con = store.con
    date_filter = "WHERE published <= $d" if as_of else ""
    corpus = con.execute(f"""SELECT count(*) FILTER (WHERE kind = 'patent'), count(*) FILTER (WHERE kind = 'paper'),
                                    max(year) FILTER (WHERE kind = 'patent') FROM documents {date_filter}""",
                         params).fetchall()[0]
    corpus_patents, corpus_papers, newest = corpus
    empty = {"status": "no_patent_data", "patents": 0, "by_year": [], "growth": None, "linkage": None, "cpc": [],
             "assignees": [], "min_patents": min_patents}
    if not corpus_patents:
        return {g: dict(empty) for g in groups}
    last = last_complete_year(as_of) if as_of else newest
    first = last - YEARS_SHOWN + 1
    year_rows = con.execute(
        f"""SELECT group_id, year, count(*) FILTER (WHERE kind = 'paper'), count(*) FILTER (WHERE kind = 'patent')
            FROM ({members_sql}) WHERE year BETWEEN {first} AND {last} GROUP BY ALL ORDER BY ALL""", params).fetchall()
    totals = dict((g, (pa, pt)) for g, pa, pt in con.execute(
        f"""SELECT group_id, count(*) FILTER (WHERE kind = 'paper'), count(*) FILTER (WHERE kind = 'patent')
            FROM ({members_sql}) GROUP BY 1""", params).fetchall()) if groups else {}
    cpc_rows = con.execute(
        f"""SELECT group_id, substr(c, 5, 4) AS sub, count(DISTINCT doc_id) AS n
            FROM (SELECT group_id, doc_id, unnest(categories) AS c FROM ({members_sql}) WHERE kind = 'patent')
            WHERE c LIKE 'cpc:%' GROUP BY ALL ORDER BY group_id, n DESC, sub""",
        params).fetchall()
    owner_rows = con.execute(
        f"""SELECT group_id, name, count(DISTINCT doc_id) AS n
            FROM (SELECT group_id, doc_id, unnest(institutions).name AS name FROM ({members_sql}) WHERE kind = 'patent')
            WHERE name IS NOT NULL GROUP BY ALL ORDER BY group_id, n DESC, name""", params).fetchall()
    corpus_windows = con.execute(
        f"""SELECT count(*) FILTER (WHERE year BETWEEN {last - WINDOW + 1} AND {last}),
                   count(*) FILTER (WHERE year BETWEEN {last - 2 * WINDOW + 1} AND {last - WINDOW})
            FROM documents WHERE kind = 'patent' {'AND published <= $d' if as_of else ''}""", params).fetchall()[0]
    out: dict[str, dict] = {}
    for gid in groups:
        papers, patents = totals.get(gid, (0, 0))
        status = "no_patents" if not patents else ("sparse" if patents < min_patents else "ok")
        out[gid] = {"status": status, "patents": patents, "papers": papers, "min_patents": min_patents,
                    "years": [first, last], "by_year": [], "growth": None, "cpc": [], "assignees": [],
                    "linkage": _linkage(papers, patents, corpus_papers, corpus_patents)}
    for gid, year, pa, pt in year_rows:
        out[gid]["by_year"].append({"year": year, "papers": pa, "patents": pt})
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

    con = store.con
    model = con.execute("SELECT embed_model FROM topic_maps WHERE map_id = ?", [map_id]).fetchall()
    if not model or not topic_ids:
        return {}
    model = model[0][0]
    medians = dict(con.execute(
        """SELECT t.topic_id, median(1 - t.distance) FROM doc_topics t JOIN documents d USING (doc_id)
           WHERE t.map_id = ? AND d.kind = 'paper' AND d.published <= ? GROUP BY 1 HAVING count(*) >= 5""",
        [map_id, as_of]).fetchall())
    wanted = [t for t in topic_ids if t in medians]
    if not wanted:
        return {}
    cents = con.execute("SELECT topic_id, centroid FROM topics WHERE map_id = ? AND list_contains(?, topic_id)",
                        [map_id, wanted]).fetchall()
    pats = con.execute(
        """SELECT d.doc_id, d.title, d.year, e.vector FROM documents d JOIN embeddings e
           ON e.doc_id = d.doc_id AND e.model = ? WHERE d.kind = 'patent' AND d.published <= ?""",
        [model, as_of]).fetchall()
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
