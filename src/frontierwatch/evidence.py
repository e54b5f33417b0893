"""The evidence behind each claim, read in bulk for the core API: latest axes, forecasts and direction mappings
of every topic of a map, the stored editions and backtest, and the small conversions that keep answers plain
JSON (NaN → None, DuckDB MAPs → dicts). The stages own their tables; these are the joins across them that
`Observatory` answers with.
"""
from __future__ import annotations

import json
import math

from frontierwatch.store import Store

def catalog_topic(topic: dict) -> dict:
    """A topics-stage topic as the catalog's mapping and risk flags read it (keyphrases as [phrase, weight])."""
    return {"id": topic["id"], "label": topic.get("label"),
            "keyphrases": [[k["phrase"], k["weight"]] if isinstance(k, dict) else k
                           for k in topic.get("keyphrases") or []]}


def finite(value):
    return None if isinstance(value, float) and not math.isfinite(value) else value


def clean_row(row: dict) -> dict:
    """A stored row without its keys (map_id, topic_id) and with NaN as None."""
    return {k: finite(v) for k, v in row.items() if k not in ("map_id", "topic_id")}


def as_dict(value) -> dict:
    if isinstance(value, dict) and set(value) == {"key", "value"}:  # older DuckDB MAP shape
        return dict(zip(value["key"], value["value"]))
    return dict(value or {})


def axes_view(row: dict) -> dict:
    """Both axes of a ``topic_axes`` row: ``{"year", "stage", name: {"score", "components", "missing"}}``."""
    from frontierwatch.signals import BREAKTHROUGH, INDUSTRIALISATION
    out = {"year": row.get("year"), "stage": row.get("stage"),
           "missing_components": list(row.get("missing_components") or [])}
    for name, components in (("breakthrough", BREAKTHROUGH), ("industrialisation", INDUSTRIALISATION)):
        parts = as_dict(row.get(f"{name}_parts"))
        out[name] = {"score": finite(row.get(name)), "components": {k: finite(v) for k, v in parts.items()},
                     "missing": [c for c in components if c not in parts]}
    return out


def direction_names(ids: list[str]) -> list[dict]:
    from frontierwatch.catalog import OUTSIDE, load_taxonomy
    taxonomy = load_taxonomy()
    return [{"id": d, "name": dict(taxonomy.direction(d).name) if d != OUTSIDE else
             {"en": "outside the six directions", "zh": "六大方向之外"}} for d in ids]


def headline(entry: dict) -> dict:
    """A catalog entry as a topic row of the pages (``id``, ``label``, ``size``, ``stage``, ``forecast``)."""
    return {"id": entry["topic_id"], "label": entry["label"], "name": entry.get("name"), "size": entry["size"],
            "stage": entry["stage"],
            "forecast": entry["forecast"] if entry["forecast"].get("probability") is not None else None,
            "direction": entry["direction"], "field": entry["field"], "score": entry["score"],
            "overall_rank": entry["overall_rank"]}


# -- bulk reads of stage tables ---------------------------------------------------------------------------
def read_axes(store: Store, map_id: int) -> dict[str, dict]:
    """Latest-year ``topic_axes`` row of every topic of a map: {topic_id: {"year", "breakthrough", ...}}."""
    cur = store.con.execute("""SELECT topic_id, year, breakthrough, industrialisation, stage FROM topic_axes
                               WHERE map_id = ?
                               QUALIFY row_number() OVER (PARTITION BY topic_id ORDER BY year DESC) = 1""", [map_id])
    return {r[0]: {"year": r[1], "breakthrough": finite(r[2]), "industrialisation": finite(r[3]), "stage": r[4]}
            for r in cur.fetchall()}


def read_forecasts(store: Store, map_id: int, horizon: int) -> dict[str, dict]:
    rows = store.con.execute("""SELECT topic_id, probability, call, expected_share_ratio, eligible
                                FROM topic_forecasts WHERE map_id = ? AND horizon = ?""", [map_id, horizon]).fetchall()
    return {r[0]: {"probability": finite(r[1]), "call": r[2], "expected_share_ratio": finite(r[3]),
                   "eligible": r[4]} for r in rows}


def read_directions(store: Store, map_id: int) -> dict[str, dict]:
    rows = store.con.execute("""SELECT topic_id, directions, fields, confidence, products, reason, taxonomy_version
                                FROM topic_directions WHERE map_id = ?""", [map_id]).fetchall()
    out = {}
    for tid, dirs, fields, confidence, products, reason, version in rows:
        reason = json.loads(reason) if reason else {}
        out[tid] = {"directions": list(dirs), "fields": list(fields), "confidence": confidence,
                    "products": list(products or []), "reason": reason.get("text"), "taxonomy_version": version}
    return out


def read_editions(store: Store) -> list[dict]:
    rows = store.con.execute("""SELECT edition, strftime(as_of, '%Y-%m-%d'), map_id, n_entries, created
                                FROM catalog_editions ORDER BY as_of, edition""").fetchall()
    return [{"edition": e, "as_of": a, "map_id": m, "n_entries": n, "created": str(c)} for e, a, m, n, c in rows]


def read_backtest(store: Store) -> dict | None:
    row = store.con.execute("SELECT backtest_id, created, result FROM backtests "
                            "ORDER BY backtest_id DESC LIMIT 1").fetchone()
    if row is None:
        return None
    return no_nan(json.loads(row[2])) | {"backtest_id": row[0], "created": str(row[1])}


def no_nan(value):
    """NaN → None all through a JSON value (the pages and the API emit standard JSON)."""
    if isinstance(value, dict):
        return {k: no_nan(v) for k, v in value.items()}
    if isinstance(value, list):
        return [no_nan(v) for v in value]
    return finite(value)


# Signals of the as-of year shown beside a listed topic: the ones the forecast and the baselines rank by.
DRIVING_SIGNALS = ("count", "share", "growth1", "growth2", "growth3", "trend_slope", "share_to_peak", "burst_state",
                   "burst_weight", "mean_age", "new_term_ratio", "escore_mean", "patent_share", "company_share")


def topic_list_evidence(store: Store, map_id: int, topic_ids: list[str], n_docs: int = 3) -> dict[str, dict]:
    """Per topic of a map: ``{"axes": axes_view(...), "signals": {year, DRIVING_SIGNALS..., missing},
    "documents": [{"doc_id", "title", "year"}]}`` — what a listed topic's axes and forecast rest on, with the
    topic's `n_docs` most central documents. Parts a stage has not computed are None."""
    if not topic_ids:
        return {}
    ids = list(topic_ids)
    axes_rows = store.con.execute(
        """SELECT * FROM topic_axes WHERE map_id = ? AND topic_id IN (SELECT unnest(?::VARCHAR[]))
           QUALIFY row_number() OVER (PARTITION BY topic_id ORDER BY year DESC) = 1""", [map_id, ids])
    columns = [d[0] for d in axes_rows.description]
    axes = {r[1]: dict(zip(columns, r)) for r in axes_rows.fetchall()}
    wanted = ", ".join(DRIVING_SIGNALS)
    signal_rows = store.con.execute(
        f"""SELECT topic_id, year, {wanted}, missing FROM topic_signals
            WHERE map_id = ? AND topic_id IN (SELECT unnest(?::VARCHAR[]))
            QUALIFY row_number() OVER (PARTITION BY topic_id ORDER BY year DESC) = 1""", [map_id, ids]).fetchall()
    signals = {r[0]: {"year": r[1], **{k: finite(v) for k, v in zip(DRIVING_SIGNALS, r[2:-1])},
                      "missing": list(r[-1] or [])} for r in signal_rows}
    doc_rows = store.con.execute(
        """WITH reps AS (SELECT topic_id, unnest(representative_ids[1:?]) AS doc_id,
                                generate_subscripts(representative_ids[1:?], 1) AS rank
                         FROM topics WHERE map_id = ? AND topic_id IN (SELECT unnest(?::VARCHAR[])))
           SELECT r.topic_id, d.doc_id, d.title, d.year FROM reps r JOIN documents d USING (doc_id)
           ORDER BY r.topic_id, r.rank""", [n_docs, n_docs, map_id, ids]).fetchall()
    documents: dict[str, list] = {}
    for tid, doc_id, title, year in doc_rows:
        documents.setdefault(tid, []).append({"doc_id": doc_id, "title": title, "year": year})
    return {tid: {"axes": axes_view(axes[tid]) if tid in axes else None, "signals": signals.get(tid),
                  "documents": documents.get(tid, [])} for tid in ids}
