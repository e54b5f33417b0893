"""Contact requests (供需对接 with consent): who may see an item's contact details, and how others ask for them.

The contact of an item is shown only to its submitter, to moderators (and admins), and to users whose contact
request the submitter accepted. Anyone signed in may ask once per item with a short message; the submitter
accepts or declines on the account page; both sides are notified. Only the item's submitter can decide a
request of that item, only the requester sees their own request (no object can be reached by guessing its id).
Table ``contact_requests`` (migration 0021).
"""
from __future__ import annotations

import re
from datetime import datetime

from frontierwatch.errors import ConflictError, InputError, NotFoundError, PermissionDenied
from frontierwatch.hall.accounts import User

MAX_MESSAGE = 1000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def may_see_contact(tables, item: dict, viewer: User | None) -> bool:
    if viewer is None:
        return False
    if viewer.user_id == item["submitter_id"] or viewer.can("moderator"):
        return True
    return tables.sql("SELECT 1 FROM contact_requests WHERE item_id = ? AND requester_id = ? AND status = 'accepted'",
                       [item["item_id"], viewer.user_id]).one() is not None


def request_contact(tables, item: dict, requester: User, message: str) -> dict:
    """A new pending request of `requester` for the (approved) item's contact; one per requester and item."""
    message = _CONTROL.sub("", message or "").strip()
    if not 5 <= len(message) <= MAX_MESSAGE:
        raise InputError(f"the message must be 5–{MAX_MESSAGE} characters, got {len(message)}",
                         f"留言长度须为 5–{MAX_MESSAGE} 个字符，实际为 {len(message)}")
    if item["status"] != "approved":
        raise NotFoundError(f"no public hall item {item['item_id']}", f"没有公开的条目 {item['item_id']}")
    if item["submitter_id"] == requester.user_id:
        raise InputError("this is your own item; its contact is already shown to you", "这是您自己的条目，联系方式已对您显示")
    if tables.sql("SELECT 1 FROM contact_requests WHERE item_id = ? AND requester_id = ?",
                   [item["item_id"], requester.user_id]).one():
        raise ConflictError("you already asked for this item's contact; wait for the submitter's answer",
                            "您已请求过该条目的联系方式，请等待提交者答复")
    request_id = tables.sql("SELECT coalesce(max(request_id), 0) + 1 FROM contact_requests").one()[0]
    tables.sql("INSERT INTO contact_requests VALUES (?, ?, ?, ?, 'pending', ?, NULL)",
                [request_id, item["item_id"], requester.user_id, message, datetime.now()])
    return my_request(tables, item["item_id"], requester)


def my_request(tables, item_id: int, requester: User) -> dict | None:
    row = tables.sql("SELECT request_id, status, created, decided FROM contact_requests WHERE item_id = ? AND "
                      "requester_id = ?", [item_id, requester.user_id]).one()
    if not row:
        return None
    return {"request_id": row[0], "status": row[1], "created": row[2].isoformat(timespec="seconds"),
            "decided": row[3].isoformat(timespec="seconds") if row[3] else None}


def requests_for_submitter(tables, submitter: User) -> list[dict]:
    """Requests for the submitter's items, newest first, with the requester's user name and message."""
    rows = tables.sql(
        "SELECT r.request_id, r.item_id, i.title, u.username, r.message, r.status, r.created FROM contact_requests r "
        "JOIN hall_items i USING (item_id) JOIN web_users u ON u.user_id = r.requester_id "
        "WHERE i.submitter_id = ? ORDER BY r.request_id DESC LIMIT 200", [submitter.user_id]).rows()
    return [dict(request_id=r[0], item_id=r[1], title=r[2], requester=r[3], message=r[4], status=r[5],
                 created=r[6].isoformat(timespec="seconds")) for r in rows]


def decide_request(tables, request_id: int, submitter: User, accept: bool) -> dict:
    """Accept or decline a pending request — only the submitter of the requested item may."""
    row = tables.sql("SELECT r.item_id, r.requester_id, r.status, i.submitter_id, i.title FROM contact_requests r "
                      "JOIN hall_items i USING (item_id) WHERE r.request_id = ?", [request_id]).one()
    if not row or row[3] != submitter.user_id:  # someone else's request: indistinguishable from a missing one
        raise NotFoundError(f"no contact request {request_id} for your items", f"您的条目没有编号为 {request_id} 的联系请求")
    if row[2] != "pending":
        raise ConflictError(f"contact request {request_id} was already {row[2]}", f"联系请求 {request_id} 已处理")
    status = "accepted" if accept else "declined"
    tables.sql("UPDATE contact_requests SET status = ?, decided = ? WHERE request_id = ?",
                [status, datetime.now(), request_id])
    return {"request_id": request_id, "item_id": row[0], "requester_id": row[1], "status": status, "title": row[4]}


def check_owner(item: dict, user: User) -> None:
    if item["submitter_id"] != user.user_id:
        raise PermissionDenied("only the item's submitter may do this", "只有条目的提交者可以执行此操作")
