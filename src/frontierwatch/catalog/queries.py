"""The catalog stage's tables (migration 0005) and its reads of the documents of a topic map.

One writer and one reader each:

* ``topic_directions`` — `write_directions` / `read_directions`. A stored mapping reads back in the shape
  `map_topics` returns: ``{topic_id: {"topic_id", "directions", "fields": [{"field", "direction", "score",
  "term_score", "similarity", "matched_terms"}], "confidence", "products": [{"product", "name", ...}],
  "reason": {"zh", "en"}, "taxonomy_version", "mapping": MappingParams dict | None, "embedder": name | None}}``.
* ``catalog_editions`` / ``catalog_entries`` — `write_edition` / `read_edition` (the edition model JSON),
  `list_editions` and `previous_edition_code`.
* ``catalog_backtests`` (migration 0036) — `write_catalog_backtest` / `catalog_backtest_known_at` (the latest one
  whose outcomes end on or before a year, or the latest of all).

The documents of a topic (`topic_documents`, `topic_members`) are read here too: joins of the map's
``doc_topics`` with ``documents``, dated on or before the as-of date. The landscape's and patent view's counts
are read in `catalog.landscape_queries`.
"""
from __future__ import annotations

import json
from datetime import date

import pyarrow as pa

from frontierwatch.store import Store

__all__ = ["catalog_backtest_known_at", "list_editions", "write_catalog_backtest", "previous_edition_code", "read_directions",
           "read_edition", "topic_documents", "topic_members", "write_directions", "write_edition"]


# -- topic_directions -------------------------------------------------------------------------------------------
def write_directions(store: Store, map_id: int, mapped: dict[str, dict], taxonomy_version: int, *,
                     mapping: dict | None = None, embedder: str | None = None) -> None:
    """Replace the ``topic_directions`` rows of map `map_id` with `mapped` (``{topic_id: map_topics record}``);
    `mapping` (the `MappingParams` as a dict) and `embedder` (its name) record how they were made."""
    rows = [(tid, m["directions"], [f["field"] for f in m["fields"]], m["confidence"],
             [p["product"] for p in m["products"]],
             json.dumps({"text": m["reason"], "fields": m["fields"], "products": m["products"], "mapping": mapping,
                         "embedder": embedder}, ensure_ascii=False))
            for tid, m in mapped.items()]
    n = len(rows)
    data = pa.table({
        "map_id": pa.array([map_id] * n, pa.int32()), "topic_id": pa.array([r[0] for r in rows], pa.string()),
        "directions": pa.array([r[1] for r in rows], pa.list_(pa.string())),
        "fields": pa.array([r[2] for r in rows], pa.list_(pa.string())),
        "confidence": pa.array([r[3] for r in rows], pa.float64()),
        "products": pa.array([r[4] for r in rows], pa.list_(pa.string())),
        "reason": pa.array([r[5] for r in rows], pa.string()),
        "taxonomy_version": pa.array([taxonomy_version] * n, pa.int32())})
    store.tables.replace("topic_directions", data, where={"map_id": map_id})


def read_directions(store: Store, map_id: int) -> dict[str, dict]:
    """The stored mapping of every topic of map `map_id`; see the module docstring for the shape."""
    out = {}
    for r in store.tables.read("topic_directions", where={"map_id": map_id}, order_by="topic_id").to_pylist():
        extra = json.loads(r["reason"]) if r["reason"] else {}
        fields = extra.get("fields") or [{"field": f, "direction": f.split("/")[0]} for f in r["fields"]]
        products = extra.get("products") or [{"product": p} for p in r["products"] or []]
        out[r["topic_id"]] = {"topic_id": r["topic_id"], "directions": list(r["directions"]), "fields": fields,
                              "confidence": r["confidence"], "products": products, "reason": extra.get("text"),
                              "taxonomy_version": r["taxonomy_version"], "mapping": extra.get("mapping"),
                              "embedder": extra.get("embedder")}
    return out


# -- catalog_editions, catalog_entries ---------------------------------------------------------------------------
def write_edition(store: Store, model: dict) -> None:
    """Store an edition (its `Edition.to_json()` model), replacing one of the same code, with its entries."""
    code, entries = model["edition"], model["entries"]
    edition = pa.table({
        "edition": [code], "as_of": pa.array([date.fromisoformat(model["as_of"])], pa.date32()),
        "map_id": pa.array([model["parameters"]["topic_map"]["map_id"]], pa.int32()),
        "parameters": [json.dumps(model["parameters"], ensure_ascii=False)],
        "n_entries": pa.array([len(entries)], pa.int32()), "model": [json.dumps(model, ensure_ascii=False)]})
    rows = pa.table({
        "edition": pa.array([code] * len(entries), pa.string()),
        "topic_id": pa.array([e["topic_id"] for e in entries], pa.string()),
        "direction": pa.array([e["direction"]["id"] for e in entries], pa.string()),
        "field": pa.array([e["field"]["key"] for e in entries], pa.string()),
        "rank_in_field": pa.array([e["rank"] for e in entries], pa.int32()),
        "overall_rank": pa.array([e["overall_rank"] for e in entries], pa.int32()),
        "score": pa.array([e["score"] for e in entries], pa.float64()),
        "breakthrough": pa.array([e["breakthrough"]["score"] for e in entries], pa.float64()),
        "industrialisation": pa.array([e["industrialisation"]["score"] for e in entries], pa.float64()),
        "stage": pa.array([e["stage"] for e in entries], pa.string())})
    with store.tables.transaction():
        store.tables.replace("catalog_entries", rows, where={"edition": code})
        store.tables.replace("catalog_editions", edition, where={"edition": code})


def read_edition(store: Store, code: str) -> dict | None:
    """The stored model JSON of edition `code`, or None."""
    got = store.tables.read("catalog_editions", ["model"], where={"edition": code}).column("model").to_pylist()
    return json.loads(got[0]) if got else None


def list_editions(store: Store) -> list[dict]:
    """Stored editions, oldest first: ``[{"edition", "as_of": "YYYY-MM-DD", "map_id", "n_entries", "created"}]``."""
    rows = store.tables.read("catalog_editions", ["edition", "as_of", "map_id", "n_entries", "created"],
                             order_by=["as_of", "edition"]).to_pylist()
    return [r | {"as_of": r["as_of"].isoformat(), "created": str(r["created"])} for r in rows]


def previous_edition_code(store: Store, as_of: date, code: str) -> str | None:
    """The stored edition with the latest as-of date before `as_of` (another code than `code`), or None."""
    got = store.tables.read("catalog_editions", ["edition"], where={"as_of <": as_of, "edition !=": code},
                            order_by="as_of DESC", limit=1).column("edition").to_pylist()
    return got[0] if got else None


# -- catalog_backtests ---------------------------------------------------------------------------------------------
def write_catalog_backtest(store: Store, result: dict) -> int:
    """Store a catalog backtest (`catalog.backtest.summarise_catalog` output under ``"catalog"``); returns its id."""
    with store.tables.transaction():
        new_id = int(store.tables.sql("SELECT coalesce(max(backtest_id), 0) + 1 FROM catalog_backtests").scalar())
        fw = result["rules"].get("frontierwatch") or {}
        store.tables.append("catalog_backtests", pa.table({
            "backtest_id": pa.array([new_id], pa.int32()), "horizon": pa.array([result["horizon"]], pa.int32()),
            "cutoffs": pa.array([result["cutoffs"]], pa.list_(pa.int32())),
            "outcomes_through": pa.array([result["outcomes_through"]], pa.int32()),
            "mean_hit_rate": pa.array([fw.get("mean_hit_rate")], pa.float64()),
            "positive_rate": pa.array([result.get("positive_rate")], pa.float64()),
            "result": [json.dumps(result, ensure_ascii=False)]}))
    return new_id


def catalog_backtest_known_at(store: Store, year: int | None = None) -> dict | None:
    """The latest stored catalog backtest whose outcomes end in or before `year` (any, when `year` is None):
    its result dict plus ``backtest_id`` and ``created``; None when there is none."""
    if not store.tables.exists("catalog_backtests"):
        return None
    rows = store.tables.read("catalog_backtests", ["backtest_id", "created", "result"],
                             where={"outcomes_through <=": year} if year is not None else None,
                             order_by="backtest_id DESC", limit=1).to_pylist()
    if not rows:
        return None
    raw = rows[0]["result"]
    return (json.loads(raw) if isinstance(raw, str) else raw) | {"backtest_id": rows[0]["backtest_id"],
                                                                 "created": str(rows[0]["created"])}


# -- documents of a map's topics ----------------------------------------------------------------------------------
def topic_documents(store: Store, map_id: int, as_of: date, topic_ids: list[str],
                    limit: int = 3000) -> dict[str, list[dict]]:
    """Documents of each topic dated on or before `as_of`, nearest the centroid first (at most `limit`):
    ``{topic_id: [{"doc_id", "title", "abstract", "year", "kind"}]}``."""
    wanted = pa.table({"topic_id": pa.array(topic_ids, pa.string())})
    rows = store.tables.sql(
        """SELECT topic_id, doc_id, title, abstract, year, kind FROM (
               SELECT t.topic_id, d.doc_id, d.title, d.abstract, d.year, d.kind,
                      row_number() OVER (PARTITION BY t.topic_id ORDER BY t.distance, d.doc_id) AS r
               FROM doc_topics t JOIN wanted w USING (topic_id) JOIN documents d USING (doc_id)
               WHERE t.map_id = ? AND d.published <= ?) WHERE r <= ? ORDER BY topic_id, r""",
        [map_id, as_of, limit], tables={"wanted": wanted}).rows()
    out: dict[str, list[dict]] = {t: [] for t in topic_ids}
    for tid, did, title, abstract, year, kind in rows:
        out[tid].append({"doc_id": did, "title": title, "abstract": abstract, "year": year, "kind": kind})
    return out


def central_titles(store: Store, map_id: int, as_of: date, topic_ids: list[str], n: int = 5) -> dict[str, list[str]]:
    """Titles of the `n` documents nearest each topic's centroid (dated on or before `as_of`): the context the
    direction mapping reads beside the keyphrases."""
    return {tid: [d["title"] for d in docs]
            for tid, docs in topic_documents(store, map_id, as_of, topic_ids, limit=n).items()}


def topic_members(store: Store, map_id: int, as_of: date, topic_ids: list[str] | None = None) -> dict[str, list[str]]:
    """``{topic id: [doc_id, ...]}`` of a topic map's assignments (``doc_topics``), dated on or before `as_of`."""
    rows = store.tables.sql(
        """SELECT t.topic_id, list(t.doc_id ORDER BY t.doc_id) FROM doc_topics t JOIN documents d USING (doc_id)
           WHERE t.map_id = ? AND d.published <= ? GROUP BY t.topic_id""", [map_id, as_of]).rows()
    wanted = set(topic_ids) if topic_ids is not None else None
    return {tid: docs for tid, docs in rows if wanted is None or tid in wanted}
