"""Assess and govern on a real store: roles, existing targets, history, the register's views, the audit chain,
exports, and the migration that moved the old hall audit rows into the chained log."""
from __future__ import annotations

import io
import json

import duckdb
import pytest
from openpyxl import load_workbook

from frontierwatch.errors import InputError, NotFoundError, PermissionDenied
from frontierwatch.hall import AchievementIn, Hall, NotSignedIn
from frontierwatch.risk import AssessmentIn, Governance, RegisterEntryIn, risk_level
from frontierwatch.risk import audit

PASSWORD = "long-enough-password"


@pytest.fixture
def world(store):
    hall = Hall(store)
    gov = Governance(store, lock=hall.lock)
    users = {role: hall.create_user(f"{role}1", PASSWORD, role) for role in ("submitter", "moderator", "governance")}
    store.con.execute("INSERT INTO topics (map_id, topic_id, field_id, label, size, centroid) "
                      "VALUES (1, 'T00042', 'F01', 'face recognition · surveillance', 120, [0.1, 0.2])")
    return hall, gov, users


def _assessment(**change) -> AssessmentIn:
    base = dict(target_kind="topic", target_id="T00042", severity=4, likelihood=3, status="assessed",
                rationale="Face recognition in public spaces enables mass identification.",
                category="privacy_surveillance", evidence=["https://arxiv.org/abs/1804.06655"])
    return AssessmentIn(**(base | change))


def test_only_governance_reviewers_assess_existing_targets(world):
    hall, gov, users = world
    with pytest.raises(NotSignedIn):
        gov.assess(None, _assessment())
    for role in ("submitter", "moderator"):
        with pytest.raises(PermissionDenied):
            gov.assess(users[role], _assessment())
    with pytest.raises(NotFoundError):
        gov.assess(users["governance"], _assessment(target_id="T99999"))
    with pytest.raises(InputError, match="not in"):
        gov.assess(users["governance"], _assessment(category="no_such_category"))
    made = gov.assess(users["governance"], _assessment())
    assert made["level"] == risk_level(4, 3) == {"score": 12, "level": "high", "zh": "高", "en": "High"}
    assert made["reviewer"] == "governance1" and made["supersedes"] is None


def test_history_is_kept_and_the_newest_is_in_force(world):
    hall, gov, users = world
    first = gov.assess(users["governance"], _assessment())
    second = gov.assess(users["governance"], _assessment(status="mitigated", likelihood=2,
                                                         mitigation="Published only with a data-protection review."))
    assert second["supersedes"] == first["assessment_id"]
    history = gov.assessments(users["governance"], "topic", "T00042")
    assert [a["assessment_id"] for a in history] == [second["assessment_id"], first["assessment_id"]]
    assert history[1]["status"] == "assessed"  # the old row is unchanged
    current = gov.current_assessments("topic", ["T00042"])["T00042"]
    assert [a["assessment_id"] for a in current] == [second["assessment_id"]]
    assert "reviewer" not in current[0] and current[0]["reviewer_role"]["zh"] == "治理评审员"
    public = gov.assessments(None, "topic", "T00042")
    assert all("reviewer_id" not in a and "reviewer" not in a for a in public)


def test_hall_item_assessments_stay_private_until_the_item_is_public(world):
    hall, gov, users = world
    item_id = hall.submit_achievement(users["submitter"], AchievementIn(
        title="Campus face recognition gate", description="Video surveillance with face recognition at gates.",
        direction="information", trl=6, organisation="Lab", contact="lab@example.org"))
    gov.assess(users["governance"], _assessment(target_kind="hall_item", target_id=str(item_id)))
    assert gov.assessments(None, "hall_item", str(item_id)) == []
    assert len(gov.assessments(users["submitter"], "hall_item", str(item_id))) == 1  # its submitter sees it
    assert len(gov.assessments(users["moderator"], "hall_item", str(item_id))) == 1
    assert hall.notifications(users["submitter"])[0]["kind"] == "assessed"


def test_register_views_and_entries(world):
    hall, gov, users = world
    with pytest.raises(InputError, match="reason"):
        gov.add_entry(users["governance"], RegisterEntryIn(kind="decision", title_zh="不予发布", body_zh="涉及红线。"))
    gov.add_entry(users["governance"], RegisterEntryIn(
        kind="red_line", title_zh="禁止生殖性克隆人", body_zh="任何涉及生殖性克隆人的成果不得发布。",
        title_en="No human reproductive cloning", body_en="No result involving reproductive human cloning is published."))
    gov.assess(users["governance"], _assessment())
    public = gov.register(None)
    assert {"policies", "red_lines", "taxonomy", "scale", "entries", "decisions"} <= set(public)
    assert public["entries"][0]["title"]["zh"] == "禁止生殖性克隆人" and "decided_by" not in public["entries"][0]
    assert public["decisions"][0]["target_id"] == "T00042" and "reviewer" not in public["decisions"][0]
    assert any(r["category"] == "human_germline_editing" and "克隆人" in r["terms"]["zh"] for r in public["red_lines"])
    assert len(public["scale"]["severity"]) == len(public["scale"]["likelihood"]) == 5
    private = gov.register(users["governance"])
    assert private["entries"][0]["decider"] == "governance1" and private["decisions"][0]["reviewer"] == "governance1"


def test_the_audit_log_is_append_only_and_tampering_shows(world, store):
    hall, gov, users = world
    item_id = hall.submit_achievement(users["submitter"], AchievementIn(
        title="Quantum key distribution link", description="Decoy-state QKD over 100 km of fibre.",
        direction="information", trl=6, organisation="Lab", contact="a@b.org"))
    hall.decide(users["moderator"], item_id, False, "needs a field trial")
    gov.assess(users["governance"], _assessment())
    rows = gov.audit(users["governance"])
    assert [r["action"] for r in rows] == ["submit", "reject", "assess"]
    assert gov.verify_audit() == {"ok": True, "rows": 3, "legacy_rows": 0, "first_broken": None}
    with pytest.raises(PermissionDenied):
        gov.audit(users["moderator"])
    store.users.execute("UPDATE audit_log SET detail = 'approved after all' WHERE seq = 2")
    assert gov.verify_audit()["first_broken"] == 2
    store.users.execute("UPDATE audit_log SET detail = ? WHERE seq = 2", [rows[1]["detail"]])
    assert gov.verify_audit()["ok"]
    store.users.execute("DELETE FROM audit_log WHERE seq = 2")
    assert gov.verify_audit() == {"ok": False, "rows": 2, "legacy_rows": 0, "first_broken": 2}


def test_exports_for_a_regulator(world):
    hall, gov, users = world
    gov.assess(users["governance"], _assessment())
    with pytest.raises(PermissionDenied):
        gov.export(users["moderator"], "json")
    data = json.loads(gov.export(users["governance"], "json"))
    assert data["chain"]["ok"] and data["register"]["decisions"][0]["rationale"].startswith("Face recognition")
    assert [r["action"] for r in data["audit_log"]] == ["assess", "export"]
    wb = load_workbook(io.BytesIO(gov.export_for_operator("xlsx")))
    assert wb.sheetnames == ["summary", "policies", "red_lines", "scale", "entries", "assessments", "audit_log"]
    assert wb["assessments"].cell(2, 2).value == "topic:T00042" and wb["summary"].cell(4, 2).value == "完整 / intact"
    assert wb["audit_log"].max_row == 4  # header + assess + json export + xlsx export
    with pytest.raises(InputError):
        gov.export(users["governance"], "csv")


def test_old_hall_audit_rows_are_the_logs_legacy_part(tmp_path):
    from frontierwatch.store import Store
    from frontierwatch.store.database import DB_NAME, migrations

    path = tmp_path / "old"
    path.mkdir()
    con = duckdb.connect(str(path / DB_NAME))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR, applied TIMESTAMP DEFAULT now())")
    for version, name, sql in migrations():
        if version < 10:  # a single-file store from before the user database (and before the audit log)
            con.execute(sql)
            con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, name])
    con.execute("INSERT INTO hall_audit VALUES ('2026-01-02 10:00:00', 1, 'submit', 1, 'achievement'), "
                "('2026-01-03 09:00:00', 2, 'approve', 1, '')")
    con.close()
    with Store(path) as store:
        audit.append(store.users_tables, 3, "reject", "hall_item", "1", "second thoughts")
        rows = audit.read(store.users_tables, target_kind="hall_item", target_id="1")
        assert [(r["seq"], r["action"], r["legacy"]) for r in rows] == [
            (None, "submit", True), (None, "approve", True), (1, "reject", False)]
        assert audit.verify_chain(store.users_tables) == {"ok": True, "rows": 1, "legacy_rows": 2, "first_broken": None}
        assert [r["action"] for r in audit.read(store.users_tables, limit=2)] == ["approve", "reject"]
