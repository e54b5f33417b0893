"""The documents the forecast reads from the store: dated ones, with authors, venue and citations by year.

"Dated" means ``published`` is known — the documents a topic map fits (`frontierwatch.topics.build_topics` fits
``published <= as_of``), so the forecast's snapshot at a year end holds exactly the documents of the map
``build --as-of`` writes for that date. Documents known only by year are never fitted and are left out here too.
"""
from __future__ import annotations

import numpy as np

from frontierwatch.store import Store

__all__ = ["load_forecast_documents"]


def load_forecast_documents(store: Store, until_year: int | None = None) -> dict:
    """`frontierwatch.signals.load_signal_documents` columns for documents with a ``published`` date (≤ the end
    of `until_year` when given), plus ``authors`` (list), ``venue`` and ``cited_by_year`` (``{year: n}`` or
    None), in ``doc_id`` order. ``cited_by_count`` is the harvested total here: `Corpus` counts it as of a year."""
    from frontierwatch.signals.documents import citation_join, load_signal_documents

    docs = load_signal_documents(store, until_year)
    by_year, join = citation_join(store)
    where = "published IS NOT NULL AND year IS NOT NULL" + (" AND year <= ?" if until_year is not None else "")
    extra = store.tables.sql(
        f"SELECT doc_id, authors, venue, {by_year} AS cited_by_year, cited_by_count FROM documents {join} "
        f"WHERE {where} ORDER BY doc_id",
        [until_year] if until_year is not None else []).rows()
    found = {r[0]: r[1:] for r in extra}
    keep = np.fromiter((d in found for d in docs["doc_id"]), dtype=bool, count=len(docs["doc_id"]))
    out = {k: v[keep] for k, v in docs.items()}
    n = int(keep.sum())
    authors, venue, cites = (np.empty(n, dtype=object) for _ in range(3))
    total = np.full(n, np.nan)
    for i, d in enumerate(out["doc_id"]):
        a, v, c, t = found[d]
        total[i] = np.nan if t is None else t
        authors[i] = list(a) if a is not None else None
        venue[i] = v
        cites[i] = ({int(k): int(x) for k, x in (c.items() if isinstance(c, dict) else zip(c["key"], c["value"]))}
                    if c is not None else None)
    out.update(authors=authors, venue=venue, cited_by_year=cites, cited_by_count=total)
    return out
