"""The pipeline reads the alert rules need that no stage's read API already gives: the maps in date order,
the documents a map's window brought, the lineage events of a map and the hall items approved since a time.

Read-only, through the table seam (`store.tables.sql`); every statement names the table it reads. (The topic and forecast rows themselves come through the
core: `Observatory.topics`.)
"""
from __future__ import annotations

from datetime import date


def maps_by_date(store) -> list[dict]:
    """Every topic map, oldest first: ``[{"map_id", "as_of", "prev_map_id"}]``."""
    rows = store.tables.sql("SELECT map_id, as_of, prev_map_id FROM topic_maps ORDER BY as_of, map_id").rows()
    return [{"map_id": r[0], "as_of": r[1], "prev_map_id": r[2]} for r in rows]


def documents_between(store, after: date | None, until: date, limit: int = 200_000) -> list[dict]:
    """Documents published in ``(after, until]`` (``after`` None: up to `until`), by date then id:
    ``[{"doc_id", "title", "abstract", "published", "kind"}]``."""
    where, params = "published <= ?", [until]
    if after is not None:
        where += " AND published > ?"
        params.append(after)
    rows = store.tables.sql(f"SELECT doc_id, title, abstract, published, kind FROM documents WHERE {where} "
                            "ORDER BY published, doc_id LIMIT ?", params + [int(limit)]).rows()
    return [{"doc_id": r[0], "title": r[1], "abstract": r[2], "published": r[3], "kind": r[4]} for r in rows]


def lineage_events(store, map_id: int) -> list[dict]:
    """Lineage rows of map `map_id` against its reference map: ``[{"topic_id", "prev_topic_id", "event",
    "jaccard", "shared_docs"}]`` (events: continues, born, split, merge, died)."""
    if not store.table_exists("topic_lineage"):
        return []
    rows = store.tables.sql("SELECT topic_id, prev_topic_id, event, jaccard, shared_docs FROM topic_lineage "
                            "WHERE map_id = ? ORDER BY topic_id, prev_topic_id", [map_id]).rows()
    return [{"topic_id": r[0], "prev_topic_id": r[1], "event": r[2], "jaccard": r[3], "shared_docs": r[4]}
            for r in rows]
