"""Moderation of the release hall: approve, reject, edit — and link each approved item to its closest topics.

Only moderators (and admins) decide; only approved items are public. Linking is a *hook* called on approval:
``TopicLinker(item) -> [{"topic_id", "score", "label", "reason"}, ...]`` (best first). The web app passes a
linker that calls the matchmaking stage once it exists; without one, approval still works and the item simply
has no topic links yet (``relink`` fills them later). Writes ``hall_items``, ``hall_topic_links``, ``hall_audit``.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Callable, Protocol

from frontierwatch.errors import InputError, NotFoundError, PermissionDenied
from frontierwatch.hall.accounts import User, require_role
from frontierwatch.hall.submissions import AchievementIn, ScenarioIn, get_item

log = logging.getLogger(__name__)
MAX_LINKS = 5


class TopicLinker(Protocol):
    def __call__(self, item: dict) -> list[dict]: ...


def _audit(tables, user: User, action: str, item_id: int | None, detail: str = "") -> None:
    tables.sql("INSERT INTO hall_audit VALUES (?, ?, ?, ?, ?)", [datetime.now(), user.user_id, action, item_id,
                                                                   detail[:500]])


def decide(tables, item_id: int, user: User, approve: bool, note: str = "",
           linker: TopicLinker | Callable | None = None) -> dict:
    """Approve or reject item `item_id` as moderator `user`; on approval run the topic-linking hook."""
    require_role(user, "moderator")
    if len(note) > 1000:
        raise InputError(f"moderation note has {len(note)} characters; the limit is 1000",
                         f"审核意见有 {len(note)} 个字符，上限为 1000")
    item = get_item(tables, item_id)
    status = "approved" if approve else "rejected"
    tables.sql("UPDATE hall_items SET status = ?, moderator_id = ?, moderated = ?, moderation_note = ?, updated = ? "
                "WHERE item_id = ?", [status, user.user_id, datetime.now(), note.strip(), datetime.now(), item_id])
    _audit(tables, user, "approve" if approve else "reject", item_id, note)
    log.info("hall: item %d %s by %s", item_id, status, user.username)
    if approve and linker is not None:
        item["status"] = status
        link_topics(tables, item, linker)
    return get_item(tables, item_id)


def link_topics(tables, item: dict, linker: TopicLinker | Callable) -> int:
    """Replace the item's topic links with the linker's answer; a failing linker is logged, not fatal."""
    try:
        links = list(linker(item) or [])[:MAX_LINKS]
    except Exception:  # the hall must keep working when a later stage is missing or broken
        log.exception("hall: topic linking failed for item %s", item["item_id"])
        return 0
    tables.sql("DELETE FROM hall_topic_links WHERE item_id = ?", [item["item_id"]])
    for rank, link in enumerate(links, 1):
        tables.sql("INSERT INTO hall_topic_links VALUES (?, ?, ?, ?, ?, ?)",
                    [item["item_id"], str(link["topic_id"]), rank, link.get("score"),
                     str(link.get("label") or "")[:300], str(link.get("reason") or "")[:500]])
    return len(links)


def edit_item(tables, item_id: int, user: User, data: AchievementIn | ScenarioIn) -> dict:
    """Change an item: its submitter while it is pending (it stays pending), or a moderator at any time."""
    require_role(user, "submitter")
    item = get_item(tables, item_id)
    is_owner = item["submitter_id"] == user.user_id
    if not (user.can("moderator") or (is_owner and item["status"] == "pending")):
        raise PermissionDenied(f"user {user.username!r} may not edit item {item_id} (status {item['status']})",
                               f"用户 {user.username!r} 无权修改条目 {item_id}（状态：{item['status']}）")
    expected = AchievementIn if item["kind"] == "achievement" else ScenarioIn
    if not isinstance(data, expected):
        raise InputError(f"item {item_id} is a {item['kind']}; send {expected.__name__} fields",
                         f"条目 {item_id} 的类型是 {item['kind']}，请提交对应字段")
    if isinstance(data, AchievementIn):
        values = dict(title=data.title, body=data.description, direction=data.direction, field=data.field,
                      trl=data.trl, organisation=data.organisation, contact=data.contact, links=list(data.links))
    else:
        values = dict(title=data.title, body=data.problem, sector=data.sector, constraints=data.constraints,
                      budget_band=data.budget_band, deadline=data.deadline, organisation=data.organisation,
                      contact=data.contact)
    values["updated"] = datetime.now()
    sets = ", ".join(f"{c} = ?" for c in values)
    tables.sql(f"UPDATE hall_items SET {sets} WHERE item_id = ?", list(values.values()) + [item_id])
    _audit(tables, user, "edit", item_id)
    return get_item(tables, item_id)


def moderation_queue(tables, limit: int = 100) -> list[dict]:
    from frontierwatch.hall.submissions import list_items

    return list(reversed(list_items(tables, status="pending", limit=limit)))  # oldest first: first come, first served


def audit_log(tables, item_id: int) -> list[dict]:
    rows = tables.sql("SELECT at_time, user_id, action, detail FROM hall_audit WHERE item_id = ? ORDER BY at_time",
                       [item_id]).rows()
    if not rows and not tables.sql("SELECT 1 FROM hall_items WHERE item_id = ?", [item_id]).one():
        raise NotFoundError(f"no hall item {item_id}", f"没有编号为 {item_id} 的条目")
    return [dict(at=r[0].isoformat(timespec="seconds"), user_id=r[1], action=r[2], detail=r[3]) for r in rows]
