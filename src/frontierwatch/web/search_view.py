"""The search page's and API's filters (one query-string contract for both) and what the page shows of a result:
filter choices with their counts, concepts with their translations, highlighted titles and snippets.

Filters come as strings because an HTML form sends an empty field as ``year_from=``; an empty value means no filter.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import Query
from markupsafe import Markup, escape

from frontierwatch.errors import InputError

__all__ = ["FILTER_KEYS", "search_filters", "marked", "facet_choices", "concept_lines"]

FILTER_KEYS = ("year_from", "year_to", "kind", "source", "direction", "language")
_WORD = r"^[a-z][a-z_\-]{0,39}$|^$"
_YEAR = r"^\d{4}$|^$"


def search_filters(
        year_from: Annotated[str | None, Query(pattern=_YEAR, description="Earliest publication year, e.g. 2016")] = None,
        year_to: Annotated[str | None, Query(pattern=_YEAR, description="Latest publication year")] = None,
        kind: Annotated[str | None, Query(pattern=_WORD, description="paper | patent | achievement")] = None,
        source: Annotated[str | None, Query(pattern=_WORD, description="arxiv | openalex | csl | uspto | pubmed …")] = None,
        direction: Annotated[str | None, Query(pattern=_WORD, description="Direction id of the document's topic "
                                                                          "(manufacturing, information, …)")] = None,
        language: Annotated[str | None, Query(pattern=_WORD, description="zh | en")] = None) -> dict:
    """The filters of a search request, empty ones dropped; years as integers, from ≤ to."""
    got = {"year_from": year_from, "year_to": year_to, "kind": kind, "source": source, "direction": direction,
           "language": language}
    out = {k: (int(v) if k.startswith("year") else v) for k, v in got.items() if v}
    if out.get("year_from") and out.get("year_to") and out["year_from"] > out["year_to"]:
        raise InputError(f"year_from={out['year_from']} is after year_to={out['year_to']}; swap them",
                         f"起始年份 {out['year_from']} 晚于截止年份 {out['year_to']}；请对调")
    return out


def marked(text: str | None, spans) -> Markup:
    """`text` HTML-escaped with each ``[start, end)`` span wrapped in ``<mark>``."""
    text = text or ""
    out, last = [], 0
    for start, end in sorted(spans or []):
        if start < last:
            continue
        out.append(escape(text[last:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)


def _label(dimension: str, value, lang: str, directions: dict, messages: dict) -> str:
    if dimension == "direction":
        d = directions.get(value)
        if d:
            return d.get(f"name_{lang}") or d.get("name_en") or str(value)
        return messages["map.outside"][0 if lang == "zh" else 1] if value == "outside" else str(value)
    key = {"kind": "kind", "source": "source", "language": "language"}.get(dimension)
    if key and f"{key}.{value}" in messages:
        return messages[f"{key}.{value}"][0 if lang == "zh" else 1]
    return str(value)


def facet_choices(facets: dict, filters: dict, lang: str, directions: list[dict]) -> dict:
    """Per filter dimension, ``[(value, label, count)]`` of the current results, the chosen value kept even when
    it has no results (so the form shows what is set)."""
    from frontierwatch.web.i18n import MESSAGES

    by_id = {d.get("id"): d for d in directions}
    out = {}
    for dim in ("kind", "source", "direction", "language"):
        counts = dict((facets or {}).get(dim) or {})
        if filters.get(dim) and filters[dim] not in counts:
            counts[filters[dim]] = 0
        out[dim] = [(v, _label(dim, v, lang, by_id, MESSAGES), n) for v, n in counts.items()]
    years = sorted((facets or {}).get("year") or {})
    out["years"] = years
    return out


def concept_lines(query: dict, lang: str) -> list[str]:
    """Each searched concept and its other forms: '量子计算 (or quantum computing, quantum computation)'."""
    from frontierwatch.web.i18n import MESSAGES

    word_or = MESSAGES["search.or"][0 if lang == "zh" else 1]
    lines = []
    for c in (query or {}).get("concepts", []):
        others = [a["text"] for a in c.get("alternatives", []) if a.get("text") != c.get("text")]
        lines.append(c["text"] + (f"（{word_or} {'、'.join(others)}）" if lang == "zh" and others else
                                  f" ({word_or} {', '.join(others)})" if others else ""))
    return lines
