"""Pure shaping of observatory answers for the pages (no I/O): headline list, per-year series, map points.

The stages' answers are dicts; these functions only pick and reorder what a page shows and tolerate the
optional parts being absent (a part that is missing is shown as missing, never filled with zeros).
"""
from __future__ import annotations

from frontierwatch.web.briefing import axis_panels, forecast_rows, signal_rows, skill_rows, stage_sentence
from frontierwatch.web.gateway import NOT_BUILT
from frontierwatch.web.i18n import MESSAGES, for_readers, pick
from frontierwatch.web.lineage import lineage_rows

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
    ranked = sorted((t for t in topics["topics"] if not t.get("junk")),
                    key=lambda t: (_probability(t), t.get("size") or 0), reverse=True)
    return {"source": "topics", "edition": None, "items": ranked[:HEADLINE_SIZE]}


def edition_by_direction(edition: dict) -> list[dict]:
    """An edition's entries grouped by direction in the edition's order: ``[{"direction", "entries"}]``."""
    groups: dict[str, dict] = {}
    for d in edition.get("directions") or []:
        groups[str(d.get("id"))] = {"direction": d, "entries": []}
    for e in edition.get("entries") or []:
        d = e.get("direction") or {}
        groups.setdefault(str(d.get("id")), {"direction": d, "entries": []})["entries"].append(e)
    return [g for g in groups.values() if g["entries"]]


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
    return sorted((t for t in mapped if direction_id in _direction_ids(t) and not t.get("junk")),
                  key=lambda t: -(t.get("size") or 0))


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


def is_not_computed(value) -> bool:
    """The core's marker of a section whose stage has not run: ``{"computed": False, "note": {"en", "zh"}}``."""
    return isinstance(value, dict) and value.get("computed") is False


def _note(marker: dict, lang: str) -> str:
    note = marker.get("note")
    return for_readers(pick(note, lang) if isinstance(note, dict) else str(note or ""), lang)


def _signals(value) -> tuple[dict | None, list]:
    """The latest signals row without empty values, and the names of the signals without data."""
    if isinstance(value, list):  # one row per year: show the latest
        value = value[-1] if value else None
    if not isinstance(value, dict):
        return None, []
    missing = list(value.get("missing") or [])
    shown = {k: v for k, v in value.items() if k != "missing" and v is not None}
    return shown or None, missing


def topic_view(detail: dict, lang: str = "zh") -> dict:
    """The topic page's sections, each present or None: keyphrases, axes, stage, signals, forecast, skill,
    documents, neighbours, landscape, risk flags, directions, mapping. A section the core answers with its
    not-computed marker is None, and ``notes[section]`` holds the marker's note in `lang`."""
    notes = {}
    parts = {}
    for key in ("signals", "axes", "forecast", "forecast_skill", "landscape", "risk_flags", "directions", "mapping"):
        value = detail.get(key)
        if is_not_computed(value):
            notes[key] = _note(value, lang)
            value = None
        parts[key] = value
    signals, signals_missing = _signals(parts["signals"])
    keyphrases = detail.get("keyphrases") or detail.get("terms") or []
    axes = parts["axes"] or {k: detail.get(k) for k in ("breakthrough", "industrialisation") if k in detail}
    landscape = parts["landscape"]
    if isinstance(landscape, dict) and isinstance(landscape.get("note"), dict):
        landscape = landscape | {"note": pick(landscape["note"], lang)}
    risk_flags = parts["risk_flags"] if "risk_flags" in detail else None
    if risk_flags is not None and not isinstance(risk_flags, list):
        risk_flags = [risk_flags]
    directions = [d for d in (parts["directions"] or []) if d]
    label = detail.get("label") or str(detail.get("id"))
    return {
        "id": detail.get("id"), "label": label, "name": topic_name(detail.get("name"), lang, label, detail.get("id")),
        "summary": pick(detail["summary"], lang) if isinstance(detail.get("summary"), dict)
        and "computed" not in detail["summary"] else None,
        "size": detail.get("size"), "as_of": detail.get("as_of"),
        "keyphrases": [k if isinstance(k, str) else k.get("term", k.get("phrase", "")) for k in keyphrases][:15],
        "axes": axes or None, "stage": detail.get("stage"),
        "signals": signals, "signals_missing": signals_missing,
        "forecast": parts["forecast"] if isinstance(parts["forecast"], dict) else None,
        "forecast_skill": parts["forecast_skill"] if isinstance(parts["forecast_skill"], dict) else None,
        "documents": detail.get("documents") or detail.get("top_documents") or detail.get("evidence") or [],
        "neighbours": detail.get("neighbours") or detail.get("neighbors") or [],
        "lineage": lineage_rows(detail.get("lineage"), detail.get("id"), detail.get("as_of"), lang),
        "landscape": landscape, "risk_flags": risk_flags,
        "directions": [d if isinstance(d, dict) else {"id": str(d), "name": str(d)} for d in directions],
        "mapping": parts["mapping"] if isinstance(parts["mapping"], dict) else None,
        "notes": notes,
        # the same numbers named in the page language (signals.glossary): what the template shows
        "axis_panels": axis_panels(axes, lang), "signal_rows": signal_rows(signals, lang),
        "stage_text": stage_sentence(axes, lang),
        "skill_rows": skill_rows(parts["forecast_skill"], lang), "interval": forecast_rows(parts["forecast"]),
        "signals_year": (signals or {}).get("year") or (axes or {}).get("year"),
    }


def topic_name(name: dict | str | None, lang: str, label: str, topic_id: str | None = None) -> str:
    """A topic's name in `lang` (names stage); before the names stage ran, its keyphrase label. A zh page never
    prints an English name: a topic the names stage could not name in Chinese says so ("暂无中文名称", with its id
    when given) — the English name is on the en page."""
    if isinstance(name, str):  # a name stored as one string (older editions)
        return name or label
    if not isinstance(name, dict) or not name.get("en"):
        return label
    if lang == "zh" and not name.get("zh"):
        return f"暂无中文名称（{topic_id}）" if topic_id else "暂无中文名称"
    return name[lang]


MAP_COLOURS = ("direction", "stage")


def _map_group(p: dict, colour: str, direction_names: dict, lang: str) -> str:
    """The legend entry of a map point: its first direction's name, or its lifecycle stage, in `lang`."""
    if colour == "stage":
        stage = p.get("stage")
        return MESSAGES[f"stage.{stage}"][0 if lang == "zh" else 1] if f"stage.{stage}" in MESSAGES else \
            MESSAGES["map.no_stage"][0 if lang == "zh" else 1]
    ids = [str(d.get("id", d)) if isinstance(d, dict) else str(d) for d in p.get("directions") or []]
    if not ids:
        return MESSAGES["map.unmapped"][0 if lang == "zh" else 1]
    if ids[0] in direction_names:
        return pick(direction_names[ids[0]], lang)
    return MESSAGES["map.outside"][0 if lang == "zh" else 1]


def map_points(points, colour: str = "direction", directions: list | None = None, lang: str = "zh") -> list[dict]:
    """``[{"id", "label", "x", "y", "size", "group"}]`` with numbers as floats (for the ECharts scatter);
    ``label`` is the topic's name in `lang`; ``group`` colours the points: the topic's direction (the six
    future-industry directions) or its lifecycle stage, named in `lang`. Junk topics (venue boilerplate,
    foreign function words) are left off the map."""
    names = {str(d.get("id")): d for d in directions or [] if isinstance(d, dict)}
    out = []
    for p in points or []:
        if p.get("junk"):
            continue
        try:
            label = topic_name(p.get("name"), lang, str(p.get("label") or p["id"]), str(p["id"]))
            out.append({"id": str(p["id"]), "label": label, "x": float(p["x"]),
                        "y": float(p["y"]), "size": float(p.get("size") or 1),
                        "group": _map_group(p, colour, names, lang)})
        except (KeyError, TypeError, ValueError):
            continue
    return out


def _term(term, lang: str) -> str:
    if isinstance(term, dict):
        first, second = (term.get("zh"), term.get("en")) if lang == "zh" else (term.get("en"), term.get("zh"))
        return str(first or second or term.get("in") or "")
    return str(term)


def closeness(cosine: float, t) -> str:
    """A cosine similarity said in words: 含义非常接近 / 含义接近 / 含义有关 / 含义较远 (very close … distant)."""
    level = "high" if cosine >= 0.6 else "medium" if cosine >= 0.45 else "low" if cosine >= 0.3 else "far"
    return t(f"why.meaning.{level}")


def match_why(why, lang: str, t, topics: list[dict] | None = None) -> list[str]:
    """A match's ``why`` (matched terms, similarities, readiness, direction, coverage, source documents) as
    short readable phrases in `lang`; a string or list `why` is returned as is. A document's topic is named from
    `topics` (the match's ranked topics, which hold every topic its documents come from)."""
    if isinstance(why, str):
        return [why]
    if not isinstance(why, dict):
        return [str(x) for x in why or []]
    out = []
    terms = [_term(x, lang) for x in why.get("matched_terms") or []]
    if any(terms):
        out.append(f"{t('why.terms')}: " + ", ".join(dict.fromkeys(x for x in terms if x)))
    similarity = why.get("similarity")
    if isinstance(similarity, dict):  # scorer values: said as how close the meaning is, numbers in the API only
        values = [v for k, v in similarity.items() if k in ("static", "multilingual") and isinstance(v, (int, float))]
        if values:
            out.append(closeness(max(values), t))
        if isinstance(similarity.get("documents"), (int, float)) and similarity["documents"] > 0:
            out.append(t("why.documents"))  # some of the documents that best match the need are the topic's
    elif isinstance(similarity, (int, float)):
        out.append(closeness(similarity, t))
    if isinstance(why.get("term_coverage"), (int, float)):
        out.append(f"{t('why.coverage')} {why['term_coverage'] * 100:.0f}%")
    ready = why.get("readiness")
    if isinstance(ready, dict) and ready.get("computed") is not False:
        bits = [f"{t('topic.' + k)} {ready[k]:.2f}" for k in ("breakthrough", "industrialisation")
                if isinstance(ready.get(k), (int, float))]
        if bits:
            out.append(" · ".join(bits))
    direction = why.get("direction")
    if isinstance(direction, dict) and direction.get("directions"):
        out.append(f"{t('f.direction')}: " + ", ".join(pick(d, lang) if isinstance(d, dict) else str(d)
                                                       for d in direction["directions"]))
    if why.get("topic_id"):
        tid = str(why["topic_id"])
        known = next((x for x in topics or [] if isinstance(x, dict) and str(x.get("id")) == tid), None)
        shown = topic_name(known.get("name"), lang, known.get("label") or tid, tid) if known else tid
        out.append(f"{t('search.topics')}{t('common.colon')}{shown}")
    if why.get("titles"):
        out.append(f"{t('search.documents')}{t('common.colon')}" + "; ".join(str(x) for x in why["titles"][:2]))
    return out
