"""Pure shaping of observatory answers for the pages (no I/O): headline list, per-year series, map points.

The stages' answers are dicts; these functions only pick and reorder what a page shows and tolerate the
optional parts being absent (a part that is missing is shown as missing, never filled with zeros).
"""
from __future__ import annotations

from frontierwatch.web.gateway import NOT_BUILT

EDITION_FORMATS = ("html", "pdf", "xlsx", "json", "md")
HEADLINE_SIZE = 8


def _probability(topic: dict) -> float:
    forecast = topic.get("forecast")
    if isinstance(forecast, dict):
        value = forecast.get("probability", forecast.get("p"))
    else:
        value = forecast
    try:
        return float(value)
    except (TypeError, ValueError):
        return -1.0


def headline_topics(editions, topics, lang: str) -> dict:
    """The home page's headline technologies: the latest catalog edition's entries, else the topics with the
    highest forecast (then size). ``{"source": "edition"|"topics", "edition", "items"}`` or NOT_BUILT."""
    if editions is not NOT_BUILT and editions:
        listed = sorted(editions, key=lambda e: (str(e.get("as_of", "")), str(e.get("edition", ""))))
        same_lang = [e for e in listed if e.get("lang") in (None, lang)] or listed
        latest = same_lang[-1]
        entries = latest.get("headline") or latest.get("entries") or []
        if entries:
            return {"source": "edition", "edition": latest, "items": list(entries)[:HEADLINE_SIZE]}
    if topics is NOT_BUILT or not topics or not topics.get("topics"):
        return NOT_BUILT
    ranked = sorted(topics["topics"], key=lambda t: (_probability(t), t.get("size") or 0), reverse=True)
    return {"source": "topics", "edition": None, "items": ranked[:HEADLINE_SIZE]}


def _direction_ids(topic: dict) -> set[str]:
    ids = set()
    for d in topic.get("directions") or []:
        ids.add(str(d.get("id", d.get("direction"))) if isinstance(d, dict) else str(d))
    if topic.get("direction"):
        ids.add(str(topic["direction"]))
    return ids


def direction_topics(topics, direction_id: str):
    """Topics mapped to `direction_id` (by the catalog's mapping), largest first; NOT_BUILT when unmapped."""
    if topics is NOT_BUILT or not topics:
        return NOT_BUILT
    mapped = [t for t in topics.get("topics", []) if _direction_ids(t)]
    if not mapped:
        return NOT_BUILT
    return sorted((t for t in mapped if direction_id in _direction_ids(t)), key=lambda t: -(t.get("size") or 0))


def topic_series(detail, totals: dict | None = None) -> list[dict]:
    """``[{"year", "count", "share"}]`` from a topic detail's per-year sizes, in year order.

    Accepts ``counts_by_year`` / ``size_per_year`` / ``years`` as a list of rows or a ``{year: count}``
    mapping, with an optional ``share_per_year`` mapping; without it, share = count / `totals` (documents
    per year in the store, ``{year: n}``).
    """
    if detail is NOT_BUILT or not detail:
        return []
    raw = (detail.get("counts_by_year") or detail.get("size_per_year") or detail.get("years")
           or detail.get("series") or [])
    shares = dict(detail.get("share_per_year") or {})
    if not shares and totals and isinstance(raw, dict):
        by_year = {str(k): v for k, v in totals.items()}
        shares = {str(y): round(c / by_year[str(y)], 6) for y, c in raw.items() if by_year.get(str(y))}
    rows = []
    if isinstance(raw, dict):
        for year, count in raw.items():
            rows.append({"year": int(year), "count": count, "share": shares.get(year, shares.get(str(year)))})
    else:
        for row in raw:
            if isinstance(row, dict) and row.get("year") is not None:
                rows.append({"year": int(row["year"]), "count": row.get("count", row.get("size")),
                             "share": row.get("share")})
    return sorted(rows, key=lambda r: r["year"])


def topic_view(detail: dict) -> dict:
    """The topic page's sections, each present or None: keyphrases, axes, stage, signals, forecast,
    documents, neighbours, landscape, risk flags."""
    signals = detail.get("signals")
    if isinstance(signals, list):  # one row per year: show the latest
        signals = signals[-1] if signals else None
    keyphrases = detail.get("keyphrases") or detail.get("terms") or []
    axes = detail.get("axes") or {k: detail.get(k) for k in ("breakthrough", "industrialisation") if k in detail}
    return {
        "id": detail.get("id"), "label": detail.get("label") or str(detail.get("id")),
        "size": detail.get("size"), "as_of": detail.get("as_of"),
        "keyphrases": [k if isinstance(k, str) else k.get("term", k.get("phrase", "")) for k in keyphrases][:15],
        "axes": axes or None, "stage": detail.get("stage"),
        "signals": signals if isinstance(signals, dict) else None,
        "forecast": detail.get("forecast") if isinstance(detail.get("forecast"), dict) else None,
        "documents": detail.get("documents") or detail.get("top_documents") or detail.get("evidence") or [],
        "neighbours": detail.get("neighbours") or detail.get("neighbors") or [],
        "landscape": detail.get("landscape"),
        "risk_flags": detail.get("risk_flags") if "risk_flags" in detail else None,
        "directions": detail.get("directions") or [],
    }


def map_points(points) -> list[dict]:
    """``[{"id", "label", "x", "y", "size", "group"}]`` with numbers as floats (for the ECharts scatter);
    ``group`` (the broad field) colours the points."""
    out = []
    for p in points or []:
        try:
            out.append({"id": str(p["id"]), "label": str(p.get("label") or p["id"]), "x": float(p["x"]),
                        "y": float(p["y"]), "size": float(p.get("size") or 1),
                        "group": str(p.get("field_label") or p.get("field") or p.get("direction") or "")})
        except (KeyError, TypeError, ValueError):
            continue
    return out
