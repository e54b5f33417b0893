"""Risk governance on the web: the assessment and register API (the issue-15 contract) and the governance page.

API (``/api/v1``): ``POST /assessments`` and ``POST /governance/register`` (governance role; 401 anonymous,
403 other roles), ``GET /assessments?target_kind=&target_id=``, ``GET /governance/register``, ``GET
/governance/audit`` and ``GET /governance/export?format=json|xlsx`` (governance role), ``GET /risk/taxonomy``.
Pages: ``/governance`` (public part for everyone; the review queue, forms, audit log and exports for governance
reviewers), form posts ``/governance/assessments`` and ``/governance/register`` (CSRF checked), and the export
downloads. Every answer goes through `frontierwatch.risk.Governance`, which decides who sees what.
"""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from frontierwatch.errors import FrontierwatchError
from frontierwatch.hall import User, require_role
from frontierwatch.risk import SCALE, TARGET_KINDS, AssessmentIn, RegisterEntryIn, load_risk_taxonomy
from frontierwatch.web.forms import validation_messages
from frontierwatch.web.render import current_user, page
from frontierwatch.web.routes.api import ERRORS, MaybeUser, reader, writer
from frontierwatch.web.routes.auth import read_form, safe_next
from frontierwatch.web.security import CSRF_FIELD, check_csrf

api = APIRouter(prefix="/api/v1", tags=["governance"], responses=ERRORS)
pages = APIRouter(include_in_schema=False)
Governor = Annotated[User, Depends(writer("governance"))]
TargetKind = Literal["topic", "hall_item", "entry"]
TargetId = Annotated[str | None, Query(max_length=100, pattern=r"^[A-Za-z0-9_.:/\-]+$")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _gov(request: Request):
    return request.app.state.web.governance


@api.post("/assessments", status_code=201, summary="Record a risk assessment of a topic, catalog entry or hall "
          "item (governance role); earlier assessments of the target are kept as history")
def assess(request: Request, user: Governor, body: AssessmentIn) -> dict:
    return _gov(request).assess(user, body)


@api.get("/assessments", summary="Assessment history, newest first (reviewers' names only for governance reviewers)")
def assessments(request: Request, user: MaybeUser, target_kind: TargetKind | None = None,
                target_id: TargetId = None) -> dict:
    return {"assessments": _gov(request).assessments(user, target_kind, target_id)}


@api.get("/governance/register", summary="The governance register: policies, red lines, the published scale, "
         "entries and decisions (assessments) with their reasons")
def register(request: Request, user: MaybeUser) -> dict:
    return _gov(request).register(user)


@api.post("/governance/register", status_code=201, summary="Add a policy, red line or decision (governance role)")
def add_entry(request: Request, user: Governor, body: RegisterEntryIn) -> dict:
    return _gov(request).add_entry(user, body)


@api.get("/governance/audit", summary="The append-only audit log, newest 500 rows, and its chain check "
         "(governance role)")
def audit(request: Request, user: Annotated[User | None, Depends(reader)]) -> dict:
    gov = _gov(request)
    return {"audit_log": gov.audit(user), "chain": gov.verify_audit()}


@api.get("/governance/export", summary="Register and audit log for a regulator, JSON or XLSX (governance role)",
         responses={200: {"content": {"application/json": {}, XLSX: {}}}})
def export(request: Request, user: Annotated[User | None, Depends(reader)],
           format: Literal["json", "xlsx"] = "json") -> Response:
    return _download(_gov(request).export(user, format), format)


@api.get("/risk/taxonomy", summary="The risk taxonomy in force: categories, descriptions, red lines, version")
def taxonomy(request: Request) -> dict:
    tax = load_risk_taxonomy()
    return {**tax.identity(), "categories": [
        {"id": c.id, "name": c.name, "description": c.description,
         "red_lines": {"zh": list(c.red_lines.zh), "en": [t for t, _ in c.red_lines.en]}} for c in tax.categories]}


def _download(body: bytes, fmt: str) -> Response:
    return Response(body, media_type="application/json" if fmt == "json" else XLSX,
                    headers={"content-disposition": f'attachment; filename="frontierwatch-governance.{fmt}"'})


# -- pages ----------------------------------------------------------------------------------------------------
def _context(request: Request, errors: list[str] | None = None, values: dict | None = None) -> dict:
    user = current_user(request)
    gov = _gov(request)
    reviewer = user is not None and user.can("governance")
    return {"register": gov.register(user), "scale": SCALE, "target_kinds": TARGET_KINDS,
            "categories": load_risk_taxonomy().categories, "reviewer": reviewer,
            "awaiting": request.app.state.web.hall.awaiting_assessment(user) if reviewer else [],
            "audit": gov.audit(user, 30)[::-1] if reviewer else [], "chain": gov.verify_audit() if reviewer else None,
            "errors": errors or [], "values": values or {}}


@pages.get("/governance", response_class=HTMLResponse)
def governance_page(request: Request):
    return page(request, "governance.html", _context(request))


@pages.get("/governance/export.{fmt}")
def export_download(request: Request, fmt: Literal["json", "xlsx"]):
    user = require_role(current_user(request), "governance")
    return _download(_gov(request).export(user, fmt), fmt)


@pages.post("/governance/assessments", response_class=HTMLResponse)
async def assess_form(request: Request):
    form = await read_form(request)
    return await run_in_threadpool(_assess_form, request, form)


def _assess_form(request: Request, form: dict):
    user = require_role(current_user(request), "governance")
    check_csrf(request, user, form.get(CSRF_FIELD))
    values = {k: form.get(k, "") for k in ("target_kind", "target_id", "severity", "likelihood", "rationale", "status",
                                           "category", "mitigation")}
    data = dict(values, category=values["category"] or None,
                evidence=[line.strip() for line in form.get("evidence", "").splitlines() if line.strip()])
    try:
        _gov(request).assess(user, AssessmentIn.model_validate(data))
    except ValidationError as exc:
        return page(request, "governance.html", _context(request, validation_messages(exc, request.state.lang),
                                                         values | {"evidence": form.get("evidence", "")}), status=400)
    except FrontierwatchError as exc:
        return page(request, "governance.html", _context(request, [exc.message(request.state.lang)],
                                                         values | {"evidence": form.get("evidence", "")}),
                    status=exc.status)
    return RedirectResponse(safe_next(form.get("next") or "/governance"), status_code=303)


@pages.post("/governance/register", response_class=HTMLResponse)
async def register_form(request: Request):
    form = await read_form(request)
    return await run_in_threadpool(_register_form, request, form)


def _register_form(request: Request, form: dict):
    user = require_role(current_user(request), "governance")
    check_csrf(request, user, form.get(CSRF_FIELD))
    fields = ("kind", "title_zh", "title_en", "body_zh", "body_en", "reason", "target_kind", "target_id")
    values = {k: form.get(k, "") for k in fields}
    data = {k: (v or None) if k in ("target_kind", "target_id") else v for k, v in values.items()}
    try:
        _gov(request).add_entry(user, RegisterEntryIn.model_validate(data))
    except ValidationError as exc:
        return page(request, "governance.html", _context(request, validation_messages(exc, request.state.lang),
                                                         values), status=400)
    except FrontierwatchError as exc:
        return page(request, "governance.html", _context(request, [exc.message(request.state.lang)], values),
                    status=exc.status)
    return RedirectResponse("/governance#register", status_code=303)


router = APIRouter()
router.include_router(api)
router.include_router(pages)
