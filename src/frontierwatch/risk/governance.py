"""Assess and govern (评估 · 治理): `Governance` binds assessments, the register and the audit log to one store.

* `assess` — a governance reviewer records an assessment of a topic, a catalog entry or a hall item (the target
  must exist); it is audited, and the submitter of an assessed hall item is notified.
* `register` — the governance register: the published policies (``taxonomy/governance_policies.v1.yaml``), the
  red lines of the risk taxonomy, the published scale, entries reviewers added (policies, red lines, decisions
  with reasons) and the assessments in force — as decisions with their rationale and reviewer.
* `audit` and `export` — the append-only audit log and an export of register + log (JSON or XLSX) with the chain
  check, for a regulator (`frontierwatch.risk.export`).

Who sees what: everyone reads the policies, red lines, scale and the assessments of topics and catalog entries,
with the reviewer shown by role only; governance reviewers and admins also see reviewers' names, assessments of
unpublished hall items and the audit log. No user id reaches an anonymous reader.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from typing import Annotated, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from frontierwatch.errors import InputError, NotFoundError
from frontierwatch.risk import audit, queries
from frontierwatch.risk.assessments import SCALE, STATUSES, TARGET_KINDS, AssessmentIn, clean_text
from frontierwatch.risk.taxonomy import load_risk_taxonomy

STATUS_NAMES = {s["status"]: {"zh": s["zh"].split("：")[0], "en": s["en"].split(":")[0]} for s in SCALE["statuses"]}
REVIEWER_ROLE = {"zh": "治理评审员", "en": "Governance reviewer"}
Line = Annotated[str, StringConstraints(max_length=300), AfterValidator(clean_text)]
Body = Annotated[str, StringConstraints(max_length=5000), AfterValidator(clean_text)]


class RegisterEntryIn(BaseModel):
    """A policy, red line or decision a governance reviewer adds to the register (zh, en or both)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    kind: Literal["policy", "red_line", "decision"]
    title_zh: Line = ""
    title_en: Line = ""
    body_zh: Body = ""
    body_en: Body = ""
    reason: Body = Field("", description="Why (required for decisions) / 理由")
    target_kind: Literal[TARGET_KINDS] | None = None
    target_id: Annotated[str, StringConstraints(max_length=100, pattern=r"^[A-Za-z0-9_.:/\-]+$")] | None = None
    supersedes: int | None = Field(None, ge=1, le=2**31 - 1)


@lru_cache(maxsize=1)
def packaged_policies() -> dict:
    text = resources.files("frontierwatch.risk").joinpath("taxonomy").joinpath("governance_policies.v1.yaml")
    return yaml.safe_load(text.read_text(encoding="utf-8"))


def _require_governance(user):
    from frontierwatch.hall.accounts import require_role

    return require_role(user, "governance")


def _privileged(viewer) -> bool:
    return viewer is not None and viewer.can("governance")


def public_assessment(a: dict) -> dict:
    """An assessment without its reviewer's identity (role only)."""
    out = {k: v for k, v in a.items() if k not in ("reviewer_id", "reviewer")}
    out["reviewer_role"] = REVIEWER_ROLE
    out["status_name"] = STATUS_NAMES[a["status"]]
    return out


class Governance:
    """Assessments, register and audit log over one store (lock and change hook shared with the hall)."""

    def __init__(self, store, lock: threading.RLock | None = None, on_change: Callable[[], None] | None = None,
                 mailer=None):
        self.store, self.lock, self.on_change, self.mailer = store, lock or threading.RLock(), on_change, mailer

    @property
    def db(self):
        """The table seam over the user database holding assessments, the register and the audit log
        (`Store.users_tables`)."""
        return self.store.users_tables

    # -- assess ---------------------------------------------------------------------------------------------
    def assess(self, reviewer, data: AssessmentIn) -> dict:
        _require_governance(reviewer)
        if data.category is not None:
            load_risk_taxonomy().category(data.category)  # InputError naming the known categories
        with self.lock:
            tables = self.db
            if not queries.target_exists(self.store, data.target_kind, data.target_id):
                raise NotFoundError(f"no {data.target_kind} {data.target_id!r} to assess",
                                    f"没有可评估的对象 {data.target_kind} {data.target_id!r}")
            made = queries.insert_assessment(tables, data, reviewer.user_id)
            audit.append(tables, reviewer.user_id, "assess", data.target_kind, data.target_id,
                         f"assessment {made['assessment_id']}: severity {data.severity}, likelihood "
                         f"{data.likelihood}, {data.status}" + (f", category {data.category}" if data.category else ""))
            if data.target_kind == "hall_item":  # the submitter hears of it (in-app, and by e-mail when possible)
                from frontierwatch.hall.notifications import notify

                row = tables.sql("SELECT submitter_id, title FROM hall_items WHERE item_id = ?",
                                  [int(data.target_id)]).one()
                notify(tables, self.mailer, row[0], "assessed", int(data.target_id), title=row[1],
                       status=STATUS_NAMES[data.status])
            if self.on_change is not None:
                self.on_change()
            return made

    def _hall_item_visible(self, tables, target_id: str, viewer) -> bool:
        if _privileged(viewer) or (viewer is not None and viewer.can("moderator")):
            return True
        row = tables.sql("SELECT status, submitter_id FROM hall_items WHERE item_id = ?",
                          [int(target_id)]).one() if target_id.isdigit() and len(target_id) < 10 else None
        return bool(row) and (row[0] == "approved" or (viewer is not None and viewer.user_id == row[1]))

    def assessments(self, viewer=None, target_kind: str | None = None, target_id: str | None = None) -> list[dict]:
        """The assessment history (newest first) of one target or of all, as `viewer` may see it."""
        if target_kind is not None and target_kind not in TARGET_KINDS:
            raise InputError(f"target_kind {target_kind!r} is not one of {TARGET_KINDS}",
                             f"target_kind {target_kind!r} 不在 {TARGET_KINDS} 之中")
        with self.lock:
            tables = self.db
            found = queries.list_assessments(tables, target_kind, target_id)
            visible = {}
            out = []
            for a in found:
                if a["target_kind"] == "hall_item":
                    if a["target_id"] not in visible:
                        visible[a["target_id"]] = self._hall_item_visible(tables, a["target_id"], viewer)
                    if not visible[a["target_id"]]:
                        continue
                out.append(a if _privileged(viewer) else public_assessment(a))
            return out

    def current_assessments(self, target_kind: str, target_ids: list[str]) -> dict[str, list[dict]]:
        """Assessments in force per target (public shape) — what a catalog edition lists."""
        with self.lock:
            got = queries.current_assessments(self.db, target_kind, target_ids)
        return {k: [public_assessment(a) for a in v] for k, v in got.items()}

    # -- govern ---------------------------------------------------------------------------------------------
    def add_entry(self, reviewer, data: RegisterEntryIn) -> dict:
        _require_governance(reviewer)
        if not (data.title_zh or data.title_en) or not (data.body_zh or data.body_en):
            raise InputError("a register entry needs a title and a text, in Chinese, English or both",
                             "登记条目需要标题和正文（中文、英文或两者）")
        if data.kind == "decision" and not data.reason:
            raise InputError("a decision needs its reason", "决定须写明理由")
        title = {"zh": data.title_zh or data.title_en, "en": data.title_en or data.title_zh}
        body = {"zh": data.body_zh or data.body_en, "en": data.body_en or data.body_zh}
        with self.lock:
            tables = self.db
            if data.target_kind and not (data.target_id and queries.target_exists(self.store, data.target_kind, data.target_id)):
                raise NotFoundError(f"no {data.target_kind} {data.target_id!r} for this decision",
                                    f"该决定所指对象 {data.target_kind} {data.target_id!r} 不存在")
            entry = queries.insert_register_entry(tables, data.kind, title, body, data.reason, reviewer.user_id,
                                                  data.target_kind, data.target_id, data.supersedes)
            audit.append(tables, reviewer.user_id, "register", "register", entry["entry_id"],
                         f"{data.kind}: {title['en'][:200]}")
            if self.on_change is not None:
                self.on_change()
            return entry

    def register(self, viewer=None) -> dict:
        """The governance register as `viewer` may see it (see the module docstring)."""
        taxonomy = load_risk_taxonomy()
        policies = packaged_policies()
        with self.lock:
            entries = queries.list_register_entries(self.db)
        if not _privileged(viewer):
            entries = [{k: v for k, v in e.items() if k not in ("decided_by", "decider")} | {"decider_role": REVIEWER_ROLE}
                       for e in entries if e["target_kind"] != "hall_item"]
        return {
            "policies": [{"id": p["id"], "title": p["title"], "body": p["body"], "source": "packaged",
                          "version": policies["version"], "date": policies["date"]} for p in policies["policies"]],
            "red_lines": [{"category": c.id, "name": c.name, "terms": {"zh": list(c.red_lines.zh),
                                                                        "en": [t for t, _ in c.red_lines.en]}}
                          for c in taxonomy.categories if c.red_lines],
            "taxonomy": {**taxonomy.identity(), "categories": [{"id": c.id, "name": c.name, "description": c.description}
                                                                for c in taxonomy.categories]},
            "scale": SCALE,
            "entries": entries,
            "decisions": self.assessments(viewer),
            "statuses": list(STATUSES),
        }

    def audit(self, viewer, limit: int | None = 500) -> list[dict]:
        _require_governance(viewer)
        with self.lock:
            return audit.read(self.db, limit=limit)

    def verify_audit(self) -> dict:
        with self.lock:
            return audit.verify_chain(self.db)

    def export(self, viewer, fmt: str = "json") -> bytes:
        """Register + audit log for a regulator, with the chain check; the export itself is audited."""
        _require_governance(viewer)
        return self._export(viewer, fmt, viewer.user_id, "web")

    def export_for_operator(self, fmt: str = "json") -> bytes:
        """The same export for the command line (whoever holds the store's files); audited as the system."""
        from frontierwatch.hall.accounts import User

        return self._export(User(0, "command-line", "admin"), fmt, None, "command line")

    def _export(self, viewer, fmt: str, actor_id: int | None, via: str) -> bytes:
        from frontierwatch.risk.export import export_governance

        if fmt not in ("json", "xlsx"):
            raise InputError(f"export format {fmt!r} must be json or xlsx", f"导出格式 {fmt!r} 须为 json 或 xlsx")
        with self.lock:
            tables = self.db
            audit.append(tables, actor_id, "export", "register", None, f"{fmt} via {via}")
            data = {"register": self.register(viewer), "audit_log": audit.read(tables), "chain": audit.verify_chain(tables)}
        return export_governance(data, fmt)
