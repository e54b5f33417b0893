"""Answer a search: documents holding every concept of the query (in Chinese or English), ranked by BM25, with
honest totals, filters, facet counts and highlights.

Semantics (see `frontierwatch.search.parse`): every concept must be present (AND); a concept is present in one of
its forms — the user's words or their glossary translation; a quoted phrase, a translated term and a Chinese run
must appear as adjacent words. ``total`` counts exactly the documents that satisfy this after the filters, so
paging never runs out early and the count is the number a reader may quote.
"""
from __future__ import annotations

import re

import numpy as np

from frontierwatch.search.highlight import marks, snippet
from frontierwatch.search.parse import SearchQuery, normalise, parse_query
from frontierwatch.search.postings import Postings, load_postings
from frontierwatch.search.queries import document_texts, latest_map_id, read_meta, result_rows

__all__ = ["FILTERS", "search_documents"]

FILTERS = ("year_from", "year_to", "kind", "source", "direction", "language")
MAX_LIMIT = 100


def _concept_rows(index: Postings, query: SearchQuery) -> list[list[tuple]]:
    """Per concept, per alternative: ``(alternative, rows holding all its terms)``."""
    return [[(alt, index.docs_with_all(alt.terms)) for alt in c.alternatives] for c in query.concepts]


def _verified(index: Postings, store, per_concept: list[list[tuple]], rows: np.ndarray) -> np.ndarray:
    """`rows` whose every concept is met by a pattern-free alternative or a pattern found in the text."""
    if not len(rows):
        return rows
    keep = np.ones(len(rows), dtype=bool)
    need_text: dict[int, list[tuple[int, list]]] = {}
    for ci, alts in enumerate(per_concept):
        free = np.zeros(len(rows), dtype=bool)
        patterned = []
        for alt, alt_rows in alts:
            held = np.isin(rows, alt_rows, assume_unique=True)
            if alt.pattern is None:
                free |= held
            else:
                patterned.append((alt, held))
        if free.all():
            continue
        for i in np.flatnonzero(~free):
            options = [alt.pattern for alt, held in patterned if held[i]]
            if not options:
                keep[i] = False
            else:
                need_text.setdefault(int(i), []).append((ci, options))
    if need_text:
        wanted = [i for i in need_text if keep[i]]
        texts = document_texts(store, [str(index.doc_ids[rows[i]]) for i in wanted])
        for i in wanted:
            title, abstract = texts.get(str(index.doc_ids[rows[i]]), ("", ""))
            text = normalise(f"{title} . {abstract}")
            for _, options in need_text[i]:
                if not any(_compiled(p).search(text) for p in options):
                    keep[i] = False
                    break
    return rows[keep]


_PATTERNS: dict[str, re.Pattern] = {}


def _compiled(pattern: str) -> re.Pattern:
    got = _PATTERNS.get(pattern)
    if got is None:
        got = _PATTERNS[pattern] = re.compile(pattern)
        if len(_PATTERNS) > 4096:
            _PATTERNS.clear()
    return got


def _facet_counts(index: Postings, rows: np.ndarray) -> dict:
    """How many of the matching documents fall in each year, kind, source, direction, language and topic (of the
    newest map)."""
    def count(values) -> dict:
        got: dict = {}
        for v in values:
            if v not in (None, 0, ""):
                got[v] = got.get(v, 0) + 1
        return dict(sorted(got.items(), key=lambda kv: (-kv[1], str(kv[0]))))

    return {"year": dict(sorted(count(index.years[rows].tolist()).items())),
            "kind": count(index.kinds[rows].tolist()),
            "source": count(s for r in rows.tolist() for s in index.sources[r]),
            "direction": count(index.directions[rows].tolist()),
            "language": count(index.languages[rows].tolist()),
            "topic": count(index.topics[rows].tolist())}


def _matched_forms(query: SearchQuery, per_concept: list[list[tuple]], row: int) -> list[dict]:
    """For one document: which form met each concept (its own words, or a translation — shown as the reason)."""
    out = []
    for concept, alts in zip(query.concepts, per_concept):
        for alt, alt_rows in alts:
            pos = np.searchsorted(alt_rows, row)
            if pos < len(alt_rows) and alt_rows[pos] == row:
                out.append({"concept": concept.text, "form": alt.text, "language": alt.language,
                            "bridged": alt.bridged})
                break
    return out


def search_documents(store, query: str, limit: int = 20, offset: int = 0, **filters) -> dict:
    """Documents for `query` (Chinese and/or English) with filters ``year_from``, ``year_to``, ``kind``, ``source``,
    ``direction``, ``language``.

    Returns ``{"terms", "query": {text, language, concepts}, "total", "filters", "facets", "results": [{doc_id,
    score, matched_terms, matched, title, title_marks, year, kind, language, sources, snippet, snippet_marks}]}``;
    marks are ``[start, end)`` character spans of matched words in the title and snippet. Unknown filters raise
    TypeError; an empty query returns nothing.
    """
    unknown = set(filters) - set(FILTERS)
    if unknown:
        raise TypeError(f"unknown search filters {sorted(unknown)}; expected {FILTERS}")
    used = {k: v for k, v in filters.items() if v not in (None, "")}
    parsed = parse_query(query)
    empty = {"terms": [], "query": parsed.as_dict(), "total": 0, "filters": used, "facets": {}, "results": []}
    if not parsed.concepts:
        return empty
    meta = read_meta(store)
    index = load_postings(store, f"{meta.get('fingerprint')}:{latest_map_id(store)}")
    per_concept = _concept_rows(index, parsed)
    rows = None
    for alts in per_concept:
        union = np.unique(np.concatenate([r for _, r in alts])) if alts else np.zeros(0, np.int32)
        rows = union if rows is None else rows[np.isin(rows, union, assume_unique=True)]
    mask = index.filter_mask(**used)
    if mask is not None:
        rows = rows[mask[rows]]
    rows = _verified(index, store, per_concept, rows)
    scores = index.bm25(rows, parsed.terms())
    order = np.lexsort((index.doc_ids[rows], -scores))
    page = order[offset:offset + min(int(limit), MAX_LIMIT)]
    shown = result_rows(store, [str(index.doc_ids[rows[i]]) for i in page])
    words = parsed.highlight_words()
    results = []
    for i in page:
        doc_id = str(index.doc_ids[rows[i]])
        doc = shown.get(doc_id)
        if doc is None:
            continue
        matched = _matched_forms(parsed, per_concept, int(rows[i]))
        cut = snippet(doc["abstract"], words)
        results.append({"doc_id": doc_id, "score": round(float(scores[i]), 3), "matched_terms": len(matched),
                        "matched": matched, "title": doc["title"], "title_marks": marks(doc["title"], words),
                        "year": doc["year"], "kind": doc["kind"], "language": doc["language"],
                        "sources": list(doc["sources"] or []), "published": doc["published"],
                        "snippet": cut, "snippet_marks": marks(cut, words)})
    return {"terms": parsed.terms(), "query": parsed.as_dict(), "total": int(len(rows)), "filters": used,
            "facets": _facet_counts(index, rows), "results": results}
