"""Hall trust on the web: contact requests, notifications, the account's e-mail, and password reset by e-mail.

API (``/api/v1``, signed in): ``POST /hall/{item_id}/contact-requests``, ``GET /contact-requests`` (requests for
my items), ``POST /contact-requests/{request_id}`` (accept or decline, only the item's submitter),
``GET /notifications``. Pages: the contact form on an item, accept/decline and the e-mail form on the account
page, and ``/password/forgot`` → e-mailed link → ``/password/reset``. The forgot form answers the same whether
or not the account exists, and is rate limited like sign-in.
"""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from frontierwatch.errors import FrontierwatchError
from frontierwatch.hall import User, require_role
from frontierwatch.web.render import current_user, page
from frontierwatch.web.routes.api import ERRORS, MaybeUser, writer
from frontierwatch.web.routes.auth import read_form
from frontierwatch.web.security import CSRF_FIELD, check_csrf, client_key

api = APIRouter(prefix="/api/v1", tags=["hall"], responses=ERRORS)
pages = APIRouter(include_in_schema=False)
Viewer = Annotated[User, Depends(writer("viewer"))]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _hall(request: Request):
    return request.app.state.web.hall


class ContactRequestIn(BaseModel):
    message: str = Field(min_length=5, max_length=1000, description="Who you are and why you ask / 您的身份与来意")


class ContactDecisionIn(BaseModel):
    decision: Literal["accept", "decline"]


@api.post("/hall/{item_id}/contact-requests", status_code=201,
          summary="Ask the submitter of an approved item for its contact details (signed in)")
def request_contact(request: Request, item_id: Id, user: Viewer, body: ContactRequestIn) -> dict:
    request.app.state.web.submit_limiter.hit(client_key(request, user), "contact requests", "联系请求")
    return _hall(request).request_contact(user, item_id, body.message)


@api.get("/contact-requests", summary="Contact requests for my items, newest first")
def contact_requests(request: Request, user: MaybeUser) -> dict:
    return {"requests": _hall(request).contact_requests(require_role(user, "viewer"))}


@api.post("/contact-requests/{request_id}", summary="Accept or decline a contact request for one of my items")
def decide_contact(request: Request, request_id: Id, user: Viewer, body: ContactDecisionIn) -> dict:
    return _hall(request).decide_contact(user, request_id, body.decision == "accept")


@api.get("/notifications", summary="My notifications (decisions, contact requests), newest first")
def notifications(request: Request, user: MaybeUser, limit: Annotated[int, Query(ge=1, le=200)] = 50) -> dict:
    return {"notifications": _hall(request).notifications(require_role(user, "viewer"), limit)}


# -- pages ----------------------------------------------------------------------------------------------------
@pages.post("/hall/items/{item_id}/contact")
async def contact_form(request: Request, item_id: Id):
    form = await read_form(request)
    return await run_in_threadpool(_contact_form, request, item_id, form)


def _contact_form(request: Request, item_id: int, form: dict):
    user = require_role(current_user(request), "viewer")
    check_csrf(request, user, form.get(CSRF_FIELD))
    request.app.state.web.submit_limiter.hit(client_key(request, user), "contact requests", "联系请求")
    try:
        _hall(request).request_contact(user, item_id, form.get("message", "")[:2000])
    except FrontierwatchError as exc:
        if exc.status == 404:
            raise
        return RedirectResponse(f"/hall/items/{item_id}?contact_error={exc.status}", status_code=303)
    return RedirectResponse(f"/hall/items/{item_id}?contact=sent", status_code=303)


@pages.post("/account/contact-requests/{request_id}")
async def contact_decision_form(request: Request, request_id: Id):
    form = await read_form(request)
    return await run_in_threadpool(_contact_decision_form, request, request_id, form)


def _contact_decision_form(request: Request, request_id: int, form: dict):
    user = require_role(current_user(request), "viewer")
    check_csrf(request, user, form.get(CSRF_FIELD))
    _hall(request).decide_contact(user, request_id, form.get("decision") == "accept")
    return RedirectResponse("/account#contact-requests", status_code=303)


@pages.post("/account/email", response_class=HTMLResponse)
async def email_form(request: Request):
    form = await read_form(request)
    return await run_in_threadpool(_email_form, request, form)


def _email_form(request: Request, form: dict):
    user = require_role(current_user(request), "viewer")
    check_csrf(request, user, form.get(CSRF_FIELD))
    try:
        _hall(request).set_email(user, form.get("email", "")[:300])
    except FrontierwatchError as exc:
        from frontierwatch.web.routes.auth import account_page

        return account_page(request, user, email_error=exc.message(request.state.lang), status=400)
    return RedirectResponse("/account?email=saved", status_code=303)


@pages.get("/password/forgot", response_class=HTMLResponse)
def forgot_page(request: Request):
    return page(request, "password.html", {"mode": "forgot"})


@pages.post("/password/forgot", response_class=HTMLResponse)
async def forgot(request: Request):
    form = await read_form(request)
    return await run_in_threadpool(_forgot, request, form)


def _forgot(request: Request, form: dict):
    state = request.app.state.web
    check_csrf(request, None, form.get(CSRF_FIELD))
    login = form.get("login", "")[:254]
    state.login_limiter.hit(client_key(request, None, login), "reset requests", "重置请求")
    base = state.public_url or str(request.base_url)
    state.hall.start_password_reset(login, base)
    return page(request, "password.html", {"mode": "sent"})


@pages.get("/password/reset", response_class=HTMLResponse)
def reset_page(request: Request, token: Annotated[str, Query(max_length=200)] = ""):
    valid = _hall(request).password_reset_valid(token)
    return page(request, "password.html", {"mode": "reset" if valid else "invalid", "token": token},
                status=200 if valid else 400)


@pages.post("/password/reset", response_class=HTMLResponse)
async def reset(request: Request):
    form = await read_form(request)
    return await run_in_threadpool(_reset, request, form)


def _reset(request: Request, form: dict):
    check_csrf(request, None, form.get(CSRF_FIELD))
    token = form.get("token", "")[:200]
    try:
        _hall(request).finish_password_reset(token, form.get("password", "")[:1000])
    except FrontierwatchError as exc:
        valid = _hall(request).password_reset_valid(token)
        return page(request, "password.html", {"mode": "reset" if valid else "invalid", "token": token,
                                               "error": exc.message(request.state.lang)}, status=400)
    return page(request, "password.html", {"mode": "done"})


router = APIRouter()
router.include_router(api)
router.include_router(pages)
