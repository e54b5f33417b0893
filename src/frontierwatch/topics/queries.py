"""Read API of the topic stage, used by the CLI (`frontierwatch topics`, `frontierwatch topic ID`) and the web.

Everything is "as of" a map's date: sizes are the fitted documents, and per-year counts include only
documents (fitted or assigned later) published on or before that date. Reads ``topic_maps``, ``topics``,
``topic_fields``, ``doc_topics``, ``topic_lineage``, ``candidate_topics`` and ``documents``.
"""
from __future__ import annotations

from datetime import date

import numpy as np

from frontierwatch.errors import InputError, NotFoundError
from frontierwatch.store import Store
from frontierwatch.topics.tables import map_row

N_NEIGHBOURS = 8


def parse_as_of(value: date | str | None) -> date | None:
    """An as-of date from a date, an ISO string or None; a bilingual `InputError` for anything else.

    The one parser the CLI, the core and the topic queries share."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"as_of={value!r} is not a date; expected YYYY-MM-DD, e.g. 2015-12-31",
                         f"as_of={value!r} 不是日期；应为 YYYY-MM-DD，例如 2015-12-31") from None


def _keyphrases(value) -> list[dict]:
    return [{"phrase": k["phrase"], "weight": k["weight"]} for k in (value or [])]


def _counts_by_year(store: Store, map_id: int, as_of: date, topic_id: str | None = None) -> dict[str, dict[str, int]]:
    where = "AND t.topic_id = $topic" if topic_id else ""
    params = {"m": map_id, "d": as_of} | ({"topic": topic_id} if topic_id else {})
    out: dict[str, dict[str, int]] = {}
    for tid, year, n in store.tables.sql(
            f"""SELECT t.topic_id, d.year, count(*) FROM doc_topics t JOIN documents d USING (doc_id)
                WHERE t.map_id = $m AND d.published <= $d {where} GROUP BY ALL ORDER BY 1, 2""", params).rows():
        out.setdefault(tid, {})[str(year)] = n
    return out


def _languages(store: Store, map_id: int, as_of: date, topic_id: str | None = None) -> dict[str, dict[str, int]]:
    """{topic_id: {language code: documents}} of a map's topics, largest language first.

    Counts the topic's documents as of the map: dated on or before ``as_of``, and undated ones (CSL records
    have no dates; the build assigns them to their nearest topic). A document without a language code counts
    as ``und`` (ISO 639-2 "undetermined").
    """
    where = "AND t.topic_id = $topic" if topic_id else ""
    params = {"m": map_id, "d": as_of} | ({"topic": topic_id} if topic_id else {})
    out: dict[str, dict[str, int]] = {}
    for tid, language, n in store.tables.sql(
            f"""SELECT t.topic_id, coalesce(nullif(d.language, ''), 'und'), count(*)
                FROM doc_topics t JOIN documents d USING (doc_id)
                WHERE t.map_id = $m AND (d.published <= $d OR d.published IS NULL) {where}
                GROUP BY ALL ORDER BY 1, 3 DESC, 2""", params).rows():
        out.setdefault(tid, {})[language] = n
    return out


def document_topic(store: Store, doc_id: str) -> dict | None:
    """The topic a document belongs to in the latest map that holds it: ``{"topic_id", "label", "as_of",
    "fitted"}``, or None when no map holds it (before the first build, or added since)."""
    row = store.tables.sql(
        """SELECT d.topic_id, t.label, m.as_of, d.fitted FROM doc_topics d
           JOIN topic_maps m USING (map_id) JOIN topics t ON t.map_id = d.map_id AND t.topic_id = d.topic_id
           WHERE d.doc_id = ? ORDER BY m.as_of DESC LIMIT 1""", [doc_id]).one()
    if row is None:
        return None
    return {"topic_id": row[0], "label": row[1], "as_of": row[2].isoformat(), "fitted": bool(row[3])}


def map_dates(store: Store) -> list[dict]:
    """Every topic map, newest first: ``[{"as_of": "YYYY-MM-DD", "map_id", "n_topics"}]`` (the dates a reader
    can ask pages "as of"); empty before the first build."""
    rows = store.tables.read("topic_maps", ["as_of", "map_id", "n_topics"], order_by=["as_of DESC"]).to_pylist()
    rows = [(r["as_of"], r["map_id"], r["n_topics"]) for r in rows]
    return [{"as_of": a.isoformat(), "map_id": m, "n_topics": n} for a, m, n in rows]


def list_topics(store: Store, as_of: date | str | None = None, top: int | None = None) -> dict:
    """The topics of the map of `as_of` (default: latest), largest first.

    Returns ``{"as_of": "YYYY-MM-DD", "map_id", "n_topics", "topics": [{"id", "label", "size", "keyphrases",
    "field", "field_label", "x", "y", "counts_by_year": {"2014": n, ...}, "languages": {"en": n, "zh": n}}]}``
    (``languages``: the topic's documents by language code, see `_languages`). Raises NotFoundError when the
    store has no such map.
    """
    if top is not None and top < 1:
        raise InputError(f"top={top} should be >= 1", f"top={top} 必须 >= 1")
    info = map_row(store, parse_as_of(as_of))
    rows = store.tables.sql(
        f"""SELECT t.topic_id, t.label, t.size, t.keyphrases, t.field_id, f.label, t.x, t.y
            FROM topics t JOIN topic_fields f USING (map_id, field_id)
            WHERE t.map_id = ? ORDER BY t.size DESC, t.topic_id {f'LIMIT {int(top)}' if top else ''}""",
        [info["map_id"]]).rows()
    counts = _counts_by_year(store, info["map_id"], info["as_of"])
    languages = _languages(store, info["map_id"], info["as_of"])
    topics = [{"id": tid, "label": label, "size": size, "keyphrases": _keyphrases(kp), "field": field,
               "field_label": field_label, "x": x, "y": y, "counts_by_year": counts.get(tid, {}),
               "languages": languages.get(tid, {})}
              for tid, label, size, kp, field, field_label, x, y in rows]
    return {"as_of": info["as_of"].isoformat(), "map_id": info["map_id"], "n_topics": info["n_topics"],
            "topics": topics}


def _centred_cosines(others: np.ndarray, own: np.ndarray) -> np.ndarray:
    """Cosine of `own` with each row of `others` after subtracting the map's mean centroid: static embeddings share
    a large common direction, so raw centroid cosines all sit near 0.9 and say little; centred, they spread over
    [-1, 1] and rank the same neighbours first."""
    mean = (others.sum(axis=0) + own) / (len(others) + 1)
    a, b = others - mean, own - mean
    norms = np.linalg.norm(a, axis=1) * np.linalg.norm(b)
    return np.divide(a @ b, norms, out=np.zeros(len(a), dtype=np.float64), where=norms > 0)


def topic_detail(store: Store, topic_id: str, as_of: date | str | None = None, n_docs: int = 10) -> dict:
    """One topic of the map of `as_of`: label, keyphrases, size, counts per year and by language, field, top documents
    (closest to the centroid, with title and year), neighbours by centred centroid cosine, and lineage rows (every row of
    ``topic_lineage`` naming the topic on either side, forward in time: ``map_id``/``as_of``/``topic_id``/``label``
    the later side, ``prev_…`` the nearest earlier map's).

    Raises NotFoundError for an unknown topic id or a missing map.
    """
    info = map_row(store, parse_as_of(as_of))
    map_id = info["map_id"]
    row = store.tables.sql(
        """SELECT t.label, t.size, t.keyphrases, t.field_id, f.label, t.x, t.y, t.centroid, t.representative_ids
           FROM topics t JOIN topic_fields f USING (map_id, field_id) WHERE t.map_id = ? AND t.topic_id = ?""",
        [map_id, topic_id]).one()
    if row is None:
        raise NotFoundError(
            f"no topic {topic_id!r} in the topic map as of {info['as_of']}; list ids with 'frontierwatch topics --as-of {info['as_of']}'",
            f"截至 {info['as_of']} 的主题图中没有主题 {topic_id!r}；可用 'frontierwatch topics --as-of {info['as_of']}' 查看编号")
    label, size, kp, field, field_label, x, y, centroid, reps = row
    docs = store.tables.sql(
        """SELECT t.doc_id, d.title, d.year, t.distance, t.fitted FROM doc_topics t JOIN documents d USING (doc_id)
           WHERE t.map_id = ? AND t.topic_id = ? AND d.published <= ? ORDER BY t.distance, t.doc_id LIMIT ?""",
        [map_id, topic_id, info["as_of"], n_docs]).rows()
    others = store.tables.sql("SELECT topic_id, label, size, centroid FROM topics WHERE map_id = ? AND topic_id <> ?",
                               [map_id, topic_id]).rows()
    neighbours = []
    if others:
        sims = _centred_cosines(np.array([o[3] for o in others], dtype=np.float32), np.asarray(centroid, np.float32))
        for i in np.lexsort(([o[0] for o in others], -sims))[:N_NEIGHBOURS]:
            neighbours.append({"id": others[i][0], "label": others[i][1], "size": others[i][2],
                               "similarity": round(float(sims[i]), 4)})
    lineage = [dict(zip(("map_id", "prev_map_id", "topic_id", "prev_topic_id", "event", "jaccard", "cosine",
                         "shared_docs", "as_of", "prev_as_of", "label", "prev_label"), r)) for r in store.tables.sql(
        """SELECT l.map_id, l.prev_map_id, l.topic_id, l.prev_topic_id, l.event, l.jaccard, l.cosine, l.shared_docs,
                  strftime(m.as_of, '%Y-%m-%d'), strftime(p.as_of, '%Y-%m-%d'), lt.label, pt.label
           FROM topic_lineage l LEFT JOIN topic_maps m ON m.map_id = l.map_id
           LEFT JOIN topic_maps p ON p.map_id = l.prev_map_id
           LEFT JOIN topics lt ON lt.map_id = l.map_id AND lt.topic_id = l.topic_id
           LEFT JOIN topics pt ON pt.map_id = l.prev_map_id AND pt.topic_id = l.prev_topic_id
           WHERE l.topic_id = $t OR l.prev_topic_id = $t ORDER BY m.as_of NULLS LAST, l.map_id, l.event""",
        {"t": topic_id}).rows()]
    return {"as_of": info["as_of"].isoformat(), "id": topic_id, "label": label, "size": size,
            "keyphrases": _keyphrases(kp), "field": field, "field_label": field_label, "x": x, "y": y,
            "counts_by_year": _counts_by_year(store, map_id, info["as_of"], topic_id).get(topic_id, {}),
            "languages": _languages(store, map_id, info["as_of"], topic_id).get(topic_id, {}),
            "representative_ids": list(reps or []),
            "documents": [{"doc_id": d, "title": t, "year": yr, "distance": round(float(dist), 4), "fitted": f}
                          for d, t, yr, dist, f in docs],
            "neighbours": neighbours, "lineage": lineage}


def list_fields(store: Store, as_of: date | str | None = None) -> dict:
    """Broad fields of a map: ``{"as_of", "fields": [{"id", "label", "size", "n_topics", "x", "y"}]}``."""
    info = map_row(store, parse_as_of(as_of))
    rows = store.tables.sql("SELECT field_id, label, size, n_topics, x, y FROM topic_fields WHERE map_id = ? "
                             "ORDER BY size DESC, field_id", [info["map_id"]]).rows()
    return {"as_of": info["as_of"].isoformat(),
            "fields": [dict(zip(("id", "label", "size", "n_topics", "x", "y"), r)) for r in rows]}


def candidate_topics(store: Store, as_of: date | str | None = None) -> dict:
    """Candidate new topics of a map (clusters of far-from-every-topic documents assigned after the fit):
    ``{"as_of", "candidates": [{"id", "label", "size", "nearest_topic", "distance", "first_published",
    "last_published", "doc_ids"}]}``, largest first."""
    info = map_row(store, parse_as_of(as_of))
    rows = store.tables.sql(
        """SELECT candidate_id, label, size, nearest_topic_id, distance, strftime(first_published, '%Y-%m-%d'),
                  strftime(last_published, '%Y-%m-%d'), doc_ids
           FROM candidate_topics WHERE map_id = ? ORDER BY size DESC, candidate_id""", [info["map_id"]]).rows()
    keys = ("id", "label", "size", "nearest_topic", "distance", "first_published", "last_published", "doc_ids")
    return {"as_of": info["as_of"].isoformat(), "candidates": [dict(zip(keys, r)) for r in rows]}


def representative_documents(store: Store, map_id: int, topic_ids: list[str], n_docs: int = 3) -> dict[str, list[dict]]:
    """The `n_docs` most central documents of each topic of a map (``topics.representative_ids``, in order):
    ``{topic_id: [{"doc_id", "title", "year"}]}``."""
    rows = store.tables.sql(
        """WITH reps AS (SELECT topic_id, unnest(representative_ids[1:?]) AS doc_id,
                                generate_subscripts(representative_ids[1:?], 1) AS rank
                         FROM topics WHERE map_id = ? AND topic_id IN (SELECT unnest(?::VARCHAR[])))
           SELECT r.topic_id, d.doc_id, d.title, d.year FROM reps r JOIN documents d USING (doc_id)
           ORDER BY r.topic_id, r.rank""", [n_docs, n_docs, map_id, list(topic_ids)]).rows()
    out: dict[str, list[dict]] = {}
    for tid, doc_id, title, year in rows:
        out.setdefault(tid, []).append({"doc_id": doc_id, "title": title, "year": year})
    return out
