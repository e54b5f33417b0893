"""Watchlists: what a CLI profile or a web user follows — topics, directions and saved search queries.

The rows live in the user database (``watches``, migration 0028), beside accounts and the hall, because they
are written by people, not by the pipeline: a rebuild of the pipeline database never touches them. An owner is
``profile:<name>`` for the command line (``--profile``, default ``default``) or ``user:<user_id>`` for a
signed-in web user, so each sees and removes only their own watches. Removing a watch keeps it (``removed`` is
set) so the alerts it raised still name it.

Functions take the user database's table seam (``store.users_tables``) as their first argument, like the hall's.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import datetime

from frontierwatch.errors import InputError, NotFoundError

KINDS = ("topic", "direction", "query")
MAX_QUERY = 300
MAX_NAME = 80
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PROFILE = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
_COLUMNS = "watch_id, owner, kind, target, name, email, webhook, created, removed"


@dataclass(frozen=True)
class Watch:
    """One watch: ``kind`` topic|direction|query and its ``target`` (topic id, direction id or query text)."""

    watch_id: int
    owner: str
    kind: str
    target: str
    name: str | None
    email: str | None
    webhook: str | None
    created: datetime
    removed: datetime | None = None

    def to_json(self) -> dict:
        out = asdict(self)
        out["id"] = out.pop("watch_id")
        out["created"] = self.created.isoformat(timespec="seconds")
        out["removed"] = self.removed.isoformat(timespec="seconds") if self.removed else None
        return out

    @property
    def title(self) -> str:
        """How messages name the watch: its name, else ``kind target``."""
        return self.name or f"{self.kind} {self.target}"


def profile_owner(profile: str) -> str:
    """The owner key of a command-line profile; the name is 3–40 of ``[A-Za-z0-9_.-]``."""
    if not _PROFILE.match(profile or ""):
        raise InputError(f"profile {profile!r} should be 1–40 letters, digits, '_', '.' or '-'",
                         f"配置名 {profile!r} 应为 1–40 个字母、数字、'_'、'.' 或 '-'")
    return f"profile:{profile}"


def user_owner(user_id: int) -> str:
    """The owner key of a web user."""
    return f"user:{int(user_id)}"


def check_watch(kind: str, target: str, email: str | None, webhook: str | None, name: str | None) -> tuple[str, ...]:
    """Validate the parts of a new watch (not whether a topic or direction exists: the caller knows the map).
    Returns them cleaned: ``(kind, target, email, webhook, name)``."""
    if kind not in KINDS:
        raise InputError(f"watch kind {kind!r} should be one of {', '.join(KINDS)}",
                         f"关注类型 {kind!r} 应为 {', '.join(KINDS)} 之一")
    target = " ".join((target or "").split())
    if not target or len(target) > MAX_QUERY:
        raise InputError(f"watch {kind} {target[:40]!r}: give 1–{MAX_QUERY} characters",
                         f"关注的{kind} {target[:40]!r}：应为 1–{MAX_QUERY} 个字符")
    if email is not None and not _EMAIL.match(email):
        raise InputError(f"e-mail address {email!r} is not an address like name@example.org",
                         f"电子邮箱 {email!r} 格式不对，应形如 name@example.org")
    if webhook is not None and not re.match(r"^https?://[^\s/]+", webhook):
        raise InputError(f"webhook {webhook!r} should be an http:// or https:// URL",
                         f"Webhook 地址 {webhook!r} 应为 http:// 或 https:// 网址")
    if name is not None:
        name = " ".join(name.split())[:MAX_NAME] or None
    return kind, target, email, webhook, name


def add_watch(con, owner: str, kind: str, target: str, *, email: str | None = None, webhook: str | None = None,
              name: str | None = None) -> Watch:
    """Store a new watch of `owner` and return it. The same owner, kind and target twice returns the existing
    watch (updated with the new name, e-mail and webhook when given) — adding is idempotent."""
    kind, target, email, webhook, name = check_watch(kind, target, email, webhook, name)
    row = con.sql(f"SELECT {_COLUMNS} FROM watches WHERE owner = ? AND kind = ? AND target = ? AND removed IS NULL",
                      [owner, kind, target]).one()
    if row:
        con.sql("UPDATE watches SET name = coalesce(?, name), email = coalesce(?, email), "
                    "webhook = coalesce(?, webhook) WHERE watch_id = ?", [name, email, webhook, row[0]])
        return get_watch(con, owner, row[0])
    watch_id = con.sql("SELECT coalesce(max(watch_id), 0) + 1 FROM watches").scalar()
    con.sql(f"INSERT INTO watches ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                [watch_id, owner, kind, target, name, email, webhook, datetime.now().replace(microsecond=0)])
    return get_watch(con, owner, watch_id)


def get_watch(con, owner: str | None, watch_id: int) -> Watch:
    """One watch of `owner` (any owner when None); NotFoundError when it is not theirs or does not exist."""
    row = con.sql(f"SELECT {_COLUMNS} FROM watches WHERE watch_id = ?", [int(watch_id)]).one()
    if row is None or (owner is not None and row[1] != owner):
        raise NotFoundError(f"no watch {watch_id} in this profile; see frontierwatch watch list",
                            f"当前配置下没有关注项 {watch_id}；请查看 frontierwatch watch list")
    return Watch(*row)


def list_watches(con, owner: str | None = None, *, include_removed: bool = False) -> list[Watch]:
    """Watches of `owner` (every owner's when None), oldest first; removed ones only with `include_removed`."""
    where, params = [], []
    if owner is not None:
        where.append("owner = ?")
        params.append(owner)
    if not include_removed:
        where.append("removed IS NULL")
    sql = f"SELECT {_COLUMNS} FROM watches" + (f" WHERE {' AND '.join(where)}" if where else "") + " ORDER BY watch_id"
    return [Watch(*r) for r in con.sql(sql, params).rows()]


def remove_watch(con, owner: str, watch_id: int) -> Watch:
    """Stop watching: the watch is marked removed (its alerts stay); NotFoundError when not `owner`'s."""
    watch = get_watch(con, owner, watch_id)
    if watch.removed is None:
        con.sql("UPDATE watches SET removed = ? WHERE watch_id = ?",
                    [datetime.now().replace(microsecond=0), watch.watch_id])
    return get_watch(con, owner, watch_id)
