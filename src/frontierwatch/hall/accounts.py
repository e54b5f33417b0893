"""Local accounts of the release hall: argon2id password hashes, roles, API tokens and server-side sessions.

Tables (migration 0006): ``web_users(user_id, username, password_hash, role, api_token_hash, created,
disabled)`` and ``web_sessions(session_id, user_id, csrf_token, created, expires, revoked)``. Sessions live in
the store (not only in the signed cookie) so that logging out really ends them. API tokens are stored as
SHA-256 digests: a leaked database does not leak working tokens. Every statement is parameterised.
"""
from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from frontierwatch.errors import InputError, PermissionDenied

log = logging.getLogger(__name__)

ROLES = ("viewer", "submitter", "moderator", "admin")
_RANK = {r: i for i, r in enumerate(ROLES)}
USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{3,40}$")
MIN_PASSWORD, MAX_PASSWORD = 8, 256
SESSION_DAYS = 14
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# A valid hash of a random password: verifying against it when the user is unknown keeps login time flat.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class User:
    """A signed-in (or token-authenticated) user; ``csrf_token`` is set for cookie sessions only."""

    user_id: int
    username: str
    role: str
    csrf_token: str | None = None
    session_id: str | None = None

    def can(self, role: str) -> bool:
        """True when this user's role is `role` or above (viewer < submitter < moderator < admin)."""
        return _RANK[self.role] >= _RANK[role]


def require_role(user: User | None, role: str) -> User:
    """Return `user` when it holds at least `role`; raise PermissionDenied (or a 401 for anonymous)."""
    if user is None:
        raise NotSignedIn("sign in first: this action needs an account", "请先登录：此操作需要账号")
    if not user.can(role):
        raise PermissionDenied(f"user {user.username!r} has role {user.role!r}; this needs {role!r} or above",
                               f"用户 {user.username!r} 的角色为 {user.role!r}；此操作需要 {role!r} 或更高角色")
    return user


class NotSignedIn(PermissionDenied):
    """No session or token at all (HTTP 401)."""

    status = 401
    title_en, title_zh = "Sign-in required", "需要登录"


def check_credentials_shape(username: str, password: str) -> None:
    if not USERNAME.match(username or ""):
        raise InputError(f"username {username!r} must be 3–40 letters, digits, '_', '.' or '-'",
                         f"用户名 {username!r} 须为 3–40 个字母、数字、'_'、'.' 或 '-'")
    if not (MIN_PASSWORD <= len(password or "") <= MAX_PASSWORD):
        raise InputError(f"password must be {MIN_PASSWORD}–{MAX_PASSWORD} characters, got {len(password or '')}",
                         f"密码长度须为 {MIN_PASSWORD}–{MAX_PASSWORD} 个字符，实际为 {len(password or '')}")


def create_user(tables, username: str, password: str, role: str = "submitter") -> User:
    """Add an account; the password is stored only as an argon2id hash."""
    check_credentials_shape(username, password)
    if role not in ROLES:
        raise InputError(f"role {role!r} is not one of {ROLES}", f"角色 {role!r} 不在 {ROLES} 之中")
    if tables.sql("SELECT 1 FROM web_users WHERE lower(username) = lower(?)", [username]).one():
        raise InputError(f"username {username!r} is taken; choose another", f"用户名 {username!r} 已被占用，请换一个")
    user_id = tables.sql("SELECT coalesce(max(user_id), 0) + 1 FROM web_users").scalar()
    tables.sql("INSERT INTO web_users (user_id, username, password_hash, role, created) VALUES (?, ?, ?, ?, ?)",
                [user_id, username, _hasher.hash(password), role, datetime.now()])
    log.info("created user %s with role %s", username, role)
    return User(user_id, username, role)


def count_users(tables, role: str | None = None) -> int:
    if role:
        return tables.sql("SELECT count(*) FROM web_users WHERE role = ?", [role]).scalar()
    return tables.sql("SELECT count(*) FROM web_users").scalar()


def authenticate(tables, username: str, password: str) -> User | None:
    """The user when `password` matches, else None (same work either way, so timing does not tell)."""
    row = tables.sql("SELECT user_id, username, password_hash, role, disabled FROM web_users WHERE username = ?",
                      [username or ""]).one()
    stored = row[2] if row else _DUMMY_HASH
    try:
        _hasher.verify(stored, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if not row or row[4]:
        return None
    if _hasher.check_needs_rehash(stored):
        tables.sql("UPDATE web_users SET password_hash = ? WHERE user_id = ?", [_hasher.hash(password), row[0]])
    return User(row[0], row[1], row[3])


def set_role(tables, user_id: int, role: str) -> None:
    if role not in ROLES:
        raise InputError(f"role {role!r} is not one of {ROLES}", f"角色 {role!r} 不在 {ROLES} 之中")
    tables.sql("UPDATE web_users SET role = ? WHERE user_id = ?", [role, user_id])


def list_users(tables) -> list[dict]:
    rows = tables.sql("SELECT user_id, username, role, created, disabled, api_token_hash IS NOT NULL "
                       "FROM web_users ORDER BY user_id").rows()
    return [dict(user_id=r[0], username=r[1], role=r[2], created=r[3].isoformat(timespec="seconds"),
                 disabled=r[4], has_api_token=r[5]) for r in rows]


# -- API tokens ---------------------------------------------------------------------------------------------
def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(tables, user_id: int) -> str:
    """A new bearer token for scripts (replaces the previous one); only its digest is kept."""
    token = "fw_" + secrets.token_urlsafe(32)
    tables.sql("UPDATE web_users SET api_token_hash = ? WHERE user_id = ?", [_digest(token), user_id])
    return token


def user_for_token(tables, token: str) -> User | None:
    if not token or len(token) > 200:
        return None
    row = tables.sql("SELECT user_id, username, role FROM web_users WHERE api_token_hash = ? AND NOT disabled",
                      [_digest(token)]).one()
    return User(*row) if row else None


# -- sessions -----------------------------------------------------------------------------------------------
def open_session(tables, user: User) -> User:
    """Start a session; the returned user carries the session id (for the cookie) and its CSRF token."""
    sid, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = datetime.now()
    tables.sql("INSERT INTO web_sessions VALUES (?, ?, ?, ?, ?, false)",
                [sid, user.user_id, csrf, now, now + timedelta(days=SESSION_DAYS)])
    return User(user.user_id, user.username, user.role, csrf, sid)


def user_for_session(tables, session_id: str) -> User | None:
    if not session_id or len(session_id) > 100:
        return None
    row = tables.sql(
        "SELECT u.user_id, u.username, u.role, s.csrf_token, s.session_id FROM web_sessions s "
        "JOIN web_users u USING (user_id) WHERE s.session_id = ? AND NOT s.revoked AND s.expires > ? "
        "AND NOT u.disabled", [session_id, datetime.now()]).one()
    return User(*row) if row else None


def close_session(tables, session_id: str) -> None:
    tables.sql("UPDATE web_sessions SET revoked = true WHERE session_id = ?", [session_id])


def new_password_token() -> str:
    """A random password for generated accounts (tests, demo)."""
    return secrets.token_urlsafe(18)
