"""Screening of hall items on arrival (防御): risk flags, the approval gate, duplicates and a daily quota.

* Every submission, edit and resubmission is screened against the risk taxonomy and its red lines
  (`frontierwatch.risk.screen_text`) over its title, text, field, sector and constraints; the result is stored
  per item revision in ``hall_screenings`` (migration 0020) with the taxonomy's identity.
* `approval_block`: a flagged revision cannot be approved until a governance reviewer has recorded an assessment
  of the item *after* that screening, and not while the newest assessment is ``escalated``.
* Duplicates: the same normalised title + text as a live (pending or approved) item of the same kind, or a text
  that shares at least `NEAR_DUPLICATE` of its character 4-gram shingles with one, is refused (409).
* A submitter may send at most `DAILY_LIMIT` items per 24 hours (on top of the web app's per-minute buckets).
"""
from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timedelta

from frontierwatch.errors import ConflictError, FrontierwatchError
from frontierwatch.risk import load_risk_taxonomy, screen_text
from frontierwatch.risk.queries import latest_assessment_time

NEAR_DUPLICATE = 0.85
DAILY_LIMIT = 20
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


class SubmissionQuota(FrontierwatchError):
    status = 429
    title_en, title_zh = "Too many submissions", "提交过多"


def screening_text(item: dict) -> str:
    return " \n".join(str(item.get(k) or "") for k in ("title", "body", "field", "sector", "constraints"))


def screen_item(tables, item: dict) -> list[dict]:
    """Screen the item's current revision, store the result, return the flags."""
    taxonomy = load_risk_taxonomy()
    flags = screen_text(screening_text(item), taxonomy)
    tables.sql("INSERT OR REPLACE INTO hall_screenings VALUES (?, ?, ?, ?, ?)",
                [item["item_id"], item.get("revision") or 1, datetime.now(), json.dumps(flags, ensure_ascii=False),
                 json.dumps(taxonomy.identity())])
    return flags


def latest_screening(tables, item_id: int) -> dict | None:
    """``{"revision", "screened", "flags", "taxonomy"}`` of the item's newest screened revision, or None."""
    row = tables.sql("SELECT revision, screened, flags, taxonomy FROM hall_screenings WHERE item_id = ? "
                      "ORDER BY revision DESC LIMIT 1", [item_id]).one()
    if not row:
        return None
    return {"revision": row[0], "screened": row[1].isoformat(timespec="seconds"), "flags": json.loads(row[2]),
            "taxonomy": json.loads(row[3]), "_at": row[1]}


def screening_view(tables, item_id: int) -> dict:
    """What the submitter and moderators see: the flags, whether approval waits for an assessment, and why."""
    screening = latest_screening(tables, item_id)
    if screening is None:
        return {"flags": [], "flagged": False, "needs_assessment": False, "assessment_status": None}
    assessed_at, status = latest_assessment_time(tables, "hall_item", str(item_id))
    blocked = bool(screening["flags"]) and (assessed_at is None or assessed_at < screening["_at"]
                                            or status == "escalated")
    return {"flags": screening["flags"], "flagged": bool(screening["flags"]), "needs_assessment": blocked,
            "assessment_status": status, "revision": screening["revision"], "screened": screening["screened"],
            "taxonomy": screening["taxonomy"]}


def approval_block(tables, item_id: int) -> list[dict] | None:
    """The flags that stop approval of the item now, or None when it may be approved."""
    view = screening_view(tables, item_id)
    return view["flags"] if view["needs_assessment"] else None


def raise_if_blocked(tables, item_id: int) -> None:
    flags = approval_block(tables, item_id)
    if flags:
        names_en = ", ".join(f["name"]["en"] for f in flags)
        names_zh = "、".join(f["name"]["zh"] for f in flags)
        raise ConflictError(
            f"item {item_id} was flagged by risk screening ({names_en}); a governance reviewer must record an "
            f"assessment (POST /api/v1/assessments, target_kind hall_item) before it can be approved",
            f"条目 {item_id} 经风险筛查被标记（{names_zh}）；须由治理评审员先记录评估，方可批准",
            details={"flags": flags})


# -- duplicates and quota -------------------------------------------------------------------------------------
def _normalised(title: str, body: str) -> str:
    return _NOT_WORD.sub("", f"{title} {body}".lower())


def fingerprint(title: str, body: str) -> str:
    return hashlib.sha256(_normalised(title, body).encode("utf-8")).hexdigest()


def _shingles(text: str, n: int = 4) -> set[str]:
    return {text[i:i + n] for i in range(max(1, len(text) - n + 1))}


def find_duplicate(tables, kind: str, title: str, body: str, exclude_item: int | None = None) -> dict | None:
    """A live item of `kind` with the same or nearly the same title + text: ``{"item_id", "submitter_id",
    "similarity"}``, or None."""
    fp, norm = fingerprint(title, body), _normalised(title, body)
    rows = tables.sql("SELECT item_id, submitter_id, fingerprint, title, body FROM hall_items WHERE kind = ? "
                       "AND status <> 'rejected' AND item_id IS DISTINCT FROM ? ORDER BY item_id DESC LIMIT 2000",
                       [kind, exclude_item]).rows()
    mine = _shingles(norm)
    for item_id, submitter_id, other_fp, other_title, other_body in rows:
        if other_fp == fp:
            return {"item_id": item_id, "submitter_id": submitter_id, "similarity": 1.0}
        theirs = _shingles(_normalised(other_title, other_body))
        sim = len(mine & theirs) / len(mine | theirs)
        if sim >= NEAR_DUPLICATE:
            return {"item_id": item_id, "submitter_id": submitter_id, "similarity": round(sim, 3)}
    return None


def raise_if_duplicate(tables, kind: str, title: str, body: str, submitter_id: int,
                       exclude_item: int | None = None) -> None:
    dup = find_duplicate(tables, kind, title, body, exclude_item)
    if dup is None:
        return
    if dup["submitter_id"] == submitter_id:  # their own item: name it, so they can edit that one instead
        raise ConflictError(f"this duplicates your item {dup['item_id']}; edit that item instead of submitting again",
                            f"与您的条目 {dup['item_id']} 重复；请修改该条目，而不是重新提交",
                            details={"duplicate_of": dup["item_id"]})
    raise ConflictError("an item with the same or nearly the same text is already in the hall or under review",
                        "成果大厅中已有相同或几乎相同内容的条目（或正在审核）")


def check_daily_quota(tables, submitter_id: int) -> None:
    since = datetime.now() - timedelta(days=1)
    n = tables.sql("SELECT count(*) FROM hall_items WHERE submitter_id = ? AND created > ?",
                    [submitter_id, since]).one()[0]
    if n >= DAILY_LIMIT:
        raise SubmissionQuota(f"{n} submissions in the last 24 hours; the limit is {DAILY_LIMIT}; try again tomorrow",
                              f"过去 24 小时已提交 {n} 条，上限为 {DAILY_LIMIT} 条；请明天再试")
