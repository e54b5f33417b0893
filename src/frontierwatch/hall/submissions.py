"""Submissions to the release hall: technology achievements (技术成果) and application-scenario needs (应用场景需求).

Both are rows of ``hall_items`` (migration 0006) with ``kind`` ``achievement`` or ``scenario`` and ``status``
``pending`` until a moderator decides. Input is validated by pydantic models with a size limit on every
field; text is stored as given (never as HTML) and escaped when shown, so payloads stay inert.
"""
from __future__ import annotations

import logging
import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from frontierwatch.errors import InputError, NotFoundError
from frontierwatch.text import has_cjk, to_simplified

log = logging.getLogger(__name__)

BUDGET_BANDS = ("undisclosed", "lt_1m", "1m_5m", "5m_20m", "gt_20m")
KINDS = ("achievement", "scenario")
STATUSES = ("pending", "approved", "rejected")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(text: str) -> str:
    """Strip and drop control characters (keeping newlines and tabs)."""
    return _CONTROL.sub("", text).strip()


def _http_url(url: str) -> str:
    url = url.strip()
    if not re.match(r"^https?://[^\s<>\"']{1,490}$", url, flags=re.I):
        raise ValueError("links must be http:// or https:// URLs without spaces or quotes")
    return url


Short = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(_clean)]
Title = Annotated[str, StringConstraints(min_length=3, max_length=200), AfterValidator(_clean)]
Text = Annotated[str, StringConstraints(min_length=10, max_length=5000), AfterValidator(_clean)]
Url = Annotated[str, StringConstraints(max_length=500), AfterValidator(_http_url)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_\-]{2,40}$")]


class AchievementIn(BaseModel):
    """A technology achievement offered by a team: what it is, how mature, who to contact."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    title: Title = Field(description="Name of the achievement / 成果名称")
    description: Text = Field(description="What it does and what is new / 成果简介")
    direction: Slug = Field(description="One of the six future-industry directions (id from /api/v1/directions)")
    field: Annotated[str, StringConstraints(max_length=100), AfterValidator(_clean)] = Field(
        "", description="Field within the direction / 细分领域")
    trl: int = Field(ge=1, le=9, description="Technology readiness level 1–9 / 技术成熟度")
    organisation: Short = Field(description="Organisation / 单位")
    contact: Short = Field(description="Contact (e-mail or phone) / 联系方式")
    links: list[Url] = Field(default_factory=list, max_length=5, description="Up to 5 http(s) links")


class ScenarioIn(BaseModel):
    """An application-scenario need: a sector's problem, its constraints, budget band and deadline."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    title: Title = Field(description="Short name of the need / 需求名称")
    sector: Short = Field(description="Industry sector / 行业")
    problem: Text = Field(description="The problem to solve / 需要解决的问题")
    constraints: Annotated[str, StringConstraints(max_length=2000), AfterValidator(_clean)] = Field(
        "", description="Constraints (cost, environment, standards) / 约束条件")
    budget_band: Literal[BUDGET_BANDS] = Field("undisclosed", description="Budget band (CNY) / 预算区间")
    deadline: date | None = Field(None, description="Wanted by / 期望完成日期 (YYYY-MM-DD)")
    organisation: Annotated[str, StringConstraints(max_length=200), AfterValidator(_clean)] = ""
    contact: Short = Field(description="Contact (e-mail or phone) / 联系方式")


_COLUMNS = ("item_id", "kind", "status", "title", "body", "direction", "field", "trl", "organisation", "contact",
            "links", "sector", "constraints", "budget_band", "deadline", "submitter_id", "created", "updated",
            "moderator_id", "moderated", "moderation_note", "revision")
# What anyone may read of an approved item: no contact, no user ids, no moderation note (hall trust, issue 15).
PUBLIC_FIELDS = ("item_id", "kind", "status", "title", "body", "description", "problem", "direction", "field", "trl",
                 "organisation", "links", "sector", "constraints", "budget_band", "deadline", "created", "updated",
                 "revision", "topics")


def public_view(item: dict) -> dict:
    """The item as an anonymous reader (or any user but its submitter and moderators) may see it."""
    return {k: item[k] for k in PUBLIC_FIELDS if k in item}


def _row_to_item(row) -> dict:
    item = dict(zip(_COLUMNS, row))
    for key in ("created", "updated", "moderated"):
        if item[key] is not None:
            item[key] = item[key].isoformat(timespec="seconds")
    if item["deadline"] is not None:
        item["deadline"] = item["deadline"].isoformat()
    item["revision"] = item["revision"] or 1
    item["links"] = list(item["links"] or [])
    if item["kind"] == "achievement":
        item["description"] = item["body"]
    else:
        item["problem"] = item["body"]
    return item


def submit_achievement(tables, data: AchievementIn, submitter_id: int) -> int:
    """Store a pending achievement; return its item id."""
    return _insert(tables, "achievement", submitter_id, title=data.title, body=data.description,
                   direction=data.direction, field=data.field, trl=data.trl, organisation=data.organisation,
                   contact=data.contact, links=list(data.links))


def submit_scenario(tables, data: ScenarioIn, submitter_id: int) -> int:
    """Store a pending scenario need; return its item id."""
    if data.deadline and data.deadline < date.today():
        raise InputError(f"deadline {data.deadline} is in the past; give a future date",
                         f"期望完成日期 {data.deadline} 已过去，请填写将来的日期")
    return _insert(tables, "scenario", submitter_id, title=data.title, body=data.problem, sector=data.sector,
                   constraints=data.constraints, budget_band=data.budget_band, deadline=data.deadline,
                   organisation=data.organisation, contact=data.contact)


def _insert(tables, kind: str, submitter_id: int, **values) -> int:
    """Check quota and duplicates, store the pending item, screen it, write the audit row; return its id."""
    from frontierwatch.hall.screening import check_daily_quota, fingerprint, raise_if_duplicate, screen_item
    from frontierwatch.risk import audit

    check_daily_quota(tables, submitter_id)
    raise_if_duplicate(tables, kind, values["title"], values["body"], submitter_id)
    item_id = tables.sql("SELECT coalesce(max(item_id), 0) + 1 FROM hall_items").one()[0]
    now = datetime.now()
    values.update(item_id=item_id, kind=kind, status="pending", submitter_id=submitter_id, created=now, updated=now,
                  revision=1, fingerprint=fingerprint(values["title"], values["body"]))
    cols = list(values)
    tables.sql(f"INSERT INTO hall_items ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [values[c] for c in cols])  # column names are ours; every value is a parameter
    flags = screen_item(tables, values)
    audit.append(tables, submitter_id, "submit", "hall_item", item_id,
                 kind + (f"; flagged: {', '.join(f['category'] for f in flags)}" if flags else ""))
    log.info("hall: %s %d submitted by user %d (%d risk flags)", kind, item_id, submitter_id, len(flags))
    return item_id


def get_item(tables, item_id: int) -> dict:
    row = tables.sql(f"SELECT {', '.join(_COLUMNS)} FROM hall_items WHERE item_id = ?", [item_id]).one()
    if not row:
        raise NotFoundError(f"no hall item {item_id}", f"成果大厅中没有编号为 {item_id} 的条目")
    item = _row_to_item(row)
    item["topics"] = [dict(topic_id=r[0], rank=r[1], score=r[2], label=r[3], reason=r[4]) for r in tables.sql(
        "SELECT topic_id, rank, score, label, reason FROM hall_topic_links WHERE item_id = ? ORDER BY rank",
        [item_id]).rows()]
    return item


def list_items(tables, *, kind: str | None = None, status: str | None = "approved", submitter_id: int | None = None,
               limit: int = 50, offset: int = 0) -> list[dict]:
    """Items newest first, filtered by kind, status and submitter (None = any)."""
    where, params = [], []
    for col, val in (("kind", kind), ("status", status), ("submitter_id", submitter_id)):
        if val is not None:
            where.append(f"{col} = ?")
            params.append(val)
    sql = f"SELECT {', '.join(_COLUMNS)} FROM hall_items"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY created DESC, item_id DESC LIMIT ? OFFSET ?"
    return [_row_to_item(r) for r in tables.sql(sql, params + [int(limit), int(offset)]).rows()]


def count_items(tables, status: str | None = None) -> dict[str, int]:
    rows = tables.sql("SELECT kind, count(*) FROM hall_items WHERE (? IS NULL OR status = ?) GROUP BY kind",
                       [status, status]).rows()
    return {k: 0 for k in KINDS} | dict(rows)


def search_items(tables, query: str, limit: int = 20) -> list[dict]:
    """Approved items whose title, text, field, sector or organisation contain every word of `query`, newest
    first; Chinese in either script (Traditional folded to Simplified on both sides)."""
    words = [to_simplified(w) for w in query.lower().split() if w][:8]
    if not words:
        return []
    haystack = "lower(concat_ws(' ', title, body, field, sector, organisation))"
    plain = [w for w in words if not has_cjk(w)]  # SQL narrows by the words folding cannot change
    where = "".join(f" AND contains({haystack}, ?)" for _ in plain)
    rows = tables.sql(f"SELECT {', '.join(_COLUMNS)}, {haystack} FROM hall_items WHERE status = 'approved'{where} "
                      "ORDER BY created DESC", plain).rows()
    found = []
    for row in rows:
        text = to_simplified(row[-1])
        if all(w in text for w in words):
            found.append(_row_to_item(row[:-1]))
            if len(found) == limit:
                break
    return found


def approved_achievements(tables, limit: int) -> list[dict]:
    """The latest `limit` approved achievements: ``[{"item_id", "title", "body", "direction", "field", "trl",
    "organisation"}]``, newest first (matchmaking ranks them against a need)."""
    return tables.sql("""SELECT item_id, title, body, direction, field, trl, organisation FROM hall_items
                         WHERE kind = 'achievement' AND status = 'approved' ORDER BY item_id DESC LIMIT ?""",
                      [int(limit)]).dicts()


def topic_links(tables) -> list[tuple[int, str]]:
    """Every ``(item_id, topic_id)`` link of the hall, by item and rank."""
    return tables.sql("SELECT item_id, topic_id FROM hall_topic_links ORDER BY item_id, rank").rows()
