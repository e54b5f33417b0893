"""Read-only pages: home, direction, topic, topic map, search, document, catalog editions, methodology.

No login needed. Each page asks the gateway; a part that is not built yet renders the bilingual
"not built yet — run frontierwatch build" panel instead of invented data.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse

from frontierwatch.errors import InputError, NotFoundError
from frontierwatch.web.gateway import NOT_BUILT
from frontierwatch.web.render import page
from frontierwatch.web.views import (EDITION_FORMATS, direction_topics, headline_topics, map_points, topic_series,
                                     topic_view)

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
    view = topic_view(detail, request.state.lang) if detail is not NOT_BUILT else NOT_BUILT
    user = current_user(request)
    return page(request, "topic.html", {"topic_id": topic_id, "topic": view, "as_of": as_of,
                                        "series": topic_series(detail, _gw(request).status().get("by_year"))
                                        if view is not NOT_BUILT else [],
                                        "backtest": _gw(request).backtest(),
                                        "assessments": request.app.state.web.governance.assessments(
                                            user, "topic", topic_id) if view is not NOT_BUILT else [],
                                        "scale": SCALE, "categories": load_risk_taxonomy().categories})


@router.get("/map", response_class=HTMLResponse)
def topic_map(request: Request, as_of: Annotated[str | None, Query(max_length=10)] = None):
    points = _gw(request).topic_map(as_of=as_of)
    topics = _gw(request).topics(as_of=as_of) if points is not NOT_BUILT else NOT_BUILT
    return page(request, "map.html", {"points": map_points(points, request.state.lang) if points is not NOT_BUILT else NOT_BUILT,
                                      "as_of": as_of, "map_as_of": topics.get("as_of") if topics else None})


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: Q = "", page_no: Annotated[int, Query(alias="page", ge=1, le=50)] = 1):
    q = q.strip()
    result = _gw(request).search(q, limit=20, offset=(page_no - 1) * 20) if q else None
    hall = request.app.state.web.hall
    hall_hits = _gw(request).cached(("hall-search", q), lambda: hall.search(q, limit=10)) if q else []
    return page(request, "search.html", {"q": q, "result": result, "hall_hits": hall_hits, "page_no": page_no})


@router.get("/documents/{doc_id:path}", response_class=HTMLResponse)
def document(request: Request, doc_id: str):
    if len(doc_id) > 300:
        raise InputError("document id longer than 300 characters", "文献编号超过 300 个字符")
    return page(request, "document.html", {"doc": _gw(request).document(doc_id)})


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


@router.get("/methodology", response_class=HTMLResponse)
def methodology(request: Request):
    return page(request, "methodology.html", {"backtest": _gw(request).backtest()})
