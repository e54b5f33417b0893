"""The evidence behind each claim, composed for the core API from the stages' own readers: what one topic's
signals, axes, forecast and skill are (`topic_evidence`), what a listed topic's claims rest on
(`topic_list_evidence`), and the small views that keep answers plain JSON (NaN → None). No SQL here: each table
is read by the query module of the stage that owns it (`signals.queries`, `forecast.queries`, `topics.queries`,
`catalog.queries`).
"""
from __future__ import annotations

import math
from datetime import date

from frontierwatch.store import Store


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
    """Both axes of a ``topic_axes`` row: ``{"year", "stage", "stage_basis", "missing_components",
    "missing_reasons", name: {"score", "components", "missing"}}`` — ``score`` None is insufficient data;
    ``missing_reasons`` maps each missing component to its `signals.axes.REASONS` code (empty for rows
    written before the axes kept reasons); ``stage_basis`` holds the numbers the stage was decided on."""
    from frontierwatch.signals import BREAKTHROUGH, INDUSTRIALISATION
    basis = as_dict(row.get("stage_basis"))
    out = {"year": row.get("year"), "stage": row.get("stage"),
           "stage_basis": {k: finite(v) for k, v in basis.items()} or None,
           "missing_components": list(row.get("missing_components") or []),
           "missing_reasons": as_dict(row.get("missing_reasons"))}
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


def no_nan(value):
    """NaN → None all through a JSON value (the pages and the API emit standard JSON)."""
    if isinstance(value, dict):
        return {k: no_nan(v) for k, v in value.items()}
    if isinstance(value, list):
        return [no_nan(v) for v in value]
    return finite(value)


def nan_to_none(value):
    """NaN → None all through a JSON value (infinities kept), as the backtest JSON is written."""
    if isinstance(value, float):
        return None if value != value else value
    if isinstance(value, dict):
        return {k: nan_to_none(v) for k, v in value.items()}
    if isinstance(value, list):
        return [nan_to_none(v) for v in value]
    return value


# Signals of the as-of year shown beside a listed topic: the ones the forecast and the baselines rank by.
DRIVING_SIGNALS = ("count", "share", "growth1", "growth2", "growth3", "trend_slope", "share_to_peak", "burst_state",
                   "burst_weight", "mean_age", "new_term_ratio", "escore_mean", "patent_share", "company_share")


def topic_list_evidence(store: Store, map_id: int, topic_ids: list[str], n_docs: int = 3) -> dict[str, dict]:
    """Per topic of a map: ``{"axes": axes_view(...), "signals": {year, DRIVING_SIGNALS..., missing},
    "documents": [{"doc_id", "title", "year"}]}`` — what a listed topic's axes and forecast rest on, with the
    topic's `n_docs` most central documents. Parts a stage has not computed are None."""
    from frontierwatch.signals import read_axes, read_signals
    from frontierwatch.topics.queries import representative_documents

    if not topic_ids:
        return {}
    ids = list(topic_ids)
    axes = read_axes(store, map_id, topic_ids=ids)
    signals = {r["topic_id"]: {"year": r["year"], **{k: finite(r[k]) for k in DRIVING_SIGNALS},
                               "missing": list(r["missing"] or [])}
               for r in read_signals(store, map_id, topic_ids=ids, latest=True).to_pylist()}
    documents = representative_documents(store, map_id, ids, n_docs)
    return {tid: {"axes": axes_view(axes[tid]) if tid in axes else None, "signals": signals.get(tid),
                  "documents": documents.get(tid, [])} for tid in ids}


def topic_evidence(store: Store, topic_id: str, as_of: date | None = None, horizon: int = 3) -> dict:
    """Everything shown for one topic of a map: ``signals`` (latest year), ``series`` (year → signals),
    ``axes`` (scores, contributions, stage), ``forecast`` (the stored row, or None) and ``skill`` (the summary
    of the latest backtest of that horizon, or None). Raises NotFoundError when the topic has no signals."""
    from frontierwatch.errors import NotFoundError
    from frontierwatch.forecast import latest_backtest, read_forecasts
    from frontierwatch.forecast.queries import SUMMARY
    from frontierwatch.signals import read_axes, read_signals
    from frontierwatch.topics.tables import map_row

    m = map_row(store, as_of)
    series = read_signals(store, m["map_id"], topic_ids=[topic_id]).to_pylist()
    if not series:
        raise NotFoundError(f"topic {topic_id} has no signals in map {m['map_id']}; run frontierwatch build",
                            f"主题 {topic_id} 在主题图 {m['map_id']} 中没有信号；请运行 frontierwatch build")
    skill = latest_backtest(store, horizon)
    return {"map_id": m["map_id"], "as_of": str(m["as_of"]), "topic_id": topic_id, "signals": series[-1],
            "series": {r["year"]: r for r in series},
            "axes": read_axes(store, m["map_id"], topic_ids=[topic_id]).get(topic_id, {}),
            "forecast": read_forecasts(store, m["map_id"], horizon, [topic_id]).get(topic_id),
            "skill": {k: skill[k] for k in SUMMARY} if skill else None}


def mapping_view(record: dict) -> dict:
    """A stored topic → direction mapping (`catalog.read_directions`) as the pages show it: ``{"directions",
    "fields": [keys], "confidence", "reason", "products": [ids], "taxonomy_version"}``."""
    return {"directions": list(record["directions"]), "fields": [f["field"] for f in record["fields"]],
            "confidence": record["confidence"], "reason": record["reason"],
            "products": [p["product"] for p in record["products"]], "taxonomy_version": record["taxonomy_version"]}


def named_lineage(store: Store, rows: list[dict]) -> list[dict]:
    """The topic's lineage rows (`topics.queries.topic_detail`) with ``name`` and ``prev_name`` ({zh, en} of the
    names stage for each side's map, None where that map is not named), so pages show names, not keyword labels."""
    from frontierwatch.names import read_topic_names

    wanted: dict[int, set[str]] = {}
    for r in rows:
        for m, t in ((r.get("map_id"), r.get("topic_id")), (r.get("prev_map_id"), r.get("prev_topic_id"))):
            if m is not None and t is not None:
                wanted.setdefault(m, set()).add(t)
    names = {m: read_topic_names(store, m, sorted(ts)) for m, ts in wanted.items()}

    def name(m, t):
        found = names.get(m, {}).get(t)
        return found["name"] if found else None

    return [r | {"name": name(r.get("map_id"), r.get("topic_id")),
                 "prev_name": name(r.get("prev_map_id"), r.get("prev_topic_id"))} for r in rows]
