"""Sign-in protection and account recovery: lock-out with back-off after failed sign-ins, password reset tokens.

Lock-out (``login_failures``, migration 0021) is kept per user name *as typed*, whether or not the account exists,
so the answers never reveal which names exist. After `FREE_FAILURES` consecutive failures the name is locked for
`BASE_LOCK_SECONDS`, doubling with each further failure up to `MAX_LOCK_SECONDS`; a success clears the count.
While locked, even the right password is refused (ASVS 2.2.1).

Reset tokens (``password_resets``) are 256-bit random, e-mailed, stored only as SHA-256 digests, valid for
`RESET_MINUTES`, single use; using one sets the new password, ends every session of the account and clears its
lock-out.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from frontierwatch.errors import FrontierwatchError, InputError
from frontierwatch.hall.accounts import User, set_password

FREE_FAILURES = 5
BASE_LOCK_SECONDS = 60
MAX_LOCK_SECONDS = 3600
RESET_MINUTES = 60
MAX_OPEN_RESETS = 3


class LockedOut(FrontierwatchError):
    """Too many failed sign-ins for this name: wait (HTTP 429)."""

    status = 429
    title_en, title_zh = "Sign-in locked", "登录已锁定"

    def __init__(self, seconds: int):
        minutes = max(1, round(seconds / 60))
        super().__init__(f"too many failed sign-ins for this name; try again in {minutes} min or reset the password",
                         f"该用户名登录失败次数过多；请 {minutes} 分钟后再试，或重置密码")
        self.seconds = seconds


def _key(username: str) -> str:
    return (username or "").strip().lower()[:100]


def check_not_locked(tables, username: str) -> None:
    row = tables.sql("SELECT locked_until FROM login_failures WHERE username = ?", [_key(username)]).one()
    if row and row[0] and row[0] > datetime.now():
        raise LockedOut(int((row[0] - datetime.now()).total_seconds()) + 1)


def record_failure(tables, username: str) -> int | None:
    """Count a failed sign-in; return the lock length in seconds when this failure starts a lock, else None."""
    key, now = _key(username), datetime.now()
    row = tables.sql("SELECT failures FROM login_failures WHERE username = ?", [key]).one()
    failures = (row[0] if row else 0) + 1
    lock = None
    if failures >= FREE_FAILURES:
        lock = min(MAX_LOCK_SECONDS, BASE_LOCK_SECONDS * 2 ** (failures - FREE_FAILURES))
    until = now + timedelta(seconds=lock) if lock else None
    if row:
        tables.sql("UPDATE login_failures SET failures = ?, last_failure = ?, locked_until = ? WHERE username = ?",
                    [failures, now, until, key])
    else:
        tables.sql("INSERT INTO login_failures VALUES (?, ?, ?, ?)", [key, failures, now, until])
    return lock


def record_success(tables, username: str) -> None:
    tables.sql("DELETE FROM login_failures WHERE username = ?", [_key(username)])


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_reset(tables, login: str) -> tuple[int, str, str, str] | None:
    """A new reset token for the account named `login` (user name or e-mail) that has an e-mail address:
    ``(user_id, username, email, token)``; None when there is no such account (the caller answers the same)."""
    login = (login or "").strip()[:254]
    if not login:
        return None
    row = tables.sql("SELECT user_id, username, email FROM web_users WHERE NOT disabled AND email IS NOT NULL AND "
                      "(lower(username) = lower(?) OR lower(email) = lower(?)) ORDER BY user_id LIMIT 1",
                      [login, login]).one()
    if not row:
        return None
    now = datetime.now()
    open_tokens = tables.sql("SELECT count(*) FROM password_resets WHERE user_id = ? AND used IS NULL AND expires > ?",
                              [row[0], now]).one()[0]
    if open_tokens >= MAX_OPEN_RESETS:
        return None  # enough links are on their way; do not flood the mailbox
    token = secrets.token_urlsafe(32)
    tables.sql("INSERT INTO password_resets VALUES (?, ?, ?, ?, NULL)",
                [_digest(token), row[0], now, now + timedelta(minutes=RESET_MINUTES)])
    return row[0], row[1], row[2], token


def reset_valid(tables, token: str) -> bool:
    if not token or len(token) > 200:
        return False
    return tables.sql("SELECT 1 FROM password_resets WHERE token_hash = ? AND used IS NULL AND expires > ?",
                       [_digest(token), datetime.now()]).one() is not None


def finish_reset(tables, token: str, password: str) -> User:
    """Set the new password of the token's account; the token is spent, sessions end, the lock-out clears."""
    row = None
    if token and len(token) <= 200:
        row = tables.sql("SELECT r.user_id, u.username, u.role FROM password_resets r JOIN web_users u USING (user_id) "
                          "WHERE r.token_hash = ? AND r.used IS NULL AND r.expires > ? AND NOT u.disabled",
                          [_digest(token), datetime.now()]).one()
    if not row:
        raise InputError("this reset link is invalid, used or expired; ask for a new one",
                         "该重置链接无效、已使用或已过期；请重新申请")
    set_password(tables, row[0], password)
    tables.sql("UPDATE password_resets SET used = ? WHERE user_id = ? AND used IS NULL", [datetime.now(), row[0]])
    record_success(tables, row[1])
    return User(row[0], row[1], row[2])
