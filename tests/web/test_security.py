"""Security rules: anonymous users read only, CSRF on every cookie POST, payloads inert, roles, rate limits."""
from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import ACHIEVEMENT, PASSWORD, SCENARIO, csrf_of

XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
SQLI = "x'); DROP TABLE hall_items; --"


def test_anonymous_cannot_submit_approve_or_edit(client):
    for url in ("/api/v1/achievements", "/api/v1/scenarios"):
        r = client.post(url, json={"title": "t", "description": "d"})
        assert r.status_code == 401, r.text
        assert r.json()["error"]["message_zh"]
    assert client.post("/api/v1/moderation/1", json={"decision": "approve"}).status_code == 401
    assert client.put("/api/v1/achievements/1", json=ACHIEVEMENT).status_code == 401
    assert client.get("/api/v1/moderation/queue").status_code == 401
    r = client.post("/hall/submit/achievement", data={"csrf_token": csrf_of(client.get("/login").text)})
    assert r.status_code == 401
    assert client.get("/hall/submit/achievement", follow_redirects=False).headers["location"].startswith("/login")


def test_form_posts_without_csrf_fail(signed_in):
    c, csrf = signed_in("submitter")
    form = {"title": "A title", "description": "Long enough description.", "direction": "energy", "trl": "3",
            "organisation": "Org", "contact": "c@d.org"}
    assert c.post("/hall/submit/achievement", data=form).status_code == 403
    assert c.post("/hall/submit/achievement", data=form | {"csrf_token": "forged"}).status_code == 403
    r = c.post("/hall/submit/achievement", data=form | {"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert c.post("/logout", data={}).status_code == 403


def test_login_form_needs_csrf(client, make_user):
    make_user("alice", "submitter")
    r = client.post("/login", data={"username": "alice", "password": PASSWORD})
    assert r.status_code == 403


def test_cookie_json_posts_need_the_csrf_header(signed_in):
    c, csrf = signed_in("submitter")
    assert c.post("/api/v1/achievements", json=ACHIEVEMENT).status_code == 403
    r = c.post("/api/v1/achievements", json=ACHIEVEMENT, headers={"x-csrf-token": csrf})
    assert r.status_code == 201 and r.json()["status"] == "pending"


def test_bearer_token_works_without_cookies_or_csrf(app, hall, make_user):
    user = make_user("script", "submitter")
    token = hall.issue_api_token(user)
    with TestClient(app) as c:
        r = c.post("/api/v1/scenarios", json=SCENARIO, headers={"authorization": f"Bearer {token}"})
        assert r.status_code == 201, r.text
        assert c.post("/api/v1/scenarios", json=SCENARIO, headers={"authorization": "Bearer wrong"}).status_code == 401


def test_roles_are_enforced(signed_in):
    viewer, vcsrf = signed_in("viewer")
    assert viewer.post("/api/v1/achievements", json=ACHIEVEMENT, headers={"x-csrf-token": vcsrf}).status_code == 403
    sub, scsrf = signed_in("submitter")
    item = sub.post("/api/v1/achievements", json=ACHIEVEMENT, headers={"x-csrf-token": scsrf}).json()
    r = sub.post(f"/api/v1/moderation/{item['item_id']}", json={"decision": "approve"}, headers={"x-csrf-token": scsrf})
    assert r.status_code == 403
    assert sub.get("/hall/moderate").status_code == 403


def test_unapproved_items_are_hidden_from_others(client, signed_in):
    sub, csrf = signed_in("submitter")
    item_id = sub.post("/api/v1/achievements", json=ACHIEVEMENT, headers={"x-csrf-token": csrf}).json()["item_id"]
    assert sub.get(f"/api/v1/hall/{item_id}").status_code == 200
    assert client.get(f"/api/v1/hall/{item_id}").status_code == 404
    assert client.get(f"/hall/items/{item_id}").status_code == 404


def test_xss_payloads_come_back_escaped(client, signed_in):
    sub, csrf = signed_in("submitter")
    mod, mcsrf = signed_in("moderator")
    item_id = sub.post("/api/v1/achievements", json=ACHIEVEMENT | {"title": XSS, "description": XSS + " " * 3 + XSS},
                       headers={"x-csrf-token": csrf}).json()["item_id"]
    assert mod.post(f"/api/v1/moderation/{item_id}", json={"decision": "approve"},
                    headers={"x-csrf-token": mcsrf}).status_code == 200
    for url in (f"/hall/items/{item_id}", "/hall", "/search?q=script", "/hall/moderate"):
        html = (mod if url == "/hall/moderate" else client).get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html, url
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in client.get(f"/hall/items/{item_id}").text
    assert client.get(f"/api/v1/hall/{item_id}").json()["title"] == XSS  # JSON keeps the text as given
    html = client.get("/search", params={"q": XSS}).text
    assert "<script>alert" not in html


def test_sql_injection_payloads_are_stored_inert(client, signed_in, hall):
    sub, csrf = signed_in("submitter")
    r = sub.post("/api/v1/scenarios", json=SCENARIO | {"title": SQLI, "sector": SQLI, "problem": SQLI + " long enough"},
                 headers={"x-csrf-token": csrf})
    assert r.status_code == 201
    assert sub.get(f"/api/v1/hall/{r.json()['item_id']}").json()["title"] == SQLI
    assert client.get("/api/v1/search", params={"q": SQLI}).status_code == 200
    assert client.get("/search", params={"q": "' OR 1=1 --"}).status_code == 200
    assert client.get("/api/v1/documents/' OR '1'='1").status_code == 404
    assert hall.store.users_table_exists("hall_items") and hall.store.users_table_exists("web_users")


def test_login_is_rate_limited(client, make_user):
    make_user("bob", "submitter")
    codes = []
    for _ in range(8):
        token = csrf_of(client.get("/login").text)
        codes.append(client.post("/login", data={"username": "bob", "password": "wrong-password", "csrf_token": token}).status_code)
    assert codes[:5] == [401] * 5 and 429 in codes[5:]


def test_submissions_are_rate_limited(signed_in):
    sub, csrf = signed_in("submitter")
    codes = [sub.post("/api/v1/achievements", json=ACHIEVEMENT | {"title": f"Tandem cell, batch {i}",
                                                                  "description": f"Certified run number {i} of many."},
                      headers={"x-csrf-token": csrf}).status_code for i in range(5)]
    assert codes[:3] == [201] * 3 and codes[3] == 429


def test_oversized_and_invalid_fields_are_refused(signed_in):
    sub, csrf = signed_in("submitter")
    for change in ({"title": "x" * 201}, {"trl": 12}, {"links": ["javascript:alert(1)"]}, {"description": "x" * 5001}):
        r = sub.post("/api/v1/achievements", json=ACHIEVEMENT | change, headers={"x-csrf-token": csrf})
        assert r.status_code == 422, change
    form = {"title": "ok title", "description": "short", "direction": "energy", "trl": "3", "organisation": "O",
            "contact": "c", "csrf_token": csrf}
    r = sub.post("/hall/submit/achievement", data=form)
    assert r.status_code == 400 and "description" in r.text


def test_logout_ends_the_session(signed_in):
    c, csrf = signed_in("submitter")
    assert c.get("/account").status_code == 200
    assert c.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    assert c.get("/account").status_code == 401


def test_open_redirects_are_refused(client, make_user):
    make_user("eve", "submitter")
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": "eve", "password": PASSWORD, "csrf_token": token,
                                    "next": "//evil.example/"}, follow_redirects=False)
    assert r.headers["location"] == "/"


def test_session_cookie_is_httponly_and_signed(client, make_user, app):
    make_user("frank", "submitter")
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": "frank", "password": PASSWORD, "csrf_token": token},
                    follow_redirects=False)
    cookie = r.headers["set-cookie"]
    assert "fw_session=" in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    with TestClient(app) as other:
        other.cookies.set("fw_session", "tampered.value")
        assert other.get("/api/v1/me").json() == {"user": None}
