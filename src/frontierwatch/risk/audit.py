"""The append-only audit log of every governance and moderation action (table ``audit_log``, migration 0020).

Rows are only ever inserted: this module has no update or delete, and no route or command offers one. Each row
carries ``hash = sha256(prev_hash | seq | time | actor | action | target | detail)``, chaining it to the row
before, so an edit or deletion of any row made behind the product's back shows up in `verify_chain` (and in
every export, which reports the check). The rows of the older ``hall_audit`` table (written before this log
existed, never written since) are read as the log's *legacy* part, oldest first, without a sequence number or
hash; the chain starts after them.
"""
from __future__ import annotations

import hashlib
from datetime import datetime

ACTIONS = ("submit", "edit", "resubmit", "approve", "reject", "approve_blocked", "assess", "register",
           "contact_request", "contact_accepted", "contact_declined", "password_reset", "lockout", "role",
           "admin_create", "export")


def _digest(prev: str | None, seq: int, at: datetime, actor, action: str, kind, target, detail) -> str:
    parts = [prev or "", str(seq), at.isoformat(timespec="microseconds"), "" if actor is None else str(actor), action,
             kind or "", "" if target is None else str(target), detail or ""]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def append(tables, actor_id: int | None, action: str, target_kind: str | None = None, target_id=None,
           detail: str = "") -> int:
    """Add one row at the end of the chain; return its sequence number. Call inside the store's lock."""
    last = tables.sql("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").one()
    seq = (last[0] if last else 0) + 1
    prev = last[1] if last else None
    at = datetime.now()
    target = None if target_id is None else str(target_id)
    detail = (detail or "")[:2000]
    tables.sql("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [seq, at, actor_id, action, target_kind, target, detail, prev,
                 _digest(prev, seq, at, actor_id, action, target_kind, target, detail)])
    return seq


def _legacy(tables, target_kind: str | None, target_id) -> list[dict]:
    """Rows of the frozen ``hall_audit`` table (all of them hall-item or account actions)."""
    if not tables.sql("SELECT count(*) FROM information_schema.tables WHERE table_name = 'hall_audit'").one()[0]:
        return []
    if target_kind not in (None, "hall_item"):
        return []
    sql, params = "SELECT at_time, user_id, action, item_id, detail FROM hall_audit", []
    if target_id is not None:
        sql += " WHERE CAST(item_id AS VARCHAR) = ?"
        params.append(str(target_id))
    elif target_kind == "hall_item":
        sql += " WHERE item_id IS NOT NULL"
    return [dict(seq=None, at=r[0].isoformat(timespec="seconds"), actor_id=r[1], action=r[2],
                 target_kind=None if r[3] is None else "hall_item", target_id=None if r[3] is None else str(r[3]),
                 detail=r[4], hash=None, legacy=True)
            for r in tables.sql(sql + " ORDER BY at_time", params).rows()]


def read(tables, *, target_kind: str | None = None, target_id=None, limit: int | None = None) -> list[dict]:
    """Rows oldest first (legacy ``hall_audit`` rows, then the chain), optionally for one target:
    ``[{"seq", "at", "actor_id", "action", "target_kind", "target_id", "detail", "hash", "legacy"}]``;
    `limit` keeps the newest rows."""
    sql = "SELECT seq, at_time, actor_id, action, target_kind, target_id, detail, hash FROM audit_log"
    where, params = [], []
    if target_kind is not None:
        where.append("target_kind = ?")
        params.append(target_kind)
    if target_id is not None:
        where.append("target_id = ?")
        params.append(str(target_id))
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = tables.sql(sql + " ORDER BY seq", params).rows()
    out = _legacy(tables, target_kind, target_id) + [
        dict(seq=r[0], at=r[1].isoformat(timespec="seconds"), actor_id=r[2], action=r[3], target_kind=r[4],
             target_id=r[5], detail=r[6], hash=r[7], legacy=False) for r in rows]
    return out[-limit:] if limit is not None else out


def verify_chain(tables) -> dict:
    """Recompute every hash: ``{"ok", "rows", "legacy_rows", "first_broken"}`` (``rows``: chained rows;
    ``first_broken``: the first seq that does not check out, or None).

    Also catches deleted rows (a gap in ``seq``, a first row that is not 1, or a ``prev_hash`` that is not the
    previous row's hash)."""
    rows = tables.sql("SELECT seq, at_time, actor_id, action, target_kind, target_id, detail, prev_hash, hash "
                       "FROM audit_log ORDER BY seq").rows()
    legacy = len(_legacy(tables, None, None))
    prev_hash, expected_seq = None, 1
    for seq, at, actor, action, kind, target, detail, prev, digest in rows:
        if seq != expected_seq:
            return {"ok": False, "rows": len(rows), "legacy_rows": legacy, "first_broken": expected_seq}
        expected_seq = seq + 1
        if prev != prev_hash or digest != _digest(prev, seq, at, actor, action, kind, target, detail):
            return {"ok": False, "rows": len(rows), "legacy_rows": legacy, "first_broken": seq}
        prev_hash = digest
    return {"ok": True, "rows": len(rows), "legacy_rows": legacy, "first_broken": None}
