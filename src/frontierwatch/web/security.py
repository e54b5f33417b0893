"""Who is asking, and may they: signed session cookies, CSRF tokens, bearer API tokens and rate limits.

- Session cookie ``fw_session``: the server-side session id (``web_sessions``), signed with itsdangerous;
  HttpOnly, SameSite=Lax. Logging out revokes the session row, so a copied cookie dies too.
- CSRF: every form POST carries ``csrf_token`` and every cookie-authenticated JSON POST the header
  ``X-CSRF-Token``. For a signed-in user it must equal the session's token; for an anonymous visitor (the
  login form) it must equal the signed ``fw_csrf`` cookie (double submit). Bearer-token requests carry no
  cookies, so they need no CSRF token.
- Rate limits: an in-process token bucket per (client IP, user or "-") and action.
"""
from __future__ import annotations

import hmac
import secrets
import threading
import time

from fastapi import Request
from itsdangerous import BadSignature, URLSafeSerializer

from frontierwatch.errors import FrontierwatchError, PermissionDenied
from frontierwatch.hall import NotSignedIn, User

SESSION_COOKIE = "fw_session"
CSRF_COOKIE = "fw_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"


class CsrfError(PermissionDenied):
    status = 403
    title_en, title_zh = "Missing or wrong CSRF token", "缺少或错误的 CSRF 令牌"


class RateLimited(FrontierwatchError):
    status = 429
    title_en, title_zh = "Too many requests", "请求过于频繁"


class Signer:
    """Signs and reads the session and anonymous-CSRF cookies with the server's secret key."""

    def __init__(self, secret_key: str):
        self._session = URLSafeSerializer(secret_key, salt="fw-session")
        self._csrf = URLSafeSerializer(secret_key, salt="fw-csrf")

    def session_cookie(self, session_id: str) -> str:
        return self._session.dumps(session_id)

    def session_id(self, cookie: str | None) -> str | None:
        return _loads(self._session, cookie)

    def new_csrf_cookie(self) -> tuple[str, str]:
        token = secrets.token_urlsafe(24)
        return token, self._csrf.dumps(token)

    def csrf_from_cookie(self, cookie: str | None) -> str | None:
        return _loads(self._csrf, cookie)


def _loads(serializer: URLSafeSerializer, value: str | None) -> str | None:
    if not value or len(value) > 500:
        return None
    try:
        got = serializer.loads(value)
    except BadSignature:
        return None
    return got if isinstance(got, str) else None


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def resolve_user(request: Request) -> User | None:
    """The caller: bearer token first (``request.state.auth = "token"``), then the session cookie."""
    state = request.app.state.web
    token = bearer_token(request)
    if token or "authorization" in request.headers:
        request.state.auth = "token"
        user = state.hall.user_for_token(token) if token else None
        if user is None:  # a wrong token is an error, not a silent downgrade to anonymous
            raise NotSignedIn("the API token is unknown or was replaced; issue a new one on the account page",
                              "API 令牌无效或已被替换；请在“我的账号”页面生成新令牌")
        return user
    sid = state.signer.session_id(request.cookies.get(SESSION_COOKIE))
    request.state.auth = "cookie" if sid else None
    return state.hall.user_for_session(sid) if sid else None


def expected_csrf(request: Request, user: User | None) -> str | None:
    if user is not None and user.csrf_token:
        return user.csrf_token
    return getattr(request.state, "csrf_anon", None)


def check_csrf(request: Request, user: User | None, submitted: str | None) -> None:
    """Refuse a state-changing request whose CSRF token is absent or wrong (bearer-token calls are exempt)."""
    if getattr(request.state, "auth", None) == "token":
        return
    submitted = submitted or request.headers.get(CSRF_HEADER)
    expected = expected_csrf(request, user)
    if not submitted or not expected or not hmac.compare_digest(submitted.encode(), expected.encode()):
        raise CsrfError("missing or wrong CSRF token: reload the page and submit again (scripts: send "
                        "X-CSRF-Token, or use an API token)",
                        "CSRF 令牌缺失或错误：请刷新页面后重新提交（脚本请发送 X-CSRF-Token 头，或使用 API 令牌）")


class RateLimiter:
    """Token buckets: `capacity` requests at once, refilled at `per_minute` a minute, per key."""

    def __init__(self, capacity: int, per_minute: float, max_keys: int = 50_000):
        self.capacity, self.rate = float(capacity), per_minute / 60.0
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()
        self._max_keys = max_keys

    def hit(self, key: str, what_en: str = "requests", what_zh: str = "请求") -> None:
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens < 1:
                wait = (1 - tokens) / self.rate if self.rate else 60
                raise RateLimited(f"too many {what_en}; wait {wait:.0f} s and try again",
                                  f"{what_zh}过于频繁；请等待 {wait:.0f} 秒后再试")
            if len(self._buckets) >= self._max_keys:
                self._buckets.clear()  # bounded memory: forgetting old buckets only forgives
            self._buckets[key] = (tokens - 1, now)


def client_key(request: Request, user: User | None, username: str | None = None) -> str:
    ip = request.client.host if request.client else "?"
    who = user.username if user else (username or "-")
    return f"{ip}|{who.lower()}"
