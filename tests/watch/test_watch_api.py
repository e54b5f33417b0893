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
