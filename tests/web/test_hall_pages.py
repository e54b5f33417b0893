"""The release hall through its pages: register, submit an achievement and a need, moderate, see them public."""
from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.conftest import csrf_of


def test_register_submit_moderate_publish(app, client, signed_in):
    user = TestClient(app, headers={"accept": "text/html"})
    token = csrf_of(user.get("/register").text)
    r = user.post("/register", data={"username": "newteam", "password": "long-enough-pw", "csrf_token": token},
                  follow_redirects=False)
    assert r.status_code == 303
    csrf = csrf_of(user.get("/hall/submit/achievement").text)
    r = user.post("/hall/submit/achievement", follow_redirects=False, data={
        "csrf_token": csrf, "title": "类脑芯片 neuromorphic chip", "description": "脉冲神经网络芯片，功耗低于 1 W。",
        "direction": "information", "field": "brain-inspired", "trl": "4", "organisation": "某研究所",
        "contact": "chip@example.org", "links": "https://example.org/chip\nhttps://example.org/paper"})
    assert r.status_code == 303
    achievement = int(re.search(r"/hall/items/(\d+)", r.headers["location"]).group(1))
    assert "待审核" in user.get(f"/hall/items/{achievement}?lang=zh").text
    r = user.post("/hall/submit/scenario", follow_redirects=False, data={
        "csrf_token": csrf, "title": "港口集装箱自动识别", "sector": "物流", "problem": "需要自动识别集装箱箱号与破损。",
        "constraints": "", "budget_band": "lt_1m", "deadline": "", "organisation": "", "contact": "port@example.org"})
    assert r.status_code == 303
    scenario = int(re.search(r"/hall/items/(\d+)", r.headers["location"]).group(1))
    assert client.get("/hall").text.count("类脑芯片") == 0  # nothing public before review

    mod, mcsrf = signed_in("moderator")
    queue = mod.get("/hall/moderate").text
    assert "类脑芯片" in queue and "港口集装箱" in queue
    for item_id in (achievement, scenario):
        r = mod.post(f"/hall/moderate/{item_id}", data={"csrf_token": mcsrf, "decision": "approve"},
                     follow_redirects=False)
        assert r.status_code == 303
    assert "类脑芯片" in client.get("/hall?kind=achievement").text
    assert "港口集装箱" in client.get("/hall?kind=scenario").text
    page = client.get(f"/hall/items/{achievement}?lang=en").text
    assert "https://example.org/chip" in page and "Linked topics" in page
    assert "Matchmaking" in client.get(f"/hall/items/{scenario}?lang=en").text
    assert "类脑芯片" in user.get("/account").text
    user.close()


def test_account_issues_an_api_token_once(signed_in, app):
    c, csrf = signed_in("submitter")
    html = c.post("/account/token", data={"csrf_token": csrf}).text
    token = re.search(r'<pre class="token" id="api-token">([^<]+)</pre>', html).group(1)
    with TestClient(app) as script:
        assert script.get("/api/v1/me", headers={"authorization": f"Bearer {token}"}).json()["user"]["role"] == "submitter"
    assert token not in c.get("/account").text


def test_admin_creates_a_moderator(signed_in):
    admin, csrf = signed_in("admin")
    r = admin.post("/admin/users", data={"csrf_token": csrf, "action": "create", "username": "mod2",
                                         "password": "long-enough-pw", "role": "moderator"})
    assert r.status_code == 200 and "mod2" in r.text
    sub, scsrf = signed_in("submitter")
    assert sub.get("/admin/users").status_code == 403
