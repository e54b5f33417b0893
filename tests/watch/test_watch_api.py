"""The watchlist API of web users (real app on a real built store): each user has their own watchlist."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from frontierwatch.core import Observatory
from frontierwatch.settings import load_settings
from frontierwatch.web import create_app


@pytest.fixture
def web(built_store):
    obs = Observatory(built_store, load_settings(store=built_store))
    app = create_app(obs, obs.settings, secret_key="test-secret-key")
    with TestClient(app) as client:
        yield client, app.state.web.hall, obs
    obs.close()


def _token(hall, name: str) -> dict:
    user = hall.create_user(name, "correct horse battery", "viewer")
    return {"Authorization": f"Bearer {hall.issue_api_token(user)}"}


def test_each_user_has_their_own_watchlist(web):
    client, hall, obs = web
    ana, bo = _token(hall, "ana"), _token(hall, "bob")
    assert client.get("/api/v1/watches").status_code == 401
    assert client.post("/api/v1/watches", json={"kind": "query", "target": "x"}).status_code == 401
    topic_id = obs.topics()["topics"][0]["id"]
    r = client.post("/api/v1/watches", json={"kind": "topic", "target": topic_id, "name": "main"}, headers=ana)
    assert r.status_code == 201, r.text
    mine = r.json()
    r = client.post("/api/v1/watches", json={"kind": "query", "target": "图神经网络"}, headers=bo)
    assert r.status_code == 201
    assert [w["target"] for w in client.get("/api/v1/watches", headers=ana).json()["watches"]] == [topic_id]
    assert [w["target"] for w in client.get("/api/v1/watches", headers=bo).json()["watches"]] == ["图神经网络"]
    # bo cannot remove ana's watch; ana can
    assert client.delete(f"/api/v1/watches/{mine['id']}", headers=bo).status_code == 404
    assert client.delete(f"/api/v1/watches/{mine['id']}", headers=ana).status_code == 200
    assert client.get("/api/v1/watches", headers=ana).json()["watches"] == []
    bad = client.post("/api/v1/watches", json={"kind": "direction", "target": "astrology"}, headers=ana)
    assert bad.status_code == 400 and "astrology" in bad.json()["error"]["message_en"]
    assert client.get("/api/v1/alerts", headers=ana).json() == {"alerts": []}


def test_an_approved_hall_item_raises_the_alert_of_a_matching_saved_search(web):
    from frontierwatch.hall import AchievementIn
    client, hall, obs = web
    scout = _token(hall, "scout")
    assert client.post("/api/v1/watches", json={"kind": "query", "target": "光纤激光器"}, headers=scout).status_code == 201
    assert client.post("/api/v1/watches", json={"kind": "query", "target": "量子计算"}, headers=scout).status_code == 201
    author = hall.create_user("author1", "correct horse battery", "submitter")
    moderator = hall.create_user("mod1", "correct horse battery", "moderator")
    mod = {"Authorization": f"Bearer {hall.issue_api_token(moderator)}"}
    item = hall.submit_achievement(author, AchievementIn(
        title="高功率光纤激光器相干合束", description="基于光纤激光器的高功率相干合束，输出功率超过十千瓦。",
        direction="manufacturing", trl=6, organisation="某研究所", contact="lab@example.org"))
    assert client.get("/api/v1/alerts", headers=scout).json() == {"alerts": []}   # pending: nothing yet
    r = client.post(f"/api/v1/moderation/{item}", json={"decision": "approve"}, headers=mod)
    assert r.status_code == 200, r.text
    [alert] = client.get("/api/v1/alerts", headers=scout).json()["alerts"]
    assert alert["kind"] == "hall_item" and alert["evidence"]["item_id"] == item
    assert alert["watch_target"] == "光纤激光器" and "高功率光纤激光器相干合束" in alert["title"]["zh"]
    # another decision re-runs the rule: nothing twice
    other = hall.submit_achievement(author, AchievementIn(
        title="钙钛矿叠层电池", description="钙钛矿/硅叠层太阳能电池。", direction="energy", trl=5,
        organisation="某实验室", contact="lab@example.org"))
    client.post(f"/api/v1/moderation/{other}", json={"decision": "approve"}, headers=mod)
    assert len(client.get("/api/v1/alerts", headers=scout).json()["alerts"]) == 1
