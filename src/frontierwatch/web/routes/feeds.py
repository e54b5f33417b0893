"""Atom feeds: ``/feeds/editions.atom``, ``/feeds/directions/{id}.atom``, ``/feeds/hall.atom`` (``?lang=zh|en``).

The routes fetch through the gateway and the hall, like the pages, and render with `frontierwatch.watch.feeds`.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from frontierwatch.errors import NotFoundError
from frontierwatch.watch.feeds import MEDIA_TYPE, Entry, atom_feed
from frontierwatch.web.gateway import NOT_BUILT
from frontierwatch.web.views import direction_topics

router = APIRouter(include_in_schema=False)  # Atom, not the JSON API
KIND = {"achievement": ("技术成果", "Achievement"), "scenario": ("应用场景需求", "Scenario need")}


def _lang(request: Request) -> str:
    return getattr(request.state, "lang", "zh")


def _answer(body: bytes) -> Response:
    return Response(body, media_type=MEDIA_TYPE)


@router.get("/feeds/editions.atom", summary="Atom feed of the published catalog editions")
def editions_feed(request: Request) -> Response:
    lang, gw = _lang(request), request.app.state.web.gateway
    rows = gw.editions()
    rows = [] if rows is NOT_BUILT else sorted(rows, key=lambda r: str(r.get("created")), reverse=True)
    entries = []
    for r in rows:
        names = "；".join(h["label"] for h in r["headline"][:5]) if lang == "zh" else "; ".join(
            h["label"] for h in r["headline"][:5])
        summary = (f"前沿技术推广目录 {r['edition']}：{r['n_entries']} 项，截至 {r['as_of']}。排名靠前：{names}" if lang == "zh"
                   else f"Frontier technology catalog {r['edition']}: {r['n_entries']} entries as of {r['as_of']}. "
                        f"Top ranked: {names}")
        entries.append(Entry(f"edition/{r['edition']}", (f"前沿技术推广目录 {r['edition']}" if lang == "zh" else
                                                          f"Frontier technology catalog {r['edition']}"),
                             r.get("created") or r["as_of"], f"/editions/{r['edition']}/{lang}.html", summary))
    title = "未来产业瞭望站 · 前沿技术推广目录" if lang == "zh" else "frontierwatch · catalog editions"
    return _answer(atom_feed("feed/editions", title, str(request.base_url), f"/feeds/editions.atom?lang={lang}",
                             f"/editions?lang={lang}", entries, lang))


@router.get("/feeds/directions/{direction_id}.atom", summary="Atom feed of the topics of one direction")
def direction_feed(request: Request, direction_id: Annotated[str, Path(max_length=80)]) -> Response:
    lang, gw = _lang(request), request.app.state.web.gateway
    directions, _ = gw.directions()
    chosen = next((d for d in directions if str(d.get("id")) == direction_id), None)
    if chosen is None:
        raise NotFoundError(f"no direction {direction_id!r}; see /api/v1/directions",
                            f"没有方向 {direction_id!r}；见 /api/v1/directions")
    name = chosen.get(f"name_{lang}") or direction_id
    topics = gw.topics()
    listed = direction_topics(topics, direction_id)
    listed = [] if listed is NOT_BUILT else listed
    as_of = topics.get("as_of") if topics is not NOT_BUILT and topics else None
    entries = []
    for t in listed:
        fc, stage = t.get("forecast") or {}, t.get("stage") or "–"
        p = fc.get("probability")
        pct = f"{p:.0%}" if p is not None else ("未计算" if lang == "zh" else "not computed")
        summary = (f"规模 {t['size']:,} 篇（截至 {as_of}），阶段 {stage}，极端增长概率 {pct}" if lang == "zh" else
                   f"{t['size']:,} documents as of {as_of}, stage {stage}, probability of extreme growth {pct}")
        entries.append(Entry(f"topic/{t['id']}/{as_of}", f"{t['id']} {t['label']}", as_of,
                             f"/topics/{t['id']}?lang={lang}", summary, [direction_id]))
    title = f"未来产业瞭望站 · {name}" if lang == "zh" else f"frontierwatch · {name}"
    return _answer(atom_feed(f"feed/directions/{direction_id}", title, str(request.base_url),
                             f"/feeds/directions/{direction_id}.atom?lang={lang}",
                             f"/directions/{direction_id}?lang={lang}", entries, lang))


@router.get("/feeds/hall.atom", summary="Atom feed of approved release-hall items")
def hall_feed(request: Request) -> Response:
    lang = _lang(request)
    items = request.app.state.web.hall.public_items(None, 50, 0)
    entries = [Entry(f"hall/{i['item_id']}", f"{KIND[i['kind']][0 if lang == 'zh' else 1]}：{i['title']}"
                     if lang == "zh" else f"{KIND[i['kind']][1]}: {i['title']}",
                     i.get("moderated") or i["updated"], f"/hall/items/{i['item_id']}?lang={lang}",
                     (i["body"] or "")[:500], [i["kind"]]) for i in items]
    entries.sort(key=lambda e: str(e.updated), reverse=True)
    title = "未来产业瞭望站 · 成果发布大厅" if lang == "zh" else "frontierwatch · release hall"
    return _answer(atom_feed("feed/hall", title, str(request.base_url), f"/feeds/hall.atom?lang={lang}",
                             f"/hall?lang={lang}", entries, lang))
