"""Release-hall pages: list, item, submit (achievement or need), moderation queue, and the matchmaking page.

Reading is public (approved items only, without contact details or user ids); submitting needs a signed-in
submitter, deciding a moderator, and every POST a valid CSRF token. Form input goes through the same pydantic
models as the JSON API. A submitter edits a pending item, or revises a rejected one and resubmits it; approving a
flagged item that no governance reviewer has assessed shows the flags instead (409).
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from frontierwatch.errors import ConflictError, InputError, PermissionDenied
from frontierwatch.hall import BUDGET_BANDS, AchievementIn, ScenarioIn, require_role
from frontierwatch.hall.screening import SubmissionQuota
from frontierwatch.web.forms import validation_messages
from frontierwatch.web.gateway import NOT_BUILT
from frontierwatch.web.render import current_user, page
from frontierwatch.web.routes.auth import read_form
from frontierwatch.web.security import CSRF_FIELD, check_csrf, client_key

router = APIRouter(include_in_schema=False)
ItemId = Annotated[int, Path(ge=1, le=2**31 - 1)]
FORMS = {"achievement": AchievementIn, "scenario": ScenarioIn}


@router.get("/hall", response_class=HTMLResponse)
def hall_list(request: Request, kind: Annotated[str, Query(pattern="^(achievement|scenario)$")] = "achievement",
              offset: Annotated[int, Query(ge=0, le=100_000)] = 0):
    hall = request.app.state.web.hall
    return page(request, "hall_list.html", {"kind": kind, "items": hall.public_items(kind, 50, offset),
                                            "counts": hall.counts(), "offset": offset})


@router.get("/hall/items/{item_id}", response_class=HTMLResponse)
def hall_item(request: Request, item_id: ItemId,
              contact: Annotated[str | None, Query(max_length=10, pattern="^sent$")] = None,
              contact_error: Annotated[int | None, Query(ge=100, le=599)] = None):
    state = request.app.state.web
    user = current_user(request)
    item = state.hall.item(item_id, user)
    matches = NOT_BUILT
    if item["kind"] == "scenario" and item["status"] == "approved":
        matches = state.gateway.match(f"{item['title']} {item['body']}"[:2000], top=5)
    reviewer = "screening" in item and user is not None and (user.can("governance") or user.can("moderator"))
    from frontierwatch.risk import SCALE, load_risk_taxonomy

    return page(request, "hall_item.html", {
        "item": item, "matches": matches, "contact_sent": contact == "sent", "contact_error": contact_error,
        "assessments": state.governance.assessments(user, "hall_item", str(item_id)) if reviewer else [],
        "scale": SCALE, "categories": load_risk_taxonomy().categories, "directions": _directions(request)})


@router.get("/hall/items/{item_id}/edit", response_class=HTMLResponse)
def edit_form(request: Request, item_id: ItemId):
    user = current_user(request)
    if user is None:
        return RedirectResponse(f"/login?next=/hall/items/{item_id}/edit", status_code=303)
    item = request.app.state.web.hall.item(item_id, user)
    if not (item.get("viewer_is_submitter") or user.can("moderator")):
        require_role(user, "moderator")
    values = dict(item, links="\n".join(item.get("links") or []), contact=item.get("contact", ""))
    return page(request, "hall_submit.html", {"kind": item["kind"], "values": values, "errors": [],
                                              "edit_item": item, "directions": _directions(request),
                                              "budget_bands": BUDGET_BANDS})


@router.post("/hall/items/{item_id}/edit", response_class=HTMLResponse)
async def edit(request: Request, item_id: ItemId):
    form = await read_form(request)
    return await run_in_threadpool(_edit, request, item_id, form)


def _edit(request: Request, item_id: int, form: dict):
    """Edit an item; the submitter's edit of a rejected item resubmits it (history kept, screened again)."""
    state = request.app.state.web
    user = require_role(current_user(request), "submitter")
    check_csrf(request, user, form.get(CSRF_FIELD))
    item = state.hall.item(item_id, user)
    kind = item["kind"]
    values = _form_values(kind, form)
    errors = []
    try:
        state.hall.edit(user, item_id, FORMS[kind].model_validate(values))
    except ValidationError as exc:
        errors = validation_messages(exc, request.state.lang)
    except (InputError, ConflictError, PermissionDenied) as exc:
        errors = [exc.message(request.state.lang)]
    if errors:
        shown = dict(values, links="\n".join(values.get("links", [])) if kind == "achievement" else "")
        return page(request, "hall_submit.html", {"kind": kind, "values": shown, "errors": errors, "edit_item": item,
                                                  "directions": _directions(request),
                                                  "budget_bands": BUDGET_BANDS}, status=400)
    return RedirectResponse(f"/hall/items/{item_id}?submitted=1", status_code=303)


def _directions(request: Request) -> list[dict]:
    return request.app.state.web.gateway.directions()[0]


@router.get("/hall/submit/{kind}", response_class=HTMLResponse)
def submit_form(request: Request, kind: Annotated[str, Path(pattern="^(achievement|scenario)$")]):
    user = current_user(request)
    if user is None:
        return RedirectResponse(f"/login?next=/hall/submit/{kind}", status_code=303)
    require_role(user, "submitter")
    return page(request, "hall_submit.html", {"kind": kind, "values": {}, "errors": [],
                                              "directions": _directions(request), "budget_bands": BUDGET_BANDS})


@router.post("/hall/submit/{kind}", response_class=HTMLResponse)
async def submit(request: Request, kind: Annotated[str, Path(pattern="^(achievement|scenario)$")]):
    form = await read_form(request)
    return await run_in_threadpool(_submit, request, kind, form)


def _form_values(kind: str, form: dict) -> dict:
    names = FORMS[kind].model_fields
    values = {k: v for k, v in form.items() if k in names}
    if kind == "achievement":
        values["links"] = [line.strip() for line in values.get("links", "").splitlines() if line.strip()]
        if values.get("trl", "") == "":
            values.pop("trl", None)
    elif not values.get("deadline"):
        values.pop("deadline", None)
    return values


def _submit(request: Request, kind: str, form: dict):
    state = request.app.state.web
    user = require_role(current_user(request), "submitter")
    check_csrf(request, user, form.get(CSRF_FIELD))
    values = _form_values(kind, form)
    errors = []
    try:
        data = FORMS[kind].model_validate(values)
        state.submit_limiter.hit(client_key(request, user), "submissions", "提交")
        item_id = (state.hall.submit_achievement if kind == "achievement" else state.hall.submit_scenario)(user, data)
    except ValidationError as exc:
        errors = validation_messages(exc, request.state.lang)
    except (InputError, ConflictError, SubmissionQuota) as exc:
        errors = [exc.message(request.state.lang)]
    if errors:
        shown = dict(values, links="\n".join(values.get("links", [])) if kind == "achievement" else "")
        return page(request, "hall_submit.html", {"kind": kind, "values": shown, "errors": errors,
                                                  "directions": _directions(request),
                                                  "budget_bands": BUDGET_BANDS}, status=400)
    return RedirectResponse(f"/hall/items/{item_id}?submitted=1", status_code=303)


@router.get("/hall/moderate", response_class=HTMLResponse)
def moderate_queue(request: Request):
    user = current_user(request)
    if user is None:
        return RedirectResponse("/login?next=/hall/moderate", status_code=303)
    return page(request, "hall_moderate.html", {"queue": request.app.state.web.hall.queue(user)})


@router.post("/hall/moderate/{item_id}", response_class=HTMLResponse)
async def moderate(request: Request, item_id: ItemId):
    form = await read_form(request)
    return await run_in_threadpool(_moderate, request, item_id, form)


def _moderate(request: Request, item_id: int, form: dict):
    user = require_role(current_user(request), "moderator")
    check_csrf(request, user, form.get(CSRF_FIELD))
    decision = form.get("decision")
    if decision not in ("approve", "reject"):
        raise InputError(f"decision {decision!r} must be 'approve' or 'reject'", f"审核结果 {decision!r} 须为 approve 或 reject")
    hall = request.app.state.web.hall
    try:
        hall.decide(user, item_id, decision == "approve", form.get("note", ""))  # clears the cache
    except ConflictError as exc:  # flagged and not assessed: say so on the queue, with the flags
        return page(request, "hall_moderate.html", {"queue": hall.queue(user), "blocked": item_id,
                                                    "error": exc.message(request.state.lang)}, status=409)
    return RedirectResponse("/hall/moderate", status_code=303)


@router.get("/match", response_class=HTMLResponse)
def match_page(request: Request, q: Annotated[str, Query(max_length=4000)] = ""):
    q = q.strip()
    result = request.app.state.web.gateway.match(q, top=10) if q else None
    achievements = request.app.state.web.hall.search(" ".join(q.split()[:3])) if q else []
    return page(request, "match.html", {"q": q, "result": result, "achievements": achievements})

