"""The first administrator, created while the site runs: ``/setup?token=…`` with the one-time token that
``frontierwatch serve`` prints when the store has no administrator yet.

Why: the running server owns the user database (`frontierwatch.store.users`), so ``frontierwatch admin create``
cannot write it then; the token proves the person at the site is the one who started the server. It works
once, only while no administrator exists, and is compared in constant time.
"""
from __future__ import annotations

import hmac

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from frontierwatch.errors import FrontierwatchError, PermissionDenied
from frontierwatch.web.render import page
from frontierwatch.web.routes.auth import _login_as, read_form
from frontierwatch.web.security import CSRF_FIELD, check_csrf, client_key

router = APIRouter(include_in_schema=False)


def _check_token(request: Request, token: str) -> None:
    state = request.app.state.web
    expected = state.setup_token
    if not expected or not token or not hmac.compare_digest(expected.encode(), token.encode()) \
            or state.hall.count_users("admin"):
        raise PermissionDenied("this setup link is not valid (used already, or an administrator exists); "
                               "sign in as an administrator to add accounts",
                               "此设置链接无效（已使用或已有管理员）；请以管理员身份登录后添加账号")


@router.get("/setup", response_class=HTMLResponse)
def setup_form(request: Request, token: str = ""):
    _check_token(request, token)
    return page(request, "login.html", {"mode": "setup", "token": token, "next": "/admin/users"})


@router.post("/setup")
async def setup(request: Request):
    form = await read_form(request)
    return await run_in_threadpool(_setup, request, form)


def _setup(request: Request, form: dict):
    state = request.app.state.web
    check_csrf(request, None, form.get(CSRF_FIELD))
    username = form.get("username", "")[:100]
    state.login_limiter.hit(client_key(request, None, username), "setup attempts", "设置尝试")
    token = form.get("token", "")[:200]
    with state.gateway.lock:  # check and create at once: two tabs cannot both make an administrator
        _check_token(request, token)
        try:
            user = state.hall.create_user(username, form.get("password", "")[:1000], "admin")
        except FrontierwatchError as exc:
            return page(request, "login.html", {"mode": "setup", "token": token, "next": "/admin/users",
                                                "username": username, "error": exc.message(request.state.lang)},
                        status=400)
        state.setup_token = None
    return _login_as(request, user, "/admin/users")
