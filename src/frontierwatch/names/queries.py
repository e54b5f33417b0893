"""The names stage's tables: the one reader and writer of ``topic_names`` and ``labeller_cache``, and the read of
what names are made from (a map's topics, their central documents and centroids).

``topic_names`` row shape, as `read_topic_names` returns it per topic id: ``{"name": {"en", "zh"}, "zh_source",
"summary": {"en", "zh"}, "summary_zh_source", "summary_docs", "labeller", "evidence"}``.
"""
from __future__ import annotations

import json
from datetime import date

from frontierwatch.store import Store


def central_documents(store: Store, map_id: int, as_of: date, topic_ids: list[str], limit: int
                      ) -> dict[str, list[dict]]:
    """Documents of each topic dated on or before `as_of`, nearest the centroid first (at most `limit` each):
    ``{topic_id: [{"doc_id", "title", "abstract", "language", "year"}]}``."""
    import pyarrow as pa

    wanted = pa.table({"topic_id": pa.array(topic_ids, pa.string())})  # noqa: F841 — read by DuckDB
    rows = store.con.execute(
        """SELECT topic_id, doc_id, title, abstract, language, year FROM (
               SELECT t.topic_id, d.doc_id, d.title, d.abstract, d.language, d.year,
                      row_number() OVER (PARTITION BY t.topic_id ORDER BY t.distance, d.doc_id) AS r
               FROM doc_topics t JOIN wanted w USING (topic_id) JOIN documents d USING (doc_id)
               WHERE t.map_id = ? AND d.published <= ?) WHERE r <= ? ORDER BY topic_id, r""",
        [map_id, as_of, limit]).fetchall()
    out: dict[str, list[dict]] = {t: [] for t in topic_ids}
    for tid, did, title, abstract, language, year in rows:
        out[tid].append({"doc_id": did, "title": title, "abstract": abstract, "language": language, "year": year})
    return out


def centroids(store: Store, map_id: int) -> dict[str, list[float]]:
    return dict(store.con.execute("SELECT topic_id, centroid FROM topics WHERE map_id = ?", [map_id]).fetchall())


def language_counts(store: Store, map_id: int, as_of: date) -> dict[str, dict[str, int]]:
    """Documents per language of each topic (dated on or before `as_of`): ``{topic_id: {"en": n, "zh": m}}``."""
    out: dict[str, dict[str, int]] = {}
    for tid, lang, n in store.con.execute(
            """SELECT t.topic_id, coalesce(d.language, 'und'), count(*) FROM doc_topics t JOIN documents d USING (doc_id)
               WHERE t.map_id = ? AND d.published <= ? GROUP BY ALL""", [map_id, as_of]).fetchall():
        out.setdefault(tid, {})[lang] = n
    return out


def write_topic_names(store: Store, map_id: int, rows: list[dict]) -> None:
    """Replace the names of a map (one transaction): each row ``{"topic_id", "name_en", "name_zh", "zh_source",
    "summary_en", "summary_zh", "summary_zh_source", "summary_docs", "labeller", "evidence"}``."""
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM topic_names WHERE map_id = ?", [map_id])
        con.executemany("INSERT INTO topic_names VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            (map_id, r["topic_id"], r["name_en"], r["name_zh"], r["zh_source"], r["summary_en"], r["summary_zh"],
             r["summary_zh_source"], r["summary_docs"], r["labeller"],
             json.dumps(r["evidence"], ensure_ascii=False, default=str)) for r in rows])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def read_topic_names(store: Store, map_id: int, topic_ids: list[str] | None = None) -> dict[str, dict]:
    """Names of a map's topics (all, or `topic_ids`); empty when the names stage has not run on the map."""
    if not store.table_exists("topic_names"):
        return {}
    wanted = None if topic_ids is None else set(topic_ids)
    out = {}
    for (tid, en, zh, zh_source, s_en, s_zh, s_zh_source, docs, labeller, evidence) in store.tables.sql(
            """SELECT topic_id, name_en, name_zh, zh_source, summary_en, summary_zh, summary_zh_source, summary_docs,
                      labeller, evidence FROM topic_names WHERE map_id = ?""", [map_id]).rows():
        if wanted is not None and tid not in wanted:  # one read per map (kept on a published generation)
            continue
        out[tid] = {"name": {"en": en, "zh": zh}, "zh_source": zh_source, "summary": {"en": s_en, "zh": s_zh},
                    "summary_zh_source": s_zh_source, "summary_docs": list(docs or []), "labeller": labeller,
                    "evidence": json.loads(evidence) if evidence else {}}
    return out


class LabellerCache:
    """``labeller_cache`` as the labeller sees it: get an answer by key, put a new one."""

    def __init__(self, store: Store):
        self.store = store

    def get(self, key: str) -> str | None:
        row = self.store.con.execute("SELECT response FROM labeller_cache WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def put(self, key: str, model: str, prompt: str, response: str) -> None:
        self.store.con.execute("INSERT OR REPLACE INTO labeller_cache (key, model, prompt, response) VALUES (?, ?, ?, ?)",
                               [key, model, prompt, response])
