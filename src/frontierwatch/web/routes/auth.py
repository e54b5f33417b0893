"""Sign in, sign out, register, the account page (API token) and the admin's user list.

Form posts are parsed here and handled in the thread pool (argon2 and DuckDB block). Every POST checks the
CSRF token first; login and registration are rate limited per (IP, username), and a name with repeated failed
sign-ins is locked with back-off (`frontierwatch.hall.access`). Signing in always starts a new session.
"""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse

from frontierwatch.errors import FrontierwatchError
from frontierwatch.hall import ROLE_NAMES_ZH, ROLES, require_role
from frontierwatch.hall.access import LockedOut
from frontierwatch.web.render import current_user, page
from frontierwatch.web.security import CSRF_FIELD, SESSION_COOKIE, check_csrf, client_key

router = APIRouter(include_in_schema=False)


async def read_form(request: Request) -> dict[str, str]:
    """Form fields as strings (multi-valued fields joined by newlines)."""
    form = await request.form()
    out: dict[str, str] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            out[key] = f"{out[key]}\n{value}" if key in out else value
    return out


def safe_next(target: str | None) -> str:
    """Only same-site paths: '/hall' yes, '//evil.example' or 'https://…' no."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target and len(target) < 500:
        return target
    return "/"


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/"):
    return page(request, "login.html", {"next": safe_next(next), "mode": "login"})


@router.post("/login")
async def login(request: Request):
    form = await read_form(request)
    return await run_in_threadpool(_login, request, form)


def _login(request: Request, form: dict):
    state = request.app.state.web
    check_csrf(request, current_user(request), form.get(CSRF_FIELD))  # the form carried the token of its page
    username = form.get("username", "")[:100]
    state.login_limiter.hit(client_key(request, None, username), "sign-in attempts", "登录尝试")
    try:
        user = state.hall.authenticate(username, form.get("password", "")[:1000])
    except LockedOut as exc:
        return page(request, "login.html", {"next": safe_next(form.get("next")), "mode": "login",
                                            "error": exc.message(request.state.lang), "username": username},
                    status=429)
    if user is None:
        return page(request, "login.html", {"next": safe_next(form.get("next")), "mode": "login",
                                            "failed": True, "username": username}, status=401)
    return _login_as(request, user, safe_next(form.get("next")))


@router.post("/logout")
async def logout(request: Request):
    form = await read_form(request)
    return await run_in_threadpool(_logout, request, form)


def _logout(request: Request, form: dict):
    user = current_user(request)
    check_csrf(request, user, form.get(CSRF_FIELD))
    if user and user.session_id:
        request.app.state.web.hall.close_session(user.session_id)
    response = _redirect("/")
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/register", response_class=HTMLResponse)
def register_form(request: Request):
    return page(request, "login.html", {"next": "/hall", "mode": "register"})


@router.post("/register")
async def register(request: Request):
    form = await read_form(request)
    return await run_in_threadpool(_register, request, form)


def _register(request: Request, form: dict):
    """Self-service accounts get the 'submitter' role; moderators are made by an admin. The e-mail is optional
    (it serves password resets and notifications) and never shown to others."""
    state = request.app.state.web
    check_csrf(request, None, form.get(CSRF_FIELD))
    username = form.get("username", "")[:100]
    state.login_limiter.hit(client_key(request, None, username), "registrations", "注册")
    try:
        user = state.hall.create_user(username, form.get("password", "")[:1000], "submitter",
                                      form.get("email", "")[:300])
    except FrontierwatchError as exc:
        return page(request, "login.html", {"mode": "register", "next": "/hall", "username": username,
                                            "email": form.get("email", "")[:300],
                                            "error": exc.message(request.state.lang)}, status=400)
    return _login_as(request, user, "/hall")


def _login_as(request: Request, user, target: str):
    """Start a fresh session (a new random id: a session id planted before sign-in is never promoted, and the
    session the browser held before is ended) and set its cookie."""
    state = request.app.state.web
    old = state.signer.session_id(request.cookies.get(SESSION_COOKIE))
    if old:
        state.hall.close_session(old)
    user = state.hall.open_session(user)
    response = _redirect(target)
    response.set_cookie(SESSION_COOKIE, state.signer.session_cookie(user.session_id), httponly=True,
                        samesite="lax", secure=state.secure_cookies, max_age=14 * 86400)
    return response


def account_page(request: Request, user, status: int = 200, **extra):
    """The account page: role, e-mail, notifications, contact requests for my items, my items, API token."""
    hall = request.app.state.web.hall
    context = {"items": hall.my_items(user), "email": hall.email_of(user), "notifications": hall.notifications(user),
               "contact_requests": hall.contact_requests(user), "role_names": ROLE_NAMES_ZH, **extra}
    return page(request, "account.html", context, status=status)


@router.get("/account", response_class=HTMLResponse)
def account(request: Request):
    user = require_role(current_user(request), "viewer")
    return account_page(request, user)


@router.post("/account/token", response_class=HTMLResponse)
async def new_token(request: Request):
    form = await read_form(request)
    return await run_in_threadpool(_new_token, request, form)


def _new_token(request: Request, form: dict):
    user = require_role(current_user(request), "viewer")
    check_csrf(request, user, form.get(CSRF_FIELD))
    token = request.app.state.web.hall.issue_api_token(user)
    return account_page(request, user, token=token)


@router.get("/admin/users", response_class=HTMLResponse)
def users(request: Request):
    admin = require_role(current_user(request), "admin")
    return page(request, "users.html", {"users": request.app.state.web.hall.list_users(admin), "roles": ROLES})


@router.post("/admin/users", response_class=HTMLResponse)
async def users_post(request: Request):
    form = await read_form(request)
    return await run_in_threadpool(_users_post, request, form)


def _users_post(request: Request, form: dict):
    hall = request.app.state.web.hall
    admin = require_role(current_user(request), "admin")
    check_csrf(request, admin, form.get(CSRF_FIELD))
    error = None
    try:
        if form.get("action") == "create":
            hall.create_user(form.get("username", "")[:100], form.get("password", "")[:1000], form.get("role", ""))
        else:
            hall.set_role(admin, int(form.get("user_id", "0") or 0), form.get("role", ""))
    except (FrontierwatchError, ValueError) as exc:
        error = exc.message(request.state.lang) if isinstance(exc, FrontierwatchError) else str(exc)
    return page(request, "users.html", {"users": hall.list_users(admin), "roles": ROLES, "error": error},
                status=400 if error else 200)
