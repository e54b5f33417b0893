"""Rendering helpers shared by the page routes: the template context (language, user, CSRF) and filters.

Jinja2 autoescaping is on for every ``.html`` template; nothing is marked safe except JSON embedded through
``tojson`` (which escapes ``<``, ``>``, ``&`` and quotes) inside ``<script type="application/json">``.
"""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates

from frontierwatch.hall import User
from frontierwatch.web import i18n
from frontierwatch.web.search_view import marked
from frontierwatch.web.gateway import NOT_BUILT
from frontierwatch.web.views import match_why, topic_name
from frontierwatch.web.security import CSRF_FIELD, expected_csrf, resolve_user


def wants_html(request: Request) -> bool:
    """Pages answer errors as HTML; the API, static files and JSON clients get JSON."""
    path = request.url.path
    if path.startswith(("/api/", "/openapi", "/static/")):
        return False
    return "text/html" in request.headers.get("accept", "text/html") or request.method == "POST"


def current_user(request: Request) -> User | None:
    if not hasattr(request.state, "user"):
        request.state.user = resolve_user(request)
    return request.state.user


def lang_url(request: Request, lang: str) -> str:
    """This page's URL with ``lang`` replaced (the language switch link)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", lang)]
    return f"{request.url.path}?{urlencode(params)}"


def _fmt_number(value, digits: int = 2) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number != number:  # NaN: missing, not zero
        return "—"
    return f"{number:,.{digits}f}"


def _fmt_year(value) -> str:
    """A year as written (``2023``, never ``2,023`` or ``2023.0``); missing → "—"."""
    if value is None or value == "" or isinstance(value, bool):
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return "—" if number != number else str(int(number))


def is_year_key(key) -> bool:
    """Keys whose values are calendar years (``year``, ``peak_year``, ``as_of_year``, ``cutoff`` ...)."""
    key = str(key)
    return key in ("year", "cutoff") or key.endswith("_year")


def _pct(value) -> str:
    try:
        return f"{float(value) * 100:.1f}%"
    except (TypeError, ValueError):
        return "—"


def _stage_name(stage, lang: str = "zh") -> str:
    """A lifecycle stage (``emerging`` ...) in the page language; an unknown one as stored, missing → "—"."""
    if not stage:
        return "—"
    key = f"stage.{stage}"
    return i18n.MESSAGES[key][0 if lang == "zh" else 1] if key in i18n.MESSAGES else str(stage)


def install_template_helpers(templates: Jinja2Templates) -> None:
    env = templates.env
    env.filters["num"] = _fmt_number
    env.filters["pct"] = _pct
    env.filters["year"] = _fmt_year
    env.filters["stage"] = _stage_name
    env.filters["marked"] = marked
    env.tests["year_key"] = is_year_key
    env.globals["NOT_BUILT"] = NOT_BUILT
    env.globals["pick"] = i18n.pick
    env.globals["messages"] = i18n.MESSAGES
    env.globals["match_why"] = match_why
    env.globals["topic_name"] = topic_name
    env.tests["built"] = lambda value: value is not NOT_BUILT and value is not None


def page(request: Request, template: str, context: dict | None = None, status: int = 200):
    """Render `template` with the shared context: ``lang``, ``t``, ``user``, ``csrf_token``, ``lang_url``."""
    state = request.app.state.web
    lang = getattr(request.state, "lang", i18n.DEFAULT_LANG)
    try:
        user = current_user(request)
    except Exception:  # an error page must render even when the store is unhappy
        user = None
    ctx = {"request": request, "lang": lang, "t": i18n.translator(lang), "user": user,
           "csrf_field": CSRF_FIELD, "csrf_token": expected_csrf(request, user) or "",
           "lang_url": lambda code: lang_url(request, code), "path": request.url.path}
    ctx.update(context or {})
    return state.templates.TemplateResponse(request, template, ctx, status_code=status)
