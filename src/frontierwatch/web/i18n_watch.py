"""Page messages of the watchlist and alert inbox (zh, en), merged into `frontierwatch.web.i18n.MESSAGES`."""
from __future__ import annotations

WATCH_MESSAGES: dict[str, tuple[str, str]] = {
    "nav.inbox": ("提醒", "Alerts"),
    "inbox.title": ("提醒收件箱", "Alert inbox"),
    "inbox.intro": ("您关注的主题、方向和检索式有新变化时，这里会出现提醒，并附上依据。",
                    "Alerts appear here when a topic, direction or saved search you watch moves, each with its evidence."),
    "inbox.unread": ("未读", "Unread"),
    "inbox.read": ("已读", "Read"),
    "inbox.mark_read": ("标为已读", "Mark read"),
    "inbox.mark_unread": ("标为未读", "Mark unread"),
    "inbox.mark_all": ("全部标为已读", "Mark all read"),
    "inbox.empty": ("暂无提醒。添加关注后，每次更新数据都会检查。", "No alerts yet. Once you watch something, every data update checks it."),
    "inbox.evidence": ("依据", "Evidence"),
    "inbox.watches": ("我的关注", "My watchlist"),
    "inbox.no_watches": ("尚未关注任何内容。", "You do not watch anything yet."),
    "inbox.add": ("添加关注", "Watch"),
    "inbox.remove": ("取消关注", "Remove"),
    "inbox.kind.topic": ("主题", "Topic"),
    "inbox.kind.direction": ("方向", "Direction"),
    "inbox.kind.query": ("检索式", "Saved search"),
    "inbox.target": ("主题编号、方向编号或检索词", "Topic id, direction id or search words"),
    "inbox.email": ("邮箱（可选）", "E-mail (optional)"),
    "inbox.documents": ("篇文献", "documents"),
    "inbox.feeds": ("订阅源", "Feeds"),
}
