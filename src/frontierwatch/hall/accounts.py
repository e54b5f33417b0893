"""Local accounts of the release hall: argon2id password hashes, roles, API tokens and server-side sessions.

Tables (migrations 0006, 0021): ``web_users(user_id, username, password_hash, role, api_token_hash, created,
disabled, email)`` and ``web_sessions(session_id, user_id, csrf_token, created, expires, revoked)``. Sessions live in
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

ROLES = ("viewer", "submitter", "moderator", "governance", "admin")
# What each role may do. Moderators decide on hall items; governance reviewers assess risks and keep the register;
# neither holds the other's power (separation of duties); the administrator holds every power.
_POWERS = {"viewer": {"viewer"}, "submitter": {"viewer", "submitter"},
           "moderator": {"viewer", "submitter", "moderator"}, "governance": {"viewer", "submitter", "governance"},
           "admin": set(ROLES)}
ROLE_NAMES_ZH = {"viewer": "浏览者", "submitter": "提交者", "moderator": "审核员", "governance": "治理评审员",
                 "admin": "管理员"}
EMAIL = re.compile(r"^[^@\s<>\"',;]{1,64}@[A-Za-z0-9.\-]{1,190}\.[A-Za-z]{2,24}$")
USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{3,40}$")
MIN_PASSWORD, MAX_PASSWORD = 12, 256  # OWASP ASVS 2.1.1 (at least 12) and 2.1.2 (128 or more allowed)
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
        """True when this user holds the power of `role` (see `_POWERS`: admin holds all; moderator and
        governance each include submitter and viewer, not each other)."""
        return role in _POWERS[self.role]


def require_role(user: User | None, role: str) -> User:
    """Return `user` when it holds at least `role`; raise PermissionDenied (or a 401 for anonymous)."""
    if user is None:
        raise NotSignedIn("sign in first: this action needs an account", "请先登录：此操作需要账号")
    if not user.can(role):
        raise PermissionDenied(f"user {user.username!r} has role {user.role!r}; this needs the {role!r} role (or admin)",
                               f"用户 {user.username!r} 的角色为 {ROLE_NAMES_ZH[user.role]}；此操作需要"
                               f"{ROLE_NAMES_ZH[role]}（或管理员）角色")
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


def check_email(email: str | None) -> str | None:
    """A plausible e-mail address (stripped), or None for an empty one; InputError otherwise."""
    email = (email or "").strip()
    if not email:
        return None
    if len(email) > 254 or not EMAIL.match(email):
        raise InputError(f"e-mail address {email[:80]!r} is not valid; give name@domain.tld or leave it empty",
                         f"电子邮件地址 {email[:80]!r} 无效；请填写 name@domain.tld 形式，或留空")
    return email


def create_user(tables, username: str, password: str, role: str = "submitter", email: str | None = None) -> User:
    """Add an account; the password is stored only as an argon2id hash, the e-mail (optional) for resets."""
    check_credentials_shape(username, password)
    email = check_email(email)
    if role not in ROLES:
        raise InputError(f"role {role!r} is not one of {ROLES}", f"角色 {role!r} 不在 {ROLES} 之中")
    if tables.sql("SELECT 1 FROM web_users WHERE lower(username) = lower(?)", [username]).one():
        raise InputError(f"username {username!r} is taken; choose another", f"用户名 {username!r} 已被占用，请换一个")
    user_id = tables.sql("SELECT coalesce(max(user_id), 0) + 1 FROM web_users").one()[0]
    tables.sql("INSERT INTO web_users (user_id, username, password_hash, role, created, email) "
                "VALUES (?, ?, ?, ?, ?, ?)", [user_id, username, _hasher.hash(password), role, datetime.now(), email])
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


def set_email(tables, user_id: int, email: str | None) -> None:
    tables.sql("UPDATE web_users SET email = ? WHERE user_id = ?", [check_email(email), user_id])


def email_of(tables, user_id: int) -> str | None:
    row = tables.sql("SELECT email FROM web_users WHERE user_id = ? AND NOT disabled", [user_id]).one()
    return row[0] if row else None


def set_password(tables, user_id: int, password: str) -> None:
    """Replace a password (argon2id) and end every session of the account."""
    if not (MIN_PASSWORD <= len(password or "") <= MAX_PASSWORD):
        raise InputError(f"password must be {MIN_PASSWORD}–{MAX_PASSWORD} characters, got {len(password or '')}",
                         f"密码长度须为 {MIN_PASSWORD}–{MAX_PASSWORD} 个字符，实际为 {len(password or '')}")
    tables.sql("UPDATE web_users SET password_hash = ? WHERE user_id = ?", [_hasher.hash(password), user_id])
    tables.sql("UPDATE web_sessions SET revoked = true WHERE user_id = ?", [user_id])


def set_role(tables, user_id: int, role: str) -> None:
    if role not in ROLES:
        raise InputError(f"role {role!r} is not one of {ROLES}", f"角色 {role!r} 不在 {ROLES} 之中")
    tables.sql("UPDATE web_users SET role = ? WHERE user_id = ?", [role, user_id])


def list_users(tables) -> list[dict]:
    rows = tables.sql("SELECT user_id, username, role, created, disabled, api_token_hash IS NOT NULL, "
                       "email IS NOT NULL FROM web_users ORDER BY user_id").rows()
    return [dict(user_id=r[0], username=r[1], role=r[2], created=r[3].isoformat(timespec="seconds"),
                 disabled=r[4], has_api_token=r[5], has_email=r[6]) for r in rows]


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
