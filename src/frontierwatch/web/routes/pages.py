"""Read-only pages: home, direction, topic, topic map, search, document, catalog editions, methodology.

No login needed. Each page asks the gateway; a part that is not built yet renders the bilingual
"not built yet — run frontierwatch build" panel instead of invented data.
"""
from __future__ import annotations

from typing import Annotated, Literal

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from frontierwatch.errors import InputError, NotFoundError
from frontierwatch.web.briefing import growth_statements
from frontierwatch.web.downloads import tables_csv, tables_xlsx, topic_tables
from frontierwatch.web.gateway import NOT_BUILT
from frontierwatch.web.render import page
from frontierwatch.web.search_view import concept_lines, facet_choices, search_filters
from frontierwatch.web.views import (EDITION_FORMATS, MAP_COLOURS, direction_topics, edition_by_direction,
                                     headline_topics, map_points, topic_series, topic_view)

router = APIRouter(include_in_schema=False)
Q = Annotated[str, Query(max_length=500)]


def _gw(request: Request):
    return request.app.state.web.gateway


@router.get("/", response_class=HTMLResponse)
def home(request: Request):
    gw = _gw(request)
    directions, from_taxonomy = gw.directions()
    topics = gw.topics()
    editions = gw.editions()
    return page(request, "home.html", {
        "directions": directions, "from_taxonomy": from_taxonomy, "status": gw.status(),
        "headline": headline_topics(editions, topics, request.state.lang), "topics": topics,
        "hall_counts": request.app.state.web.hall.counts()})


@router.get("/directions/{direction_id}", response_class=HTMLResponse)
def direction(request: Request, direction_id: str):
    directions, from_taxonomy = _gw(request).directions()
    chosen = next((d for d in directions if str(d.get("id")) == direction_id), None)
    if chosen is None:
        raise NotFoundError(f"no direction {direction_id!r}; see /api/v1/directions",
                            f"没有方向 {direction_id!r}；见 /api/v1/directions")
    topics = _gw(request).topics()
    return page(request, "direction.html", {"direction": chosen, "from_taxonomy": from_taxonomy,
                                            "topics": direction_topics(topics, direction_id),
                                            "map_as_of": topics.get("as_of") if topics else None})


@router.get("/topics/{topic_id}", response_class=HTMLResponse)
def topic(request: Request, topic_id: str, as_of: Annotated[str | None, Query(max_length=10)] = None):
    from frontierwatch.risk import SCALE, load_risk_taxonomy
    from frontierwatch.web.render import current_user

    detail = _gw(request).topic(topic_id, as_of=as_of)
    lang = request.state.lang
    view = topic_view(detail, lang) if detail is not NOT_BUILT else NOT_BUILT
    totals = _gw(request).status().get("by_year")
    series = topic_series(detail, totals) if view is not NOT_BUILT else []
    growth = growth_statements(series, totals, view["signals_year"], lang) if view is not NOT_BUILT else []
    user = current_user(request)
    return page(request, "topic.html", {"topic_id": topic_id, "topic": view, "as_of": as_of, "series": series,
                                        "growth": growth, "backtest": _gw(request).backtest(),
                                        "map_dates": _gw(request).map_dates(),
                                        "assessments": request.app.state.web.governance.assessments(
                                            user, "topic", topic_id) if view is not NOT_BUILT else [],
                                        "scale": SCALE, "categories": load_risk_taxonomy().categories})


@router.get("/topics/{topic_id}/{name}.{fmt}")
def topic_download(request: Request, topic_id: str, name: str, fmt: str,
                   as_of: Annotated[str | None, Query(max_length=10)] = None):
    """The topic's per-year series or evidence documents as CSV (``series.csv``, ``documents.csv``), or both
    in one workbook (``topic.xlsx``); columns in the page language."""
    if (name, fmt) not in (("series", "csv"), ("documents", "csv"), ("topic", "xlsx")):
        raise NotFoundError(f"no download {name}.{fmt}: series.csv, documents.csv or topic.xlsx",
                            f"没有下载文件 {name}.{fmt}：可下载 series.csv、documents.csv 或 topic.xlsx")
    detail = _gw(request).topic(topic_id, as_of=as_of)
    if detail is NOT_BUILT:
        raise NotFoundError(f"topic {topic_id} is not published", f"主题 {topic_id} 尚未发布")
    lang = request.state.lang
    tables = topic_tables(detail, topic_series(detail, _gw(request).status().get("by_year")), lang)
    stem = f"frontierwatch-{topic_id}-{detail.get('as_of') or 'latest'}"
    if fmt == "xlsx":
        body = tables_xlsx(tables, lang)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, media = tables_csv(tables[name]), "text/csv; charset=utf-8"
    return Response(body, media_type=media,
                    headers={"content-disposition": f'attachment; filename="{stem}-{name}.{fmt}"'})


@router.get("/map", response_class=HTMLResponse)
def topic_map(request: Request, as_of: Annotated[str | None, Query(max_length=10)] = None,
              colour: Annotated[Literal[MAP_COLOURS], Query()] = "direction"):
    gw = _gw(request)
    points = gw.topic_map(as_of=as_of)
    topics = gw.topics(as_of=as_of) if points is not NOT_BUILT else NOT_BUILT
    shown = map_points(points, colour, gw.directions()[0], request.state.lang) if points is not NOT_BUILT else NOT_BUILT
    return page(request, "map.html", {"points": shown, "as_of": as_of, "colour": colour, "colours": MAP_COLOURS,
                                      "map_dates": gw.map_dates(),
                                      "map_as_of": topics.get("as_of") if topics else None})


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, filters: Annotated[dict, Depends(search_filters)], q: Q = "",
           page_no: Annotated[int, Query(alias="page", ge=1, le=50)] = 1):
    q = q.strip()
    gw = _gw(request)
    result, hall_hits = (gw.search_with_hall(request.app.state.web.hall, q, limit=20, offset=(page_no - 1) * 20,
                                             **filters) if q else (None, []))
    lang = request.state.lang
    directions = gw.directions()[0]
    choices = facet_choices(result["documents"]["facets"] if result else {}, filters, lang, directions)
    concepts = concept_lines(result["documents"]["query"], lang) if result else []
    paging = urlencode({"q": q, **{k: v for k, v in filters.items()}})
    return page(request, "search.html", {"q": q, "result": result, "hall_hits": hall_hits, "page_no": page_no,
                                         "filters": filters, "choices": choices, "concepts": concepts,
                                         "paging": paging})


@router.get("/documents/{doc_id:path}", response_class=HTMLResponse)
def document(request: Request, doc_id: str):
    if len(doc_id) > 300:
        raise InputError("document id longer than 300 characters", "文献编号超过 300 个字符")
    doc = _gw(request).document(doc_id)
    return page(request, "document.html", {"doc": doc, "topic": _gw(request).document_topic(doc["doc_id"])})


@router.get("/editions", response_class=HTMLResponse)
def editions(request: Request):
    return page(request, "editions.html", {"editions": _gw(request).editions(), "formats": EDITION_FORMATS})


@router.get("/editions/{edition}/{lang}.{fmt}")
def edition_file(request: Request, edition: str, lang: str, fmt: str):
    """Read online (html) or download (pdf, xlsx, json, md) one published edition."""
    if lang not in ("zh", "en") or fmt not in EDITION_FORMATS:
        raise NotFoundError(f"no edition file {edition}/{lang}.{fmt}: language zh|en, format {'|'.join(EDITION_FORMATS)}",
                            f"没有目录文件 {edition}/{lang}.{fmt}：语言为 zh|en，格式为 {'|'.join(EDITION_FORMATS)}")
    path = _gw(request).edition_file(edition, lang, fmt)
    if path is NOT_BUILT or path is None:
        raise NotFoundError(f"edition {edition} ({lang}, {fmt}) is not published; run frontierwatch catalog",
                            f"目录 {edition}（{lang}，{fmt}）尚未发布；请运行 frontierwatch catalog")
    media = {"html": "text/html; charset=utf-8", "pdf": "application/pdf", "json": "application/json",
             "md": "text/markdown; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[fmt]
    inline = fmt in ("html", "pdf")
    return FileResponse(path, media_type=media, filename=None if inline else f"frontierwatch-{edition}-{lang}.{fmt}")


@router.get("/editions/{edition}/{lang}", response_class=HTMLResponse)
def edition_page(request: Request, edition: str, lang: str):
    """One published edition read inside the site: its entries by direction, each linked to its topic page (on
    the edition's map) and its evidence documents, with the downloads beside it."""
    if lang not in ("zh", "en"):
        raise NotFoundError(f"no edition language {lang!r}: zh or en", f"没有目录语言 {lang!r}：可选 zh 或 en")
    data = _gw(request).edition_data(edition, lang)
    if data is NOT_BUILT or data is None:
        raise NotFoundError(f"edition {edition} ({lang}) is not published; run frontierwatch catalog",
                            f"目录 {edition}（{lang}）尚未发布；请运行 frontierwatch catalog")
    return page(request, "edition.html", {"edition": data, "formats": EDITION_FORMATS, "edition_lang": lang,
                                          "by_direction": edition_by_direction(data)})


@router.get("/methodology", response_class=HTMLResponse)
def methodology(request: Request):
    backtest = _gw(request).backtest()
    summary = backtest.get("summary") if isinstance(backtest, dict) else None
    best = max(summary, key=lambda m: summary[m].get("mean_ap") or 0) if summary else None  # highlight the best
    return page(request, "methodology.html", {"backtest": backtest, "best_method": best,
                                              "catalog_backtest": _gw(request).catalog_backtest()})
