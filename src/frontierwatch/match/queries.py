"""The matchmaking stage's table (migration 0007: ``match_topic_vectors``) and its reads of the documents of a
topic map. Topics, axes, directions and release-hall items are read through their owners' readers
(`frontierwatch.topics.tables`, `frontierwatch.signals.read_axes`, `frontierwatch.catalog.read_directions`,
`frontierwatch.hall.submissions`).
"""
from __future__ import annotations

from datetime import date

import pyarrow as pa

from frontierwatch.store import Store

__all__ = ["documents_of_topics", "map_documents", "read_topic_vectors", "topic_category_counts",
           "write_topic_vectors"]


def read_topic_vectors(store: Store, map_id: int, model: str) -> dict[str, tuple[str, list[float]]]:
    """Cached topic-text vectors of a map: ``{topic_id: (text_md5, vector)}``."""
    got = store.tables.read("match_topic_vectors", ["topic_id", "text_md5", "vector"],
                            where={"map_id": map_id, "model": model})
    return {t: (m, v) for t, m, v in zip(*(got.column(c).to_pylist() for c in ("topic_id", "text_md5", "vector")))}


def write_topic_vectors(store: Store, map_id: int, model: str, ids: list[str], md5s: list[str], vectors) -> None:
    """Store (or replace) the topic-text vectors of `ids` in map `map_id`."""
    data = pa.table({"map_id": pa.array([map_id] * len(ids), pa.int32()), "topic_id": pa.array(ids, pa.string()),
                     "model": pa.array([model] * len(ids), pa.string()), "text_md5": pa.array(md5s, pa.string()),
                     "vector": pa.array([v.tolist() for v in vectors], pa.list_(pa.float32()))})
    store.tables.upsert("match_topic_vectors", data, key=("map_id", "topic_id", "model"))


def documents_of_topics(store: Store, map_id: int, topic_ids: list[str] | None, as_of: date) -> list[tuple]:
    """Documents of `topic_ids` (None: of every topic) in the map, undated or dated on or before `as_of`, by
    doc_id: rows of ``(doc_id, topic_id, title, abstract, year, kind, language, authors, institutions)``."""
    return store.tables.sql(
        f"""SELECT t.doc_id, t.topic_id, d.title, d.abstract, d.year, d.kind, d.language, d.authors, d.institutions
           FROM doc_topics t JOIN documents d USING (doc_id)
           WHERE t.map_id = ? {'' if topic_ids is None else 'AND list_contains(?, t.topic_id)'}
             AND (d.published IS NULL OR d.published <= ?)
           ORDER BY t.doc_id""", [map_id, *([] if topic_ids is None else [list(topic_ids)]), as_of]).rows()


def topic_category_counts(store: Store, map_id: int) -> list[tuple[str, str, int]]:
    """``(topic_id, primary_category, documents)`` of a map, largest category of each topic first."""
    return store.tables.sql(
        """SELECT t.topic_id, d.primary_category, count(*) AS n FROM doc_topics t JOIN documents d USING (doc_id)
           WHERE t.map_id = ? AND d.primary_category IS NOT NULL GROUP BY ALL ORDER BY 1, 3 DESC, 2""",
        [map_id]).rows()


def map_documents(store: Store, map_id: int, as_of: date) -> list[tuple[str, str]]:
    """``(doc_id, topic_id)`` of every document of map `map_id`, undated or dated on or before `as_of`."""
    return store.tables.sql(
        """SELECT t.doc_id, t.topic_id FROM doc_topics t JOIN documents d USING (doc_id)
           WHERE t.map_id = ? AND (d.published IS NULL OR d.published <= ?) ORDER BY t.doc_id""",
        [map_id, as_of]).rows()
