"""Notifications of hall decisions and contact requests: kept in ``hall_notifications`` (migration 0021), shown
on the account page, and e-mailed through `frontierwatch.mail.Mailer` when the user gave an address.

Messages are written in both languages (the recipient reads the one of their page; the e-mail carries both).
The delivery result (sent, no-address, not-configured, failed: …) is stored beside the notification, so a failed
relay is visible and a decision never fails because of mail.
"""
from __future__ import annotations

import logging
from datetime import datetime

log = logging.getLogger(__name__)

TEMPLATES = {
    "approved": ("您提交的条目《{title}》已通过审核并公开发布。", "Your item \"{title}\" was approved and is now public."),
    "rejected": ("您提交的条目《{title}》未通过审核。审核意见：{note}。您可以修改后重新提交。",
                 "Your item \"{title}\" was not approved. Moderator's note: {note}. You may revise and resubmit it."),
    "contact_request": ("有用户请求获取条目《{title}》的联系方式。请在“我的账号”页面同意或拒绝。",
                        "Someone asks for the contact details of your item \"{title}\". Accept or decline on your "
                        "account page."),
    "contact_accepted": ("条目《{title}》的提交者同意了您的联系请求，联系方式已在条目页面向您显示。",
                         "The submitter of \"{title}\" accepted your contact request; the item page now shows you "
                         "the contact."),
    "contact_declined": ("条目《{title}》的提交者谢绝了您的联系请求。",
                         "The submitter of \"{title}\" declined your contact request."),
    "assessed": ("治理评审员已对您的条目《{title}》完成风险评估（状态：{status}）。",
                 "A governance reviewer assessed the risks of your item \"{title}\" (status: {status})."),
}
SUBJECTS = {"approved": ("条目已发布", "Item approved"), "rejected": ("条目未通过审核", "Item not approved"),
            "contact_request": ("新的联系请求", "New contact request"),
            "contact_accepted": ("联系请求已同意", "Contact request accepted"),
            "contact_declined": ("联系请求被谢绝", "Contact request declined"),
            "assessed": ("风险评估已完成", "Risk assessment recorded")}


def notify(tables, mailer, user_id: int, kind: str, item_id: int | None, **values) -> int:
    """Record a notification for `user_id` and e-mail it when possible; returns the notification id.

    `values` fill the templates; a value given as ``{"zh": ..., "en": ...}`` is filled per language."""
    def fill(template: str, lang: str) -> str:
        return template.format(**{k: str(v[lang] if isinstance(v, dict) else v)[:200] for k, v in values.items()})

    zh, en = fill(TEMPLATES[kind][0], "zh"), fill(TEMPLATES[kind][1], "en")
    notification_id = tables.sql("SELECT coalesce(max(notification_id), 0) + 1 FROM hall_notifications").one()[0]
    tables.sql("INSERT INTO hall_notifications VALUES (?, ?, ?, ?, ?, ?, ?, false, NULL)",
                [notification_id, user_id, datetime.now(), kind, item_id, zh, en])
    if mailer is not None:
        from frontierwatch.hall.accounts import email_of

        subject_zh, subject_en = SUBJECTS[kind]
        delivery = mailer.send(email_of(tables, user_id), f"未来产业瞭望站 · {subject_zh} / {subject_en}",
                               f"{zh}\n\n{en}\n\n— 未来产业瞭望站 frontierwatch")
        tables.sql("UPDATE hall_notifications SET mailed = ? WHERE notification_id = ?",
                    [str(delivery), notification_id])
    return notification_id


def notifications(tables, user_id: int, limit: int = 50) -> list[dict]:
    rows = tables.sql("SELECT notification_id, created, kind, item_id, message_zh, message_en, seen FROM "
                       "hall_notifications WHERE user_id = ? ORDER BY notification_id DESC LIMIT ?",
                       [user_id, int(limit)]).rows()
    return [dict(notification_id=r[0], created=r[1].isoformat(timespec="seconds"), kind=r[2], item_id=r[3],
                 message={"zh": r[4], "en": r[5]}, seen=r[6]) for r in rows]


def mark_seen(tables, user_id: int) -> None:
    tables.sql("UPDATE hall_notifications SET seen = true WHERE user_id = ?", [user_id])
