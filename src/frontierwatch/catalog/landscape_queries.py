"""The catalog's reads of ``documents`` for landscapes and patent views (`catalog.landscape`,
`catalog.patent_landscape`): counts over groups of documents (`members`: an Arrow table of ``group_id, doc_id``)
dated on or before the as-of date. SQL of the catalog stage, through the table seam.
"""
from __future__ import annotations

from datetime import date

import pyarrow as pa

from frontierwatch.store import Store

__all__ = ["affiliation_rows", "corpus_country_counts", "near_patent_inputs", "patent_corpus", "patent_rows"]


def _every(as_of: date | None) -> str:
    """Members with the document columns the views count, dated on or before the as-of date ($d)."""
    date_filter = "AND d.published <= $d" if as_of else ""
    return f"""SELECT m.group_id, d.doc_id, d.kind, d.published, d.year, d.categories, d.institutions,
                      d.countries FROM members m JOIN documents d ON d.doc_id = m.doc_id WHERE true {date_filter}"""


def _rows(store: Store, sql: str, params: dict, members: pa.Table) -> list[tuple]:
    return store.tables.sql(sql, params, tables={"members": members}).rows()


def affiliation_rows(store: Store, members: pa.Table, as_of: date | None) -> dict[str, list[tuple]]:
    """Whole counts per group: ``{"counts": (group, n, with affiliation, with country, papers, patents),
    "countries": (group, country, non-patent documents, patents), "institutions": (group, name, type, country,
    n), "types": (group, type, n), "provinces": (group, province, n)}`` — institutions, types and provinces
    of non-patent documents only."""
    params = {"d": as_of} if as_of else {}
    every = _every(as_of)
    base = f"{every} AND d.kind <> 'patent'"  # research output; patents have their own view
    queries = {
        "counts": f"""SELECT group_id, count(*),
                             count(*) FILTER (WHERE kind <> 'patent' AND (len(institutions) > 0 OR len(countries) > 0)),
                             count(*) FILTER (WHERE kind <> 'patent' AND len(countries) > 0),
                             count(*) FILTER (WHERE kind = 'paper'), count(*) FILTER (WHERE kind = 'patent')
                      FROM ({every}) GROUP BY group_id""",
        "countries": f"""SELECT group_id, c, count(*) FILTER (WHERE kind <> 'patent') AS n,
                                count(*) FILTER (WHERE kind = 'patent') AS n_pat
                         FROM (SELECT group_id, kind, unnest(countries) AS c FROM ({every})) GROUP BY ALL
                         ORDER BY group_id, n DESC, n_pat DESC, c""",
        "institutions": f"""SELECT group_id, name, any_value(type ORDER BY type NULLS LAST),
                                   any_value(country ORDER BY country NULLS LAST), count(DISTINCT doc_id) AS n
                            FROM (SELECT group_id, doc_id, i.name AS name, i.type AS type, i.country AS country
                                  FROM (SELECT group_id, doc_id, unnest(institutions) AS i FROM ({base})))
                            WHERE name IS NOT NULL AND name <> '' GROUP BY group_id, name
                            ORDER BY group_id, n DESC, name""",
        "types": f"""SELECT group_id, coalesce(t, 'unknown'), count(DISTINCT doc_id) AS n
                     FROM (SELECT group_id, doc_id, unnest(institutions).type AS t FROM ({base}))
                     GROUP BY ALL ORDER BY group_id, n DESC, 2""",
        "provinces": f"""SELECT group_id, p, count(DISTINCT doc_id) AS n
                         FROM (SELECT group_id, doc_id, unnest(institutions).province AS p FROM ({base}))
                         WHERE p IS NOT NULL GROUP BY ALL ORDER BY group_id, n DESC, p""",
    }
    return {name: _rows(store, sql, params, members) for name, sql in queries.items()}


def corpus_country_counts(store: Store, as_of: date | None) -> tuple[int, dict[str, int]]:
    """Non-patent documents with any country, and such documents per country, dated on or before `as_of`."""
    where = "WHERE kind <> 'patent'" + (" AND published <= $d" if as_of else "")
    params = {"d": as_of} if as_of else {}
    total = store.tables.sql(f"SELECT count(*) FROM documents {where} AND len(countries) > 0", params).scalar()
    rows = store.tables.sql(
        f"SELECT c, count(*) FROM (SELECT unnest(countries) AS c FROM documents {where}) GROUP BY c", params).rows()
    return total, dict(rows)


def patent_corpus(store: Store, as_of: date | None) -> tuple[int, int, int | None]:
    """``(patents, papers, newest patent year)`` of the corpus dated on or before `as_of`."""
    params = {"d": as_of} if as_of else {}
    return store.tables.sql(
        f"""SELECT count(*) FILTER (WHERE kind = 'patent'), count(*) FILTER (WHERE kind = 'paper'),
                   max(year) FILTER (WHERE kind = 'patent') FROM documents {"WHERE published <= $d" if as_of else ""}""",
        params).one()


def patent_rows(store: Store, members: pa.Table, as_of: date | None, first: int, last: int,
                window: int) -> dict[str, list[tuple] | tuple]:
    """Patent counts per group: ``{"years": (group, year, papers, patents) for first..last, "totals": (group,
    papers, patents), "cpc": (group, CPC subclass, patents), "owners": (group, assignee, patents),
    "corpus_windows": (patents in the last `window` years, in the `window` before)}``."""
    params = {"d": as_of} if as_of else {}
    every = _every(as_of)
    out = {
        "years": _rows(store, f"""SELECT group_id, year, count(*) FILTER (WHERE kind = 'paper'),
                                         count(*) FILTER (WHERE kind = 'patent')
                                  FROM ({every}) WHERE year BETWEEN {int(first)} AND {int(last)}
                                  GROUP BY ALL ORDER BY ALL""", params, members),
        "totals": _rows(store, f"""SELECT group_id, count(*) FILTER (WHERE kind = 'paper'),
                                          count(*) FILTER (WHERE kind = 'patent') FROM ({every}) GROUP BY 1""",
                        params, members),
        "cpc": _rows(store, f"""SELECT group_id, substr(c, 5, 4) AS sub, count(DISTINCT doc_id) AS n
                                FROM (SELECT group_id, doc_id, unnest(categories) AS c FROM ({every})
                                      WHERE kind = 'patent')
                                WHERE c LIKE 'cpc:%' GROUP BY ALL ORDER BY group_id, n DESC, sub""", params, members),
        "owners": _rows(store, f"""SELECT group_id, name, count(DISTINCT doc_id) AS n
                                   FROM (SELECT group_id, doc_id, unnest(institutions).name AS name FROM ({every})
                                         WHERE kind = 'patent')
                                   WHERE name IS NOT NULL GROUP BY ALL ORDER BY group_id, n DESC, name""",
                        params, members),
    }
    out["corpus_windows"] = store.tables.sql(
        f"""SELECT count(*) FILTER (WHERE year BETWEEN {int(last - window + 1)} AND {int(last)}),
                   count(*) FILTER (WHERE year BETWEEN {int(last - 2 * window + 1)} AND {int(last - window)})
            FROM documents WHERE kind = 'patent' {'AND published <= $d' if as_of else ''}""", params).one()
    return out


def near_patent_inputs(store: Store, map_id: int, as_of: date, topic_ids: list[str]):
    """What `near_patents` compares, or None: ``(medians {topic: median paper similarity to its centroid, topics
    with ≥ 5 papers}, centroids [(topic, vector)], patents [(doc_id, title, year, vector)])``."""
    model = store.tables.read("topic_maps", ["embed_model"], where={"map_id": map_id}).column("embed_model").to_pylist()
    if not model or not topic_ids:
        return None
    medians = dict(store.tables.sql(
        """SELECT t.topic_id, median(1 - t.distance) FROM doc_topics t JOIN documents d USING (doc_id)
           WHERE t.map_id = ? AND d.kind = 'paper' AND d.published <= ? GROUP BY 1 HAVING count(*) >= 5""",
        [map_id, as_of]).rows())
    wanted = [t for t in topic_ids if t in medians]
    if not wanted:
        return None
    cents = store.tables.sql("SELECT topic_id, centroid FROM topics WHERE map_id = ? AND list_contains(?, topic_id)",
                             [map_id, wanted]).rows()
    pats = store.tables.sql(
        """SELECT d.doc_id, d.title, d.year, e.vector FROM documents d JOIN embeddings e
           ON e.doc_id = d.doc_id AND e.model = ? WHERE d.kind = 'patent' AND d.published <= ?""",
        [model[0], as_of]).rows()
    return medians, cents, pats
