"""Reading and writing the topic tables of migration 0003 (topic_maps, topic_fields, topics, doc_topics,
topic_lineage, candidate_topics). All SQL of the topic stage that touches the store lives here or in
`queries.py`; the steps in `model.py`, `labels.py`, `identity.py`, `layout.py` are pure functions.
"""
from __future__ import annotations

import logging
import re
from datetime import date

import numpy as np
import pyarrow as pa

from frontierwatch.errors import NotFoundError
from frontierwatch.store import Store
from frontierwatch.topics.identity import PreviousMap

log = logging.getLogger(__name__)

MAP_TABLES = ("topic_fields", "topics", "doc_topics", "topic_lineage", "candidate_topics")
KEYPHRASE_TYPE = pa.list_(pa.struct([("phrase", pa.string()), ("weight", pa.float64())]))


def keyphrase_array(rows: list[list[tuple[str, float]]]) -> pa.Array:
    """Arrow ``STRUCT(phrase, weight)[]`` column from per-row keyphrase lists."""
    return pa.array([[{"phrase": p, "weight": w} for p, w in kp] for kp in rows], type=KEYPHRASE_TYPE)


def vector_array(matrix: np.ndarray) -> pa.Array:
    """Arrow ``FLOAT[]`` column from a (n, dim) float32 matrix without a Python loop."""
    m = np.ascontiguousarray(matrix, dtype=np.float32)
    offsets = pa.array(np.arange(len(m) + 1, dtype=np.int32) * m.shape[1])
    return pa.ListArray.from_arrays(offsets, pa.array(m.ravel()))


def insert_arrow(store: Store, table: str, data: pa.Table) -> None:
    """Append an Arrow table to store table `table` (columns matched by name)."""
    name = f"_topics_{table}"
    store.con.register(name, data)
    try:
        cols = ", ".join(data.column_names)
        store.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {name}")
    finally:
        store.con.unregister(name)


def dated_doc_ids(store: Store, as_of: date) -> list[str]:
    """doc_ids published on or before `as_of` (undated documents excluded), sorted."""
    rows = store.con.execute(
        "SELECT doc_id FROM documents WHERE published IS NOT NULL AND published <= ? ORDER BY doc_id",
        [as_of]).fetchall()
    return [r[0] for r in rows]


def latest_published(store: Store) -> date | None:
    return store.con.execute("SELECT max(published) FROM documents").fetchone()[0]


def map_row(store: Store, as_of: date | None = None) -> dict:
    """The ``topic_maps`` row for `as_of` (None → the latest map). Raises NotFoundError with the fix."""
    cols = ["map_id", "as_of", "model", "embed_model", "seed", "params", "n_topics", "n_fields",
            "n_docs_fit", "candidate_distance", "prev_map_id", "created"]
    if as_of is None:
        row = store.con.execute(f"SELECT {', '.join(cols)} FROM topic_maps ORDER BY as_of DESC LIMIT 1").fetchone()
    else:
        row = store.con.execute(f"SELECT {', '.join(cols)} FROM topic_maps WHERE as_of = ?", [as_of]).fetchone()
    if row is None:
        have = [str(r[0]) for r in store.con.execute("SELECT as_of FROM topic_maps ORDER BY as_of").fetchall()]
        when = f"as of {as_of}" if as_of else "at all"
        arg = f" --as-of {as_of}" if as_of else ""
        raise NotFoundError(
            f"the store has no topic map {when} (maps: {', '.join(have) or 'none'}); run 'frontierwatch build{arg}' first",
            f"数据库中没有{f'截至 {as_of} 的' if as_of else '任何'}主题图（已有：{', '.join(have) or '无'}）；"
            f"请先运行 'frontierwatch build{arg}'")
    return dict(zip(cols, row))


def reference_map(store: Store, as_of: date) -> int | None:
    """The map new ids are matched against: the one being replaced (same as_of), else the latest earlier
    map, else the earliest later one."""
    row = store.con.execute(
        """SELECT map_id FROM topic_maps
           ORDER BY (as_of = $d) DESC, (as_of < $d) DESC,
                    CASE WHEN as_of < $d THEN -epoch(as_of) ELSE epoch(as_of) END LIMIT 1""",
        {"d": as_of}).fetchone()
    return row[0] if row else None


def load_previous_map(store: Store, map_id: int) -> PreviousMap:
    """Topic ids, centroids and fitted members of map `map_id`, for identity matching."""
    rows = store.con.execute("SELECT topic_id, centroid FROM topics WHERE map_id = ? ORDER BY topic_id",
                             [map_id]).fetchall()
    ids = [r[0] for r in rows]
    centroids = np.array([r[1] for r in rows], dtype=np.float32) if rows else np.zeros((0, 0), np.float32)
    members = store.con.execute(
        "SELECT doc_id, topic_id FROM doc_topics WHERE map_id = ? AND fitted ORDER BY doc_id", [map_id]
    ).fetchall()
    index = {t: i for i, t in enumerate(ids)}
    docs = np.array([d for d, _ in members], dtype=object)
    topics = np.array([index[t] for _, t in members], dtype=np.int64)
    return PreviousMap(map_id, ids, centroids, docs, topics)


def next_topic_number(store: Store) -> int:
    """First free number for a fresh ``T…`` id: one past every id the store ever issued."""
    rows = store.con.execute(
        """SELECT topic_id FROM topics UNION SELECT topic_id FROM topic_lineage WHERE topic_id IS NOT NULL
           UNION SELECT prev_topic_id FROM topic_lineage WHERE prev_topic_id IS NOT NULL""").fetchall()
    numbers = [int(m.group(1)) for (t,) in rows if (m := re.fullmatch(r"T(\d+)", t))]
    return max(numbers, default=0) + 1


def next_map_id(store: Store) -> int:
    used = store.con.execute(
        "SELECT greatest(coalesce(max(map_id), 0), (SELECT coalesce(max(map_id), 0) FROM topic_lineage)) FROM topic_maps"
    ).fetchone()[0]
    return int(used) + 1


def delete_map(store: Store, map_id: int) -> None:
    """Remove a map and its rows (call inside the caller's transaction)."""
    for table in MAP_TABLES:
        store.con.execute(f"DELETE FROM {table} WHERE map_id = ?", [map_id])
    store.con.execute("DELETE FROM topic_maps WHERE map_id = ?", [map_id])


def map_centroids(store: Store, map_id: int) -> tuple[list[str], np.ndarray]:
    """(topic_ids sorted, (n_topics, dim) centroids) of a map."""
    rows = store.con.execute("SELECT topic_id, centroid FROM topics WHERE map_id = ? ORDER BY topic_id",
                             [map_id]).fetchall()
    return [r[0] for r in rows], np.array([r[1] for r in rows], dtype=np.float32)


def unassigned_doc_ids(store: Store, map_id: int, embed_model: str) -> list[str]:
    """doc_ids with a vector of `embed_model` but no ``doc_topics`` row in map `map_id`, sorted."""
    rows = store.con.execute(
        """SELECT e.doc_id FROM embeddings e WHERE e.model = ?
           AND NOT EXISTS (SELECT 1 FROM doc_topics t WHERE t.map_id = ? AND t.doc_id = e.doc_id)
           ORDER BY e.doc_id""", [embed_model, map_id]).fetchall()
    return [r[0] for r in rows]


def document_texts(store: Store, doc_ids: list[str]) -> list[str]:
    """``title. abstract`` (as embedded) of `doc_ids`, in that order."""
    from frontierwatch.embed import document_text

    cursor = store.con.cursor()
    try:
        cursor.register("_topics_wanted", pa.table({"pos": np.arange(len(doc_ids)), "doc_id": doc_ids}))
        table = cursor.sql("""SELECT d.title, d.abstract FROM _topics_wanted w JOIN documents d USING (doc_id)
                              ORDER BY w.pos""").fetchall()
    finally:
        cursor.close()
    return [document_text(t, a) for t, a in table]
