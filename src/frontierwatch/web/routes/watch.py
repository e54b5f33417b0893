"""Watchlist and alert API of a signed-in user: ``/api/v1/watches`` and ``/api/v1/alerts``.

Each user sees and changes only their own watches (owner ``user:<id>``); writes need the session cookie plus
``X-CSRF-Token`` or a bearer token, like every other API write. The routes call the core's watch methods under
the gateway's lock (one DuckDB connection per process, see `frontierwatch.web.gateway`).
"""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field

from frontierwatch.hall import User, require_role
from frontierwatch.web.render import current_user
from frontierwatch.web.routes.api import ERRORS, bearer
from frontierwatch.web.security import check_csrf

router = APIRouter(prefix="/api/v1", tags=["watch"], responses=ERRORS)


def _signed_in(request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None) -> User:
    return require_role(current_user(request), "viewer")


def _signed_in_writer(request: Request,
                      _: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None) -> User:
    user = require_role(current_user(request), "viewer")
    check_csrf(request, user, None)
    return user


Reader = Annotated[User, Depends(_signed_in)]
Writer = Annotated[User, Depends(_signed_in_writer)]


def _call(request: Request, method: str, *args, **kwargs):
    from frontierwatch.watch import user_owner
    gateway = request.app.state.web.gateway
    with gateway.lock:
        return getattr(gateway.obs, method)(user_owner(args[0].user_id), *args[1:], **kwargs)


class WatchIn(BaseModel):
    kind: Literal["topic", "direction", "query"]
    target: str = Field(min_length=1, max_length=300, description="Topic id, direction id or search text (zh/en)")
    name: str | None = Field(None, max_length=80)
    email: str | None = Field(None, max_length=254)
    webhook: str | None = Field(None, max_length=2000)


class ReadIn(BaseModel):
    ids: list[int] | None = Field(None, description="Alert ids; all of the user's alerts when omitted")
    read: bool = True


@router.get("/watches", summary="The signed-in user's watchlist")
def list_watches(request: Request, user: Reader) -> dict:
    return {"watches": [w.to_json() for w in _call(request, "watches", user)]}


@router.post("/watches", status_code=201, summary="Watch a topic, a direction or a saved search")
def add_watch(request: Request, user: Writer, body: WatchIn) -> dict:
    watch = _call(request, "watch_add", user, body.kind, body.target, email=body.email, webhook=body.webhook,
                  name=body.name)
    return watch.to_json()


@router.delete("/watches/{watch_id}", summary="Stop watching (alerts already raised stay)")
def remove_watch(request: Request, user: Writer, watch_id: Annotated[int, Path(ge=1, le=2**31 - 1)]) -> dict:
    return _call(request, "watch_remove", user, watch_id).to_json()


@router.get("/alerts", summary="The signed-in user's alerts, newest first, each with its evidence")
def list_alerts(request: Request, user: Reader, unread: Annotated[bool, Query()] = False) -> dict:
    return {"alerts": _call(request, "alerts", user, unread=unread)}


@router.post("/alerts/read", summary="Mark alerts read or unread")
def mark_alerts(request: Request, user: Writer, body: ReadIn) -> dict:
    return {"changed": _call(request, "mark_alerts", user, body.ids, body.read)}
