"""The issue-15 contract over HTTP: the governance role, POST/GET /api/v1/assessments, the register, 409 with the
flags when approving a flagged item, the item's `screening` for its submitter and moderators, exports, the page."""
from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.web.conftest import ACHIEVEMENT

GERMLINE = ACHIEVEMENT | {"title": "Germline editing of human embryos",
                          "description": "Base editing of human embryos before implantation to remove a disease "
                                         "mutation; clinical use planned."}
ASSESSMENT = {"target_kind": "hall_item", "severity": 5, "likelihood": 2, "status": "assessed",
              "rationale": "Heritable editing for reproduction is a red line; lab research only, no implantation.",
              "category": "human_germline_editing", "evidence": ["https://www.who.int/publications/i/item/9789240030381"]}


def _flagged_item(signed_in):
    sub, scsrf = signed_in("submitter")
    r = sub.post("/api/v1/achievements", json=GERMLINE, headers={"x-csrf-token": scsrf})
    assert r.status_code == 201, r.text
    return sub, scsrf, r.json()["item_id"]


def test_assessments_need_the_governance_role(client, signed_in):
    sub, scsrf, item_id = _flagged_item(signed_in)
    body = ASSESSMENT | {"target_id": str(item_id)}
    assert client.post("/api/v1/assessments", json=body).status_code == 401
    mod, mcsrf = signed_in("moderator")
    assert mod.post("/api/v1/assessments", json=body, headers={"x-csrf-token": mcsrf}).status_code == 403
    gov, gcsrf = signed_in("governance")
    assert gov.post("/api/v1/assessments", json=body).status_code == 403  # cookie without the CSRF header
    r = gov.post("/api/v1/assessments", json=body, headers={"x-csrf-token": gcsrf})
    assert r.status_code == 201, r.text
    assert r.json()["level"] == {"score": 10, "level": "high", "zh": "高", "en": "High"} and r.json()["status"] == "assessed"
    for bad in ({"severity": 6}, {"likelihood": 0}, {"status": "done"}, {"target_kind": "planet"}, {"rationale": "x"}):
        assert gov.post("/api/v1/assessments", json=body | bad, headers={"x-csrf-token": gcsrf}).status_code == 422
    assert gov.post("/api/v1/assessments", json=body | {"target_id": "999999"},
                    headers={"x-csrf-token": gcsrf}).status_code == 404
    listed = gov.get("/api/v1/assessments", params={"target_kind": "hall_item", "target_id": str(item_id)}).json()
    assert listed["assessments"][0]["reviewer"] == "governance_user"
    assert client.get("/api/v1/assessments", params={"target_kind": "hall_item", "target_id": str(item_id)}
                      ).json() == {"assessments": []}  # the item is not public


def test_approving_a_flagged_item_answers_409_with_the_flags_until_assessed(signed_in):
    sub, scsrf, item_id = _flagged_item(signed_in)
    mine = sub.get(f"/api/v1/hall/{item_id}").json()
    assert mine["screening"]["needs_assessment"] and mine["screening"]["flags"][0]["category"] == "human_germline_editing"
    mod, mcsrf = signed_in("moderator")
    assert mod.get(f"/api/v1/hall/{item_id}").json()["screening"]["flagged"]
    r = mod.post(f"/api/v1/moderation/{item_id}", json={"decision": "approve"}, headers={"x-csrf-token": mcsrf})
    assert r.status_code == 409
    assert r.json()["flags"][0]["category"] == "human_germline_editing" and r.json()["error"]["message_zh"]
    gov, gcsrf = signed_in("governance")
    assert gov.post("/api/v1/assessments", json=ASSESSMENT | {"target_id": str(item_id)},
                    headers={"x-csrf-token": gcsrf}).status_code == 201
    r = mod.post(f"/api/v1/moderation/{item_id}", json={"decision": "approve"}, headers={"x-csrf-token": mcsrf})
    assert r.status_code == 200 and r.json()["status"] == "approved"


def test_the_register_is_public_without_personal_data(client, signed_in):
    r = client.get("/api/v1/governance/register")
    assert r.status_code == 200
    body = r.json()
    assert body["policies"] and body["red_lines"] and len(body["scale"]["severity"]) == 5
    assert body["taxonomy"]["version"] >= 2
    gov, gcsrf = signed_in("governance")
    r = gov.post("/api/v1/governance/register", headers={"x-csrf-token": gcsrf}, json={
        "kind": "decision", "title_zh": "暂停人脸识别类成果发布", "body_zh": "待隐私评估规则发布后恢复。",
        "reason": "公共场所人脸识别的隐私风险尚无评估规则。"})
    assert r.status_code == 201 and r.json()["decider"] == "governance_user"
    entry = client.get("/api/v1/governance/register").json()["entries"][0]
    assert entry["title"]["zh"] == "暂停人脸识别类成果发布" and "decider" not in entry and "decided_by" not in entry
    assert client.post("/api/v1/governance/register", json={"kind": "policy"}).status_code == 401


def test_audit_and_exports_are_for_governance_reviewers(client, signed_in):
    assert client.get("/api/v1/governance/audit").status_code == 401
    mod, _ = signed_in("moderator")
    assert mod.get("/api/v1/governance/export").status_code == 403
    sub, scsrf, item_id = _flagged_item(signed_in)
    gov, gcsrf = signed_in("governance")
    audit = gov.get("/api/v1/governance/audit").json()
    assert audit["chain"]["ok"] and audit["audit_log"][-1]["action"] == "submit"
    xlsx = gov.get("/api/v1/governance/export", params={"format": "xlsx"})
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["content-disposition"]
    assert "audit_log" in load_workbook(io.BytesIO(xlsx.content)).sheetnames
    assert gov.get("/governance/export.json").json()["chain"]["ok"]


def test_the_governance_page_in_both_languages(client, signed_in):
    zh = client.get("/governance?lang=zh").text
    assert "风险治理" in zh and "评估量表" in zh and "伦理红线" in zh and "克隆人" in zh
    en = client.get("/governance?lang=en").text
    assert "Assessment scale" in en and "reproductive cloning" in en
    assert "assess-form" not in zh and "/governance/register\"" not in zh  # the forms are for reviewers only
    gov, gcsrf = signed_in("governance")
    page = gov.get("/governance?lang=zh").text
    assert "assess-form" in page and "审计日志" in page and "哈希链完整" in page
