"""Alerts: what the rules found for a watch, each with its evidence, raised once.

``alerts`` (user database, migration 0028) is keyed by ``(watch_id, kind, subject)``: the subject names what
the alert is about (the as-of date of new documents, the topic that crossed a threshold, the edition that
listed an item), so a rule that finds the same thing again — a rerun of ``update``, a restart, a second
evaluation of the same edition — inserts nothing. `raise_alert` is that insert-if-new.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from frontierwatch.errors import NotFoundError

KINDS = ("new_documents", "forecast_crossed", "edition_listed", "edition_dropped", "topic_born", "topic_split",
         "topic_merged", "hall_item")
_COLUMNS = "a.alert_id, a.watch_id, a.kind, a.subject, a.as_of, a.created, a.title_zh, a.title_en, a.evidence, a.read"


@dataclass(frozen=True)
class Alert:
    """One raised alert. ``evidence`` is the rule's proof (document ids and titles, the forecast values and
    threshold, the edition and rank …); ``title`` is ``{"zh", "en"}``."""

    alert_id: int
    watch_id: int
    kind: str
    subject: str
    as_of: date | None
    created: datetime
    title: dict
    evidence: dict
    read: bool

    def to_json(self, watch=None) -> dict:
        return {"id": self.alert_id, "watch": self.watch_id, "watch_name": watch.name if watch else None,
                "watch_kind": watch.kind if watch else None, "watch_target": watch.target if watch else None,
                "kind": self.kind, "subject": self.subject,
                "as_of": self.as_of.isoformat() if self.as_of else None,
                "created": self.created.isoformat(timespec="seconds"), "title": self.title,
                "evidence": self.evidence, "read": self.read}


def _alert(row) -> Alert:
    evidence = row[8] if isinstance(row[8], dict) else json.loads(row[8])
    return Alert(row[0], row[1], row[2], row[3], row[4], row[5], {"zh": row[6], "en": row[7]}, evidence, row[9])


def raise_alert(con, watch_id: int, kind: str, subject: str, title: dict, evidence: dict,
                as_of: date | None = None) -> Alert | None:
    """Insert the alert unless ``(watch_id, kind, subject)`` was raised before; returns the new alert or None."""
    if kind not in KINDS:
        raise ValueError(f"alert kind {kind!r} should be one of {KINDS}")
    with con.transaction():
        if con.sql("SELECT count(*) FROM alerts WHERE watch_id = ? AND kind = ? AND subject = ?",
                   [watch_id, kind, subject]).scalar():
            return None
        alert_id = con.sql("SELECT coalesce(max(alert_id), 0) + 1 FROM alerts").scalar()
        con.sql("INSERT INTO alerts (alert_id, watch_id, kind, subject, as_of, created, title_zh, title_en, "
                "evidence, read) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, false)",
                [alert_id, watch_id, kind, subject, as_of, datetime.now().replace(microsecond=0),
                 title["zh"], title["en"], json.dumps(evidence, ensure_ascii=False, default=str)])
    return get_alert(con, None, alert_id)


def get_alert(con, owner: str | None, alert_id: int) -> Alert:
    """One alert of `owner`'s watches (any owner's when None); NotFoundError otherwise."""
    row = con.sql(f"SELECT {_COLUMNS}, w.owner FROM alerts a JOIN watches w USING (watch_id) "
                      "WHERE a.alert_id = ?", [int(alert_id)]).one()
    if row is None or (owner is not None and row[10] != owner):
        raise NotFoundError(f"no alert {alert_id} for this profile; see frontierwatch alerts",
                            f"当前配置下没有提醒 {alert_id}；请查看 frontierwatch alerts")
    return _alert(row)


def list_alerts(con, owner: str | None = None, *, unread: bool = False, limit: int = 200) -> list[Alert]:
    """Alerts of `owner`'s watches (removed watches included), newest first."""
    where = ["true"]
    params: list = []
    if owner is not None:
        where.append("w.owner = ?")
        params.append(owner)
    if unread:
        where.append("NOT a.read")
    rows = con.sql(f"SELECT {_COLUMNS} FROM alerts a JOIN watches w USING (watch_id) WHERE {' AND '.join(where)} "
                       "ORDER BY a.alert_id DESC LIMIT ?", params + [int(limit)]).rows()
    return [_alert(r) for r in rows]


def mark_read(con, owner: str, alert_ids: list[int] | None = None, read: bool = True) -> int:
    """Mark `owner`'s alerts (all when `alert_ids` is None) read or unread; returns how many."""
    ids = [a.alert_id for a in list_alerts(con, owner, limit=1_000_000)]
    if alert_ids is not None:
        wanted = {int(i) for i in alert_ids}
        ids = [i for i in ids if i in wanted]
    if ids:
        con.sql("UPDATE alerts SET read = ? WHERE alert_id IN (SELECT unnest(?))", [read, ids])
    return len(ids)
