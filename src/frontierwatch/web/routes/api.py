"""JSON API ``/api/v1/...``: directions, topics, documents, editions, search, match, the hall and moderation.

Reads need no login. Writes need a user with the right role, authenticated by ``Authorization: Bearer
<API token>`` or by the session cookie plus the ``X-CSRF-Token`` header. Authentication is checked before
the body is validated, so an anonymous write is a 401 whatever it sends. Errors are
``{"error": {"status", "title", "message", "message_en", "message_zh"}}``.
"""
from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from frontierwatch.hall import AchievementIn, ScenarioIn, User, require_role
from frontierwatch.web.gateway import NOT_BUILT
from frontierwatch.web.render import current_user
from frontierwatch.web.search_view import search_filters
from frontierwatch.web.security import check_csrf, client_key



class ErrorDetail(BaseModel):
    status: int
    title: str
    message: str = Field(description="In the request's language (?lang= or cookie)")
    message_en: str
    message_zh: str


class ErrorBody(BaseModel):
    """Every error answer of the API."""

    error: ErrorDetail


ERRORS = {code: {"model": ErrorBody, "description": text} for code, text in (
    (400, "Bad input"), (401, "Sign-in required"), (403, "Forbidden or missing CSRF token"), (404, "Not found"),
    (409, "Conflict: a flagged item not yet assessed (with its `flags`), or a duplicate"),
    (422, "Invalid parameters or body"), (429, "Rate limited"))}
router = APIRouter(prefix="/api/v1", tags=["api"], responses=ERRORS)
bearer = HTTPBearer(auto_error=False, description="Per-user API token from the account page")
AsOf = Annotated[date | None, Query(description="As-of date YYYY-MM-DD (default: the latest map)")]
ItemId = Annotated[int, Path(ge=1, le=2**31 - 1)]
NOT_BUILT_MESSAGE = {"en": "not built yet — run frontierwatch build", "zh": "尚未构建——请运行 frontierwatch build"}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _gw(request: Request):
    return request.app.state.web.gateway


def _hall(request: Request):
    return request.app.state.web.hall


def writer(role: str):
    def dependency(request: Request,
                   _: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None) -> User:
        user = require_role(current_user(request), role)
        check_csrf(request, user, None)
        return user
    return dependency


def reader(request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None):
    return current_user(request)


Submitter = Annotated[User, Depends(writer("submitter"))]
Moderator = Annotated[User, Depends(writer("moderator"))]
MaybeUser = Annotated[User | None, Depends(reader)]


async def _answer(request: Request, key: tuple, build) -> Response:
    """A hot read's JSON, serialised once per cache generation (`ObservatoryGateway.answer`) and sent as is:
    no re-validation or re-serialisation of the cached dict. A cached answer is sent from the event loop (no
    thread hand-off); only a miss computes, in the thread pool (store calls block). A GET answer is also
    remembered under its raw path and query string for `CachedAnswers` (app.py) to repeat."""
    gateway = _gw(request)
    alias = (request.scope["path"], request.scope["query_string"]) if request.method == "GET" else None
    body = gateway.cached_answer(key, alias)
    if body is None:
        body = await run_in_threadpool(gateway.answer, key, build, alias)
    return Response(body, media_type="application/json")


def _not_built(**extra) -> dict:
    return {"built": False, "message": NOT_BUILT_MESSAGE, **extra}


@router.get("/status", summary="Store counts by source, kind, year and language; the server's precompute state")
def status(request: Request) -> dict:
    warmup = request.app.state.web.warmup
    return {**_gw(request).status(), "server": {"precompute": warmup.state() if warmup is not None else None}}


@router.get("/directions", summary="The six future-industry directions")
def directions(request: Request) -> dict:
    found, from_taxonomy = _gw(request).directions()
    return {"directions": found, "source": "taxonomy" if from_taxonomy else "policy-names"}


@router.get("/topics", summary="Topics of the topic map (as of a date; default the latest)")
async def topics(request: Request, as_of: AsOf = None, top: Annotated[int | None, Query(ge=1, le=5000)] = None) -> dict:
    def build() -> dict:
        got = _gw(request).topics(as_of=_iso(as_of), top=top)
        return _not_built(as_of=_iso(as_of), topics=[]) if got is NOT_BUILT else {"built": True, **got}
    return await _answer(request, ("topics", _iso(as_of), top), build)


@router.get("/topics/{topic_id}", summary="One topic: sizes per year, signals, forecast, evidence, neighbours")
async def topic(request: Request, topic_id: Annotated[str, Path(max_length=100)], as_of: AsOf = None) -> dict:
    def build() -> dict:
        got = _gw(request).topic(topic_id, as_of=_iso(as_of))
        return _not_built(id=topic_id) if got is NOT_BUILT else {"built": True, **got}
    return await _answer(request, ("topic", topic_id, _iso(as_of)), build)


@router.get("/topic-map", summary="2-D coordinates of the topics for the map")
def topic_map(request: Request, as_of: AsOf = None) -> dict:
    got = _gw(request).topic_map(as_of=_iso(as_of))
    return _not_built(points=[]) if got is NOT_BUILT else {"built": True, "points": got}


@router.get("/documents/{doc_id}", summary="One document")
def document(request: Request, doc_id: Annotated[str, Path(max_length=300)]) -> dict:
    return _gw(request).document(doc_id)


@router.get("/editions", summary="Published catalog editions")
def editions(request: Request) -> dict:
    got = _gw(request).editions()
    return _not_built(editions=[]) if got is NOT_BUILT else {"built": True, "editions": got}


@router.get("/backtest", summary="Backtest results of the forecaster and the baselines")
def backtest(request: Request) -> dict:
    got = _gw(request).backtest()
    return _not_built() if got is NOT_BUILT else {"built": True, **got}


@router.get("/search", summary="Search documents in Chinese and English (every word, quoted phrases, glossary "
            "translations; filters by year, kind, source, direction, language; highlights) and topics")
async def search(request: Request, q: Annotated[str, Query(min_length=1, max_length=500)],
                 filters: Annotated[dict, Depends(search_filters)],
                 limit: Annotated[int, Query(ge=1, le=100)] = 20,
                 offset: Annotated[int, Query(ge=0, le=10_000)] = 0) -> dict:
    def build() -> dict:
        found, hall = _gw(request).search_with_hall(_hall(request), q, limit=limit, offset=offset, **filters)
        return {**found, "hall": hall}
    return await _answer(request, ("search", q, limit, offset, tuple(sorted(filters.items()))), build)


class MatchIn(BaseModel):
    text: str = Field(min_length=1, max_length=4000, description="The need, in Chinese or English")
    top: int = Field(10, ge=1, le=50)


async def _match(request: Request, text: str, top: int) -> Response:
    def build() -> dict:
        got = _gw(request).match(text, top=top)
        if got is NOT_BUILT:
            return _not_built(query=text, topics=[], documents=[], institutions=[], achievements=[])
        return {"built": True, **got}
    return await _answer(request, ("match", text, top), build)


@router.get("/match", summary="Matchmaking: ranked topics, documents, institutions and achievements for a need")
async def match_get(request: Request, q: Annotated[str, Query(min_length=1, max_length=4000)],
              top: Annotated[int, Query(ge=1, le=50)] = 10) -> dict:
    return await _match(request, q, top)


@router.post("/match", summary="Matchmaking for a longer need (no state change)")
async def match_post(request: Request, body: MatchIn) -> dict:
    return await _match(request, body.text, body.top)


# -- release hall --------------------------------------------------------------------------------------------
def _limit_submissions(request: Request, user: User) -> None:
    request.app.state.web.submit_limiter.hit(client_key(request, user), "submissions", "提交")


@router.post("/achievements", status_code=201, summary="Submit a technology achievement (pending review)")
def submit_achievement(request: Request, user: Submitter, body: AchievementIn) -> dict:
    _limit_submissions(request, user)
    item_id = _hall(request).submit_achievement(user, body)
    return {"item_id": item_id, "status": "pending"}


@router.post("/scenarios", status_code=201, summary="Submit an application-scenario need (pending review)")
def submit_scenario(request: Request, user: Submitter, body: ScenarioIn) -> dict:
    _limit_submissions(request, user)
    item_id = _hall(request).submit_scenario(user, body)
    return {"item_id": item_id, "status": "pending"}


Page = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=100_000)]


@router.get("/achievements", summary="Approved achievements, newest first")
def list_achievements(request: Request, limit: Page = 50, offset: Offset = 0) -> dict:
    return {"achievements": _hall(request).public_items("achievement", limit, offset)}


@router.get("/scenarios", summary="Approved scenario needs, newest first")
def list_scenarios(request: Request, limit: Page = 50, offset: Offset = 0) -> dict:
    return {"scenarios": _hall(request).public_items("scenario", limit, offset)}


@router.get("/hall/{item_id}", summary="One hall item (unapproved ones only for their submitter, moderators and "
            "governance reviewers; `screening`, `history` and `contact` only for those allowed to see them)")
def hall_item(request: Request, item_id: ItemId, user: MaybeUser) -> dict:
    return _hall(request).item(item_id, user)


@router.put("/achievements/{item_id}", summary="Edit an achievement (its submitter while pending, or a moderator)")
def edit_achievement(request: Request, item_id: ItemId, user: Submitter,
                     body: AchievementIn) -> dict:
    return _hall(request).edit(user, item_id, body)


@router.put("/scenarios/{item_id}", summary="Edit a scenario need (its submitter while pending, or a moderator)")
def edit_scenario(request: Request, item_id: ItemId, user: Submitter,
                  body: ScenarioIn) -> dict:
    return _hall(request).edit(user, item_id, body)


class DecisionIn(BaseModel):
    decision: Literal["approve", "reject"]
    note: str = Field("", max_length=1000)


@router.get("/moderation/queue", summary="Pending items, oldest first (moderators)")
def moderation_queue(request: Request, user: Annotated[User | None, Depends(reader)]) -> dict:
    return {"queue": _hall(request).queue(require_role(user, "moderator"))}


@router.post("/moderation/{item_id}", summary="Approve or reject an item (moderators); approval links topics. "
             "Approving an item flagged by risk screening answers 409 with the `flags` until a governance reviewer "
             "has assessed it")
def moderate(request: Request, item_id: ItemId, user: Moderator,
             body: DecisionIn) -> dict:
    return _hall(request).decide(user, item_id, body.decision == "approve", body.note)  # clears the read cache


@router.get("/me", summary="The signed-in user (null when anonymous)")
def me(user: MaybeUser) -> dict:
    if user is None:
        return {"user": None}
    return {"user": {"user_id": user.user_id, "username": user.username, "role": user.role}}
