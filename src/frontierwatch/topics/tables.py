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


def dated_doc_ids(store: Store, as_of: date) -> list[str]:
    """doc_ids published on or before `as_of` (undated documents excluded), sorted."""
    return store.tables.read("documents", ["doc_id"], where={"published <=": as_of},
                             order_by="doc_id").column("doc_id").to_pylist()


def latest_published(store: Store) -> date | None:
    return store.tables.sql("SELECT max(published) FROM documents").scalar()


def map_row(store: Store, as_of: date | None = None) -> dict:
    """The ``topic_maps`` row for `as_of` (None → the latest map). Raises NotFoundError with the fix."""
    cols = ["map_id", "as_of", "model", "embed_model", "seed", "params", "n_topics", "n_fields",
            "n_docs_fit", "candidate_distance", "prev_map_id", "created"]
    if as_of is None:
        row = store.tables.sql(f"SELECT {', '.join(cols)} FROM topic_maps ORDER BY as_of DESC LIMIT 1").one()
    else:
        row = store.tables.sql(f"SELECT {', '.join(cols)} FROM topic_maps WHERE as_of = ?", [as_of]).one()
    if row is None:
        have = [str(d) for d in store.tables.read("topic_maps", ["as_of"], order_by="as_of").column("as_of").to_pylist()]
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
    return store.tables.sql(
        """SELECT map_id FROM topic_maps
           ORDER BY (as_of = $d) DESC, (as_of < $d) DESC,
                    CASE WHEN as_of < $d THEN -epoch(as_of) ELSE epoch(as_of) END LIMIT 1""",
        {"d": as_of}).scalar()


def earlier_map(store: Store, as_of: date) -> int | None:
    """The map a map of `as_of` chains to: the one with the latest as-of date before `as_of` (None: none)."""
    return store.tables.sql("SELECT map_id FROM topic_maps WHERE as_of < ? ORDER BY as_of DESC LIMIT 1",
                            [as_of]).scalar()


def later_map(store: Store, as_of: date) -> int | None:
    """The map that chains to a map of `as_of`: the one with the earliest as-of date after `as_of` (None: none)."""
    return store.tables.sql("SELECT map_id FROM topic_maps WHERE as_of > ? ORDER BY as_of LIMIT 1", [as_of]).scalar()


def write_lineage(store: Store, map_id: int, prev_map_id: int | None, rows: list) -> None:
    """Make map `map_id` chain to `prev_map_id`: its ``topic_lineage`` rows replaced by `rows` (`LineageRow`s; none
    when there is no earlier map) and its ``topic_maps.prev_map_id`` set. Call inside the caller's transaction."""
    store.tables.delete("topic_lineage", {"map_id": map_id})
    store.tables.sql("UPDATE topic_maps SET prev_map_id = ? WHERE map_id = ?", [prev_map_id, map_id])
    if prev_map_id is None or not rows:
        return
    store.tables.append("topic_lineage", pa.table({
        "map_id": pa.array([map_id] * len(rows), pa.int32()),
        "prev_map_id": pa.array([prev_map_id] * len(rows), pa.int32()),
        "topic_id": pa.array([r.topic_id for r in rows], pa.string()),
        "prev_topic_id": pa.array([r.prev_topic_id for r in rows], pa.string()),
        "event": [r.event for r in rows], "jaccard": pa.array([r.jaccard for r in rows], pa.float64()),
        "cosine": pa.array([r.cosine for r in rows], pa.float64()),
        "shared_docs": pa.array([r.shared_docs for r in rows], pa.int64())}))


def map_topic_ids(store: Store, map_id: int) -> list[str]:
    """The topic ids of map `map_id`, sorted."""
    return store.tables.read("topics", ["topic_id"], where={"map_id": map_id},
                             order_by="topic_id").column("topic_id").to_pylist()


def map_chain(store: Store, map_id: int) -> list[int]:
    """Map `map_id`, the map it chains to, that map's earlier map, … (by ``topic_maps.prev_map_id``; a loop or a
    missing map ends the chain)."""
    prev = dict(store.tables.sql("SELECT map_id, prev_map_id FROM topic_maps").rows())
    chain = [map_id]
    while prev.get(chain[-1]) is not None and prev[chain[-1]] not in chain:
        chain.append(prev[chain[-1]])
    return chain


def lineage_pairs(store: Store, map_id: int) -> list[tuple[str, str | None]]:
    """``(topic_id, prev_topic_id)`` of map `map_id`'s lineage (continues, split, merge; born with None)."""
    return store.tables.sql("SELECT topic_id, prev_topic_id FROM topic_lineage WHERE map_id = ? "
                            "AND topic_id IS NOT NULL ORDER BY topic_id, prev_topic_id", [map_id]).rows()


def map_id_as_of(store: Store, as_of: date) -> int | None:
    """The id of the map of exactly `as_of`, or None."""
    return store.tables.sql("SELECT map_id FROM topic_maps WHERE as_of = ?", [as_of]).scalar()


def write_map_row(store: Store, row: dict) -> None:
    """Append one ``topic_maps`` row (``map_id``, ``as_of``, ``model``, ``embed_model``, ``seed``, ``params``,
    ``n_topics``, ``n_fields``, ``n_docs_fit``, ``candidate_distance``, ``prev_map_id``)."""
    types = {"map_id": pa.int32(), "as_of": pa.date32(), "seed": pa.int32(), "n_topics": pa.int32(),
             "n_fields": pa.int32(), "n_docs_fit": pa.int64(), "candidate_distance": pa.float64(),
             "prev_map_id": pa.int32()}
    store.tables.append("topic_maps", pa.table({k: pa.array([v], types.get(k, pa.string())) for k, v in row.items()}))


def load_previous_map(store: Store, map_id: int) -> PreviousMap:
    """Topic ids, centroids and fitted members of map `map_id`, for identity matching."""
    ids, centroids = map_centroids(store, map_id)
    if not ids:
        centroids = np.zeros((0, 0), np.float32)
    members = store.tables.sql(
        "SELECT doc_id, topic_id FROM doc_topics WHERE map_id = ? AND fitted ORDER BY doc_id", [map_id]).rows()
    index = {t: i for i, t in enumerate(ids)}
    docs = np.array([d for d, _ in members], dtype=object)
    topics = np.array([index[t] for _, t in members], dtype=np.int64)
    return PreviousMap(map_id, ids, centroids, docs, topics)


def next_topic_number(store: Store) -> int:
    """First free number for a fresh ``T…`` id: one past every id the store ever issued."""
    rows = store.tables.sql(
        """SELECT topic_id FROM topics UNION SELECT topic_id FROM topic_lineage WHERE topic_id IS NOT NULL
           UNION SELECT prev_topic_id FROM topic_lineage WHERE prev_topic_id IS NOT NULL""").rows()
    numbers = [int(m.group(1)) for (t,) in rows if (m := re.fullmatch(r"T(\d+)", t))]
    return max(numbers, default=0) + 1


def next_map_id(store: Store) -> int:
    used = store.tables.sql(
        "SELECT greatest(coalesce(max(map_id), 0), (SELECT coalesce(max(map_id), 0) FROM topic_lineage)) FROM topic_maps"
    ).scalar()
    return int(used) + 1


def delete_map(store: Store, map_id: int) -> None:
    """Remove a map and its rows (call inside the caller's transaction)."""
    for table in MAP_TABLES + ("topic_maps",):
        store.tables.delete(table, {"map_id": map_id})


def map_centroids(store: Store, map_id: int) -> tuple[list[str], np.ndarray]:
    """(topic_ids sorted, (n_topics, dim) centroids) of a map."""
    rows = store.tables.sql("SELECT topic_id, centroid FROM topics WHERE map_id = ? ORDER BY topic_id", [map_id]).rows()
    return [r[0] for r in rows], np.array([r[1] for r in rows], dtype=np.float32)


def unassigned_doc_ids(store: Store, map_id: int, embed_model: str) -> list[str]:
    """doc_ids with a vector of `embed_model` but no ``doc_topics`` row in map `map_id`, sorted."""
    rows = store.tables.sql(
        """SELECT e.doc_id FROM embeddings e WHERE e.model = ?
           AND NOT EXISTS (SELECT 1 FROM doc_topics t WHERE t.map_id = ? AND t.doc_id = e.doc_id)
           ORDER BY e.doc_id""", [embed_model, map_id]).rows()
    return [r[0] for r in rows]


def embed_model_and_median_distance(store: Store, map_id: int) -> tuple[str, float]:
    """The embedding model of a map and the median distance of its fitted documents to their topic."""
    return store.tables.sql(
        """SELECT m.embed_model, (SELECT median(distance) FROM doc_topics WHERE map_id = $m AND fitted)
           FROM topic_maps m WHERE m.map_id = $m""", {"m": map_id}).one()


def candidate_doc_ids(store: Store, map_id: int) -> list[str]:
    """doc_ids assigned to the map after its fit and farther than its candidate distance, sorted."""
    return store.tables.read("doc_topics", ["doc_id"], where={"map_id": map_id, "candidate_new": True},
                             order_by="doc_id").column("doc_id").to_pylist()


def published_dates(store: Store, doc_ids: list[str]) -> dict:
    """``{doc_id: published date or None}`` of `doc_ids`."""
    got = store.tables.read("documents", ["doc_id", "published"], where={"doc_id in": doc_ids})
    return dict(zip(got.column("doc_id").to_pylist(), got.column("published").to_pylist()))


def document_texts(store: Store, doc_ids: list[str]) -> list[str]:
    """``title. abstract`` (as embedded) of `doc_ids`, in that order."""
    from frontierwatch.embed import document_text

    wanted = pa.table({"pos": np.arange(len(doc_ids)), "doc_id": pa.array(doc_ids, pa.string())})
    rows = store.tables.sql("""SELECT d.title, d.abstract FROM wanted w JOIN documents d USING (doc_id)
                               ORDER BY w.pos""", tables={"wanted": wanted}).rows()
    return [document_text(t, a) for t, a in rows]


def fitted_assignments(store: Store, map_id: int) -> dict[str, tuple[str, float]]:
    """``{doc_id: (topic_id, distance)}`` of the documents map `map_id` was fitted on."""
    got = store.tables.read("doc_topics", ["doc_id", "topic_id", "distance"], where={"map_id": map_id, "fitted": True})
    return dict(zip(got.column("doc_id").to_pylist(),
                    zip(got.column("topic_id").to_pylist(), got.column("distance").to_pylist())))


def map_count(store: Store) -> int:
    """How many topic maps the store holds."""
    return int(store.tables.sql("SELECT count(*) FROM topic_maps").scalar())


def topic_rows(store: Store, map_id: int, columns: list[str]) -> list[tuple]:
    """Rows of the ``topics`` table of a map (the given `columns`, keyphrases as ``{"phrase", "weight"}`` dicts),
    by topic_id."""
    got = store.tables.read("topics", columns, where={"map_id": map_id}, order_by="topic_id")
    return list(zip(*(got.column(c).to_pylist() for c in columns)))


# -- the update of a map to a later date without refitting (`frontierwatch.topics.update`) -----------------------
def map_as_of(store: Store, map_id: int) -> date | None:
    """The as-of date of map `map_id` (None when there is no such map)."""
    return store.tables.sql("SELECT as_of FROM topic_maps WHERE map_id = ?", [map_id]).scalar()


def copy_map(store: Store, map_id: int, source_map_id: int, as_of: date, params: str, sizes: pa.Table) -> None:
    """Write map `map_id` as of `as_of` with the topics and fields of map `source_map_id`: its ``topic_maps`` row
    (``params`` replaced, ``prev_map_id`` = the source), its topics with ``size`` from `sizes` (columns topic_id,
    size) and its fields with sizes summed over their topics. Call inside the caller's transaction."""
    store.tables.sql(
        """INSERT INTO topic_maps (map_id, as_of, model, embed_model, seed, params, n_topics, n_fields, n_docs_fit,
           candidate_distance, prev_map_id) SELECT ?, ?, model, embed_model, seed, ?, n_topics, n_fields, n_docs_fit,
           candidate_distance, map_id FROM topic_maps WHERE map_id = ?""", [map_id, as_of, params, source_map_id])
    store.tables.sql(
        """INSERT INTO topics (map_id, topic_id, field_id, label, keyphrases, size, centroid, x, y, representative_ids)
           SELECT ?, t.topic_id, t.field_id, t.label, t.keyphrases, s.size, t.centroid, t.x, t.y, t.representative_ids
           FROM topics t JOIN new_sizes s USING (topic_id) WHERE t.map_id = ?""", [map_id, source_map_id],
        tables={"new_sizes": sizes})
    store.tables.sql(
        """INSERT INTO topic_fields (map_id, field_id, label, keyphrases, size, n_topics, x, y)
           SELECT $new, f.field_id, f.label, f.keyphrases,
                  (SELECT coalesce(sum(size), 0) FROM topics t WHERE t.map_id = $new AND t.field_id = f.field_id),
                  f.n_topics, f.x, f.y FROM topic_fields f WHERE f.map_id = $old""", {"new": map_id, "old": source_map_id})


def write_continuing_lineage(store: Store, map_id: int, prev_map_id: int) -> None:
    """Lineage of a map that kept its source's topics: each ``continues`` from itself, with the overlap of the
    documents both maps count (``fitted``)."""
    store.tables.sql(
        """INSERT INTO topic_lineage (map_id, prev_map_id, topic_id, prev_topic_id, event, jaccard, cosine, shared_docs)
           WITH a AS (SELECT doc_id, topic_id FROM doc_topics WHERE map_id = $new AND fitted),
                b AS (SELECT doc_id, topic_id FROM doc_topics WHERE map_id = $old AND fitted),
                na AS (SELECT topic_id, count(*) n FROM a GROUP BY topic_id),
                nb AS (SELECT topic_id, count(*) n FROM b GROUP BY topic_id),
                shared AS (SELECT a.topic_id, count(*) n FROM a JOIN b USING (doc_id)
                           WHERE a.topic_id = b.topic_id GROUP BY a.topic_id)
           SELECT $new, $old, t.topic_id, t.topic_id, 'continues',
                  round(coalesce(s.n, 0) / greatest(coalesce(na.n, 0) + coalesce(nb.n, 0) - coalesce(s.n, 0), 1), 4),
                  1.0, coalesce(s.n, 0)
           FROM topics t LEFT JOIN shared s USING (topic_id) LEFT JOIN na USING (topic_id) LEFT JOIN nb USING (topic_id)
           WHERE t.map_id = $new ORDER BY t.topic_id""", {"new": map_id, "old": prev_map_id})
