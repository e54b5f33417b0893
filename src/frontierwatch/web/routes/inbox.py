"""The alert inbox page of a signed-in user (``/inbox``, zh/en): alerts with their evidence, read/unread, and the
watchlist with add and remove. Form posts carry the session's CSRF token and redirect back (303)."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from frontierwatch.hall import require_role
from frontierwatch.watch import user_owner
from frontierwatch.web.render import current_user, page
from frontierwatch.web.routes.auth import read_form
from frontierwatch.web.security import CSRF_FIELD, check_csrf

router = APIRouter(include_in_schema=False)


def _obs(request: Request):
    return request.app.state.web.gateway


@router.get("/inbox", response_class=HTMLResponse)
def inbox(request: Request):
    user = require_role(current_user(request), "viewer")
    gw, owner = _obs(request), user_owner(user.user_id)
    with gw.lock:
        alerts, watches = gw.obs.alerts(owner), gw.obs.watches(owner)
    return page(request, "inbox.html", {"alerts": alerts, "watches": watches})


def _post(request: Request, form: dict, action) -> RedirectResponse:
    user = require_role(current_user(request), "viewer")
    check_csrf(request, user, form.get(CSRF_FIELD))
    gw = _obs(request)
    with gw.lock:
        action(gw.obs, user_owner(user.user_id))
    return RedirectResponse("/inbox", status_code=303)


@router.post("/inbox/read")
async def inbox_read(request: Request):
    form = await read_form(request)
    ids = [int(form["id"])] if form.get("id", "").isdigit() else None
    read = form.get("read", "true") != "false"
    return await run_in_threadpool(_post, request, form, lambda obs, owner: obs.mark_alerts(owner, ids, read))


@router.post("/inbox/watches")
async def inbox_add_watch(request: Request):
    form = await read_form(request)
    return await run_in_threadpool(_post, request, form, lambda obs, owner: obs.watch_add(
        owner, form.get("kind", ""), form.get("target", ""), email=form.get("email") or None))


@router.post("/inbox/watches/{watch_id}/remove")
async def inbox_remove_watch(request: Request, watch_id: int):
    form = await read_form(request)
    return await run_in_threadpool(_post, request, form, lambda obs, owner: obs.watch_remove(owner, watch_id))
