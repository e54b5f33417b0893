"""Anonymous readers get no personal data: every public API endpoint and page is walked (every GET route of the
app, path parameters filled with real ids of approved, pending and rejected items, documents and users) and no
answer may contain a user's e-mail address, a contact's e-mail or phone number, a user name, or a user-id field."""
from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from tests.web.conftest import ACHIEVEMENT, PASSWORD, SCENARIO, app_routes

ID_FIELDS = {"user_id", "submitter_id", "moderator_id", "reviewer_id", "actor_id", "decided_by", "requester_id"}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?:\+\d{1,3}[\s-]?)?(?:\d[\s-]?){10,}")
DATES = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+)?")


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def _populate(app, hall, make_user):
    """Users with e-mails, approved / pending / rejected items with contacts, a contact request, an assessment,
    a register entry and notifications — everything a leak could come from."""
    from frontierwatch.hall import AchievementIn, ScenarioIn
    from frontierwatch.risk import AssessmentIn, RegisterEntryIn

    gov = app.state.web.governance
    sub = hall.create_user("alice_submitter", PASSWORD, "submitter", "alice.private@example.org")
    mod = hall.create_user("mo_moderator", PASSWORD, "moderator", "mo.private@example.org")
    rev = hall.create_user("gil_governance", PASSWORD, "governance", "gil.private@example.org")
    asker = hall.create_user("vic_viewer", PASSWORD, "viewer", "vic.private@example.org")
    approved = hall.submit_achievement(sub, AchievementIn(**(ACHIEVEMENT | {"contact": "+86 138 0013 8000"})))
    scenario = hall.submit_scenario(sub, ScenarioIn(**(SCENARIO | {"contact": "grid.private@example.org"})))
    flagged = hall.submit_achievement(sub, AchievementIn(**(ACHIEVEMENT | {
        "title": "Face recognition for video surveillance of crowds", "contact": "face.private@example.org",
        "description": "Identifies pedestrians in public spaces from CCTV video with face recognition."})))
    rejected = hall.submit_achievement(sub, AchievementIn(**(ACHIEVEMENT | {
        "title": "Another cell", "description": "A different description text.", "contact": "rej.private@example.org"})))
    pending = hall.submit_achievement(sub, AchievementIn(**(ACHIEVEMENT | {
        "title": "Pending cell", "description": "Yet another description.", "contact": "pend.private@example.org"})))
    gov.assess(rev, AssessmentIn(target_kind="hall_item", target_id=str(flagged), severity=3, likelihood=3,
                                 status="mitigated", category="privacy_surveillance",
                                 rationale="Deployment limited to consenting sites; faces are not stored."))
    for item_id in (approved, scenario, flagged):
        hall.decide(mod, item_id, True, "ok by mo.private@example.org")
    hall.decide(mod, rejected, False, "rejected: call +86 10 6666 7777")
    hall.request_contact(asker, approved, "Please share: vic.private@example.org")
    gov.add_entry(rev, RegisterEntryIn(kind="policy", title_en="Faces", body_en="Faces are personal data."))
    secrets = ["alice.private@example.org", "mo.private@example.org", "gil.private@example.org",
               "vic.private@example.org", "+86 138 0013 8000", "grid.private@example.org", "face.private@example.org",
               "rej.private@example.org", "pend.private@example.org", "+86 10 6666 7777",
               "alice_submitter", "mo_moderator", "gil_governance", "vic_viewer"]
    return {"items": [approved, scenario, flagged, rejected, pending], "secrets": secrets}


def _urls(app, world, doc_id: str) -> list[str]:
    fill = {"item_id": [str(i) for i in world["items"]], "doc_id": [doc_id], "topic_id": ["T00001"],
            "direction_id": ["energy"], "kind": ["achievement", "scenario"], "request_id": ["1"],
            "edition": ["2019H2"], "lang": ["zh"], "fmt": ["json", "csv"], "name": ["series", "documents"],
            "what": ["topics", "documents"]}
    urls = []
    for path, methods in app_routes(app):
        if "GET" not in methods or path.startswith(("/static", "/openapi")):
            continue
        paths = [path]
        for name in re.findall(r"{(\w+)(?::\w+)?}", path):
            paths = [re.sub(r"{" + name + r"(?::\w+)?}", value, p) for p in paths for value in fill[name]]
        urls += paths
    extra = ["/search?q=cell", "/api/v1/search?q=cell", "/match?q=solar", "/hall?kind=scenario",
             "/api/v1/assessments?target_kind=hall_item", "/api/v1/achievements", "/api/v1/scenarios"]
    return urls + extra + [f"{u}?lang=en" for u in urls]


def test_anonymous_answers_hold_no_personal_data(app, hall, make_user, observatory):
    world = _populate(app, hall, make_user)
    doc_id = observatory.store.con.execute("SELECT doc_id FROM documents LIMIT 1").fetchone()[0]
    urls = _urls(app, world, doc_id)
    assert len(urls) > 60
    seen_ok = 0
    with TestClient(app, headers={"accept": "text/html"}) as anon:
        for url in urls:
            for accept in ("text/html", "application/json"):
                r = anon.get(url, headers={"accept": accept})
                assert r.status_code < 500, (url, r.status_code)
                seen_ok += r.status_code == 200
                body = r.text
                for secret in world["secrets"]:
                    assert secret not in body, (url, secret)
                if r.headers.get("content-type", "").startswith("application/json"):
                    leaked = _keys(json.loads(body)) & ID_FIELDS
                    assert not leaked, (url, leaked)
                if not url.startswith(("/documents", "/api/v1/documents", "/search", "/api/v1/search", "/match")):
                    assert not EMAIL.search(body.replace("example.org/", "")), (url, EMAIL.search(body))
                    text = DATES.sub(" ", re.sub(r"<[^>]+>", " ", body))
                    assert not PHONE.search(text), (url, PHONE.search(text))
    assert seen_ok > 40
