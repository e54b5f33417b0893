"""Moderation of the release hall: approve, reject, edit — and link each approved item to its closest topics.

Only moderators (and admins) decide; only approved items are public. Linking is a *hook* called on approval:
``TopicLinker(item) -> [{"topic_id", "score", "label", "reason"}, ...]`` (best first). The web app passes a
linker that calls the matchmaking stage once it exists; without one, approval still works and the item simply
has no topic links yet (``relink`` fills them later). Approval waits for a governance assessment when screening
flagged the item (`frontierwatch.hall.screening`). Writes ``hall_items``, ``hall_topic_links``, ``hall_revisions``
and the governance ``audit_log``.
"""
from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Callable, Protocol

from frontierwatch.errors import ConflictError, InputError, NotFoundError, PermissionDenied
from frontierwatch.hall.accounts import User, require_role
from frontierwatch.hall.notifications import notify
from frontierwatch.hall.screening import approval_block, fingerprint, raise_if_blocked, raise_if_duplicate, screen_item
from frontierwatch.hall.submissions import AchievementIn, ScenarioIn, get_item
from frontierwatch.risk import audit

log = logging.getLogger(__name__)
MAX_LINKS = 5
STATUS_ZH = {"pending": "待审核", "approved": "已发布", "rejected": "未通过"}
KIND_ZH = {"achievement": "技术成果", "scenario": "应用场景需求"}


class TopicLinker(Protocol):
    def __call__(self, item: dict) -> list[dict]: ...


def _audit(tables, user: User, action: str, item_id: int | None, detail: str = "") -> None:
    audit.append(tables, user.user_id, action, "hall_item" if item_id is not None else None, item_id, detail[:500])


def decide(tables, item_id: int, user: User, approve: bool, note: str = "",
           linker: TopicLinker | Callable | None = None, mailer=None) -> dict:
    """Approve or reject item `item_id` as moderator `user`; on approval run the topic-linking hook.

    Approving an item whose current revision was flagged by screening and not assessed since raises
    `ConflictError` (409) carrying the flags. The submitter is notified of either decision."""
    require_role(user, "moderator")
    if len(note) > 1000:
        raise InputError(f"moderation note has {len(note)} characters; the limit is 1000",
                         f"审核意见有 {len(note)} 个字符，上限为 1000")
    item = get_item(tables, item_id)
    if approve:
        try:
            raise_if_blocked(tables, item_id)
        except ConflictError as exc:
            _audit(tables, user, "approve_blocked", item_id, ", ".join(f["category"] for f in exc.details["flags"]))
            raise
    status = "approved" if approve else "rejected"
    tables.sql("UPDATE hall_items SET status = ?, moderator_id = ?, moderated = ?, moderation_note = ?, updated = ? "
                "WHERE item_id = ?", [status, user.user_id, datetime.now(), note.strip(), datetime.now(), item_id])
    _audit(tables, user, "approve" if approve else "reject", item_id, note)
    log.info("hall: item %d %s by %s", item_id, status, user.username)
    notify(tables, mailer, item["submitter_id"], status, item_id, title=item["title"],
           note=note.strip() or {"zh": "（无）", "en": "(none)"})
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


def _values(data: AchievementIn | ScenarioIn) -> dict:
    if isinstance(data, AchievementIn):
        return dict(title=data.title, body=data.description, direction=data.direction, field=data.field,
                    trl=data.trl, organisation=data.organisation, contact=data.contact, links=list(data.links))
    return dict(title=data.title, body=data.problem, sector=data.sector, constraints=data.constraints,
                budget_band=data.budget_band, deadline=data.deadline, organisation=data.organisation,
                contact=data.contact)


def _save_revision(tables, item: dict) -> None:
    content = {k: item.get(k) for k in ("title", "body", "direction", "field", "trl", "organisation", "contact",
                                        "links", "sector", "constraints", "budget_band", "deadline")}
    tables.sql("INSERT INTO hall_revisions VALUES (?, ?, ?, ?, ?, ?)",
                [item["item_id"], item["revision"], datetime.now(), item["status"],
                 json.dumps(content, ensure_ascii=False, default=str), item.get("moderation_note")])


def edit_item(tables, item_id: int, user: User, data: AchievementIn | ScenarioIn) -> dict:
    """Change an item, keeping the old revision in ``hall_revisions``; the new revision is screened again.

    * its submitter while it is pending (it stays pending);
    * its submitter after a rejection: a *resubmission* — back to pending, the rejected revision and its note
      kept in the history;
    * a moderator at any time (an approved item whose new text is flagged goes back to pending review).
    """
    require_role(user, "submitter")
    item = get_item(tables, item_id)
    is_owner = item["submitter_id"] == user.user_id
    resubmit = is_owner and item["status"] == "rejected" and not user.can("moderator")
    if not (user.can("moderator") or (is_owner and item["status"] in ("pending", "rejected"))):
        raise PermissionDenied(f"user {user.username!r} may not edit item {item_id} (status {item['status']})",
                               f"用户 {user.username!r} 无权修改条目 {item_id}（状态：{STATUS_ZH[item['status']]}）")
    expected = AchievementIn if item["kind"] == "achievement" else ScenarioIn
    if not isinstance(data, expected):
        raise InputError(f"item {item_id} is a {item['kind']}; send {expected.__name__} fields",
                         f"条目 {item_id} 的类型是{KIND_ZH[item['kind']]}，请提交对应字段")
    values = _values(data)
    raise_if_duplicate(tables, item["kind"], values["title"], values["body"], item["submitter_id"], exclude_item=item_id)
    _save_revision(tables, item)
    values.update(updated=datetime.now(), revision=item["revision"] + 1,
                  fingerprint=fingerprint(values["title"], values["body"]))
    if resubmit:
        values.update(status="pending", moderator_id=None, moderated=None, moderation_note=None)
    sets = ", ".join(f"{c} = ?" for c in values)
    tables.sql(f"UPDATE hall_items SET {sets} WHERE item_id = ?", list(values.values()) + [item_id])
    edited = get_item(tables, item_id)
    flags = screen_item(tables, edited)
    if edited["status"] == "approved" and approval_block(tables, item_id):
        tables.sql("UPDATE hall_items SET status = 'pending' WHERE item_id = ?", [item_id])
    _audit(tables, user, "resubmit" if resubmit else "edit", item_id,
           f"revision {values['revision']}" + (f"; flagged: {', '.join(f['category'] for f in flags)}" if flags else ""))
    return get_item(tables, item_id)


def revisions(tables, item_id: int) -> list[dict]:
    """Earlier revisions of an item, newest first: ``[{"revision", "saved", "status", "content",
    "moderation_note"}]``."""
    rows = tables.sql("SELECT revision, saved, status, content, moderation_note FROM hall_revisions "
                       "WHERE item_id = ? ORDER BY revision DESC", [item_id]).rows()
    return [dict(revision=r[0], saved=r[1].isoformat(timespec="seconds"), status=r[2], content=json.loads(r[3]),
                 moderation_note=r[4]) for r in rows]


def moderation_queue(tables, limit: int = 100) -> list[dict]:
    from frontierwatch.hall.submissions import list_items

    return list(reversed(list_items(tables, status="pending", limit=limit)))  # oldest first: first come, first served


def audit_log(tables, item_id: int) -> list[dict]:
    """The audit rows of one item, oldest first (from the governance audit log)."""
    rows = audit.read(tables, target_kind="hall_item", target_id=item_id)
    if not rows and not tables.sql("SELECT 1 FROM hall_items WHERE item_id = ?", [item_id]).one():
        raise NotFoundError(f"no hall item {item_id}", f"没有编号为 {item_id} 的条目")
    return rows
