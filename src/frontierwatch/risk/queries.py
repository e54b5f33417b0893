"""The risk stage's reads and writes of its tables: ``risk_assessments`` and ``governance_register`` (0020).

One shape per table: an assessment is ``{"assessment_id", "target_kind", "target_id", "category", "severity",
"likelihood", "level", "rationale", "evidence", "mitigation", "status", "reviewer_id", "reviewer", "created",
"supersedes"}``; a register entry ``{"entry_id", "kind", "title": {zh, en}, "body": {zh, en}, "reason",
"target_kind", "target_id", "decided_by", "decider", "decided", "supersedes"}``. Every value is a parameter.
"""
from __future__ import annotations

from datetime import datetime

from frontierwatch.risk.assessments import AssessmentIn, risk_level

_A_COLS = ("a.assessment_id", "a.target_kind", "a.target_id", "a.category", "a.severity", "a.likelihood",
           "a.rationale", "a.evidence", "a.mitigation", "a.status", "a.reviewer_id", "u.username", "a.created",
           "a.supersedes")
_R_COLS = ("r.entry_id", "r.kind", "r.title_zh", "r.title_en", "r.body_zh", "r.body_en", "r.reason", "r.target_kind",
           "r.target_id", "r.decided_by", "u.username", "r.decided", "r.supersedes")


def _assessment(row) -> dict:
    out = dict(zip(("assessment_id", "target_kind", "target_id", "category", "severity", "likelihood", "rationale",
                    "evidence", "mitigation", "status", "reviewer_id", "reviewer", "created", "supersedes"), row))
    out["evidence"] = list(out["evidence"] or [])
    out["created"] = out["created"].isoformat(timespec="seconds")
    out["level"] = risk_level(out["severity"], out["likelihood"])
    return out


def insert_assessment(tables, data: AssessmentIn, reviewer_id: int) -> dict:
    """Store a new assessment; it supersedes the latest one of the same target and category (kept as is)."""
    prev = tables.sql("SELECT max(assessment_id) FROM risk_assessments WHERE target_kind = ? AND target_id = ? "
                       "AND category IS NOT DISTINCT FROM ?", [data.target_kind, data.target_id, data.category]
                       ).one()[0]
    new_id = tables.sql("SELECT coalesce(max(assessment_id), 0) + 1 FROM risk_assessments").one()[0]
    tables.sql("INSERT INTO risk_assessments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [new_id, data.target_kind, data.target_id, data.category, data.severity, data.likelihood,
                 data.rationale, list(data.evidence), data.mitigation, data.status, reviewer_id, datetime.now(), prev])
    return assessment(tables, new_id)


def assessment(tables, assessment_id: int) -> dict:
    row = tables.sql(f"SELECT {', '.join(_A_COLS)} FROM risk_assessments a LEFT JOIN web_users u "
                      "ON u.user_id = a.reviewer_id WHERE a.assessment_id = ?", [assessment_id]).one()
    return _assessment(row)


def list_assessments(tables, target_kind: str | None = None, target_id: str | None = None,
                     limit: int = 500) -> list[dict]:
    """Assessments newest first (the whole history), optionally of one target kind and id."""
    where, params = [], []
    if target_kind is not None:
        where.append("a.target_kind = ?")
        params.append(target_kind)
    if target_id is not None:
        where.append("a.target_id = ?")
        params.append(str(target_id))
    sql = f"SELECT {', '.join(_A_COLS)} FROM risk_assessments a LEFT JOIN web_users u ON u.user_id = a.reviewer_id"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY a.assessment_id DESC LIMIT ?"
    return [_assessment(r) for r in tables.sql(sql, params + [int(limit)]).rows()]


def current_assessments(tables, target_kind: str, target_ids: list[str]) -> dict[str, list[dict]]:
    """The assessments still in force (not superseded) of each target: ``{target_id: [assessment, ...]}``."""
    if not target_ids:
        return {}
    rows = tables.sql(
        f"SELECT {', '.join(_A_COLS)} FROM risk_assessments a LEFT JOIN web_users u ON u.user_id = a.reviewer_id "
        "WHERE a.target_kind = ? AND list_contains(?, a.target_id) AND a.assessment_id NOT IN "
        "(SELECT supersedes FROM risk_assessments WHERE supersedes IS NOT NULL) ORDER BY a.assessment_id",
        [target_kind, [str(t) for t in target_ids]]).rows()
    out: dict[str, list[dict]] = {}
    for row in rows:
        a = _assessment(row)
        out.setdefault(a["target_id"], []).append(a)
    return out


def latest_assessment_time(tables, target_kind: str, target_id: str) -> tuple[datetime | None, str | None]:
    """When the newest assessment of a target was made, and its status (``(None, None)`` when never assessed)."""
    row = tables.sql("SELECT created, status FROM risk_assessments WHERE target_kind = ? AND target_id = ? "
                      "ORDER BY assessment_id DESC LIMIT 1", [target_kind, str(target_id)]).one()
    return (row[0], row[1]) if row else (None, None)


def target_exists(store, target_kind: str, target_id: str) -> bool:
    """Whether the assessed thing exists: a topic of any map or an entry of a stored edition (pipeline database),
    or a hall item (user database)."""
    tables = store.users_tables if target_kind == "hall_item" else store.tables
    if target_kind == "topic":
        sql, params = "SELECT 1 FROM topics WHERE topic_id = ? LIMIT 1", [target_id]
    elif target_kind == "hall_item":
        if not target_id.isdigit() or len(target_id) > 10:
            return False
        sql, params = "SELECT 1 FROM hall_items WHERE item_id = ?", [int(target_id)]
    else:
        edition, _, topic_id = target_id.partition("/")
        sql, params = "SELECT 1 FROM catalog_entries WHERE edition = ? AND topic_id = ?", [edition, topic_id]
    return tables.sql(sql, params).one() is not None


# -- the register --------------------------------------------------------------------------------------------
def _entry(row) -> dict:
    r = dict(zip(("entry_id", "kind", "title_zh", "title_en", "body_zh", "body_en", "reason", "target_kind",
                  "target_id", "decided_by", "decider", "decided", "supersedes"), row))
    return {"entry_id": r["entry_id"], "kind": r["kind"], "title": {"zh": r["title_zh"], "en": r["title_en"]},
            "body": {"zh": r["body_zh"], "en": r["body_en"]}, "reason": r["reason"], "target_kind": r["target_kind"],
            "target_id": r["target_id"], "decided_by": r["decided_by"], "decider": r["decider"],
            "decided": r["decided"].isoformat(timespec="seconds"), "supersedes": r["supersedes"]}


def insert_register_entry(tables, kind: str, title: dict, body: dict, reason: str, decided_by: int,
                          target_kind: str | None = None, target_id: str | None = None,
                          supersedes: int | None = None) -> dict:
    entry_id = tables.sql("SELECT coalesce(max(entry_id), 0) + 1 FROM governance_register").one()[0]
    tables.sql("INSERT INTO governance_register VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [entry_id, kind, title["zh"], title["en"], body["zh"], body["en"], reason, target_kind, target_id,
                 decided_by, datetime.now(), supersedes])
    return list_register_entries(tables, entry_id=entry_id)[0]


def list_register_entries(tables, entry_id: int | None = None) -> list[dict]:
    sql = (f"SELECT {', '.join(_R_COLS)} FROM governance_register r LEFT JOIN web_users u ON u.user_id = r.decided_by")
    params: list = []
    if entry_id is not None:
        sql += " WHERE r.entry_id = ?"
        params.append(entry_id)
    return [_entry(r) for r in tables.sql(sql + " ORDER BY r.entry_id DESC", params).rows()]
