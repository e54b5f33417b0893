"""The web app factory: `create_app(observatory, settings)` → a FastAPI app (pages, API, release hall, auth).

The app is a thin client of `Observatory` (through `ObservatoryGateway`) and of `frontierwatch.hall`. It opens
nothing itself: the caller passes an observatory whose store is open **read-write**, because the hall writes
accounts and submissions and DuckDB allows a single writing process (`frontierwatch serve` does this).
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from frontierwatch import __version__
from frontierwatch.errors import FrontierwatchError, InputError, NotFoundError
from frontierwatch.hall import Hall
from frontierwatch.mail import Mailer
from frontierwatch.risk import Governance
from frontierwatch.web import i18n
from frontierwatch.web.gateway import ObservatoryGateway, describe_error
from frontierwatch.web.render import install_template_helpers, wants_html
from frontierwatch.web.security import CSRF_COOKIE, RateLimiter, Signer
from frontierwatch.web.validation import describe_problems

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent


@dataclass
class WebState:
    """What routes reach through ``request.app.state.web``."""

    gateway: ObservatoryGateway
    hall: Hall
    governance: Governance
    signer: Signer
    templates: Jinja2Templates
    login_limiter: RateLimiter
    submit_limiter: RateLimiter
    secure_cookies: bool
    setup_token: str | None = None   # one-time token for the first administrator (`routes.setup`), set by serve
    public_url: str | None = None  # base of e-mailed links (FRONTIERWATCH_PUBLIC_URL); None: the request's own
    warmup: object | None = None  # the start-up precompute (`frontierwatch.web.warmup.Warmup`), set by serve


CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
_FIXED_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                  (b"referrer-policy", b"same-origin"), (b"content-security-policy", CSP.encode())]


class LanguageAndHeaders:
    """Pure ASGI middleware (cheaper than BaseHTTPMiddleware under load): picks the language (``?lang=`` >
    cookie > Accept-Language > zh) and remembers an explicit choice in a cookie; gives every visitor a signed
    anonymous CSRF cookie; adds the security headers (a strict CSP: no inline scripts)."""

    def __init__(self, app, signer: Signer, secure_cookies: bool):
        self.app, self.signer, self.secure = app, signer, secure_cookies

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        asked = i18n.normalise_lang(request.query_params.get("lang"))
        remembered = i18n.normalise_lang(request.cookies.get(i18n.LANG_COOKIE))
        browser = i18n.normalise_lang(request.headers.get("accept-language"))
        state = scope.setdefault("state", {})
        state["lang"] = asked or remembered or browser or i18n.DEFAULT_LANG
        is_page = not scope["path"].startswith(("/static", "/api/", "/openapi"))
        anon = self.signer.csrf_from_cookie(request.cookies.get(CSRF_COOKIE))
        new_cookie = None
        if anon is None and is_page:  # only pages hand out the cookie; a token minted elsewhere would be lost
            anon, new_cookie = self.signer.new_csrf_cookie()
        state["csrf_anon"] = anon
        cookies = []
        if asked and asked != remembered:
            cookies.append(f"{i18n.LANG_COOKIE}={asked}; Max-Age=31536000; Path=/; SameSite=lax")
        if new_cookie and is_page:
            cookies.append(f"{CSRF_COOKIE}={new_cookie}; HttpOnly; Path=/; SameSite=lax" + ("; Secure" if self.secure else ""))

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in _FIXED_HEADERS if k not in present]
                if self.secure:  # served over TLS (secure cookies): browsers must keep using it (ASVS 14.4.5)
                    headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
                headers += [(b"set-cookie", c.encode("latin-1")) for c in cookies]
                message = dict(message, headers=headers)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """Pure ASGI middleware: ``HEAD`` is answered as the same ``GET`` without the body (link checkers, curl -I
    and uptime probes ask with HEAD; the routes are declared for GET only)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def send_headers_only(message):
            if message["type"] == "http.response.body":
                if not message.get("more_body"):
                    await send({"type": "http.response.body", "body": b""})
                return
            await send(message)

        await self.app(dict(scope, method="GET"), receive, send_headers_only)


class CachedAnswers:
    """Pure ASGI middleware, a response cache: a ``GET /api/v1/...`` whose exact path and query string the API
    has already answered (and validated) since the cache was last cleared gets the same bytes again at once,
    without routing, validation or a thread hand-off. Misses — and requests that choose a language, which set a
    cookie — go through the app as usual. Same headers as the app's own answer."""

    def __init__(self, app, gateway: ObservatoryGateway):
        self.app, self.gateway = app, gateway

    async def __call__(self, scope, receive, send):
        if (scope["type"] == "http" and scope["method"] == "GET" and scope["path"].startswith("/api/v1/")
                and b"lang=" not in scope["query_string"]):
            body = self.gateway.raw_answer(scope["path"], scope["query_string"])
            if body is not None:
                headers = [(b"content-length", str(len(body)).encode()), (b"content-type", b"application/json"),
                           *_FIXED_HEADERS]
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def topic_linker(gateway: ObservatoryGateway):
    """The approval hook: link a hall item to the topics the matchmaking stage ranks closest to its text."""
    def link(item: dict) -> list[dict]:
        text = " ".join(filter(None, [item.get("title"), item.get("body"), item.get("field"), item.get("sector")]))
        got = gateway.match(text[:2000], top=5)
        if not got:
            return []
        return [{"topic_id": t.get("id", t.get("topic_id")), "score": t.get("score"), "label": t.get("label"),
                 "reason": t.get("why") or t.get("reason") or ""} for t in got.get("topics", [])]
    return link


def hall_changed(gateway):
    """The hall's ``on_change`` hook: forget cached answers (public hall content is in searches and matches) and
    raise the alerts of saved searches that a newly approved item matches (`Observatory.hall_alerts`)."""
    def changed() -> None:
        gateway.clear_cache()
        try:
            gateway.obs.hall_alerts()
        except Exception:  # an alert must never fail a moderation decision
            log.exception("hall alerts not evaluated")
    return changed


def create_app(observatory, settings=None, *, hall: Hall | None = None, secret_key: str | None = None,
               login_per_minute: float = 10, submit_per_minute: float = 6, secure_cookies: bool = False,
               build_search_index: bool = True) -> FastAPI:
    """Build the web app over an open `Observatory`.

    Parameters
    ----------
    observatory : the core object; its store must be writable for the hall.
    settings : typed settings (``secret_key`` signs cookies; when unset a random per-process key is used and
        sessions end when the server restarts).
    hall : the release hall to use; default: a `Hall` on the observatory's store whose approval hook links
        items to topics through the matchmaking stage.
    login_per_minute, submit_per_minute : token-bucket rates per (IP, user).
    build_search_index : (re)build the BM25 index now when the documents changed since it was built.
    """
    settings = settings or observatory.settings
    key = secret_key or getattr(settings, "secret_key", None)
    if not key:
        log.warning("FRONTIERWATCH_SECRET_KEY is not set: using a random key; sessions end when the server stops")
        key = secrets.token_urlsafe(32)
    gateway = ObservatoryGateway(observatory)
    mailer = Mailer(settings)
    if hall is None:
        hall = Hall(observatory.store, linker=topic_linker(gateway), lock=gateway.lock, on_change=hall_changed(gateway),
                    mailer=mailer)
    else:
        if hall.on_change is None:
            hall.on_change = hall_changed(gateway)  # public hall content is in cached searches and matches
        if hall.mailer is None:
            hall.mailer = mailer
    governance = Governance(observatory.store, lock=hall.lock, on_change=gateway.clear_cache, mailer=hall.mailer)
    if build_search_index:
        gateway.ensure_search_index()

    app = FastAPI(title="frontierwatch — 未来产业瞭望站", version=__version__, docs_url=None, redoc_url=None,
                  description="Open observatory of frontier technology: topics, signals, forecasts, catalog and the "
                              "release hall. Errors are JSON `{\"error\": {status, title, message, message_en, "
                              "message_zh}}`. Write calls need a session cookie plus `X-CSRF-Token`, or "
                              "`Authorization: Bearer <API token>`. (No Swagger UI: it would load from a CDN "
                              "and the site works offline.)")
    templates = Jinja2Templates(directory=str(HERE / "templates"))  # autoescape on for .html
    install_template_helpers(templates)
    app.state.web = WebState(gateway, hall, governance, Signer(key), templates,
                             RateLimiter(capacity=5, per_minute=login_per_minute),
                             RateLimiter(capacity=3, per_minute=submit_per_minute), secure_cookies,
                             public_url=getattr(settings, "public_url", None))
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    app.add_middleware(LanguageAndHeaders, signer=app.state.web.signer, secure_cookies=secure_cookies)
    app.add_middleware(CachedAnswers, gateway=gateway)  # a hit skips everything below
    app.add_middleware(HeadAsGet)  # outermost: HEAD is a GET without the body, cached or not

    def error_response(request: Request, exc: FrontierwatchError):
        lang = getattr(request.state, "lang", i18n.DEFAULT_LANG)
        if wants_html(request):
            from frontierwatch.web.render import page
            shown = describe_error(exc, lang)["error"]
            shown["message"] = i18n.for_readers(shown["message"], lang, pending=False)  # readers are not the operator
            return page(request, "error.html", {"error": shown}, status=exc.status)
        return JSONResponse(describe_error(exc, lang), status_code=exc.status)

    @app.exception_handler(FrontierwatchError)
    async def _frontierwatch_error(request: Request, exc: FrontierwatchError):
        return error_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        en, zh = describe_problems(exc.errors())
        err = InputError(f"invalid input: {en}", f"输入有误：{zh}")
        err.status = 422
        return error_response(request, err)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            err = NotFoundError(f"no page at {request.url.path}", f"没有页面 {request.url.path}")
        else:
            err = FrontierwatchError(str(exc.detail), str(exc.detail))
            err.status = exc.status_code
        return error_response(request, err)

    @app.exception_handler(Exception)
    async def _unexpected_error(request: Request, exc: Exception):  # a bug: say so in both languages, log it
        log.exception("unexpected error on %s", request.url.path)
        err = FrontierwatchError("internal error; the server log has the details",
                                 "服务器内部错误；详情见服务器日志")
        err.status = 500
        try:
            return error_response(request, err)
        except Exception:  # the error page itself failed: plain JSON
            return JSONResponse(describe_error(err, i18n.DEFAULT_LANG), status_code=500)

    from frontierwatch.web.routes import api, auth, governance as governance_routes, hall as hall_routes, pages, setup, trust
    from frontierwatch.web.routes import exports, feeds, inbox, watch as watch_routes
    for module in (pages, hall_routes, auth, setup, trust, governance_routes, api, watch_routes, exports, feeds, inbox):
        app.include_router(module.router)
    return app
